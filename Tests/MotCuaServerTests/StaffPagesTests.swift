import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// The staff pages as their users judge them (issue 21): the desk's own queues, a closed counter said
/// at once, the supplement asked shown on the dossier, a rating given once, an account edited, an
/// agency added, the custom report sorted with its codes linked.
@Suite(.serialized) struct StaffPagesTests {
    @Test(arguments: TestDatabase.available)
    func theDeskHasAQueueForEachKindAndAClosedCounterSaysSoAtOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let desk = try await t.pageSession("stp.tiepnhan"), token = try await t.login("stp.tiepnhan")
            let home = try await t.request(.GET, "/trang-chu", headers: desk.headers).text
            for queue in WorkQueue.desk {
                #expect(home.contains(">\(queue.name)<") && home.contains("status=\(queue.status.rawValue)"), "\(queue.name)")
            }
            let code = try await t.request(.POST, "/api/v1/dossiers", token: token, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            var list = try await t.request(.GET, "/ho-so?status=received&sort=received_at", headers: desk.headers).text
            #expect(list.contains("<h1>Hồ sơ chờ bàn giao</h1>") && list.contains(code) && list.contains("value=\"\(code):1\""))
            #expect(list.contains("<details class=\"filters\">"))  // folded: no criteria typed
            list = try await t.request(.GET, "/ho-so?status=submitted&sort=code", headers: desk.headers).text
            #expect(list.contains("<h1>Hồ sơ chờ tiếp nhận</h1>") && !list.contains(code))
            list = try await t.request(.GET, "/ho-so?q=Nguy%E1%BB%85n", headers: desk.headers).text
            #expect(list.contains("<details class=\"filters\" open>"))  // criteria typed: shown
            // A search with nothing found says so.
            let none = try await t.request(.GET, "/tiep-nhan?q=khongcothutucnao", headers: desk.headers).text
            #expect(none.contains("Không tìm thấy thủ tục nào của cơ quan khớp với “khongcothutucnao”"))
            // The agency closed from today: said as soon as a procedure is chosen, no form to fill in.
            let agency = try #require(try await AgencyModel.find(try await t.user("stp.tiepnhan").agencyID, on: t.app.db))
            agency.effectiveTo = VietnamTime.local(Date()).date.iso
            try await agency.save(on: t.app.db)
            let counter = try await t.request(.GET, "/tiep-nhan?procedure=1.001978.000.00.00.H28", headers: desk.headers).text
            #expect(counter.contains("đã ngừng tiếp nhận hồ sơ từ ngày") && !counter.contains("ngày hẹn trả kết quả là"))
            #expect(!counter.contains("<form method=\"post\" action=\"/tiep-nhan\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theApplicantSeesWhatToSupplementAndRatesOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let desk = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
            let officer = try await t.login("stp.hctp.cv1"), leader = try await t.login("stp.lanhdao"), citizen = try await t.login("congdan1")
            let officerID = try await t.user("stp.hctp.cv1").id!
            var detail = try await t.request(.POST, "/api/v1/dossiers", token: citizen, json: criminalRecordRequest(channel: .online)).decode(DossierDetail.self)
            let code = detail.dossier.code
            func act(_ action: String, _ token: String, expect: HTTPStatus = .ok, _ configure: (inout ActionRequest) -> Void = { _ in }) async throws -> TestApp.Reply {
                var body = ActionRequest(version: detail.dossier.version)
                configure(&body)
                let r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: body)
                #expect(r.status == expect, "\(action): \(r.text.prefix(300))")
                if r.status == .ok { detail = try r.decode(DossierDetail.self) }
                return r
            }
            _ = try await act("accept", desk)
            _ = try await act("hand_over", desk)
            _ = try await act("assign", head) { $0.officer = officerID }
            _ = try await act("request_supplement", officer) {
                $0.reason = "Bản sao căn cước chưa chứng thực"; $0.components = [1]; $0.appointment = "2099-03-02T17:00:00+07:00"
            }
            let mine = try await t.pageSession("congdan1")
            var page = try await t.request(.GET, "/ho-so/\(code)", headers: mine.headers).text
            #expect(page.contains("Yêu cầu bổ sung hồ sơ") && page.contains("Bản sao căn cước chưa chứng thực") && page.contains("02/03/2099 17:00"))
            let first = try #require(try await DossierComponentModel.query(on: t.app.db).filter(\.$position == 1).first())
            #expect(page.contains("1. \(first.name)"))
            _ = try await act("supplement", citizen)
            page = try await t.request(.GET, "/ho-so/\(code)", headers: mine.headers).text
            #expect(!page.contains("<h2 id=\"yeu-cau-bo-sung\">"))
            _ = try await t.upload(minimalPDF("Kết quả"), name: "ket-qua.pdf", component: nil, to: code, token: officer)
            _ = try await act("propose", officer) { $0.proposal = .approve; $0.opinion = "Đủ điều kiện" }
            _ = try await act("submit_for_signature", head)
            _ = try await act("approve", leader)
            _ = try await act("return_result", desk)
            _ = try await act("rate", citizen) { $0.rating = .satisfied }
            // Given once: shown on the page, no form again, a second answer refused.
            page = try await t.request(.GET, "/ho-so/\(code)", headers: mine.headers).text
            #expect(page.contains("Đánh giá của người nộp") && page.contains("Hài lòng") && !page.contains("id=\"thao-tac-rate\""))
            let again = try await act("rate", citizen, expect: .conflict) { $0.rating = .dissatisfied }
            #expect(again.detail.contains("đã được đánh giá"))
            #expect(try await t.dossier(code).rating == Satisfaction.satisfied.rawValue)
            let log = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: mine.headers).text
            #expect(log.contains("Mức độ hài lòng: Hài lòng") && !log.contains("— →"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAdministratorEditsAnAccountAndAddsAnAgency(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let user = try await t.user("stp.hctp.cv2")
            let officerSession = try await t.pageSession("stp.hctp.cv2")
            var form = try await t.request(.GET, "/quan-tri/nguoi-dung/\(user.id!)/sua", headers: admin.headers)
            #expect(form.status == .ok && form.text.contains("Sửa thông tin tài khoản stp.hctp.cv2") && form.text.contains(user.fullName))
            let shown = try #require(form.text.firstMatch(of: #/name="shown" value="([^"]*)"/#)).1
            let department = user.departmentID!.uuidString, agency = user.agencyID!.uuidString
            func body(_ name: String, _ roles: [String], shown: Substring) -> String {
                "fullName=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&agency=\(agency)&department=\(department)&shown=\(String(shown).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                    + roles.map { "&roles[]=\($0)" }.joined()
            }
            // Refused with the reason and what was typed: no role.
            var r = try await t.post("/quan-tri/nguoi-dung/\(user.id!)/sua", body("Trần Văn Mới", [], shown: shown), session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Chọn ít nhất một vai trò.") && r.text.contains("Trần Văn Mới"))
            // Saved: renamed and made a head too; the account's sessions end, the change is audited.
            r = try await t.post("/quan-tri/nguoi-dung/\(user.id!)/sua", body("Trần Văn Mới", ["officer", "head"], shown: shown), session: admin)
            #expect(r.status == .seeOther)
            let saved = try await t.user("stp.hctp.cv2")
            #expect(saved.fullName == "Trần Văn Mới" && saved.roles == [.officer, .head])
            #expect(try await t.request(.GET, "/trang-chu", headers: officerSession.headers).status != .ok)
            let audit = try #require(try await AuditEntryModel.query(on: t.app.db).filter(\.$summary == "Sửa thông tin tài khoản").first())
            #expect(audit.changesJSON.contains("Trần Văn Mới") && audit.changesJSON.contains("Lãnh đạo phòng chuyên môn"))
            // From a stale form: a conflict, nothing overwritten.
            r = try await t.post("/quan-tri/nguoi-dung/\(user.id!)/sua", body("Tên Cũ", ["officer"], shown: shown), session: admin)
            #expect(r.status == .conflict && r.text.contains("vừa được người khác thay đổi"))
            #expect(try await t.user("stp.hctp.cv2").fullName == "Trần Văn Mới")
            form = try await t.request(.GET, "/quan-tri/nguoi-dung?q=stp.hctp.cv2", headers: admin.headers)
            #expect(form.text.contains("/quan-tri/nguoi-dung/\(user.id!)/sua"))

            // "Thêm cơ quan": added under the province, audited; a duplicate code and a new district refused.
            let province = try #require(try await AgencyModel.query(on: t.app.db).filter(\.$kind == AgencyKind.province.rawValue).first())
            r = try await t.post("/quan-tri/co-quan", "name=S%E1%BB%9F+Khoa+h%E1%BB%8Dc+m%E1%BB%9Bi&code=000.00.99.H28&kind=provincial_department&parent=\(province.id!)&effectiveFrom=01%2F12%2F2026", session: admin)
            #expect(r.status == .seeOther)
            let added = try #require(try await AgencyModel.query(on: t.app.db).filter(\.$code == "000.00.99.H28").first())
            #expect(added.name == "Sở Khoa học mới" && added.parentID == province.id && added.effectiveFrom == "2026-12-01")
            r = try await t.post("/quan-tri/co-quan", "name=X&code=000.00.99.H28&kind=commune", session: admin)
            #expect(r.status == .conflict && r.text.contains("đã thuộc cơ quan khác"))
            r = try await t.post("/quan-tri/co-quan", "name=Huy%E1%BB%87n+m%E1%BB%9Bi&code=000.00.98.H28&kind=district", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Cấp huyện không còn"))
            #expect(try await AuditEntryModel.query(on: t.app.db).filter(\.$summary == "Thêm cơ quan").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCustomReportIsSortedByAChosenColumnAndLinksEachCode(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 40) { t in
            let monitor = try await t.pageSession("lanhdaotinh")
            func codes(_ query: String) async throws -> [String] {
                let page = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&cot[]=7&tu-ngay=01/01/2020\(query)", headers: monitor.headers)
                #expect(page.status == .ok, "\(query)")
                return page.text.matches(of: #/<td><a href="/ho-so/([^"]+)">/#).map { String($0.1) }
            }
            let byCode = try await codes("&sap-xep=1"), byCodeDown = try await codes("&sap-xep=-1")
            #expect(byCode.count == 20 && byCode == byCode.sorted() && byCodeDown == byCodeDown.sorted(by: >))
            #expect(byCode.first != byCodeDown.first)
            // The default: by receipt, oldest first; the headings link to their order.
            let page = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&cot[]=15&tu-ngay=01/01/2020", headers: monitor.headers).text
            #expect(page.contains("Ngày tiếp nhận ▲") && page.contains("sap-xep=-15") && page.contains("sap-xep=1\""))
            let bad = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&tu-ngay=01/01/2020&sap-xep=5", headers: monitor.headers)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Cách sắp xếp không hợp lệ."))
        }
    }
}

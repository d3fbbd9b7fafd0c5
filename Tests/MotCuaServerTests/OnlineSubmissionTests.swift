import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// Online submission through the portal's pages (issue 22, points 3 and 4): a draft kept on the
/// server at every step, an e-form checked and stored as data, files checked by content, one dossier
/// however many times "Nộp hồ sơ" is pressed, and "Hồ sơ của tôi": the supplementation answered
/// with new versions of exactly the components asked for, withdrawal with a reason.
@Suite(.serialized) struct OnlineSubmissionTests {
    typealias Session = (headers: HTTPHeaders, csrf: String)
    static let procedure = "1.001978.000.00.00.H28"

    func upload(_ t: TestApp, _ path: String, component: Int, name: String, data: Data, session: Session) async throws
        -> TestApp.Reply
    {
        let boundary = "----motcua\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n\(component)\r\n".utf8)
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var h = session.headers
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await t.request(.POST, path + "?_csrf=" + session.csrf, headers: h, body: ByteBuffer(data: body))
    }

    static let declaration = [
        "ho-va-ten": "Nguyễn Văn Ánh", "gioi-tinh": "Nam", "ngay-sinh": "17/05/1990", "noi-sinh": "Cần Thơ",
        "so-dinh-danh-ca-nhan": "092090012345", "noi-thuong-tru": "Số 12, đường Trần Hưng Đạo, phường Vị Thanh",
        "loai-phieu-yeu-cau-cap": "Phiếu số 1", "so-luong-phieu-yeu-cau-cap": "2", "muc-dich-yeu-cau-cap-phieu": "Xin việc",
    ]

    func form(_ values: [String: String], version: Int) -> String {
        var fields = [
            "version": String(version), "a_name": "Nguyễn Văn Ánh", "a_idNumber": "092090012345",
            "a_birthDate": "17/05/1990", "a_address": "Số 12, đường Trần Hưng Đạo", "a_phone": "0912345678",
            "a_email": "anh@example.vn", "delivery": "online",
        ]
        for (k, v) in values { fields["f_" + k] = v }
        return fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
    }

    @Test(arguments: TestDatabase.available)
    func aCitizenSubmitsOnlineWithAnEFormAndFilesOnceAndAnswersASupplementRequest(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let citizen = try await t.pageSession("congdan1")
            let start = try await t.request(.GET, "/nop-truc-tuyen/\(Self.procedure)", headers: citizen.headers)
            let path = try #require(start.headers.first(name: .location))
            #expect(start.status == .seeOther && path.hasPrefix("/nop-truc-tuyen/ban-nhap/"))
            let again = try await t.request(.GET, "/nop-truc-tuyen/\(Self.procedure)", headers: citizen.headers)
            #expect(again.headers.first(name: .location) == path, "the open draft is resumed, not a second one")
            let page = try await t.request(.GET, path, headers: citizen.headers)
            #expect(page.text.contains("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp") && page.text.contains("name=\"f_gioi-tinh\""), "\(page.status) \(page.text.prefix(1500))")
            #expect(page.text.contains("value=\"\(try await t.user("congdan1").fullName)\""), "the applicant is taken from the account")

            // Another account does not see the draft; a save from an older page is a conflict that keeps what was typed.
            let other = try await t.pageSession("congdan2")
            #expect(try await t.request(.GET, path, headers: other.headers).status == .notFound)
            var bad = Self.declaration
            bad["ngay-sinh"] = "31/02/1990"
            #expect(try await t.post(path, form(bad, version: 1), session: citizen).status == .seeOther)
            let stale = try await t.post(path, form(Self.declaration, version: 1), session: citizen)
            #expect(stale.status == .conflict && stale.text.contains("17/05/1990"))
            let review = try await t.request(.GET, path + "/xem-lai", headers: citizen.headers).text
            #expect(review.contains("phải là ngày có dạng ngày/tháng/năm") && review.contains("Chưa tải lên thành phần bắt buộc"))
            #expect(!review.contains(">Nộp hồ sơ</button>"))
            #expect(try await t.post(path, form(Self.declaration, version: 2), session: citizen).status == .seeOther)

            // Files: by content, for a component of the procedure.
            let exe = try await upload(t, path + "/tep", component: 2, name: "cccd.pdf", data: Data("MZ\u{90}".utf8), session: citizen)
            #expect(exe.status == .unsupportedMediaType && exe.text.contains("theo nội dung"))
            #expect(try await upload(t, path + "/tep", component: 9, name: "a.pdf", data: minimalPDF(), session: citizen).status == .unprocessableEntity)
            #expect(try await upload(t, path + "/tep", component: 2, name: "cccd-mat-truoc.pdf", data: minimalPDF("truoc"), session: citizen).status == .seeOther)
            #expect(try await upload(t, path + "/tep", component: 2, name: "cccd-mat-sau.png", data: tinyPNG, session: citizen).status == .seeOther)
            let ready = try await t.request(.GET, path + "/xem-lai", headers: citizen.headers).text
            #expect(ready.contains(">Nộp hồ sơ</button>") && ready.contains("17/05/1990"), "\(ready)")

            // Twenty presses of "Nộp hồ sơ" at once: one dossier.
            let before = try await DossierModel.query(on: t.app.db).count()
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 { group.addTask { try await t.post(path + "/nop", "version=3", session: citizen).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(statuses)")
            #expect(try await DossierModel.query(on: t.app.db).count() == before + 1)
            let owner = try await t.user("congdan1")
            let d = try #require(try await DossierModel.query(on: t.app.db).filter(\.$ownerID == owner.id!).sort(\.$createdAt, .descending).first())
            #expect(d.state.status == .submitted && d.channel == "online" && d.applicantName == "Nguyễn Văn Ánh")
            let stored = try JSON.decode([String: String].self, try #require(d.declarationJSON))
            #expect(stored["ngay-sinh"] == "1990-05-17" && stored["so-luong-phieu-yeu-cau-cap"] == "2")
            let files = try await DossierFileModel.query(on: t.app.db).filter(\.$dossierID == d.id!).all()
            #expect(files.count == 2 && files.allSatisfy { $0.version == 1 && $0.componentID != nil })
            #expect(try await OutboxMailModel.query(on: t.app.db).filter(\.$dossierID == d.id!).all().map(\.event) == ["submitted"])
            let mine = try await t.request(.GET, "/ho-so-cua-toi/\(d.code)?da-nop=1", headers: citizen.headers).text
            #expect(mine.contains("mã tra cứu \(d.lookupSecret)") && mine.contains("Đã nộp, chờ Bộ phận Một cửa tiếp nhận"))
            #expect(try await t.request(.GET, "/ho-so-cua-toi/\(d.code)", headers: other.headers).status == .notFound)

            // In the desk's online queue; the desk asks for a new copy of the identity card.
            let reception = try await t.login("stp.tiepnhan")
            let queue = try await t.request(.GET, "/api/v1/dossiers?waiting=reception&per=100", token: reception).text
            #expect(queue.contains(d.code))
            let asked = try await t.request(
                .POST, "/api/v1/dossiers/\(d.code)/actions/request_supplement", token: reception,
                json: ActionRequest(version: d.version, reason: "Ảnh chụp CCCD bị mờ", components: [2]))
            #expect(asked.status == .ok, "\(asked.text)")
            let request = try await t.request(.GET, "/ho-so-cua-toi/\(d.code)", headers: citizen.headers).text
            #expect(request.contains("Ảnh chụp CCCD bị mờ") && request.contains("Cần bổ sung hồ sơ") && request.contains("Gửi hồ sơ bổ sung"))
            let early = try await t.post("/ho-so-cua-toi/\(d.code)/bo-sung", "version=\(d.version + 1)", session: citizen)
            #expect(early.status == .unprocessableEntity && early.text.contains("Chưa tải lên bản mới của"), "\(early.status) \(early.text.components(separatedBy: "class=\"error\"").dropFirst().first?.prefix(300) ?? "")")
            let notAsked = try await upload(t, "/ho-so-cua-toi/\(d.code)/bo-sung/tep", component: 3, name: "ho-khau.pdf", data: minimalPDF(), session: citizen)
            #expect(notAsked.status == .unprocessableEntity)
            let renewed = try await upload(t, "/ho-so-cua-toi/\(d.code)/bo-sung/tep", component: 2, name: "cccd-ro.pdf", data: minimalPDF("ro"), session: citizen)
            #expect(renewed.status == .seeOther, "\(renewed.status) \(renewed.text.components(separatedBy: "class=\"error\"").dropFirst().first?.prefix(300) ?? "")")
            let sent = try await t.post("/ho-so-cua-toi/\(d.code)/bo-sung", "version=\(d.version + 1)", session: citizen)
            #expect(sent.status == .seeOther, "\(sent.text.components(separatedBy: "class=\"error\"").dropFirst().first?.prefix(300) ?? "")")
            let after = try await t.dossier(d.code)
            #expect(after.state.status == .submitted)
            let versions = try await DossierFileModel.query(on: t.app.db).filter(\.$dossierID == d.id!).all().map(\.version).sorted()
            #expect(versions == [1, 1, 2], "the old versions are kept")

            // Withdrawal needs a reason.
            #expect(try await t.post("/ho-so-cua-toi/\(d.code)/rut", "version=\(after.version)&reason=", session: citizen).status == .unprocessableEntity)
            let withdrawn = try await t.post("/ho-so-cua-toi/\(d.code)/rut", "version=\(after.version)&reason=N%E1%BB%99p+nh%E1%BA%A7m", session: citizen)
            #expect(withdrawn.status == .seeOther)
            #expect(try await t.dossier(d.code).state.status == .withdrawn)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLaterSubmissionReusesAFileOfTheStoreAndTheQualityIndexCountsIt(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let citizen = try await t.pageSession("congdan1")
            func draft() async throws -> String {
                try #require(try await t.request(.GET, "/nop-truc-tuyen/\(Self.procedure)", headers: citizen.headers).headers.first(name: .location))
            }
            let first = try await draft()
            #expect(try await t.post(first, form(Self.declaration, version: 1), session: citizen).status == .seeOther)
            #expect(try await upload(t, first + "/tep", component: 2, name: "cccd.pdf", data: minimalPDF("cccd"), session: citizen).status == .seeOther)
            #expect(try await t.post(first + "/nop", "version=2", session: citizen).status == .seeOther)

            // The second draft offers the card from the store; another applicant's file is not theirs to take.
            let second = try await draft()
            #expect(second != first)
            let page = try await t.request(.GET, second, headers: citizen.headers).text
            #expect(page.contains("Hoặc dùng lại từ kho dữ liệu") && page.contains("Tệp cccd.pdf - hồ sơ"))
            let stored = try #require(try await DossierFileModel.query(on: t.app.db).filter(\.$fileName == "cccd.pdf").first())
            let other = try await t.pageSession("congdan2")
            let otherDraft = try #require(try await t.request(.GET, "/nop-truc-tuyen/\(Self.procedure)", headers: other.headers).headers.first(name: .location))
            #expect(try await t.post(otherDraft + "/tai-su-dung", "component=2&file=\(stored.id!)", session: other).status == .notFound)
            #expect(try await t.post(second + "/tai-su-dung", "component=2&file=\(stored.id!)", session: citizen).status == .seeOther)
            #expect(try await t.post(second, form(Self.declaration, version: 1), session: citizen).status == .seeOther)
            #expect(try await t.post(second + "/nop", "version=2", session: citizen).status == .seeOther)
            let reused = try #require(try await DossierFileModel.query(on: t.app.db).filter(\.$reusedFromID == stored.id!).first())
            #expect(reused.sha256 == stored.sha256 && reused.dossierID != stored.dossierID)

            // The desk accepts both; the page shows the reuse; the 766 index counts one dossier of two.
            let reception = try await t.login("stp.tiepnhan")
            for id in [stored.dossierID, reused.dossierID] {
                let d = try #require(try await DossierModel.find(id, on: t.app.db))
                let accepted = try await t.request(.POST, "/api/v1/dossiers/\(d.code)/actions/accept", token: reception, json: ActionRequest(version: d.version))
                #expect(accepted.status == .ok, "\(accepted.text)")
            }
            let code = try #require(try await DossierModel.find(reused.dossierID, on: t.app.db)).code
            let desk = try await t.pageSession("stp.tiepnhan")
            let detail = try await t.request(.GET, "/ho-so/\(code)?tab=thanh-phan", headers: desk.headers).text
            #expect(detail.contains("Tái sử dụng từ kho dữ liệu"))
            let general = try await t.request(.GET, "/ho-so/\(code)", headers: desk.headers).text
            #expect(general.contains("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp: Ngày sinh") && general.contains("17/05/1990"))
            let now = Date()
            let month = VietnamTime.local(now).date.adding(days: 1 - VietnamTime.local(now).date.day)
            let index = try await QualityIndex.month(month, scope: .everything, now: now, on: t.app.db)
            #expect(index.total.reusedShare == 0.5, "\(String(describing: index.total))")
        }
    }

    @Test func everyDemoProcedureHasAnEFormThatParses() throws {
        for p in DemoCatalogue.procedures {
            let form = try #require(DemoEForms.form(forCode: p.code), "\(p.code)")
            #expect(form.fields.count >= 5)
        }
    }
}

import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// The dossier page offers the actions of the user's role in the dossier's state and performs them
/// through the same service as the API; refusals come back on the page with their status code.
@Suite struct PageActionTests {
    /// A page session's headers: its cookie, and its form token (sent as the pages' forms send it).
    func cookie(_ t: TestApp, _ username: String) async throws -> HTTPHeaders {
        let (headers, csrf) = try await t.pageSession(username)
        var h = headers
        h.replaceOrAdd(name: "X-Test-Form-Token", value: csrf)
        return h
    }

    func post(_ t: TestApp, _ path: String, _ form: String, as headers: HTTPHeaders) async throws -> TestApp.Reply {
        var h = headers
        let csrf = h.first(name: "X-Test-Form-Token") ?? ""
        h.remove(name: "X-Test-Form-Token")
        h.contentType = .urlEncodedForm
        return try await t.request(.POST, path, headers: h, body: ByteBuffer(string: form + "&_csrf=" + csrf))
    }

    @Test(arguments: TestDatabase.available)
    func headAssignsAndReturnsForReworkFromThePage(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let token = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: token, json: criminalRecordRequest())
            let code = try #require(created.json["dossier"] as? [String: Any])["code"] as! String
            let reception = try await cookie(t, "stp.tiepnhan")
            let head = try await cookie(t, "stp.hctp.truongphong")
            let officer = try await t.user("stp.hctp.cv1")

            // Reception sees "Bàn giao hồ sơ" and not the head's actions.
            var page = try await t.request(.GET, "/ho-so/\(code)", headers: reception)
            #expect(page.text.contains("Bàn giao hồ sơ") && !page.text.contains("Phân công thụ lý"))
            var r = try await post(t, "/ho-so/\(code)/thao-tac/hand_over", "version=1", as: reception)
            #expect(r.status == .seeOther)
            #expect(r.headers.first(name: .location) == "/ho-so/\(code)?da-thuc-hien=hand_over")

            // The head assigns an officer of the department, chosen from the list on the page.
            page = try await t.request(.GET, "/ho-so/\(code)?da-thuc-hien=hand_over", headers: head)
            #expect(page.text.contains("Phân công thụ lý") && page.text.contains("\(officer.fullName) (đang thụ lý 0, quá hạn 0)"))
            r = try await post(t, "/ho-so/\(code)/thao-tac/assign", "version=2&officer=\(officer.id!.uuidString)", as: head)
            #expect(r.status == .seeOther)
            #expect(try await t.dossier(code).assignedOfficerID == officer.id)

            // The officer proposes (API), the head sends it back with an official opinion.
            let officerToken = try await t.login("stp.hctp.cv1")
            #expect(try await t.upload(minimalPDF("Dự thảo"), name: "du-thao.pdf", component: nil, to: code, token: officerToken).status == .created)
            let proposed = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/propose", token: officerToken,
                                               json: ActionRequest(version: 3, opinion: "Đủ điều kiện", proposal: .approve))
            #expect(proposed.status == .ok)
            page = try await t.request(.GET, "/ho-so/\(code)", headers: head)
            #expect(page.text.contains("Yêu cầu thụ lý lại") && page.text.contains("Trình lãnh đạo ký duyệt"))
            #expect(page.text.contains("Ý kiến chính thức"))
            r = try await post(t, "/ho-so/\(code)/thao-tac/return_for_rework", "version=4&opinion=Ki%E1%BB%83m+tra+l%E1%BA%A1i+h%E1%BB%99+kh%E1%BA%A9u", as: head)
            #expect(r.status == .seeOther)
            let d = try await t.dossier(code)
            #expect(d.state == DossierState(.processing, .inProgress))
            page = try await t.request(.GET, "/ho-so/\(code)?da-thuc-hien=return_for_rework", headers: head)
            #expect(page.text.contains("Đã thực hiện: Yêu cầu thụ lý lại."))
            // "Nhật ký sửa đổi": the official opinion, and each changed field in words, old and new.
            let log = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: head).text
            #expect(log.contains("Kiểm tra lại hộ khẩu") && log.contains("Bước xử lý: Chờ xét duyệt → Đang thụ lý"))
            // A first value is shown alone; a file by its name and version, not its checksum.
            #expect(log.contains("Cán bộ thụ lý: \(officer.fullName)") && !log.contains("— →"))
            #expect(log.contains("Tệp đính kèm: du-thao.pdf (phiên bản 1)") && !log.contains("sha256") && !log.contains("<div>code:") && log.contains("<div>Mã hồ sơ: \(code)"))
            #expect(!log.contains(officer.id!.uuidString) && !log.contains("in_progress") && !log.contains("+07:00"))
            // "Tiến trình thụ lý": each holder in turn, the officer's step finished by the officer.
            let timeline = try await t.request(.GET, "/ho-so/\(code)?tab=tien-trinh", headers: head).text
            for text in ["Cán bộ tiếp nhận", "Lãnh đạo phòng chuyên môn", "Chuyên viên thụ lý", "Chờ xét duyệt", "đang xử lý"] {
                #expect(timeline.contains(text), "\(text)")
            }
            #expect(timeline.contains("\(officer.fullName) (Đề xuất") || timeline.contains("(\(Action.propose.vietnameseName))"))
            let slip = try await t.request(.GET, "/ho-so/\(code)/mau/06", headers: head)
            #expect(slip.status == .ok && slip.text.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ") && slip.text.contains(code))

            // Refusals change nothing and explain themselves on the page.
            let logBefore = try await t.logCount(code)
            r = try await post(t, "/ho-so/\(code)/thao-tac/reassign", "version=4&officer=\(officer.id!.uuidString)", as: head)
            #expect(r.status == .conflict)
            #expect(r.text.contains("Hồ sơ vừa được người khác cập nhật") && r.text.contains("Tải lại"))
            r = try await post(t, "/ho-so/\(code)/thao-tac/approve", "version=5", as: head)
            #expect(r.status == .forbidden)
            #expect(r.text.contains("Bạn không có quyền thực hiện thao tác"))
            r = try await post(t, "/ho-so/\(code)/thao-tac/apologise", "version=5&reason=x&appointment=mai", as: head)
            #expect(r.status == .unprocessableEntity)
            #expect(try await t.logCount(code) == logBefore)
            #expect(try await t.dossier(code).version == 5)

            // Another agency's user cannot even see it.
            let other = try await cookie(t, "vithanh.tiepnhan")
            #expect(try await t.request(.GET, "/ho-so/\(code)", headers: other).status == .notFound)
            #expect(try await post(t, "/ho-so/\(code)/thao-tac/withdraw", "version=5&reason=x", as: other).status == .notFound)
        }
    }

    /// The officer's supplement request from the page: the reason, and the applicant's own deadline
    /// when given, shown with the pause on the timeline.
    @Test(arguments: TestDatabase.available)
    func officerRequestsASupplementWithTheApplicantsDeadline(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let token = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: token, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            _ = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/hand_over", token: token, json: ActionRequest(version: 1))
            let officer = try await t.user("stp.hctp.cv1")
            let head = try await t.login("stp.hctp.truongphong")
            _ = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/assign", token: head, json: ActionRequest(version: 2, officer: officer.id))
            let session = try await cookie(t, "stp.hctp.cv1")
            let page = try await t.request(.GET, "/ho-so/\(code)", headers: session)
            #expect(page.text.contains("Hạn bổ sung của công dân (không bắt buộc)") && page.text.contains("Thành phần cần bổ sung"))
            let refused = try await post(t, "/ho-so/\(code)/thao-tac/request_supplement", "version=3&reason=B%E1%BB%95+sung&components[]=7", as: session)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Hồ sơ không có thành phần số 7."))
            let deadline = VietnamTime.local(Date().addingTimeInterval(10 * 24 * 3600)).date
            let r = try await post(t, "/ho-so/\(code)/thao-tac/request_supplement",
                                   "version=3&reason=B%E1%BB%95+sung+s%E1%BB%95+h%E1%BB%99+kh%E1%BA%A9u&components[]=2&appointment=\(deadline.iso)T17%3A00", as: session)
            #expect(r.status == .seeOther)
            let timeline = try await t.request(.GET, "/ho-so/\(code)?tab=tien-trinh", headers: session).text
            #expect(timeline.contains("Chờ bổ sung hồ sơ") && timeline.contains("\(deadline.vietnamese) 17:00"))
            let log = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: session).text
            #expect(log.contains("Thành phần cần bổ sung") && log.contains("2. Bản chụp Căn cước công dân"))
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// The portal's accounts (issue 22, point 2): registration with a checked identity number, the
/// e-mail verified by a link that works once, a login that says why it fails, a password reset by
/// an e-mailed link that expires and works once, and an organisation whose members see its dossiers.
@Suite(.serialized) struct CitizenAccountTests {
    func form(_ t: TestApp, _ path: String, _ body: String) async throws -> TestApp.Reply {
        var h = HTTPHeaders()
        h.contentType = .urlEncodedForm
        return try await t.request(.POST, path, headers: h, body: ByteBuffer(string: body))
    }

    /// The link of the newest e-mail of `event` to `address`, as the applicant would click it.
    func link(_ t: TestApp, _ event: String, to address: String) async throws -> String {
        let mail = try #require(
            try await OutboxMailModel.query(on: t.app.db).filter(\.$event == event).filter(\.$toAddress == address)
                .sort(\.$createdAt, .descending).first())
        let line = try #require(mail.body.split(separator: "\n").first { $0.contains("token=") })
        return "/" + line.split(separator: "/", maxSplits: 3).last!
    }

    static let person = "kind=person&fullName=Tr%E1%BA%A7n+Th%E1%BB%8B+Hoa&idNumber=092190001234&phone=0912+345+678"
        + "&email=Hoa.Tran%40Example.vn&password=Hoa%40CanTho2026&repeated=Hoa%40CanTho2026"

    @Test(arguments: TestDatabase.available)
    func aCitizenRegistersVerifiesTheEmailLogsInAndResetsThePassword(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // Refused, keeping what was typed: a number that is not a CCCD, a weak password, a taken number.
            let badNumber = try await form(t, "/dang-ky", Self.person.replacingOccurrences(of: "092190001234", with: "003190001234"))
            #expect(badNumber.status == .unprocessableEntity && badNumber.text.contains("Ba chữ số đầu"))
            #expect(badNumber.text.contains("value=\"Trần Thị Hoa\"") && badNumber.text.contains("value=\"hoa.tran@example.vn\""))
            #expect(!badNumber.text.contains("Hoa@CanTho2026"), "a password is never shown again")
            let shortNumber = try await form(t, "/dang-ky", Self.person.replacingOccurrences(of: "092190001234", with: "09219000123"))
            #expect(shortNumber.status == .unprocessableEntity && shortNumber.text.contains("đúng 12 chữ số"))
            let weak = try await form(t, "/dang-ky", Self.person.replacingOccurrences(of: "Hoa%40CanTho2026", with: "123"))
            #expect(weak.status == .unprocessableEntity)
            #expect(try await UserModel.query(on: t.app.db).filter(\.$username == "092190001234").count() == 0)

            let done = try await form(t, "/dang-ky", Self.person)
            #expect(done.status == .ok && done.text.contains("Thư xác minh đã được gửi đến hoa.tran@example.vn"), "\(done.text)")
            let user = try await t.user("092190001234")
            #expect(user.roles == [.citizen] && user.email == "hoa.tran@example.vn" && user.emailVerifiedAt == nil)
            #expect(user.phone == "0912345678" && user.accountKind == "person" && user.idNumber == "092190001234")
            #expect(try await form(t, "/dang-ky", Self.person).status == .conflict)

            // Not verified yet: the login says so and offers the e-mail again.
            let early = try await form(t, "/dang-nhap", "username=092190001234&password=Hoa%40CanTho2026")
            #expect(early.status == .forbidden && early.text.contains("chưa được xác minh") && early.text.contains("/gui-lai-xac-minh"))

            let verify = try await link(t, AccountMail.verifyEvent, to: "hoa.tran@example.vn")
            #expect(try await t.request(.GET, verify).text.contains("Đã xác minh thư điện tử"))
            #expect(try await t.request(.GET, verify).status == .gone, "a link works once")
            #expect(try await t.request(.GET, "/xac-minh-email?token=khong-dung").status == .gone)

            // The e-mail logs in too; a wrong password says so.
            let wrong = try await form(t, "/dang-nhap", "username=hoa.tran%40example.vn&password=sai")
            #expect(wrong.status == .unauthorized && wrong.text.contains("mật khẩu không đúng"))
            let byEmail = try await form(t, "/dang-nhap", "username=HOA.TRAN%40example.vn&password=Hoa%40CanTho2026")
            #expect(byEmail.status == .seeOther, "\(byEmail.text)")

            // "Quên mật khẩu": the same answer for an address with no account; the link sets a new password once.
            let unknown = try await form(t, "/quen-mat-khau", "email=khong-co%40example.vn")
            let known = try await form(t, "/quen-mat-khau", "email=hoa.tran%40example.vn")
            #expect(unknown.status == .ok && known.status == .ok && unknown.text.contains("Nếu khong-co@example.vn là địa chỉ"))
            let reset = try await link(t, AccountMail.resetEvent, to: "hoa.tran@example.vn")
            let page = try await t.request(.GET, reset)
            #expect(page.status == .ok && page.text.contains("092190001234"))
            let token = String(reset.split(separator: "=").last!)
            let mismatch = try await form(t, "/dat-lai-mat-khau", "token=\(token)&new=Moi%40CanTho2027&repeated=Khac%40CanTho2027")
            #expect(mismatch.status == .unprocessableEntity && mismatch.text.contains("không khớp"))
            let set = try await form(t, "/dat-lai-mat-khau", "token=\(token)&new=Moi%40CanTho2027&repeated=Moi%40CanTho2027")
            #expect(set.status == .ok && set.text.contains("Đã đặt mật khẩu mới"))
            #expect(try await form(t, "/dat-lai-mat-khau", "token=\(token)&new=Lan2%40CanTho2027&repeated=Lan2%40CanTho2027").status == .gone)
            #expect(try await SessionModel.query(on: t.app.db).filter(\.$userID == user.id!).count() == 0, "sessions ended")
            #expect(try await form(t, "/dang-nhap", "username=092190001234&password=Hoa%40CanTho2026").status == .unauthorized)
            #expect(try await form(t, "/dang-nhap", "username=092190001234&password=Moi%40CanTho2027").status == .seeOther)

            // An expired link is refused.
            _ = try await form(t, "/quen-mat-khau", "email=hoa.tran%40example.vn")
            let expiring = try await link(t, AccountMail.resetEvent, to: "hoa.tran@example.vn")
            try await AccountTokenModel.query(on: t.app.db).filter(\.$usedAt == nil).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            #expect(try await t.request(.GET, expiring).status == .gone)

            // Five wrong passwords lock the account until a time the page states.
            for _ in 0..<5 { _ = try await form(t, "/dang-nhap", "username=092190001234&password=sai") }
            let locked = try await form(t, "/dang-nhap", "username=hoa.tran%40example.vn&password=Moi%40CanTho2027")
            #expect(locked.status == .tooManyRequests && locked.text.contains("Tài khoản tạm khoá đến"), "\(locked.text)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anOrganisationsMembersSeeItsDossiersAndNoOneElses(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 5) { t in
            let organisation = "kind=organisation&fullName=C%C3%B4ng+ty+TNHH+Ph%C3%BA+An&idNumber=1801234567&phone=02923812345"
                + "&email=phuan%40example.vn&password=PhuAn%40CanTho2026&repeated=PhuAn%40CanTho2026"
            #expect(try await form(t, "/dang-ky", organisation.replacingOccurrences(of: "1801234567", with: "18012")).status == .unprocessableEntity)
            #expect(try await form(t, "/dang-ky", organisation).status == .ok)
            let company = try await t.user("1801234567")
            #expect(company.accountKind == "organisation")
            let member = try await t.user("congdan1"), stranger = try await t.user("congdan2")
            member.organisationID = company.id
            try await member.save(on: t.app.db)
            let d = try #require(try await DossierModel.query(on: t.app.db).first())
            d.ownerID = company.id
            try await d.save(on: t.app.db)
            #expect(member.scope.contains(agency: d.agencyID, department: d.departmentID, owner: d.ownerID))
            #expect(!stranger.scope.contains(agency: d.agencyID, department: d.departmentID, owner: d.ownerID))
            // Through the account page: the organisation adds and removes a member by e-mail; the citizen turns e-mail off.
            company.emailVerifiedAt = Date()
            try await company.save(on: t.app.db)
            let hoa = try await form(t, "/dang-ky", Self.person)
            #expect(hoa.status == .ok)
            try await UserModel.query(on: t.app.db).filter(\.$username == "092190001234").set(\.$emailVerifiedAt, to: Date()).update()
            var h = HTTPHeaders()
            h.contentType = .urlEncodedForm
            let login = try await t.request(.POST, "/dang-nhap", headers: h, body: ByteBuffer(string: "username=1801234567&password=PhuAn%40CanTho2026"))
            let cookie: HTTPHeaders = ["Cookie": String(try #require(login.headers.first(name: .setCookie)).split(separator: ";")[0])]
            let page = try await t.request(.GET, "/tai-khoan", headers: cookie).text
            #expect(page.contains("Thành viên của tổ chức") && page.contains("Mã số thuế"))
            let csrf = String(page.components(separatedBy: "name=\"_csrf\" value=\"")[1].prefix { $0 != "\"" })
            let session = (headers: cookie, csrf: csrf)
            #expect(try await t.post("/tai-khoan/thanh-vien", "email=khong-co%40example.vn", session: session).status == .unprocessableEntity)
            #expect(try await t.post("/tai-khoan/thanh-vien", "email=hoa.tran%40example.vn", session: session).status == .seeOther)
            #expect(try await t.user("092190001234").organisationID == company.id)
            #expect(try await t.request(.GET, "/tai-khoan", headers: cookie).text.contains("Trần Thị Hoa (hoa.tran@example.vn)"))
            let hoaID = try await t.user("092190001234").id!
            #expect(try await t.post("/tai-khoan/thanh-vien/xoa", "member=\(hoaID)", session: session).status == .seeOther)
            #expect(try await t.user("092190001234").organisationID == nil)
            #expect(try await t.post("/tai-khoan/thong-bao", "", session: session).status == .seeOther)
            #expect(try await t.user("1801234567").emailOptOutAt != nil)
            #expect(try await t.post("/tai-khoan/thong-bao", "on=1", session: session).status == .seeOther)
            #expect(try await t.user("1801234567").emailOptOutAt == nil)

            let seen = try await t.request(.GET, "/api/v1/dossiers/\(d.code)", token: try await t.login("congdan1"))
            #expect(seen.status == .ok)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(d.code)", token: try await t.login("congdan2")).status == .notFound)
        }
    }
}

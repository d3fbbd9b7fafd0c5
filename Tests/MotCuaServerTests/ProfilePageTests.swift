import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Thông tin tài khoản": the display name and the password, from the page.
@Suite(.serialized) struct ProfilePageTests {
    func post(_ t: TestApp, _ path: String, _ form: String, session: (headers: HTTPHeaders, csrf: String), withToken: Bool = true) async throws -> TestApp.Reply {
        var h = session.headers
        h.contentType = .urlEncodedForm
        return try await t.request(.POST, path, headers: h, body: ByteBuffer(string: form + (withToken ? "&_csrf=\(session.csrf)" : "")))
    }

    func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test(arguments: TestDatabase.available)
    func nameAndPasswordChangeFromThePage(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // setup: a page session and an API token of the same user
            let session = try await t.pageSession("stp.hctp.cv1")
            let token = try await t.login("stp.hctp.cv1")
            let page = try await t.request(.GET, "/tai-khoan", headers: session.headers)
            #expect(page.status == .ok)
            #expect(page.text.contains("Thông tin tài khoản") && page.text.contains("Chuyên viên") && page.text.contains("Sở Tư pháp"))

            // The name: refused when empty (the form shows why), saved otherwise and shown in the header.
            let empty = try await post(t, "/tai-khoan/thong-tin", "fullName=+", session: session)
            #expect(empty.status == .unprocessableEntity && empty.text.contains("Vui lòng nhập họ và tên."))
            #expect(try await post(t, "/tai-khoan/thong-tin", "fullName=\(encoded("Nguyễn Thị Thu Hà"))", session: session, withToken: false).status == .forbidden)
            let saved = try await post(t, "/tai-khoan/thong-tin", "fullName=\(encoded("Nguyễn Thị Thu Hà"))", session: session)
            #expect(saved.status == .seeOther)
            #expect(try await t.user("stp.hctp.cv1").fullName == "Nguyễn Thị Thu Hà")
            #expect(try await t.request(.GET, "/tai-khoan?da-luu=ho-ten", headers: session.headers).text.contains("Nguyễn Thị Thu Hà</a>"))

            // The password: the current one is required, the new one must be strong and typed twice.
            let hashBefore = try await t.user("stp.hctp.cv1").passwordHash
            let wrong = try await post(t, "/tai-khoan/mat-khau", "current=sai&new=Moi%40Mat1khau&repeated=Moi%40Mat1khau", session: session)
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("Mật khẩu hiện tại không đúng."))
            let weak = try await post(t, "/tai-khoan/mat-khau", "current=MotCua%402026&new=abc&repeated=abc", session: session)
            #expect(weak.status == .unprocessableEntity && weak.text.contains("Mật khẩu mới chưa đạt yêu cầu: cần có ít nhất 8 ký tự"))
            let mismatch = try await post(t, "/tai-khoan/mat-khau", "current=MotCua%402026&new=Moi%40Mat1khau&repeated=Moi%40Mat2khau", session: session)
            #expect(mismatch.status == .unprocessableEntity && mismatch.text.contains("không khớp"))
            #expect(try await t.user("stp.hctp.cv1").passwordHash == hashBefore)
            let changed = try await post(t, "/tai-khoan/mat-khau", "current=MotCua%402026&new=Moi%40Mat1khau&repeated=Moi%40Mat1khau", session: session)
            #expect(changed.status == .seeOther)
            // check: other sessions ended, this one kept; the new password works, the old does not
            #expect(try await t.request(.GET, "/api/v1/me", token: token).status == .unauthorized)
            #expect(try await t.request(.GET, "/tai-khoan", headers: session.headers).status == .ok)
            #expect(try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: "stp.hctp.cv1", password: "MotCua@2026")).status == .unauthorized)
            #expect(try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: "stp.hctp.cv1", password: "Moi@Mat1khau")).status == .ok)
            // Without a session the page asks to log in.
            #expect(try await t.request(.GET, "/tai-khoan").status == .seeOther)
        }
    }

    /// "Ảnh đại diện": a PNG or JPEG by its content, at most 1 MB, shown in the header and on the
    /// account page; anything else refused with the reason and nothing changed; kept by `files gc`.
    @Test(arguments: TestDatabase.available)
    func aPictureIsCheckedByItsContentAndShownInTheHeader(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let session = try await t.pageSession("stp.hctp.cv1")
            func upload(_ data: Data, name: String, csrf: String? = nil) async throws -> TestApp.Reply {
                let boundary = "motcua-avatar-boundary"
                var h = session.headers
                h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                body.append(data)
                body.append(Data("\r\n--\(boundary)--\r\n".utf8))
                return try await t.request(.POST, "/tai-khoan/anh-dai-dien?_csrf=\(csrf ?? session.csrf)", headers: h, body: ByteBuffer(data: body))
            }
            let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
            // Refused: a PDF named .png, a forged form, no file; nothing stored on the account.
            var r = try await upload(minimalPDF(), name: "anh.png")
            #expect(r.status == .unsupportedMediaType && r.text.contains("Ảnh đại diện phải là ảnh JPEG hoặc PNG"))
            #expect(try await upload(png, name: "anh.png", csrf: "forged").status == .forbidden)
            #expect(try await upload(Data(), name: "anh.png").status == .unprocessableEntity)
            var big = png
            big.append(Data(count: 1_100_000))
            #expect(try await upload(big, name: "anh.png").status == .payloadTooLarge)
            #expect(try await t.user("stp.hctp.cv1").avatarSHA256 == nil)
            #expect(try await t.request(.GET, "/tai-khoan/anh-dai-dien", headers: session.headers).status == .notFound)
            // Stored, shown in the header, served to its owner only.
            r = try await upload(png, name: "anh.png")
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/tai-khoan?da-luu=anh")
            let sha = try #require(try await t.user("stp.hctp.cv1").avatarSHA256)
            let page = try await t.request(.GET, "/ho-so", headers: session.headers)
            #expect(page.text.contains("<img class=\"avatar\" src=\"/tai-khoan/anh-dai-dien?v=\(sha.prefix(16))\""))
            let image = try await t.request(.GET, "/tai-khoan/anh-dai-dien", headers: session.headers)
            #expect(image.status == .ok && image.headers.contentType == .png && image.body == png)
            #expect(try await t.request(.GET, "/tai-khoan/anh-dai-dien", headers: try await t.pageSession("stp.hctp.truongphong").headers).status == .notFound)
            // A garbage collection of the store keeps it.
            _ = try await FileService.collectGarbage(context: t.app.motcua, grace: 0, now: Date().addingTimeInterval(3600), on: t.app.db)
            #expect(try await t.request(.GET, "/tai-khoan/anh-dai-dien", headers: session.headers).status == .ok)
            // Removed.
            #expect(try await post(t, "/tai-khoan/anh-dai-dien/xoa", "", session: session).status == .seeOther)
            #expect(try await t.user("stp.hctp.cv1").avatarSHA256 == nil)
        }
    }
}

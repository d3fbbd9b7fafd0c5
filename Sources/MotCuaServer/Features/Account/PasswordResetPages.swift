import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Quên mật khẩu" (issue 22, point 2): the portal's accounts ask for a link by e-mail; the link
/// (an hour, once) opens a form for a new password. Setting it ends every session of the account
/// and, since the mailbox answered, counts as verifying the address.
struct PasswordResetPages {
    struct Context: Encodable {
        let layout: PageLayout
        let token: String
        let username: String
        let error: String?
        let rule: String
    }

    func forgotForm(req: Request) async throws -> View {
        try await req.view.render(
            "Account/email-form",
            RegistrationPages.EmailFormContext(
                layout: PageLayout("Quên mật khẩu", req, showingUser: false), action: "/quen-mat-khau",
                heading: "Quên mật khẩu", button: "Gửi đường liên kết đặt lại mật khẩu",
                email: req.query[String.self, at: "email"] ?? "", error: nil))
    }

    func forgot(req: Request) async throws -> Response {
        try await RegistrationPages.mailLink(
            req, purpose: .resetPassword, heading: "Quên mật khẩu", action: "/quen-mat-khau")
    }

    func resetForm(req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"] ?? ""
        guard let id = try await AccountMail.peek(token, .resetPassword, at: Date(), on: req.db),
            let user = try await UserModel.find(id, on: req.db)
        else { return try await invalid(req) }
        return try await render(req, token: token, user: user, error: nil, status: .ok)
    }

    func reset(req: Request) async throws -> Response {
        struct Form: Content {
            var token: String?
            var new: String?
            var repeated: String?
        }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let token = form.token ?? "", new = form.new ?? ""
        let now = Date()
        guard let id = try await AccountMail.peek(token, .resetPassword, at: now, on: req.db),
            let user = try await UserModel.find(id, on: req.db)
        else { return try await invalid(req) }
        var problem: String?
        if !TextInput.isClean(new) || new.utf8.count > 1000 {
            problem = "Mật khẩu chứa ký tự không hợp lệ hoặc quá dài."
        } else if new != form.repeated {
            problem = "Mật khẩu nhập lại không khớp."
        } else {
            problem = PasswordRule.message(for: new, username: user.username)
        }
        if let problem {
            return try await render(req, token: token, user: user, error: problem, status: .unprocessableEntity)
        }
        let hash = try await req.passwordHasher.hash(new).get()
        let changed = try await req.db.transaction { tx -> Bool in
            // Taken here, once: of two submissions at once, one sets the password.
            guard try await AccountMail.redeem(token, .resetPassword, at: now, on: tx) == id else { return false }
            try await UserModel.query(on: tx).filter(\.$id == id).set(\.$passwordHash, to: hash).update()
            try await UserModel.query(on: tx).filter(\.$id == id).filter(\.$emailVerifiedAt == nil)
                .set(\.$emailVerifiedAt, to: now.wholeSeconds).update()
            try await SessionModel.query(on: tx).filter(\.$userID == id).delete()
            return true
        }
        guard changed else { return try await invalid(req) }
        try await Throttle.login.reset(user.username.lowercased(), on: req.db)
        return try await RegistrationPages.message(
            req, heading: "Đã đặt mật khẩu mới",
            text: "Mật khẩu mới đã được lưu; các phiên đăng nhập cũ của tài khoản đã kết thúc. Mời ông/bà đăng nhập.",
            next: "/dang-nhap", nextLabel: "Đăng nhập")
    }

    func render(_ req: Request, token: String, user: UserModel, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        try await req.view.render(
            "Account/reset",
            Context(
                layout: PageLayout("Đặt lại mật khẩu", req, showingUser: false), token: token, username: user.username,
                error: error, rule: PasswordRule.explanation)
        ).encodeResponse(status: status, for: req)
    }

    func invalid(_ req: Request) async throws -> Response {
        try await RegistrationPages.message(
            req, heading: "Không đặt lại được mật khẩu", text: AccountMail.invalidLink, error: true,
            next: "/quen-mat-khau", nextLabel: "Yêu cầu đường liên kết mới", status: .gone)
    }
}

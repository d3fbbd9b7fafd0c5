import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Đăng ký tài khoản" of the portal (issue 22, point 2): a citizen (12-digit identity number) or an
/// organisation (tax code) registers with a name, a phone and an e-mail; the account can log in once
/// the e-mail is verified through the link sent to it. The username is the identity number or tax
/// code; the e-mail logs in too.
struct RegistrationPages {
    struct Form: Content {
        var kind: String?
        var fullName: String?
        var idNumber: String?
        var phone: String?
        var email: String?
        var password: String?
        var repeated: String?
    }

    struct Context: Encodable {
        let layout: PageLayout
        let form: Values
        let isOrganisation: Bool
        let error: String?
        let rule: String
    }

    /// What the form shows again after an error: everything typed but the passwords.
    struct Values: Encodable {
        var kind = "person"
        var fullName = ""
        var idNumber = ""
        var phone = ""
        var email = ""
    }

    struct Message: Encodable {
        let layout: PageLayout
        let heading: String
        let text: String
        let error: Bool
        let next: String?
        let nextLabel: String?
    }

    func show(req: Request) async throws -> View {
        try await render(req, Values(), error: nil)
    }

    func render(_ req: Request, _ values: Values, error: String?) async throws -> View {
        try await req.view.render(
            "Account/register",
            Context(
                layout: PageLayout("Đăng ký tài khoản", req, showingUser: false), form: values,
                isOrganisation: values.kind == "organisation", error: error, rule: PasswordRule.explanation))
    }

    func register(req: Request) async throws -> Response {
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let values = Values(
            kind: form.kind == "organisation" ? "organisation" : "person",
            fullName: (form.fullName ?? "").trimmingCharacters(in: .whitespaces),
            idNumber: (form.idNumber ?? "").trimmingCharacters(in: .whitespaces),
            phone: (form.phone ?? "").filter { !$0.isWhitespace && $0 != "." },
            email: (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased())
        do {
            let now = Date()
            try Self.check(values, password: form.password ?? "", repeated: form.repeated ?? "", at: now)
            if try await UserModel.query(on: req.db).group(
                .or,
                {
                    $0.filter(\.$username == values.idNumber).filter(\.$idNumber == values.idNumber)
                }
            ).count() > 0 {
                throw ServiceError(
                    .conflict,
                    "\(values.kind == "organisation" ? "Mã số thuế" : "Số định danh") này đã có tài khoản. "
                        + "Đăng nhập, hoặc dùng “Quên mật khẩu” nếu không nhớ mật khẩu.")
            }
            if try await UserModel.query(on: req.db).filter(\.$email == values.email).count() > 0 {
                throw ServiceError(.conflict, "Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác.")
            }
            let user = UserModel(
                username: values.idNumber, passwordHash: try await req.passwordHasher.hash(form.password ?? "").get(),
                fullName: values.fullName, roles: [.citizen], agencyID: nil, departmentID: nil)
            user.id = UUID()
            user.accountKind = values.kind
            user.idNumber = values.idNumber
            user.phone = values.phone
            user.email = values.email
            let site = req.motcua.settings.siteURL
            do {
                try await req.db.transaction { tx in
                    try await user.create(on: tx)
                    try await AccountMail.send(.verifyEmail, to: user, site: site, at: now, on: tx)
                }
            } catch {
                // Two registrations of one number or address at once: the unique indexes keep one.
                throw ServiceError(.conflict, "Số định danh hoặc thư điện tử này vừa được đăng ký. Vui lòng đăng nhập.")
            }
            return try await Self.message(
                req, heading: "Đăng ký thành công",
                text: """
                    Thư xác minh đã được gửi đến \(values.email). Mở đường liên kết trong thư (trong 48 giờ) để \
                    kích hoạt tài khoản, rồi đăng nhập bằng số định danh, mã số thuế hoặc địa chỉ thư điện tử.
                    """,
                next: "/dang-nhap", nextLabel: "Đến trang đăng nhập")
        } catch let e as ServiceError {
            return try await render(req, values, error: e.reason).encodeResponse(status: e.status, for: req)
        }
    }

    /// The form's rules, in the order a person reads the form.
    static func check(_ v: Values, password: String, repeated: String, at now: Date) throws {
        func fail(_ text: String) -> ServiceError { ServiceError(.unprocessableEntity, text) }
        for (text, label) in [(v.fullName, "Họ và tên"), (v.idNumber, "Số định danh"), (v.phone, "Số điện thoại")] {
            try TextInput.require(text, label: label, multiline: false, maxLength: 200)
        }
        guard !v.fullName.isEmpty else {
            throw fail(v.kind == "organisation" ? "Vui lòng nhập tên tổ chức." : "Vui lòng nhập họ và tên.")
        }
        let problem =
            v.kind == "organisation"
            ? IdentityNumber.taxCodeProblem(v.idNumber)
            : IdentityNumber.personalNumberProblem(v.idNumber, thisYear: VietnamTime.local(now).date.components.year)
        if let problem { throw fail(problem) }
        let phoneDigits = v.phone.hasPrefix("+84") ? "0" + v.phone.dropFirst(3) : v.phone
        // A mobile number has 10 digits, a landline 11 (its area code 02xx and 7 digits).
        guard [10, 11].contains(phoneDigits.count), phoneDigits.hasPrefix("0"),
            phoneDigits.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw fail("Số điện thoại phải gồm 10 chữ số (di động) hoặc 11 chữ số (cố định), bắt đầu bằng 0.")
        }
        guard ApplicantNotice.isAddress(v.email) else {
            throw fail("Địa chỉ thư điện tử không hợp lệ (ví dụ: nguyenvana@gmail.com).")
        }
        guard TextInput.isClean(password), TextInput.isClean(repeated), password.utf8.count <= 1000 else {
            throw fail("Mật khẩu chứa ký tự không hợp lệ hoặc quá dài.")
        }
        guard password == repeated else { throw fail("Mật khẩu nhập lại không khớp.") }
        if let problem = PasswordRule.message(for: password, username: v.idNumber) { throw fail(problem) }
    }

    /// "Xác minh thư điện tử": the link of the e-mail, taken once.
    func verify(req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"] ?? ""
        let now = Date()
        let userID = try await req.db.transaction { tx -> UUID? in
            guard let id = try await AccountMail.redeem(token, .verifyEmail, at: now, on: tx) else { return nil }
            try await UserModel.query(on: tx).filter(\.$id == id).filter(\.$emailVerifiedAt == nil)
                .set(\.$emailVerifiedAt, to: now.wholeSeconds).update()
            return id
        }
        guard userID != nil else {
            return try await Self.message(
                req, heading: "Không xác minh được", text: AccountMail.invalidLink, error: true,
                next: "/gui-lai-xac-minh", nextLabel: "Gửi lại thư xác minh", status: .gone)
        }
        return try await Self.message(
            req, heading: "Đã xác minh thư điện tử", text: "Tài khoản đã được kích hoạt. Mời ông/bà đăng nhập.",
            next: "/dang-nhap", nextLabel: "Đăng nhập")
    }

    /// "Gửi lại thư xác minh": the same answer whether or not the address has an account.
    func resendForm(req: Request) async throws -> View {
        try await req.view.render(
            "Account/email-form",
            EmailFormContext(
                layout: PageLayout("Gửi lại thư xác minh", req, showingUser: false), action: "/gui-lai-xac-minh",
                heading: "Gửi lại thư xác minh", button: "Gửi lại thư",
                email: req.query[String.self, at: "email"] ?? "",
                error: nil))
    }

    struct EmailFormContext: Encodable {
        let layout: PageLayout
        let action: String
        let heading: String
        let button: String
        let email: String
        let error: String?
    }

    func resend(req: Request) async throws -> Response {
        try await Self.mailLink(
            req, purpose: .verifyEmail, heading: "Gửi lại thư xác minh", action: "/gui-lai-xac-minh")
    }

    /// Sends a verification or reset link to the address typed, if an account of the portal has it;
    /// the answer is the same either way, so the form does not tell which addresses have accounts.
    static func mailLink(
        _ req: Request, purpose: AccountTokenModel.Purpose, heading: String, action: String
    ) async throws -> Response {
        struct EmailForm: Content { var email: String? }
        let email = ((try? req.content.decode(EmailForm.self))?.email ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
        let now = Date()
        guard ApplicantNotice.isAddress(email) else {
            return try await req.view.render(
                "Account/email-form",
                EmailFormContext(
                    layout: PageLayout(heading, req, showingUser: false), action: action, heading: heading,
                    button: "Gửi thư", email: email, error: "Địa chỉ thư điện tử không hợp lệ.")
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
        if case .locked(let seconds) = try await AccountMail.throttle.reserve(email, at: now, on: req.db) {
            throw ServiceError.tooManyAttempts("Đã gửi nhiều thư đến địa chỉ này.", retryAfter: seconds)
        }
        let site = req.motcua.settings.siteURL
        if let user = try await UserModel.query(on: req.db).filter(\.$email == email).filter(\.$accountKind != nil)
            .filter(\.$disabledAt == nil).first(),
            purpose == .resetPassword || user.emailVerifiedAt == nil
        {
            try await req.db.transaction { tx in
                try await AccountMail.send(purpose, to: user, site: site, at: now, on: tx)
            }
        }
        return try await message(
            req, heading: heading,
            text: """
                Nếu \(email) là địa chỉ của một tài khoản trên Cổng, thư đã được gửi đến đó. Kiểm tra hộp thư \
                (cả thư mục thư rác) và mở đường liên kết trong thư.
                """,
            next: "/dang-nhap", nextLabel: "Đến trang đăng nhập")
    }

    static func message(
        _ req: Request, heading: String, text: String, error: Bool = false, next: String?, nextLabel: String?,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        try await req.view.render(
            "Account/message",
            Message(
                layout: PageLayout(heading, req, showingUser: false), heading: heading, text: text, error: error,
                next: next, nextLabel: nextLabel)
        ).encodeResponse(status: status, for: req)
    }
}

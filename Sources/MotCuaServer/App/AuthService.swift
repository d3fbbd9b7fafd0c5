import Crypto
import Fluent
import Foundation
import MotCuaCore
import Vapor

extension UserModel: Authenticatable {}

/// Local accounts: Bcrypt passwords, sessions stored in the database (shared by every server
/// instance), 5 failed logins lock a username for 15 minutes (`Throttle.login`).
enum AuthService {
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let cookieName = "motcua_session"
    static let dummyHash = (try? Bcrypt.hash("motcua-khong-co-tai-khoan", cost: 10)) ?? ""

    static func tokenHash(_ token: String) -> String { Checksum.sha256(token) }

    static let unverifiedMessage =
        "Thư điện tử của tài khoản chưa được xác minh: mở đường liên kết trong thư xác minh, hoặc gửi lại thư."

    /// Checks a password and opens a session; returns the user and the session's token.
    ///
    /// Failures are counted per username by `Throttle.login` (atomically, in the database), for
    /// unknown usernames exactly as for known ones: the same status, message and work (a Bcrypt
    /// check against a dummy hash), so that nothing tells which accounts exist.
    static func login(username: String, password: String, kind: String, on req: Request) async throws -> (
        UserModel, String
    ) {
        let now = Date()
        let name = username.trimmingCharacters(in: .whitespaces)
        guard TextInput.isClean(name), TextInput.isClean(password), name.count <= 200, password.utf8.count <= 1000
        else {
            throw ServiceError(
                .unprocessableEntity, "Tên đăng nhập hoặc mật khẩu chứa ký tự không hợp lệ hoặc quá dài.")
        }
        do {
            // A portal account also logs in by its e-mail; attempts count per account, whichever name
            // was typed (and per typed name when there is no such account).
            let byEmail = name.contains("@") ? name.lowercased() : nil
            let user = try await UserModel.query(on: req.db).group(.or) {
                $0.filter(\.$username == name)
                if let byEmail { $0.filter(\.$email == byEmail) }
            }.first()
            let key = (user?.username ?? name).lowercased()
            if case .locked(let seconds) = try await Throttle.login.reserve(key, at: now, on: req.db) {
                throw ServiceError(
                    .tooManyRequests,
                    """
                    Tài khoản tạm khoá đến \(PageTime.dateTime(now.addingTimeInterval(TimeInterval(seconds)))) do \
                    đăng nhập sai \(Throttle.login.limit) lần. Nếu quên mật khẩu, dùng “Quên mật khẩu”.
                    """,
                    retryAfter: seconds)
            }
            let matches = try await req.passwordHasher.verify(password, created: user?.passwordHash ?? dummyHash).get()
            guard let user, matches else {
                throw ServiceError(.unauthorized, "Tên đăng nhập hoặc mật khẩu không đúng.")
            }
            // Said only to whoever knows the password: a disabled account does not tell others it exists.
            guard user.disabledAt == nil else {
                throw ServiceError(.forbidden, "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị hệ thống.")
            }
            guard user.accountKind == nil || user.emailVerifiedAt != nil else {
                throw ServiceError(.forbidden, unverifiedMessage)
            }
            try await Throttle.login.reset(key, on: req.db)
            let token = randomToken()
            try await SessionModel(
                tokenHash: tokenHash(token), userID: user.id!, kind: kind, createdAt: now,
                expiresAt: now.addingTimeInterval(sessionLifetime)
            ).create(on: req.db)
            return (user, token)
        } catch let e as ServiceError {
            throw e
        } catch {
            // A login never answers 500: an overloaded database is "busy, try again".
            req.logger.warning("login: \(String(reflecting: error))")
            throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau ít giây.", retryAfter: 5)
        }
    }

    /// 32 random bytes from the system's secure generator, base64url.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return base64URL(Data(bytes))
    }

    /// Base64 for URLs, without padding (tokens, the PKCE challenge).
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// "Đổi mật khẩu": the current password is checked (and counted like a login, so a stolen
    /// session cannot guess it), the new one must meet `PasswordRule`; the user's other sessions
    /// end, the one in use stays.
    static func changePassword(
        of user: UserModel, current: String, new: String, repeated: String, keeping token: String?,
        on req: Request
    ) async throws {
        guard TextInput.isClean(current), TextInput.isClean(new), TextInput.isClean(repeated) else {
            throw ServiceError(.unprocessableEntity, "Mật khẩu chứa ký tự không hợp lệ.")
        }
        if case .locked(let seconds) = try await Throttle.login.reserve(
            user.username.lowercased(), at: Date(), on: req.db)
        {
            throw ServiceError.tooManyAttempts(
                "Tài khoản tạm khoá do nhập sai mật khẩu \(Throttle.login.limit) lần.", retryAfter: seconds)
        }
        guard current.utf8.count <= 1000, try await req.passwordHasher.verify(current, created: user.passwordHash).get()
        else {
            throw ServiceError(.unprocessableEntity, "Mật khẩu hiện tại không đúng.")
        }
        try await Throttle.login.reset(user.username.lowercased(), on: req.db)
        guard new == repeated else { throw ServiceError(.unprocessableEntity, "Mật khẩu mới nhập lại không khớp.") }
        guard new != current else {
            throw ServiceError(.unprocessableEntity, "Mật khẩu mới phải khác mật khẩu hiện tại.")
        }
        if let problem = PasswordRule.message(for: new, username: user.username) {
            throw ServiceError(.unprocessableEntity, problem)
        }
        let hash = try await req.passwordHasher.hash(new).get()
        let id = user.id!
        let kept = token.map(tokenHash)
        try await req.db.transaction { tx in
            try await UserModel.query(on: tx).filter(\.$id == id).set(\.$passwordHash, to: hash).update()
            let others = SessionModel.query(on: tx).filter(\.$userID == id)
            if let kept { others.filter(\.$tokenHash != kept) }
            try await others.delete()
        }
    }

    static func logout(token: String, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$tokenHash == tokenHash(token)).delete()
    }

    static func token(from req: Request) -> String? {
        if let bearer = req.headers.bearerAuthorization { return bearer.token }
        return req.cookies[cookieName]?.string
    }

    /// The form token of a cookie session: derived from the session's secret token (which the
    /// page never sees), so it is per session and needs no storage; a leaked form token does not
    /// reveal the session token.
    static func csrfToken(forSession token: String) -> String { Checksum.sha256("motcua-csrf:" + token) }
}

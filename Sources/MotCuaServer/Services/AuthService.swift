import Crypto
import Fluent
import Foundation
import Vapor

extension UserModel: Authenticatable {}

/// Local accounts: Bcrypt passwords, sessions stored in the database (shared by every server
/// instance), 5 failed logins lock an account for 15 minutes.
enum AuthService {
    static let maxFailures = 5
    static let lockout: TimeInterval = 15 * 60
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let cookieName = "motcua_session"
    static let dummyHash = (try? Bcrypt.hash("motcua-khong-co-tai-khoan", cost: 10)) ?? ""

    static func tokenHash(_ token: String) -> String { Checksum.sha256(token) }

    /// Checks a password and opens a session; returns the user and the session's token.
    static func login(username: String, password: String, kind: String, on req: Request) async throws -> (UserModel, String) {
        let now = Date()
        let wrong = ServiceError(.unauthorized, "Tên đăng nhập hoặc mật khẩu không đúng.")
        guard let user = try await UserModel.query(on: req.db).filter(\.$username == username).first() else {
            // Spend the time of a real check, so that response times do not tell which usernames exist.
            _ = try? await req.password.async.verify(password, created: dummyHash)
            throw wrong
        }
        if let until = user.lockedUntil, until > now {
            let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
            throw ServiceError(.tooManyRequests, "Tài khoản tạm khoá do đăng nhập sai \(maxFailures) lần. Vui lòng thử lại sau \(minutes) phút.")
        }
        guard try await req.password.async.verify(password, created: user.passwordHash) else {
            user.failedLogins += 1
            if user.failedLogins >= maxFailures {
                user.lockedUntil = now.addingTimeInterval(lockout)
                user.failedLogins = 0
            }
            try await user.update(on: req.db)
            throw wrong
        }
        user.failedLogins = 0
        user.lockedUntil = nil
        try await user.update(on: req.db)
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await SessionModel(tokenHash: tokenHash(token), userID: user.id!, kind: kind, createdAt: now, expiresAt: now.addingTimeInterval(sessionLifetime)).create(on: req.db)
        return (user, token)
    }

    static func logout(token: String, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$tokenHash == tokenHash(token)).delete()
    }

    static func token(from req: Request) -> String? {
        if let bearer = req.headers.bearerAuthorization { return bearer.token }
        return req.cookies[cookieName]?.string
    }
}

/// Finds the user of a bearer token or a session cookie.
struct SessionTokenAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        guard let token = AuthService.token(from: request),
              let session = try await SessionModel.query(on: request.db).filter(\.$tokenHash == AuthService.tokenHash(token)).first(),
              session.expiresAt > Date(),
              let user = try await UserModel.find(session.userID, on: request.db) else { return }
        request.auth.login(user)
    }
}

extension Request {
    /// The logged-in user as an actor, or 401.
    func actor() throws -> Actor {
        guard let user = auth.get(UserModel.self) else {
            throw ServiceError(.unauthorized, "Vui lòng đăng nhập.")
        }
        return Actor(user: user)
    }
}

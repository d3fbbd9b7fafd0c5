import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The links an account's owner is sent by e-mail: verify the address (48 hours), set a new
/// password (one hour). Each works once: it is taken by one statement that marks it used only if
/// it is unused and unexpired, so two clicks at once cannot both succeed.
enum AccountMail {
    static let verifyEvent = "account_verify"
    static let resetEvent = "password_reset"
    static let verifyLifetime: TimeInterval = 48 * 3600
    static let resetLifetime: TimeInterval = 3600
    /// Five e-mails an address in 15 minutes: a form cannot be used to flood someone's mailbox.
    static let throttle = Throttle(name: "account-mail", limit: 5, window: 15 * 60, lockout: 15 * 60)

    /// Issues a link and writes its e-mail in the outbox, in the caller's transaction.
    static func send(
        _ purpose: AccountTokenModel.Purpose, to user: UserModel, site: URL, at now: Date, on tx: any Database
    ) async throws {
        let token = AuthService.randomToken()
        let lifetime = purpose == .verifyEmail ? verifyLifetime : resetLifetime
        try await AccountTokenModel(
            userID: user.id!, purpose: purpose, tokenHash: AuthService.tokenHash(token), at: now, lifetime: lifetime
        ).create(on: tx)
        let base = site.absoluteString.hasSuffix("/") ? String(site.absoluteString.dropLast()) : site.absoluteString
        let expiry = PageTime.dateTime(now.addingTimeInterval(lifetime))
        let (event, subject, lines): (String, String, [String]) =
            switch purpose {
            case .verifyEmail:
                (
                    verifyEvent, "Xác minh địa chỉ thư điện tử - Cổng dịch vụ công",
                    [
                        "Cảm ơn ông/bà đã đăng ký tài khoản trên Cổng dịch vụ công.",
                        "Để kích hoạt tài khoản, mở đường liên kết sau (dùng được một lần, đến \(expiry)):",
                        "\(base)/xac-minh-email?token=\(token)",
                    ]
                )
            case .resetPassword:
                (
                    resetEvent, "Đặt lại mật khẩu - Cổng dịch vụ công",
                    [
                        "Có yêu cầu đặt lại mật khẩu cho tài khoản \(user.username).",
                        "Để đặt mật khẩu mới, mở đường liên kết sau (dùng được một lần, đến \(expiry)):",
                        "\(base)/dat-lai-mat-khau?token=\(token)",
                        "Nếu không phải ông/bà yêu cầu, hãy bỏ qua thư này: mật khẩu không thay đổi.",
                    ]
                )
            }
        let body =
            (["Kính gửi \(user.fullName),", ""] + lines + ["", "Thư này được gửi tự động; không trả lời thư này."])
            .joined(separator: "\n")
        try await NotificationOutbox.enqueue(event, to: user, subject: subject, body: body, at: now, on: tx)
    }

    /// The account a valid link of `purpose` belongs to, without taking it (to show its form).
    static func peek(_ token: String, _ purpose: AccountTokenModel.Purpose, at now: Date, on db: any Database)
        async throws -> UUID?
    {
        guard token.count <= 100 else { return nil }
        return try await AccountTokenModel.query(on: db).filter(\.$tokenHash == AuthService.tokenHash(token))
            .filter(\.$purpose == purpose.rawValue).filter(\.$usedAt == nil).filter(\.$expiresAt > now).first()?.userID
    }

    /// Takes a link once: the account it belongs to, or nil if it is unknown, used or expired.
    static func redeem(_ token: String, _ purpose: AccountTokenModel.Purpose, at now: Date, on db: any Database)
        async throws -> UUID?
    {
        guard token.count <= 100 else { return nil }
        let row = try await (db as! any SQLDatabase).raw(
            """
            UPDATE account_tokens SET used_at = \(bind: now.wholeSeconds)
            WHERE token_hash = \(bind: AuthService.tokenHash(token)) AND purpose = \(bind: purpose.rawValue) \
            AND used_at IS NULL AND expires_at > \(bind: now)
            RETURNING user_id
            """
        ).first()
        return try row?.decode(column: "user_id", as: UUID.self)
    }

    static let invalidLink =
        "Đường liên kết không đúng, đã được dùng hoặc đã hết hạn. Vui lòng yêu cầu gửi lại thư."
}

import Fluent
import Foundation

/// A link sent by e-mail to an account's owner: verify the address, or set a new password. Only
/// its hash is stored; it expires and works once (`used_at`).
final class AccountTokenModel: Model, @unchecked Sendable {
    static let schema = "account_tokens"

    enum Purpose: String {
        case verifyEmail = "verify_email"
        case resetPassword = "reset_password"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $userID, $purpose, $tokenHash, $createdAt, $expiresAt, $usedAt] }

    init() {}

    init(userID: UUID, purpose: Purpose, tokenHash: String, at now: Date, lifetime: TimeInterval) {
        self.id = UUID()
        self.userID = userID
        self.purpose = purpose.rawValue
        self.tokenHash = tokenHash
        self.createdAt = now.wholeSeconds
        self.expiresAt = now.addingTimeInterval(lifetime).wholeSeconds
    }
}

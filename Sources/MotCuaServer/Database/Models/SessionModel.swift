import Fluent
import Foundation
import MotCuaCore

/// A login session: a cookie for pages or a bearer token for the API. Only the SHA-256 of the
/// token is stored; sessions live in the database so that several servers share them.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "user_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $tokenHash, $userID, $kind, $createdAt, $expiresAt] }

    init() {}
    init(tokenHash: String, userID: UUID, kind: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.kind = kind
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

import Fluent

/// The logins begun at the national SSO and not yet come back (issue 25, point 1): the state's hash,
/// the nonce and the PKCE verifier, taken once by the callback (NationalSSOPages).
struct CreateSSOLogins: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NationalSSOPages.table)
            .field("state_hash", .string, .required)
            .field("nonce", .string, .required)
            .field("verifier", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "state_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NationalSSOPages.table).delete()
    }
}

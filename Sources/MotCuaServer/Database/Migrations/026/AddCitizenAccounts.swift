import Fluent
import SQLKit

/// Citizen and organisation accounts of the portal (issue 22, point 2): the e-mail and whether it
/// was verified, the identity number or tax code, the phone, an organisation's members, the
/// choice to receive e-mail, and an external identity (issuer and subject) for the national SSO.
/// `account_tokens` holds the links sent by e-mail (verification, password reset), by their hash.
struct AddCitizenAccounts: AsyncMigration {
    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("email", .string), ("email_verified_at", .datetime), ("id_number", .string), ("phone", .string),
        ("account_kind", .string), ("organisation_id", .uuid), ("identity_issuer", .string),
        ("identity_subject", .string), ("email_opt_out_at", .datetime),
    ]

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds them one at a time.
        for (name, type) in Self.columns { try await database.schema("users").field(.string(name), type).update() }
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_users_email").on("users").column("email").unique().run()
        try await sql.create(index: "idx_users_identity").on("users").column("identity_issuer")
            .column("identity_subject").unique().run()
        try await SecondaryIndex("idx_users_organisation", on: "users", ["organisation_id"]).create(on: sql)
        try await database.schema(AccountTokenModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountTokenModel.schema).delete()
        for (name, _) in Self.columns.reversed() {
            try await database.schema("users").deleteField(.string(name)).update()
        }
    }
}

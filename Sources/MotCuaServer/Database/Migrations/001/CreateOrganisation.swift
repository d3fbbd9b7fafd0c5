import Fluent
import SQLKit

/// The first schema. Released migrations are never edited; later changes get new migrations.
struct CreateOrganisation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("agencies")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references("agencies", "id"))
            .field("effective_from", .string, .required)
            .field("effective_to", .string)
            .field("successor_id", .uuid, .references("agencies", "id"))
            .unique(on: "code")
            .create()
        try await database.schema("departments")
            .id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("name", .string, .required)
            .create()
        try await database.schema("fields")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema("procedures")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field_id", .uuid, .required, .references("fields", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("department_id", .uuid, .required, .references("departments", "id"))
            .field("terms", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("full_name", .string, .required)
            .field("roles", .string, .required)
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("department_id", .uuid, .references("departments", "id"))
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema("user_sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_departments_agency").on("departments").column("agency_id").run()
        try await sql.create(index: "idx_procedures_agency").on("procedures").column("agency_id").run()
        try await sql.create(index: "idx_users_department").on("users").column("agency_id").column("department_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        for table in ["user_sessions", "users", "procedures", "fields", "departments", "agencies"] {
            try await database.schema(table).delete()
        }
    }
}

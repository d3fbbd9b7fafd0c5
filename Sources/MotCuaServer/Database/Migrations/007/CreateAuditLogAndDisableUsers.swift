import Fluent
import SQLKit

/// Administration: an append-only audit log of every change an administrator makes (who, when,
/// what, old and new values), and accounts that can be disabled without being deleted (their
/// dossiers and log lines keep naming them).
struct CreateAuditLogAndDisableUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("disabled_at", .datetime).update()
        try await database.schema("audit_log")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("summary", .string, .required)
            .field("changes", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "idx_audit_log_at").on("audit_log").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
        try await database.schema("users").deleteField("disabled_at").update()
    }
}

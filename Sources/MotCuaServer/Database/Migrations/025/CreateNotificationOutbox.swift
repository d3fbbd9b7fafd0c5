import Fluent
import SQLKit

/// The e-mails to send (issue 22, point 8): a row is written in the same transaction as the change it
/// tells of, so a change is never made without its notice nor a notice sent for a change rolled
/// back. `NotificationWorker` claims due rows, sends them and marks them sent, retried or dead.
struct CreateNotificationOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMailModel.schema)
            .id()
            .field("event", .string, .required)
            .field("dossier_id", .uuid, .references("dossiers", "id"))
            .field("user_id", .uuid, .references("users", "id"))
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .create()
        // The worker reads the rows due, oldest first; sent ones leave the index.
        try await SecondaryIndex(
            "idx_notification_outbox_due", on: OutboxMailModel.schema, ["next_attempt_at"],
            where: "status = 'pending'"
        ).create(on: database as! any SQLDatabase)
        try await SecondaryIndex("idx_notification_outbox_dossier", on: OutboxMailModel.schema, ["dossier_id"])
            .create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMailModel.schema).delete()
    }
}

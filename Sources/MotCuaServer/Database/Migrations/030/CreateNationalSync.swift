import Fluent
import SQLKit

/// The national portal (issue 25, point 2). `national_sync_outbox`: the messages to push, written in
/// the transaction of the change they carry and sent in order per dossier by NationalSyncWorker;
/// each keeps its payload and the portal's answer. `national_dossiers`: the dossiers the portal sent
/// us, by its code (unique: the same dossier arriving twice is one dossier).
struct CreateNationalSync: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NationalSync.table)
            .id()
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("seq", .int, .required)
            .field("service", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            // When the message should have been acknowledged to count as synced on time.
            .field("due_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("answer", .string)
            .field("last_error", .string)
            .unique(on: "dossier_id", "seq")
            .create()
        let sql = database as! any SQLDatabase
        try await SecondaryIndex(
            "idx_national_sync_due", on: NationalSync.table, ["next_attempt_at"], where: "status = 'pending'"
        ).create(on: sql)
        try await SecondaryIndex(
            "idx_national_sync_failing", on: NationalSync.table, ["created_at"],
            where: "status = 'pending' AND last_error IS NOT NULL"
        ).create(on: sql)
        try await database.schema(NationalInbox.table)
            .field("national_code", .string, .required)
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("received_at", .datetime, .required)
            .field("payload_sha256", .string, .required)
            .unique(on: "national_code")
            .unique(on: "dossier_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NationalInbox.table).delete()
        try await database.schema(NationalSync.table).delete()
    }
}

import Fluent
import SQLKit

/// The log chain's anchor on the dossier row (its last sequence number and hash, written in the
/// same transaction as each entry), so that a removed last entry is detected; and the counters
/// of failed attempts (logins, public lookups) shared by every server instance.
struct AnchorLogAndThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("dossiers").field("log_seq", .int).update()
        try await database.schema("dossiers").field("log_hash", .string).update()
        let sql = database as! any SQLDatabase
        // Dossiers written before the anchor existed take their chain's current end.
        try await sql.raw(
            """
            UPDATE dossiers SET
              log_seq = (SELECT max(seq) FROM log_entries e WHERE e.dossier_id = dossiers.id),
              log_hash = (SELECT hash FROM log_entries e WHERE e.dossier_id = dossiers.id ORDER BY seq DESC LIMIT 1)
            """
        ).run()
        try await database.schema("throttles")
            .field("throttle_key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_start", .int64, .required)
            .field("locked_until", .int64)
            .create()
        try await sql.create(index: "idx_throttles_window").on("throttles").column("window_start").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("throttles").delete()
        try await database.schema("dossiers").deleteField("log_hash").update()
        try await database.schema("dossiers").deleteField("log_seq").update()
    }
}

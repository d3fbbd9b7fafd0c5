import Fluent
import MotCuaCore
import SQLKit

/// The list reports (manual 3.5.3 to 3.5.11) counted from the tallies like the summary: a column
/// per list (`Tally.list...`); every dossier is counted again after the migrations.
struct CountListReports: AsyncMigration {
    /// The columns it adds, as released (frozen: a later change to `Tally` must not change them).
    static let added = [
        "list_returned", "list_completed", "list_refused", "list_withdrawn", "list_processing",
        "list_awaiting_supplement", "list_awaiting_reception", "list_awaiting_hand_over", "list_awaiting_payment",
    ]

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            for column in Self.added {
                // One column per statement: SQLite adds a single column per ALTER TABLE.
                try await tx.schema(CountReports.table)
                    .field(FieldKey(stringLiteral: column), .int, .required, .sql(.default(0))).update()
            }
            // The old counts go; the dossiers are counted again by today's code once every migration
            // has run (`Launch.migrate` recounts an empty table of a database that has dossiers), so
            // this released migration never runs code that a later tally could change.
            try await (tx as! any SQLDatabase).raw("DELETE FROM \(unsafeRaw: CountReports.table)").run()
        }
    }

    func revert(on database: any Database) async throws {
        for column in Self.added {
            try await database.schema(CountReports.table).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

import Fluent
import MotCuaCore
import SQLKit

/// The list reports (manual 3.5.3 to 3.5.11) counted from the tallies like the summary: a column
/// per list (`Tally.list...`), and every dossier counted again, in one transaction.
struct CountListReports: AsyncMigration {
    static let added = Tally.allCases.filter { !Tally.original.contains($0) }

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            for tally in Self.added {
                // One column per statement: SQLite adds a single column per ALTER TABLE.
                try await tx.schema(ReportTallyStore.table)
                    .field(FieldKey(stringLiteral: tally.column), .int, .required, .sql(.default(0))).update()
            }
            try await ReportTallyStore.rebuild(on: tx)
        }
    }

    func revert(on database: any Database) async throws {
        for tally in Self.added {
            try await database.schema(ReportTallyStore.table).deleteField(FieldKey(stringLiteral: tally.column)).update()
        }
    }
}

import Fluent
import SQLKit

/// Indexes for the list's sort orders: without them the first page of a million dossiers sorted by
/// receipt (the default) or by due date sorts the whole table (about a second on SQLite).
struct IndexListSorts: AsyncMigration {
    static let indexes: [(String, [String])] = [
        ("idx_dossiers_received_at", ["received_at", "code"]),
        ("idx_dossiers_due_at", ["due_at", "code"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, columns) in Self.indexes {
            let builder = sql.create(index: name).on(DossierModel.schema)
            for column in columns { builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, _) in Self.indexes { try await sql.drop(index: name).run() }
    }
}

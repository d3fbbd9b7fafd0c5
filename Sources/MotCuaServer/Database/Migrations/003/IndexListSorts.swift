import Fluent
import SQLKit

/// Indexes for the list's sort orders: without them the first page of a million dossiers sorted by
/// receipt (the default) or by due date sorts the whole table (about a second on SQLite).
struct IndexListSorts: AsyncMigration {
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_received_at", on: "dossiers", ["received_at", "code"]),
        .init("idx_dossiers_due_at", on: "dossiers", ["due_at", "code"]),
    ]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    func revert(on database: any Database) async throws {
        for index in Self.indexes { try await index.drop(on: database as! any SQLDatabase) }
    }
}

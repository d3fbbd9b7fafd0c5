import Fluent
import SQLKit

/// PostgreSQL: the names' index of every word prefix (NameSearchIndex) in place of migration 014's
/// first three letters, so that a word typed is answered by the index alone: one common word over a
/// whole province ("Hiếu", "nguyen") was counted by checking the name on 10,000 rows (200-500 ms at
/// a million dossiers). SQLite keeps its FTS5 table.
struct IndexNamePrefixes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await NameSearchIndex.create(on: sql)
        try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_name_tokens").run()
        try await sql.raw("DROP FUNCTION IF EXISTS motcua_name_tokens(text)").run()
        try await sql.raw("ANALYZE dossiers").run()
    }

    func revert(on database: any Database) async throws {
        // Migration 014's revert puts back the index before it; the prefixes serve the same queries.
    }
}

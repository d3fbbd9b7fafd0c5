import Fluent
import SQLKit

/// PostgreSQL: an index for "the code starts with" (`LIKE 'prefix%'`). The code's unique index
/// serves a prefix only under the C collation; a database created with another (en_US.UTF-8,
/// C.UTF-8) walked the receipt index instead, 270-310 ms over a province. `text_pattern_ops`
/// compares byte by byte whatever the collation. SQLite's GLOB already uses the unique index.
struct IndexCodePrefix: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS idx_dossiers_code_pattern ON dossiers (code text_pattern_ops)")
            .run()
        try await sql.raw("ANALYZE dossiers").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_code_pattern").run()
    }
}

import Fluent
import SQLKit

/// PostgreSQL: the names' token index (NameSearchIndex) in place of migration 006's `tsvector`
/// index, whose prefix queries cost 50-300 ms for a common name at a million dossiers. SQLite keeps
/// its FTS5 table.
struct IndexNameTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await NameSearchIndex.create(on: sql)
        try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_applicant_text").run()
        try await sql.raw("ANALYZE dossiers").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            """
            CREATE INDEX IF NOT EXISTS idx_dossiers_applicant_text ON dossiers USING gin (to_tsvector('simple', \
            applicant_search))
            """
        ).run()
        try await NameSearchIndex.drop(on: sql)
        try await sql.raw("DROP FUNCTION IF EXISTS motcua_name_tokens(text)").run()
    }
}

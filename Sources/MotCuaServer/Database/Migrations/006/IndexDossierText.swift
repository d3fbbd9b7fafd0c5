import Fluent
import SQLKit

/// A real full-text index over the applicant's name (lower case, without diacritics, written by
/// intake as `applicant_search`), so that "nguyen van a" finds "Nguyễn Văn Ánh" by word prefixes
/// without scanning the table; and an index on the identity number, a filter of "Tra cứu hồ sơ".
///
/// SQLite: an FTS5 table kept by triggers. It holds the dossier's id rather than sharing the
/// dossiers' rowid, which VACUUM may renumber (the table has no INTEGER PRIMARY KEY).
/// PostgreSQL: a GIN index over `to_tsvector('simple', applicant_search)`; the text is already
/// without diacritics, so `unaccent` is not needed and both databases find the same dossiers.
struct IndexDossierText: AsyncMigration {
    /// The filters of "Tra cứu hồ sơ" that migration 001 left without an index, and the filters most
    /// used with a sort (a status, the department's own list) indexed together with the sort's
    /// column, so that the first page is read in order instead of sorting every match.
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_id_number", on: "dossiers", ["applicant_id_number"]),
        .init("idx_dossiers_procedure_code", on: "dossiers", ["procedure_code"]),
        .init("idx_dossiers_status_received", on: "dossiers", ["status", "received_at", "code"]),
        .init("idx_dossiers_status_due", on: "dossiers", ["status", "due_at", "code"]),
        .init("idx_dossiers_department_received", on: "dossiers", ["department_id", "received_at", "code"]),
        .init("idx_dossiers_department_due", on: "dossiers", ["department_id", "due_at", "code"]),
        .init("idx_dossiers_department_status_due", on: "dossiers", ["department_id", "status", "due_at", "code"]),
        .init("idx_dossiers_agency_received", on: "dossiers", ["agency_id", "received_at", "code"]),
        .init("idx_dossiers_agency_due", on: "dossiers", ["agency_id", "due_at", "code"]),
        .init("idx_dossiers_agency_status_due", on: "dossiers", ["agency_id", "status", "due_at", "code"]),
        // Running dossiers by due date: "Quá hạn" and "Đến hạn hôm nay" in due order read only these
        // (a few percent of a province), not every finished dossier of a due-date index.
        .init(
            "idx_dossiers_running_due", on: "dossiers", ["due_at", "code"],
            where: "status IN ('received', 'processing')"),
    ]

    /// Indexes of migration 001 that these replace: receipt is filtered by its instant now, and a
    /// scope's status filters are served with the due date.
    static let replaced = [
        "idx_dossiers_applicant", "idx_dossiers_agency_date", "idx_dossiers_department", "idx_dossiers_received_date",
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // The B-tree over the name served only `LIKE 'x%'`; the search no longer asks that.
        for name in Self.replaced { try await sql.drop(index: name).ifExists().run() }
        for index in Self.indexes { try await index.create(on: sql) }
        try await Self.create(on: sql)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await Self.drop(on: sql)
        for index in Self.indexes { try await index.drop(on: sql) }
    }

    /// Creates the index and fills it from the dossiers already there.
    static func create(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                """
                CREATE VIRTUAL TABLE IF NOT EXISTS dossier_text USING fts5(
                  applicant_search, dossier_id UNINDEXED, tokenize = 'unicode61', prefix = '1 2 3')
                """
            ).run()
            try await createTriggers(on: sql)
            try await sql.raw("DELETE FROM dossier_text").run()
            try await sql.raw(
                "INSERT INTO dossier_text (applicant_search, dossier_id) SELECT applicant_search, id FROM dossiers"
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE INDEX IF NOT EXISTS idx_dossiers_applicant_text ON dossiers
                USING gin (to_tsvector('simple', applicant_search))
                """
            ).run()
        }
    }

    /// SQLite: creates the FTS table if it is missing (a bulk load drops it and rebuilds it at the end,
    /// and a load cut short leaves it to the next start). PostgreSQL's index is NameSearchIndex's.
    static func ensure(on sql: any SQLDatabase) async throws {
        let rows = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'dossier_text_insert'"
        ).all()
        if rows.isEmpty { try await create(on: sql) }
    }

    static func drop(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await dropTriggers(on: sql)
            try await sql.raw("DROP TABLE IF EXISTS dossier_text").run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_applicant_text").run()
        }
    }

    /// SQLite: every insert, change of name and deletion of a dossier reaches the text table in the
    /// same transaction. (Dossiers are never deleted and names never change after intake; the two
    /// rare triggers look the row up by id, which the text table does not index.)
    static func createTriggers(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            CREATE TRIGGER IF NOT EXISTS dossier_text_insert AFTER INSERT ON dossiers BEGIN
              INSERT INTO dossier_text (applicant_search, dossier_id) VALUES (new.applicant_search, new.id);
            END
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER IF NOT EXISTS dossier_text_update AFTER UPDATE OF applicant_search ON dossiers
            WHEN new.applicant_search IS NOT old.applicant_search BEGIN
              UPDATE dossier_text SET applicant_search = new.applicant_search WHERE dossier_id = old.id;
            END
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER IF NOT EXISTS dossier_text_delete AFTER DELETE ON dossiers BEGIN
              DELETE FROM dossier_text WHERE dossier_id = old.id;
            END
            """
        ).run()
    }

    static func dropTriggers(on sql: any SQLDatabase) async throws {
        for name in ["dossier_text_insert", "dossier_text_update", "dossier_text_delete"] {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name)").run()
        }
    }

    /// The words of a search: letters and digits only (no FTS or tsquery syntax gets through), lower
    /// case without diacritics, at most eight.
    static func words(_ text: String) -> [String] {
        SearchText.normalise(text).split { !($0.isLetter || $0.isNumber) }.prefix(8).map(String.init)
    }

    /// SQLite: the condition "the applicant's name has every word as a word prefix", through the FTS
    /// table. The words are bound, never spliced into the SQL. (PostgreSQL: NameSearchIndex.)
    static func ftsMatching(_ words: [String]) -> SQLQueryString {
        """
        \(ident: "dossiers").\(ident: "id") IN (SELECT dossier_id FROM dossier_text WHERE dossier_text MATCH \
        \(bind: ftsMatch(words)))
        """
    }

    /// The same condition checked on each row instead (`' ' || name LIKE '% word%'` for every word):
    /// cheaper when the other filters leave fewer rows than the words match.
    static func checkedPerRow(_ words: [String]) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        for w in words {
            condition =
                """
                \(condition) AND (' ' || \(ident: "dossiers").\(ident: "applicant_search")) LIKE \
                \(bind: "% " + w + "%")
                """
        }
        return condition
    }

    /// SQLite: how many dossiers the words match by the index, counted up to `limit` + 1.
    static func indexCount(_ words: [String], limit: Int, on sql: any SQLDatabase) async throws -> Int {
        try await sql.count(
            """
            SELECT count(*) AS n FROM (SELECT 1 FROM dossier_text WHERE dossier_text MATCH \
            \(bind: ftsMatch(words)) LIMIT \(bind: limit + 1))
            """
        )
    }

    /// FTS5's query for "every word as a prefix": each word quoted, then starred.
    static func ftsMatch(_ words: [String]) -> String { words.map { "\"\($0)\"*" }.joined(separator: " ") }
}

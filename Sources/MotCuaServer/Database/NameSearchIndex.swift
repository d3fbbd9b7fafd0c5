import Fluent
import SQLKit

/// The full-text index of applicants' names in force, and the condition that uses it: every word
/// typed is the beginning of a word of the name (DossierQuery).
///
/// SQLite: the FTS5 table of migration 006, which indexes prefixes of one to three letters.
/// PostgreSQL (migrations 014 and 023): a GIN index over the name's *prefixes*: every beginning of
/// each word, marked `_` when the word goes on (`nguyen` gives `n_ ng_ ngu_ nguy_ nguye_ nguyen`,
/// `le` gives `l_ le`). Every word typed is then exactly two tokens (`hieu` is `hieu_ | hieu`), read
/// as stored posting lists, so the index alone answers, with no name to check on the rows: a count
/// over the province reads no row at all once the table is vacuumed (a bitmap scan skips the pages
/// the visibility map marks all-visible). The `tsvector` prefix queries used before (`nguyen:*`)
/// first merged the lists of every word so beginning (50-300 ms for a common name at a million
/// dossiers); the first three letters alone (migration 014) left the whole word to check on each
/// row, so counting "Hiếu" over a province read 10,000 rows (300 ms).
enum NameSearchIndex {
    static let function = "motcua_name_prefixes"
    static let index = "idx_dossiers_name_prefixes"

    static let tokensFunction = """
        CREATE OR REPLACE FUNCTION motcua_name_prefixes(text) RETURNS tsvector IMMUTABLE PARALLEL SAFE LANGUAGE sql \
        AS $$
          SELECT array_to_tsvector(coalesce(array_agg(DISTINCT t), '{}')) FROM (
            SELECT CASE WHEN length(w) = n THEN w ELSE left(w, n) || '_' END AS t
            FROM unnest(string_to_array($1, ' ')) AS w, generate_series(1, length(w)) AS n WHERE w <> ''
          ) AS tokens
        $$
        """

    static func create(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return try await IndexDossierText.create(on: sql) }
        try await sql.raw(SQLQueryString(tokensFunction)).run()
        try await sql.raw(
            """
            CREATE INDEX IF NOT EXISTS idx_dossiers_name_prefixes ON dossiers USING gin \
            (motcua_name_prefixes(applicant_search))
            """
        ).run()
    }

    /// Creates the index if it is missing (a bulk load cut short leaves it to the next start).
    static func ensure(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return try await IndexDossierText.ensure(on: sql) }
        try await create(on: sql)
    }

    static func drop(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return try await IndexDossierText.drop(on: sql) }
        try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_name_prefixes").run()
    }

    /// "The applicant's name has every word as a word prefix", through the index. The words are
    /// letters and digits only (IndexDossierText.words), bound, never spliced into the SQL. On
    /// PostgreSQL the tokens say it exactly, with nothing to check on the rows (a `LIKE` beside
    /// them would only spoil the planner's estimate: it multiplies both selectivities).
    static func matching(_ words: [String], dialect: String) -> SQLQueryString {
        guard dialect == "postgresql" else { return IndexDossierText.ftsMatching(words) }
        return tokensCondition(words)
    }

    /// PostgreSQL: the condition on the token index alone.
    static func tokensCondition(_ words: [String]) -> SQLQueryString {
        let tokens = words.map { "('\($0)_' | '\($0)')" }.joined(separator: " & ")
        let name: SQLQueryString = "\(ident: "dossiers").\(ident: "applicant_search")"
        return "motcua_name_prefixes(\(name)) @@ CAST(\(bind: tokens) AS tsquery)"
    }

    /// How many dossiers of the province have these name words, up to `limit + 1`, read from the
    /// full-text index alone (FTS5's own table, or the token index's posting lists).
    static func indexCount(_ words: [String], limit: Int, on sql: any SQLDatabase) async throws -> Int {
        guard sql.dialect.name == "postgresql" else {
            return try await IndexDossierText.indexCount(words, limit: limit, on: sql)
        }
        return try await sql.count(
            """
            SELECT count(*) AS n FROM (SELECT 1 FROM dossiers WHERE \(tokensCondition(words)) LIMIT \
            \(bind: limit + 1)) AS matching
            """
        )
    }

    /// The tokens of a name as the index stores them, for tests: `nguyen van` gives
    /// `n_ ng_ ngu_ nguy_ nguye_ nguyen v_ va_ van`.
    static func tokens(_ name: String) -> Set<String> {
        var tokens = Set<String>()
        for w in name.split(separator: " ") {
            for n in 1...w.count { tokens.insert(w.count == n ? String(w) : w.prefix(n) + "_") }
        }
        return tokens
    }
}

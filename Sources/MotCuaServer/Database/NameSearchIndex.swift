import Fluent
import SQLKit

/// The full-text index of applicants' names in force, and the condition that uses it: every word
/// typed is the beginning of a word of the name (DossierQuery).
///
/// SQLite: the FTS5 table of migration 006, which indexes prefixes of one to three letters.
/// PostgreSQL (migration 014): a GIN index over the name's *tokens*: each word's first one, two and
/// three letters, marked `_` when the word goes on (`nguyen` gives `n_ ng_ ngu_`, `le` gives `l_ le`).
/// Every word typed is then one or two exact tokens: `h` is `h_ | h`, `thi` is `thi_ | thi`, and a
/// longer word its first three letters (`ngu_`) with the whole word checked on the rows the tokens
/// leave. Exact tokens are read as stored posting lists, where the prefix queries of a `tsvector`
/// index (`nguyen:*`) first merged the lists of every word so beginning into a bitmap: 50-300 ms for a
/// common name at a million dossiers, against 10-30 ms.
enum NameSearchIndex {
    static let tokensFunction = """
        CREATE OR REPLACE FUNCTION motcua_name_tokens(text) RETURNS tsvector IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
          SELECT array_to_tsvector(coalesce(array_agg(DISTINCT t), '{}')) FROM (
            SELECT CASE WHEN length(w) <= n THEN w ELSE left(w, n) || '_' END AS t
            FROM unnest(string_to_array($1, ' ')) AS w, generate_series(1, 3) AS n WHERE w <> '' AND length(w) >= n
          ) AS tokens
        $$
        """

    static func create(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return try await IndexDossierText.create(on: sql) }
        try await sql.raw(SQLQueryString(tokensFunction)).run()
        try await sql.raw(
            """
            CREATE INDEX IF NOT EXISTS idx_dossiers_name_tokens ON dossiers USING gin \
            (motcua_name_tokens(applicant_search))
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
        try await sql.raw("DROP INDEX IF EXISTS idx_dossiers_name_tokens").run()
    }

    /// "The applicant's name has every word as a word prefix", through the index. The words are
    /// letters and digits only (IndexDossierText.words), bound, never spliced into the SQL.
    static func matching(_ words: [String], dialect: String) -> SQLQueryString {
        guard dialect == "postgresql" else { return IndexDossierText.ftsMatching(words) }
        let tokens = words.map { w in w.count <= 3 ? "('\(w)_' | '\(w)')" : "'\(w.prefix(3))_'" }.joined(
            separator: " & ")
        var condition: SQLQueryString =
            "motcua_name_tokens(\(ident: "dossiers").\(ident: "applicant_search")) @@ CAST(\(bind: tokens) AS tsquery)"
        for w in words where w.count > 3 {
            condition =
                """
                \(condition) AND (' ' || \(ident: "dossiers").\(ident: "applicant_search")) LIKE \
                \(bind: "% " + w + "%")
                """
        }
        return condition
    }

    /// The tokens of a name as the index stores them, for tests: `nguyen van` gives
    /// `n_ ng_ ngu_ v_ va_ van`.
    static func tokens(_ name: String) -> Set<String> {
        var tokens = Set<String>()
        for w in name.split(separator: " ") {
            for n in 1...3 where w.count >= n { tokens.insert(w.count <= n ? String(w) : w.prefix(n) + "_") }
        }
        return tokens
    }
}

import SQLKit

extension SQLDatabase {
    /// The number a `SELECT count(*) AS n ...` query answers (0 for no row).
    func count(_ query: SQLQueryString) async throws -> Int {
        try await raw(query).first(decoding: CountRow.self)?.n ?? 0
    }
}

private struct CountRow: Decodable { let n: Int }

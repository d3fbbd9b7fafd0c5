import Fluent
import FluentSQL
import SQLKit

extension Model {
    /// The rows of this model's table that `condition` picks (`WHERE ...`, `ORDER BY ...`, `LIMIT ...`),
    /// as models that exist (an update writes what changed). For the reads every request makes:
    /// Fluent's query builder names, aliases and escapes every column anew for each query (with a
    /// dossier's 49 columns, a sixth of a transition's CPU on PostgreSQL), where this text is plain;
    /// on PostgreSQL it is prepared once per connection (PreparedPostgres).
    static func rows(_ condition: SQLQueryString, on db: any Database) async throws -> [Self] {
        try await PreparedPostgres.all(
            "SELECT * FROM \(ident: schema) \(condition)" as SQLQueryString, on: db as! any SQLDatabase
        )
        .map { try $0.decode(fluentModel: Self.self) }
    }
}

extension SQLRow {
    /// A column that may be NULL. SQLKit decodes a `T?` through the whole generic Decoder (on SQLite
    /// about a microsecond a column); the NULL test and then a plain `T` take the driver's direct
    /// conversion.
    func optional<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}

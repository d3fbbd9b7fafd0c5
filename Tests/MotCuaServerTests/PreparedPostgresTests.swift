import Fluent
import Foundation
import SQLKit
import Testing

@testable import MotCuaServer

/// Statements prepared once per PostgreSQL connection (PreparedPostgres); the actions' tests run
/// through them on PostgreSQL as well.
@Suite struct PreparedPostgresTests {
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func aReadIsPreparedOnceOnAConnectionAndEachKindOfValueRoundTrips() async throws {
        try await TestApp.with(.postgres, dossiers: 3) { t in
            let codes = try await DossierModel.query(on: t.app.db).all().map(\.code)
            let (found, prepared) = try await t.app.db.withConnection { db in
                var found: [String] = []
                for code in codes + codes {
                    found += try await DossierModel.rows("WHERE code = \(bind: code) LIMIT 1", on: db).map(\.code)
                }
                let prepared = try await (db as! any SQLDatabase).raw("SELECT name, statement FROM pg_prepared_statements")
                    .all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "statement", as: String.self)) }
                return (found, prepared)
            }
            #expect(found == codes + codes)
            let byCode = prepared.filter { $0.1.contains("\"dossiers\" WHERE code = $1") }
            #expect(byCode.count == 1 && byCode.first?.0.hasPrefix("motcua_") == true, "\(prepared)")

            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE prepared_kinds (id uuid PRIMARY KEY, t text, i bigint, d timestamptz, b boolean, y bytea)").run()
            struct Kinds: Decodable, Equatable { let id: UUID; let t: String?; let i: Int?; let d: Date?; let b: Bool?; let y: Data? }
            let id = UUID(), at = Date(timeIntervalSince1970: 1_790_000_000.25)
            let bytes = Data([0, 1, 2, 255])
            // A NULL and a value in the same place are prepared apart (the types of the binds are prepared).
            for (text, number) in [(String?.none, Int?.none), ("Nguyễn Văn Ánh", 42), (nil, nil), ("Lê Thị B", 7)] {
                _ = try await PreparedPostgres.all(
                    """
                    INSERT INTO prepared_kinds (id, t, i, d, b, y) VALUES (\(bind: id), \(bind: text), \(bind: number), \
                    \(bind: at), \(bind: true), \(bind: bytes)) ON CONFLICT (id) DO UPDATE SET t = excluded.t, i = excluded.i
                    """ as SQLQueryString, on: sql)
                let rows = try await PreparedPostgres.all("SELECT * FROM prepared_kinds WHERE id = \(bind: id)" as SQLQueryString, on: sql)
                #expect(try rows.map { try $0.decode(model: Kinds.self) } == [Kinds(id: id, t: text, i: number, d: at, b: true, y: bytes)])
            }
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func aSelectOfEveryColumnStillAnswersAfterAMigrationAddsOne() async throws {
        try await TestApp.with(.postgres) { t in
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE prepared_columns (id bigint PRIMARY KEY, name text)").run()
            try await sql.raw("INSERT INTO prepared_columns VALUES (1, 'Sở Tư pháp')").run()
            // Another instance's migration adds a column: PostgreSQL will not run the prepared `SELECT *`
            // again ("cached plan must not change result type"); it runs unnamed, and so from then on.
            let names = try await t.app.db.withConnection { db in
                let sql = db as! any SQLDatabase
                let select: SQLQueryString = "SELECT * FROM prepared_columns WHERE id = \(bind: 1)"
                var names = try await PreparedPostgres.all(select, on: sql).map { try $0.decode(column: "name", as: String.self) }
                try await sql.raw("ALTER TABLE prepared_columns ADD COLUMN code text").run()
                names += try await PreparedPostgres.all(select, on: sql).map { try $0.decode(column: "name", as: String.self) }
                names += try await PreparedPostgres.all(select, on: sql).map { try $0.decode(column: "name", as: String.self) }
                return names
            }
            #expect(names == ["Sở Tư pháp", "Sở Tư pháp", "Sở Tư pháp"])
        }
    }
}

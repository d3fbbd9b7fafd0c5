import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit

/// Statements PostgreSQL keeps parsed and planned on each connection (issue 23, point 9).
///
/// PostgresKit sends every statement unnamed, so PostgreSQL parses, analyses and plans it again on
/// each execution; for the dossiers' statements (49 columns, 33 indexes) that cost more than running
/// them: one action's statements through `pgbench`, unnamed 780 per second, prepared 1,150. Here the
/// statements every request makes (the reads of `Model.rows`, an action's UPDATE, the INSERT of a few
/// rows, the tallies' upsert, the day's code counter, the public lookup) are prepared once per
/// connection and then only executed.
///
/// PostgresNIO prepares a statement on a connection the first time it runs there, under the `name`
/// and `sql` of its type, which are static: each text gets a type of its own, `NextSlot<...<FirstSlot>>`,
/// the n-th for the n-th text this process has seen, up to `capacity`. The types of the binds are part
/// of what is prepared, so they are part of the key (a NULL is its own kind). Beyond the capacity, with
/// a bind it cannot encode here (JSON, enums), or for a text that PostgreSQL refused to run prepared,
/// a statement runs unnamed as before. Meant for statements on a key (a row by id or code, a dossier's
/// rows): after a few executions PostgreSQL may keep one generic plan, which for a search whose best
/// plan depends on the values (a list's filters) could be a poor one.
enum PreparedPostgres {
    static let capacity = 200
    /// The most rows an INSERT of rows (or of tallies) is prepared for: one text per count of rows.
    static let rowsPerStatement = 12

    typealias Runner = @Sendable (PostgresConnection, PostgresBindings) async throws -> [PostgresRow]

    private struct Registry {
        var texts: [String] = []
        var runners: [String: Runner] = [:]
        /// Texts PostgreSQL would not run prepared any more (a migration changed the columns of a
        /// `SELECT *`: "cached plan must not change result type"); they run unnamed from then on.
        var refused: Set<String> = []
    }
    private static let registry = NIOLockedValueBox(Registry())

    /// The rows of `query`: prepared on PostgreSQL where it can be, otherwise as SQLKit runs it.
    static func all(_ query: any SQLExpression, on db: any SQLDatabase) async throws -> [any SQLRow] {
        guard db.dialect.name == "postgresql", let postgres = db as? any PostgresDatabase else {
            return try await unnamed(query, on: db)
        }
        var serializer = SQLSerializer(database: db)
        query.serialize(to: &serializer)
        guard let (bindings, kinds) = encode(serializer.binds) else { return try await unnamed(query, on: db) }
        let key = kinds + " " + serializer.sql
        guard let runner = runner(key: key, sql: serializer.sql) else { return try await unnamed(query, on: db) }
        do {
            let rows = try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask { try await runner(connection, bindings) }
            }.get()
            return rows.map { $0.sql() }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "0A000" {
            // Run again unnamed, and so from now on. Inside a transaction this fails too (the
            // transaction has failed): the request is refused once.
            registry.withLockedValue { _ = $0.refused.insert(key) }
            return try await unnamed(query, on: db)
        }
    }

    private static func unnamed(_ query: any SQLExpression, on db: any SQLDatabase) async throws -> [any SQLRow] {
        let rows = NIOLockedValueBox<[any SQLRow]>([])
        try await db.execute(sql: query) { row in rows.withLockedValue { $0.append(row) } }
        return rows.withLockedValue { $0 }
    }

    /// The binds as PostgreSQL's bindings, and a letter per bind for its kind; nil if one is of a
    /// kind not handled here.
    static func encode(_ binds: [any Encodable]) -> (PostgresBindings, String)? {
        var bindings = PostgresBindings(capacity: binds.count)
        var kinds = ""
        for bind in binds {
            switch bind {
            case let v as String: bindings.append(v); kinds += "t"
            case let v as Int: bindings.append(v); kinds += "i"
            case let v as UUID: bindings.append(v); kinds += "u"
            case let v as Date: bindings.append(v); kinds += "d"
            case let v as Bool: bindings.append(v); kinds += "b"
            case let v as Data: bindings.append(ByteBuffer(bytes: v)); kinds += "y"
            case let v as any OptionalBind where v.isNone: bindings.appendNull(); kinds += "n"
            default: return nil
            }
        }
        return (bindings, kinds)
    }

    private static func runner(key: String, sql: String) -> Runner? {
        registry.withLockedValue { r in
            if let found = r.runners[key] { return r.refused.contains(key) ? nil : found }
            guard r.texts.count < capacity else { return nil }
            let runner = makeRunner(slotsToGo: r.texts.count, FirstSlot.self)
            r.texts.append(sql)
            r.runners[key] = runner
            return runner
        }
    }

    /// The runner of the slot `slotsToGo` after `S`: built once per text, by a generic call per slot.
    private static func makeRunner<S: PreparedSlot>(slotsToGo: Int, _: S.Type) -> Runner {
        guard slotsToGo == 0 else { return makeRunner(slotsToGo: slotsToGo - 1, NextSlot<S>.self) }
        return { connection, bindings in
            var rows: [PostgresRow] = []
            let statement = SlotStatement<S>(bindings: bindings)
            for try await row in try await connection.execute(statement, logger: connection.logger) { rows.append(row) }
            return rows
        }
    }

    fileprivate static func text(ofSlot number: Int) -> String { registry.withLockedValue { $0.texts[number] } }
}

protocol PreparedSlot { static var number: Int { get } }
enum FirstSlot: PreparedSlot { static var number: Int { 0 } }
enum NextSlot<Previous: PreparedSlot>: PreparedSlot { static var number: Int { Previous.number + 1 } }

/// The statement of one slot: its text is the slot's in the registry.
struct SlotStatement<Slot: PreparedSlot>: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { "motcua_\(Slot.number)" }
    static var sql: String { PreparedPostgres.text(ofSlot: Slot.number) }
    let bindings: PostgresBindings
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// A bind that may be an absent value: SQLKit binds an optional column's nil as `Optional.none`.
protocol OptionalBind { var isNone: Bool { get } }
extension Optional: OptionalBind {
    var isNone: Bool { self == nil }
}

import Fluent
import Foundation
import SQLKit
import SQLiteNIO
import Vapor

/// `motcua migrate-to postgres://...`: a SQLite installation copied into an empty PostgreSQL
/// database, table by table, then checked: the same number of rows in every table, every log chain
/// intact, the reports' tallies equal to a recount. The file store and the CA stay where they are
/// (the data folder), shared by both.
///
/// The target's schema is made by this version's migrations; the rows are copied in the order of its
/// foreign keys (a table after those it references), each value converted to the target column's type
/// (SQLite keeps UUIDs as text, instants as seconds since 1970, booleans as 0 and 1). SQLite's own
/// tables (its full-text index, its planner statistics) have no counterpart and are left behind:
/// PostgreSQL's name search reads the dossiers' own columns through its indexes.
public enum MigrateToPostgres {
    public struct TableCount: Sendable {
        public let table: String
        public let rows: Int
    }

    public struct Report: Sendable {
        public var tables: [TableCount] = []
        public var problems: [String] = []
    }

    /// Rows per INSERT statement (PostgreSQL takes at most 65,535 parameters in one).
    static let batchRows = 500

    /// Whether PostgreSQL has no table yet in the target's schema.
    public static func targetIsEmpty(_ target: Application) async throws -> Bool {
        try await (target.db as! any SQLDatabase).count(
            "SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema()") == 0
    }

    /// Copies every table of `source` (SQLite, migrated) into `target` (PostgreSQL, migrated and empty
    /// of rows), calling `progress(table, copied, total)` as it goes, then checks the copy.
    public static func copy(
        from source: Application, to target: Application,
        progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) async throws -> Report {
        let sqlite = source.db as! any SQLiteDatabase
        let postgres = target.db as! any SQLDatabase
        let columns = try await targetColumns(postgres)
        var report = Report()
        for table in try await insertionOrder(postgres, tables: Set(columns.keys)) {
            let exists = try await sqlite.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])
            guard !exists.isEmpty, let targetColumns = columns[table] else { continue }
            let present = Set(
                try await sqlite.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap {
                    $0.column("name")?.string
                })
            let copied = targetColumns.filter { present.contains($0.name) }
            let total =
                try await sqlite.query("SELECT count(*) AS n FROM \"\(table)\"").first?.column("n")?.integer ?? 0
            let list = copied.map { "\"\($0.name)\"" }.joined(separator: ", ")
            var done = 0, lastRowID = Int.min
            progress(table, 0, total)
            while true {
                let rows = try await sqlite.query(
                    "SELECT rowid AS motcua_rowid, \(list) FROM \"\(table)\" WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    [.integer(.init(lastRowID)), .integer(.init(batchRows))])
                guard let last = rows.last?.column("motcua_rowid")?.integer else { break }
                lastRowID = last
                var insert = postgres.insert(into: table).columns(copied.map(\.name))
                for row in rows {
                    insert = insert.values(
                        try copied.map { column in
                            try value(row.column(column.name) ?? .null, as: column.type, at: "\(table).\(column.name)")
                        })
                }
                try await insert.run()
                done += rows.count
                progress(table, done, total)
            }
            report.tables.append(TableCount(table: table, rows: done))
            let counted = try await postgres.count("SELECT count(*) AS n FROM \(ident: table)")
            if counted != total {
                report.problems.append("Bảng \(table): \(total) dòng trong SQLite, \(counted) dòng sau khi chép.")
            }
        }
        try await Launch.updatePlannerStatistics(on: postgres, onlyIfMissing: false)
        let log = try await Launch.verifyLog(target)
        if !log.ok { report.problems += log.lines.filter { $0.hasPrefix("HỎNG") } }
        report.problems += try await Launch.checkReports(target).prefix(20).map { "Thống kê: \($0)" }
        return report
    }

    struct Column {
        let name: String
        /// PostgreSQL's `data_type`: uuid, text, bigint, boolean, timestamp with time zone, ...
        let type: String
    }

    /// The target's tables and their columns (written ones: not generated), except the migrations'
    /// own record, which the target's migrations wrote.
    static func targetColumns(_ sql: any SQLDatabase) async throws -> [String: [Column]] {
        struct Row: Decodable { let table_name: String, column_name: String, data_type: String }
        let rows = try await sql.raw(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns \
            WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND table_name <> '_fluent_migrations' \
            ORDER BY table_name, ordinal_position
            """
        ).all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.table_name).mapValues {
            $0.map { Column(name: $0.column_name, type: $0.data_type) }
        }
    }

    /// The tables ordered so that each comes after the tables its foreign keys reference.
    static func insertionOrder(_ sql: any SQLDatabase, tables: Set<String>) async throws -> [String] {
        struct Edge: Decodable { let child: String, parent: String }
        let edges = try await sql.raw(
            """
            SELECT DISTINCT c.relname AS child, p.relname AS parent FROM pg_constraint k \
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
            WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
            """
        ).all(decoding: Edge.self)
        var parents = Dictionary(uniqueKeysWithValues: tables.map { ($0, Set<String>()) })
        for edge in edges where edge.child != edge.parent && tables.contains(edge.parent) {
            parents[edge.child, default: []].insert(edge.parent)
        }
        var order: [String] = [], placed = Set<String>()
        while placed.count < tables.count {
            let ready = tables.subtracting(placed).filter { parents[$0, default: []].isSubset(of: placed) }.sorted()
            guard !ready.isEmpty else {
                throw BackupError("Khoá ngoại vòng tròn giữa các bảng: \(tables.subtracting(placed).sorted())")
            }
            order += ready
            placed.formUnion(ready)
        }
        return order
    }

    /// A SQLite value as the PostgreSQL column's type expects it.
    static func value(_ data: SQLiteData, as type: String, at place: String) throws -> any SQLExpression {
        func refuse() -> BackupError { BackupError("Giá trị \(data) của \(place) không chuyển được sang \(type).") }
        if case .null = data { return SQLLiteral.null }
        switch type {
        case "uuid":
            switch data {
            case .text(let text): guard let id = UUID(uuidString: text) else { throw refuse() }; return SQLBind(id)
            case .blob(var buffer):
                guard buffer.readableBytes == 16, let bytes = buffer.readBytes(length: 16) else { throw refuse() }
                let b = bytes
                return SQLBind(
                    UUID(
                        uuid: (
                            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                            b[14], b[15]
                        )))
            default: throw refuse()
            }
        case "timestamp with time zone", "timestamp without time zone":
            switch data {
            case .float(let seconds): return SQLBind(Date(timeIntervalSince1970: seconds))
            case .integer(let seconds): return SQLBind(Date(timeIntervalSince1970: TimeInterval(seconds)))
            case .text(let text):
                guard let date = try? Date(text, strategy: .iso8601) else { throw refuse() }
                return SQLBind(date)
            default: throw refuse()
            }
        case "boolean":
            guard let n = data.integer else { throw refuse() }
            return SQLBind(n != 0)
        case "bigint", "integer", "smallint":
            switch data {
            case .integer(let n): return SQLBind(n)
            case .float(let x) where x == x.rounded(): return SQLBind(Int(x))
            default: throw refuse()
            }
        case "double precision", "real", "numeric":
            guard let x = data.double else { throw refuse() }
            return SQLBind(x)
        case "bytea":
            guard case .blob(let buffer) = data else { throw refuse() }
            return SQLBind(Data(buffer.readableBytesView))
        default:  // text, character varying, json
            switch data {
            case .text(let text): return SQLBind(text)
            case .integer(let n): return SQLBind(String(n))
            case .float(let x): return SQLBind(String(x))
            default: throw refuse()
            }
        }
    }
}

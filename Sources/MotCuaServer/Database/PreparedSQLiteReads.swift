import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import SQLiteKit
// The C library sqlite-nio builds and links (its functions prefixed `sqlite_nio_`): the same SQLite
// as the pool's, which matters: two copies of SQLite in one process would not see each other's
// POSIX locks on the file.
import VaporCSQLite

/// Reads on SQLite through statements kept prepared (issue 22, point 9: the public lookup).
///
/// SQLiteNIO prepares every statement anew and runs it on the thread pool: for the lookup, an
/// indexed read of about 10 µs, its preparation (about 60 µs) and the hops to the pool's thread and
/// back were the largest part of what the lookup does beyond a plain page. Here the server keeps a
/// few read-only connections of its own to the same file, each with its statements prepared, and a
/// read runs on the caller's thread without waiting: in WAL mode a reader takes no lock a writer
/// holds, and `busy_timeout` is 0, so when SQLite answers busy (a checkpoint resetting the log)
/// `rows` answers nil and the caller reads through the pool. A read sees what was committed when it
/// started, as a read through the pool does. The values are decoded by SQLiteKit's own decoder.
/// Meant for a few fixed statements (each text is kept on each connection); there are as many
/// connections as threads that read at once.
final class PreparedSQLiteReads: Sendable {
    private let path: String
    private let state = NIOLockedValueBox(State())

    private struct State {
        var idle: [Connection] = []
        /// Reads answered here (not through the pool), for the tests.
        var answered = 0
    }

    init(path: String) { self.path = path }

    deinit {
        state.withLockedValue { $0.idle.forEach { $0.close() } }
    }

    var answered: Int { state.withLockedValue { $0.answered } }

    /// The rows of `sql` (SQLite's text, `?N` binds) with `binds`, or nil when SQLite could not answer
    /// without waiting (the caller then reads through the pool).
    func rows(_ sql: String, _ binds: [String]) -> [PreparedSQLiteRow]? {
        guard let connection = state.withLockedValue({ $0.idle.popLast() }) ?? Connection(path: path) else {
            return nil
        }
        guard let rows = connection.rows(sql, binds) else {
            connection.close()  // not given back: a busy or broken connection is opened again next time
            return nil
        }
        state.withLockedValue {
            $0.idle.append(connection)
            $0.answered += 1
        }
        return rows
    }

    /// One read-only connection and its prepared statements, used by one thread at a time (taken from
    /// the idle ones and given back).
    private final class Connection: @unchecked Sendable {
        private var handle: OpaquePointer?
        private var statements: [String: Kept] = [:]

        /// A prepared statement, its columns' positions by name and how many columns it has.
        private struct Kept {
            let statement: OpaquePointer
            let columns: [String: Int]
            let count: Int32
        }

        init?(path: String) {
            let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            guard sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
                sqlite_nio_sqlite3_close_v2(handle)
                return nil
            }
            sqlite_nio_sqlite3_busy_timeout(handle, 0)
        }

        func rows(_ sql: String, _ binds: [String]) -> [PreparedSQLiteRow]? {
            guard let kept = prepared(sql) else { return nil }
            let statement = kept.statement
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            // SQLITE_TRANSIENT (a C macro Swift cannot import): SQLite copies the text.
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for (i, value) in binds.enumerated() {
                let bound = sqlite_nio_sqlite3_bind_text64(
                    statement, Int32(i + 1), value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8))
                guard bound == SQLITE_OK else { return nil }
            }
            var rows: [PreparedSQLiteRow] = []
            while true {
                switch sqlite_nio_sqlite3_step(statement) {
                case SQLITE_ROW:
                    let values = (0..<kept.count).map { Self.value(statement, $0) }
                    rows.append(PreparedSQLiteRow(columns: kept.columns, values: values))
                case SQLITE_DONE: return rows
                default: return nil
                }
            }
        }

        private func prepared(_ sql: String) -> Kept? {
            if let kept = statements[sql] { return kept }
            var statement: OpaquePointer?
            let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
            guard sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil) == SQLITE_OK,
                let statement
            else { return nil }
            var columns: [String: Int] = [:]
            let count = sqlite_nio_sqlite3_column_count(statement)
            for i in 0..<count {
                // The first of two columns with one name, as SQLiteNIO's rows (nil only out of memory).
                guard let name = sqlite_nio_sqlite3_column_name(statement, i) else {
                    sqlite_nio_sqlite3_finalize(statement)
                    return nil
                }
                let column = String(cString: name)
                if columns[column] == nil { columns[column] = Int(i) }
            }
            let kept = Kept(statement: statement, columns: columns, count: count)
            statements[sql] = kept
            return kept
        }

        /// A column as SQLiteNIO reads it (`SQLiteStatement.data(at:)`), for SQLiteKit's decoder.
        private static func value(_ statement: OpaquePointer, _ i: Int32) -> SQLiteData {
            switch sqlite_nio_sqlite3_column_type(statement, i) {
            case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, i)))
            case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, i))
            case SQLITE_TEXT:
                return sqlite_nio_sqlite3_column_text(statement, i).map { .text(String(cString: $0)) } ?? .null
            case SQLITE_BLOB:
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, i))
                var buffer = ByteBufferAllocator().buffer(capacity: count)
                if let bytes = sqlite_nio_sqlite3_column_blob(statement, i) {
                    buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
                }
                return .blob(buffer)
            default: return .null
            }
        }

        func close() {
            for kept in statements.values { sqlite_nio_sqlite3_finalize(kept.statement) }
            statements = [:]
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
        }
    }
}

/// A row read by `PreparedSQLiteReads`, read as SQLiteKit reads the pool's rows.
struct PreparedSQLiteRow: SQLRow {
    let columns: [String: Int]
    let values: [SQLiteData]

    var allColumns: [String] { Array(columns.keys) }

    func contains(column: String) -> Bool { columns[column] != nil }

    func decodeNil(column: String) throws -> Bool { columns[column].map { values[$0] == .null } ?? true }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let i = columns[column] else {
            throw DecodingError.keyNotFound(
                SQLiteColumnName(stringValue: column), .init(codingPath: [], debugDescription: "No column \(column)."))
        }
        return try SQLiteDataDecoder().decode(D.self, from: values[i])
    }

    private struct SQLiteColumnName: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

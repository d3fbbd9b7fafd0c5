import Fluent
import Foundation
import SQLKit
import FluentSQLiteDriver

/// A row written without Fluent: the dossier, its components and its log entries are the rows that
/// a large load writes by the million, and Fluent's `create` reflects over every model it writes,
/// which cost more than all the rest of such a load. Reception and the demo loader both write
/// through here. `columns` and `values` list the same fields in the same order; a test checks the
/// columns against the Fluent model of the same table.
protocol SQLWritableRow {
    static var schema: String { get }
    static var columns: [String] { get }
    var values: [Cell] { get }
}

/// A value of a written row, stored exactly as Fluent stores it on each database (SQLite: UUIDs as
/// their text, instants as seconds, booleans as integers). A missing value keeps its type, which
/// PostgreSQL needs for the NULL.
enum Cell: Sendable, Equatable {
    case text(String?)
    case integer(Int?)
    case bool(Bool)
    case uuid(UUID?)
    case date(Date?)
    case bytes(Data?)

    init(_ v: String?) { self = .text(v) }
    init(_ v: Int?) { self = .integer(v) }
    init(_ v: Bool) { self = .bool(v) }
    init(_ v: UUID?) { self = .uuid(v) }
    init(_ v: Date?) { self = .date(v) }
    init(_ v: Data?) { self = .bytes(v) }

    var sqlite: SQLiteData {
        switch self {
        case .text(let v): v.map { .text($0) } ?? .null
        case .integer(let v): v.map { .integer($0) } ?? .null
        case .bool(let v): .integer(v ? 1 : 0)
        case .uuid(let v): v.map { .text($0.uuidString) } ?? .null
        case .date(let v): v?.sqliteData ?? .null
        case .bytes(let v): v.map { .blob(ByteBuffer(bytes: $0)) } ?? .null
        }
    }

    var bind: SQLBind {
        switch self {
        case .text(let v): SQLBind(v)
        case .integer(let v): SQLBind(v)
        case .bool(let v): SQLBind(v)
        case .uuid(let v): SQLBind(v)
        case .date(let v): SQLBind(v)
        case .bytes(let v): SQLBind(v)
        }
    }
}

extension Sequence where Element: SQLWritableRow {
    /// Inserts the rows in multi-row INSERTs, each under SQLite's limit of 32,766 bound parameters.
    /// On SQLite the statement goes straight to the driver: SQLKit's serialiser and encoder were
    /// half the cost of a large load.
    func insert(on db: any Database) async throws {
        let perStatement = 32_000 / Element.columns.count
        let columns = Element.columns.joined(separator: ", ")
        let placeholders = "(" + Array(repeating: "?", count: Element.columns.count).joined(separator: ", ") + ")"
        var rows = makeIterator()
        while true {
            var chunk: [Element] = []
            chunk.reserveCapacity(perStatement)
            while chunk.count < perStatement, let row = rows.next() { chunk.append(row) }
            guard !chunk.isEmpty else { return }
            if let sqlite = db as? any SQLiteDatabase {
                let sql =
                    "INSERT INTO \(Element.schema) (\(columns)) VALUES "
                    + Array(repeating: placeholders, count: chunk.count).joined(separator: ", ")
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * Element.columns.count)
                for row in chunk { binds.append(contentsOf: row.values.lazy.map(\.sqlite)) }
                _ = try await sqlite.query(sql, binds)
            } else if let sql = db as? any SQLDatabase, chunk.count <= PreparedPostgres.rowsPerStatement {
                // An action's few rows: one text per count of rows, prepared on PostgreSQL.
                var insert: SQLQueryString = "INSERT INTO \(ident: Element.schema) (\(unsafeRaw: columns)) VALUES "
                for (n, row) in chunk.enumerated() {
                    insert += n == 0 ? "(" : ", ("
                    for (k, cell) in row.values.enumerated() {
                        insert += "\(unsafeRaw: k == 0 ? "" : ", ")\(cell.bind)"
                    }
                    insert += ")"
                }
                _ = try await PreparedPostgres.all(insert, on: sql)
            } else if let sql = db as? any SQLDatabase {
                let insert = sql.insert(into: Element.schema).columns(Element.columns)
                for row in chunk { insert.values(row.values.map(\.bind)) }
                try await insert.run()
            } else {
                fatalError("MotCua runs on SQL databases only")
            }
        }
    }
}

extension SQLWritableRow {
    /// One UPDATE of the columns whose values differ from `read` (this row's `values` when it was
    /// read), where `id` and every guard (a column and the value it must still have) match; true
    /// if the row matched and was written, false if nothing was written. The first column is the id.
    func update(changedSince read: [Cell], guards: [(column: String, value: Cell)], on db: any Database)
        async throws -> Bool
    {
        let now = values
        let changed = Self.columns.indices.filter { $0 > 0 && now[$0] != read[$0] }
        guard !changed.isEmpty else { return false }
        let all = [(column: Self.columns[0], value: now[0])] + guards
        if let sqlite = db as? any SQLiteDatabase {
            let sql = """
                UPDATE \(Self.schema) SET \(changed.map { "\(Self.columns[$0]) = ?" }.joined(separator: ", ")) \
                WHERE \(all.map { "\($0.column) = ?" }.joined(separator: " AND ")) RETURNING 1
                """
            return try await !sqlite.query(sql, (changed.map { now[$0] } + all.map(\.value)).map(\.sqlite)).isEmpty
        }
        var update: SQLQueryString = "UPDATE \(ident: Self.schema) SET "
        for (n, i) in changed.enumerated() {
            update += "\(unsafeRaw: n == 0 ? "" : ", ")\(ident: Self.columns[i]) = \(now[i].bind)"
        }
        for (n, g) in all.enumerated() {
            update += "\(unsafeRaw: n == 0 ? " WHERE " : " AND ")\(ident: g.column) = \(g.value.bind)"
        }
        return try await !PreparedPostgres.all(update + " RETURNING 1", on: db as! any SQLDatabase).isEmpty
    }
}

extension DossierModel: SQLWritableRow {
    static let columns = [
        "id", "code", "lookup_secret", "channel", "status", "step", "state_before_pause", "procedure_id",
        "procedure_code", "field_id",
        "agency_id", "department_id", "owner_id", "receiving_officer_id", "assigned_officer_id", "applicant_kind",
        "applicant_name",
        "applicant_search", "applicant_id_number", "applicant_birth_date", "applicant_address", "applicant_phone",
        "applicant_email",
        "representative", "content_summary", "result_delivery", "fee_vnd", "procedure_terms_sha256", "submitted_at",
        "received_at",
        "received_date", "due_at", "appointment_at", "completed_at", "returned_at", "finished_at", "resolution",
        "rating", "rated_at", "clock", "result_json", "version",
        "log_seq", "log_hash", "created_at", "updated_at", "supplement_rounds", "declaration", "receiving_agency_id",
    ]

    var values: [Cell] {
        [
            Cell(id!), Cell(code), Cell(lookupSecret), Cell(channel), Cell(status), Cell(step), Cell(stateBeforePause),
            Cell(procedureID), Cell(procedureCode), Cell(fieldID), Cell(agencyID), Cell(departmentID), Cell(ownerID),
            Cell(receivingOfficerID), Cell(assignedOfficerID), Cell(applicantKind), Cell(applicantName),
            Cell(applicantSearch), Cell(applicantIDNumber), Cell(applicantBirthDate), Cell(applicantAddress),
            Cell(applicantPhone), Cell(applicantEmail), Cell(representativeJSON), Cell(contentSummary),
            Cell(resultDelivery),
            Cell(feeVND), Cell(procedureTermsSHA256), Cell(submittedAt), Cell(receivedAt), Cell(receivedDate),
            Cell(dueAt),
            Cell(appointmentAt), Cell(completedAt), Cell(returnedAt), Cell(finishedAt), Cell(resolution), Cell(rating),
            Cell(ratedAt), Cell(clockJSON), Cell(resultJSON), Cell(version),
            Cell(logSeq), Cell(logHashBytes), Cell(createdAt), Cell(updatedAt), Cell(supplementRounds),
            Cell(declarationJSON), Cell(receivingAgencyID),
        ]
    }
}

extension DossierComponentModel: SQLWritableRow {
    static let columns = [
        "id", "dossier_id", "position", "name", "form", "required_count", "mandatory", "handed_in_count",
    ]

    var values: [Cell] {
        [
            Cell(id!), Cell(dossierID), Cell(position), Cell(name), Cell(form), Cell(requiredCount), Cell(mandatory),
            Cell(handedInCount),
        ]
    }
}

extension LogChain.Entry: SQLWritableRow {
    static let schema = LogEntryModel.schema
    static let columns = [
        "id", "dossier_id", "seq", "at", "actor_id", "actor_name", "action", "from_state", "to_state", "opinion",
        "changes", "step_due_at", "prev_hash", "hash", "actor_username",
    ]

    var values: [Cell] {
        [
            Cell(id), Cell(content.dossierID), Cell(content.seq), Cell(content.at), Cell(content.actorID),
            Cell(content.actorName), Cell(content.action), Cell(content.fromState), Cell(content.toState),
            Cell(content.opinion), Cell(content.changesJSON), Cell(content.stepDueAt),
            Cell(StoredHash.bytes(prevHash)), Cell(StoredHash.bytes(hash)),
            Cell(content.actorUsername),
        ]
    }
}

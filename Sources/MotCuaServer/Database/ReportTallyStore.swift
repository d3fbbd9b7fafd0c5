import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

extension DossierModel {
    /// What the statistics count of this dossier.
    var counted: CountedDossier {
        CountedDossier(
            channel: DossierChannel(rawValue: channel) ?? .direct, clock: (try? clock) ?? nil,
            finishedAt: finishedAt, withdrawn: status == Status.withdrawn.rawValue,
            status: Status(rawValue: status), submittedAt: submittedAt, completedAt: completedAt, returnedAt: returnedAt
        )
    }
}

extension DatabaseID {
    static let snapshotReads = DatabaseID(string: "snapshot-reads")
}

extension Application {
    /// Where a long read in one transaction runs: on SQLite a pool of its own (configure); on
    /// PostgreSQL the primary's pool, whose connections are many.
    var snapshotReads: any Database { motcua.settings.isPostgres ? db : db(.snapshotReads) }
}

/// The stored tallies (`Tally`): one row per level (year, month, day), bucket, agency, department,
/// procedure and field. Each action adds the difference it makes to the dossier's tallies in its
/// own transaction, so the table is exact at every instant; a period's sums read at most a year
/// row per past year, a month row per past month of the year and a day row per past day of the
/// month for each key, however many dossiers there are.
enum ReportTallyStore {
    static let table = "report_tallies"

    struct Key: Hashable, Comparable {
        let agency: UUID, department: UUID, procedure: UUID, field: UUID

        static func < (a: Key, b: Key) -> Bool {
            (a.agency.uuidString, a.department.uuidString, a.procedure.uuidString, a.field.uuidString)
                < (b.agency.uuidString, b.department.uuidString, b.procedure.uuidString, b.field.uuidString)
        }
    }

    /// A row of the table: the bucket of one level.
    struct Bucket: Hashable, Comparable {
        enum Level: Int, Comparable {
            case year = 0, month = 1, day = 2
            static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        }
        let level: Level
        let text: String
        static func < (a: Bucket, b: Bucket) -> Bool { (a.level, a.text) < (b.level, b.text) }

        static func all(of day: LocalDate) -> [Bucket] {
            let iso = day.iso
            return [
                Bucket(level: .year, text: String(iso.prefix(4))), Bucket(level: .month, text: String(iso.prefix(7))),
                Bucket(level: .day, text: iso),
            ]
        }
    }

    static func key(of d: DossierModel) -> Key {
        Key(agency: d.agencyID, department: d.departmentID, procedure: d.procedureID, field: d.fieldID)
    }

    /// The rows that tallies by day make.
    static func buckets(_ days: [LocalDate: Tallies]) -> [Bucket: Tallies] {
        var rows: [Bucket: Tallies] = [:]
        for (day, t) in days { for b in Bucket.all(of: day) { rows[b, default: Tallies()] += t } }
        return rows.filter { !$0.value.isZero }
    }

    /// Adds a dossier's change of tallies, inside the action's transaction. Rows are written in one
    /// order so that two transactions touching the same rows cannot deadlock.
    static func record(_ change: [LocalDate: Tallies], of d: DossierModel, on db: any Database) async throws {
        let rows = buckets(change)
        guard !rows.isEmpty else { return }
        try await add(
            rows.sorted { $0.key < $1.key }.map { (key(of: d), $0.key, $0.value) }, on: db as! any SQLDatabase)
    }

    static let keyColumns = ["level", "bucket", "agency_id", "department_id", "procedure_id", "field_id"]

    /// Upserts rows, adding to what is there.
    static func add(_ rows: [(Key, Bucket, Tallies)], on sql: any SQLDatabase) async throws {
        let columns = keyColumns + Tally.allCases.map(\.column)
        for chunk in stride(from: 0, to: rows.count, by: 500).map({ rows[$0..<min($0 + 500, rows.count)] }) {
            var q: SQLQueryString =
                "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES "
            for (i, (key, bucket, t)) in chunk.enumerated() {
                q += i == 0 ? "(" : ", ("
                q +=
                    """
                    \(bind: bucket.level.rawValue), \(bind: bucket.text), \(bind: key.agency), \
                    \(bind: key.department), \(bind: key.procedure), \(bind: key.field)
                    """
                for n in t.counts { q += ", \(bind: n)" }
                q += ")"
            }
            q += " ON CONFLICT (\(unsafeRaw: keyColumns.joined(separator: ", "))) DO UPDATE SET "
            q += SQLQueryString(
                Tally.allCases.map { "\($0.column) = \(table).\($0.column) + excluded.\($0.column)" }.joined(
                    separator: ", "))
            // An action's few rows prepared on PostgreSQL; a rebuild's hundreds as they are.
            if chunk.count <= PreparedPostgres.rowsPerStatement {
                _ = try await PreparedPostgres.all(q, on: sql)
            } else {
                try await sql.raw(q).run()
            }
        }
    }

    // MARK: Rebuild and check

    /// Every dossier's tallies worked out again from the dossiers, reading them in batches; also
    /// fills in `finished_at` and `resolution` where they are missing (dossiers finished before
    /// they were recorded: a withdrawal's instant comes from the processing log).
    static func recount(on db: any Database, repair: Bool) async throws -> [Key: [Bucket: Tallies]] {
        let sql = db as! any SQLDatabase
        var byKey: [Key: [LocalDate: Tallies]] = [:]
        var last: UUID?
        while true {
            var q = DossierModel.query(on: db).sort(\.$id).limit(5_000)
                .field(\.$id).field(\.$channel).field(\.$status).field(\.$clockJSON).field(\.$completedAt)
                .field(\.$submittedAt).field(\.$returnedAt)
                .field(\.$finishedAt).field(\.$resolution).field(\.$agencyID).field(\.$departmentID).field(
                    \.$procedureID
                ).field(\.$fieldID)
            if let last { q = q.filter(\.$id > last) }
            let batch = try await q.all()
            guard let tail = batch.last else { break }
            last = tail.id
            // Repairs are written in a few statements per batch: by resolution where the finish is
            // the completion, one by one for withdrawals (their instant comes from the log).
            var completedByResolution: [String: [UUID]] = [:]
            for d in batch {
                let status = Status(rawValue: d.status)
                let missing = d.finishedAt == nil
                if missing {
                    if status == .completed || status == .returned || status == .refused {
                        d.finishedAt = d.completedAt
                    }
                    if status == .withdrawn {
                        d.finishedAt = try await LogEntryModel.query(on: db).filter(\.$dossierID == d.id!)
                            .filter(\.$action == Action.withdraw.rawValue).sort(\.$seq, .descending).first()?.at
                    }
                }
                let counted = d.counted
                let resolution = counted.resolution?.rawValue
                if repair, d.finishedAt != nil, let resolution, missing || d.resolution != resolution {
                    if status == .withdrawn {
                        try await sql.raw(
                            """
                            UPDATE dossiers SET finished_at = \(bind: d.finishedAt), resolution = \
                            \(bind: resolution) WHERE id = \(bind: d.id!)
                            """
                        ).run()
                    } else {
                        completedByResolution[resolution, default: []].append(d.id!)
                    }
                }
                for (day, t) in counted.tallies { byKey[key(of: d), default: [:]][day, default: Tallies()] += t }
            }
            for (resolution, ids) in completedByResolution {
                for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) })
                {
                    try await sql.raw(
                        """
                        UPDATE dossiers SET finished_at = completed_at, resolution = \(bind: resolution) WHERE id \
                        IN (\(binds: chunk))
                        """
                    ).run()
                }
            }
        }
        return byKey.mapValues(buckets)
    }

    /// `motcua reports rebuild`, and the migration that created the table: the table emptied and
    /// written again from the dossiers in one transaction. Answers the rows written.
    @discardableResult
    static func rebuild(on db: any Database) async throws -> Int {
        try await db.transaction { tx in
            let counts = try await recount(on: tx, repair: true)
            let sql = tx as! any SQLDatabase
            try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
            let rows = counts.sorted { $0.key < $1.key }.flatMap { key, buckets in
                buckets.sorted { $0.key < $1.key }.map { (key, $0.key, $0.value) }
            }
            try await add(rows, on: sql)
            return rows.count
        }
    }

    /// `motcua reports check`: the stored rows against a recount; answers one line per difference.
    /// Both are read in one snapshot: an action committed between the two reads would show as a
    /// difference (the nightly check, beside the API fuzz, reported a counter reception that way).
    /// `betweenReads` lets a test write there. On SQLite pass `app.snapshotReads`: the transaction holds
    /// its connection for the whole recount.
    static func check(on db: any Database, betweenReads: (@Sendable () async throws -> Void)? = nil) async throws
        -> [String]
    {
        let (expected, stored) = try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            // SQLite's read transaction keeps its snapshot in WAL mode; PostgreSQL's default is per statement.
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            let expected = try await recount(on: tx, repair: false)
            try await betweenReads?()
            return (expected, try await storedRows(on: sql))
        }
        var differences: [String] = []
        let keys = Set(expected.keys).union(stored.keys).sorted()
        for key in keys {
            let e = expected[key] ?? [:], s = stored[key] ?? [:]
            for bucket in Set(e.keys).union(s.keys).sorted() where (e[bucket] ?? Tallies()) != (s[bucket] ?? Tallies())
            {
                differences.append(
                    "agency \(key.agency) department \(key.department) procedure \(key.procedure) field \(key.field) "
                        + """
                        \(bucket.text): stored \((s[bucket] ?? Tallies()).counts), recounted \
                        \((e[bucket] ?? Tallies()).counts)
                        """
                )
            }
        }
        return differences
    }

    static func storedRows(on sql: any SQLDatabase) async throws -> [Key: [Bucket: Tallies]] {
        var result: [Key: [Bucket: Tallies]] = [:]
        for r in try await sql.raw("SELECT * FROM \(unsafeRaw: table)").all() {
            let t = try tallies(of: r)
            guard !t.isZero, let level = Bucket.Level(rawValue: try r.decode(column: "level", as: Int.self)) else {
                continue
            }
            let key = Key(
                agency: try r.decode(column: "agency_id", as: UUID.self),
                department: try r.decode(column: "department_id", as: UUID.self),
                procedure: try r.decode(column: "procedure_id", as: UUID.self),
                field: try r.decode(column: "field_id", as: UUID.self))
            result[key, default: [:]][Bucket(level: level, text: try r.decode(column: "bucket", as: String.self))] = t
        }
        return result
    }

    /// A row's tallies, a column each.
    static func tallies(of row: any SQLRow) throws -> Tallies {
        Tallies(counts: try Tally.allCases.map { try row.decode(column: $0.column, as: Int.self) })
    }
}

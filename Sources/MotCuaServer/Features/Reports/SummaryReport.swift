import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The data group of a report (manual 3.3): "Cơ quan", "Thủ tục", "Lĩnh vực".
enum ReportGroup: String, CaseIterable, Sendable {
    case agency, procedure, field

    var column: String { rawValue + "_id" }

    var vietnameseName: String {
        switch self {
        case .agency: "Cơ quan"
        case .procedure: "Thủ tục"
        case .field: "Lĩnh vực"
        }
    }
}

/// What every report is asked (manual 3.3): the group, the period "Từ ngày - đến ngày" (local dates,
/// both inclusive), whether merged agencies are grouped under their successor, and the user's
/// scope, which the server applies.
struct ReportCriteria: Sendable {
    var group: ReportGroup = .agency
    var from: LocalDate
    var to: LocalDate
    var underSuccessor = false
    var scope: Scope

    /// Agencies merged under their successor: only when the rows are agencies.
    var mergesAgencies: Bool { group == .agency && underSuccessor }

    /// Narrowed to one unit (an agency within the scope, already checked): a province-wide scope
    /// becomes that agency; an agency's or a department's scope is already inside it, and is never
    /// widened to another agency even if an unchecked unit came this far.
    func narrowed(to unit: UUID?) -> ReportCriteria {
        guard let unit, case .everything = scope else { return self }
        var narrowed = self
        narrowed.scope = .agency(unit)
        return narrowed
    }

    /// The period's bounds: local midnight of `from` and of the day after `to`.
    var start: Date { VietnamTime.instant(from, secondOfDay: 0) }
    var end: Date { VietnamTime.instant(to.adding(days: 1), secondOfDay: 0) }

    static let longestPeriodDays = 366 * 20

    /// Checks the period; the message is the one a page or the API shows.
    static func validate(from: LocalDate, to: LocalDate) throws {
        guard from <= to else {
            throw ServiceError(.unprocessableEntity, "\"Từ ngày\" phải trước hoặc bằng \"Đến ngày\".")
        }
        guard to.dayNumber - from.dayNumber <= longestPeriodDays, from.year >= 1990, to.year <= 2200 else {
            throw ServiceError(
                .unprocessableEntity, "Khoảng thời gian báo cáo không hợp lệ (từ năm 1990, tối đa 20 năm).")
        }
    }

    /// "Từ ngày" and "Đến ngày" as typed on a page (dd/mm/yyyy), checked; by default from the first
    /// of January to today.
    static func period(from fromText: String?, to toText: String?, now: Date) throws -> (LocalDate, LocalDate) {
        let today = VietnamTime.local(now).date
        func date(_ text: String?, _ value: LocalDate, _ label: String) throws -> LocalDate {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return value }
            guard let d = PageTime.parseDate(text) else {
                throw ServiceError(.unprocessableEntity, "\(label) không đúng dạng ngày/tháng/năm (dd/mm/yyyy).")
            }
            return d
        }
        let from = try date(fromText, LocalDate(year: today.year, month: 1, day: 1)!, "Từ ngày")
        let to = try date(toText, today, "Đến ngày")
        try validate(from: from, to: to)
        return (from, to)
    }

    /// The scope a user sees reports in: a head the department, a leader the agency, a monitor
    /// (or an administrator) everything; other roles see no statistics.
    static func scope(of actor: Actor) throws -> Scope {
        // The access table says who may see reports; the route's guard asked it already, and the
        // drill-down and the API ask again here because they read dossiers.
        guard Access.allows(actor.roles, .reports) else { throw ServiceError(.forbidden, Access.refusal(.reports)) }
        if case .own = actor.scope {
            throw ServiceError(.forbidden, "Tài khoản chưa thuộc cơ quan nào: liên hệ quản trị hệ thống.")
        }
        return actor.scope
    }
}

/// Biểu số II.06a (DOMAIN.md section 9): one row per group and the total, read from the stored
/// tallies only.
struct SummaryReport: Sendable {
    struct Row: Sendable {
        /// The agency, procedure or field code.
        let key: String
        let name: String
        let id: UUID
        var counts: SummaryCounts
    }

    let criteria: ReportCriteria
    let rows: [Row]
    let total: SummaryCounts
    /// The instant the open columns are taken at: the period's end, or now if it ends later.
    let asOf: Date

    static func make(_ criteria: ReportCriteria, now: Date, on db: any Database) async throws -> SummaryReport {
        let sql = db as! any SQLDatabase
        let today = VietnamTime.local(now).date
        // A period ending after today is taken now: no tally after today counts, and the running
        // dossiers due later today are not overdue yet.
        let endDay = min(criteria.to.adding(days: 1), today.adding(days: 1))
        let startDay = min(criteria.from, endDay)
        async let before = tallies(before: startDay, criteria, on: sql)
        async let atEnd = tallies(before: endDay, criteria, on: sql)
        let asOf = min(criteria.end, now)
        let notYet = criteria.end > now ? try await dueLaterToday(criteria, now: now, on: sql) : [:]
        let (b, e) = try await (before, atEnd)
        var byGroup: [UUID: SummaryCounts] = [:]
        for id in Set(b.keys).union(e.keys) {
            byGroup[id] = SummaryCounts(
                before: b[id] ?? Tallies(), atEnd: e[id] ?? Tallies(), notYetOverdue: notYet[id] ?? 0)
        }
        let names = try await ReportNames.load(criteria.group, on: db)
        if criteria.mergesAgencies { byGroup = names.underSuccessors(byGroup, +) }
        let rows = byGroup.filter { $0.value != SummaryCounts() }
            .map { Row(key: names.code(of: $0.key), name: names.name(of: $0.key), id: $0.key, counts: $0.value) }
            .sorted { ($0.key, $0.name) < ($1.key, $1.name) }
        return SummaryReport(
            criteria: criteria, rows: rows, total: rows.reduce(SummaryCounts()) { $0 + $1.counts }, asOf: asOf)
    }

    /// The scope as a SQL condition on a table with agency and department columns.
    /// `unindexed`: SQLite's unary plus on the columns, so that no index serves the condition
    /// (CustomReportPage, to read a page in id order).
    static func scopeCondition(_ scope: Scope, unindexed: Bool = false) -> SQLQueryString {
        let plus = unindexed ? "+" : ""
        return switch scope {
        case .everything: "1 = 1"
        case .agency(let a): "\(unsafeRaw: plus)agency_id = \(bind: a)"
        case .department(let a, let d):
            "\(unsafeRaw: plus)agency_id = \(bind: a) AND \(unsafeRaw: plus)department_id = \(bind: d)"
        case .own: "1 = 0"
        }
    }

    /// Each group's tallies summed over the days before `day`: whole years, then the months of
    /// `day`'s year, then the days of its month.
    static func tallies(before day: LocalDate, _ c: ReportCriteria, on sql: any SQLDatabase) async throws -> [UUID:
        Tallies]
    {
        let iso = day.iso, year = String(iso.prefix(4)), month = String(iso.prefix(7))
        // PostgreSQL sums BIGINT as NUMERIC: cast back.
        let sums = Tally.allCases.map { "CAST(SUM(\($0.column)) AS BIGINT) AS \($0.column)" }.joined(separator: ", ")
        let rows = try await sql.raw(
            """
            SELECT \(unsafeRaw: c.group.column) AS g, \(unsafeRaw: sums) FROM \(unsafeRaw: ReportTallyStore.table)
            WHERE ((level = 0 AND bucket < \(bind: year))
                OR (level = 1 AND bucket >= \(bind: year + "-01") AND bucket < \(bind: month))
                OR (level = 2 AND bucket >= \(bind: month + "-01") AND bucket < \(bind: iso)))
              AND \(scopeCondition(c.scope))
            GROUP BY \(unsafeRaw: c.group.column)
            """
        ).all()
        var result: [UUID: Tallies] = [:]
        for r in rows { result[try r.decode(column: "g", as: UUID.self)] = try ReportTallyStore.tallies(of: r) }
        return result
    }

    private struct CountRow: Decodable { let g: UUID; let n: Int }

    /// Running dossiers (received or processing: not paused, not finished) due from now to the end
    /// of today, by group: the day's tallies already count them overdue. Read on the partial index
    /// of running dossiers by due date, so it costs one day's dossiers at most.
    static func dueLaterToday(_ c: ReportCriteria, now: Date, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        let tomorrow = VietnamTime.instant(VietnamTime.local(now).date.adding(days: 1), secondOfDay: 0)
        let rows = try await sql.raw(
            """
            SELECT \(unsafeRaw: c.group.column) AS g, count(*) AS n FROM dossiers
            WHERE \(unsafeRaw: Status.clockRunningCondition()) AND due_at >= \(bind: now) AND due_at < \(bind: tomorrow)
              AND \(scopeCondition(c.scope))
            GROUP BY \(unsafeRaw: c.group.column)
            """
        ).all(decoding: CountRow.self)
        return Dictionary(rows.map { ($0.g, $0.n) }, uniquingKeysWith: +)
    }
}

/// Codes and names of a report's groups, and the successor of merged agencies.
struct ReportNames: Sendable {
    var codes: [UUID: String] = [:]
    var names: [UUID: String] = [:]
    var successors: [UUID: UUID] = [:]

    static func load(_ group: ReportGroup, on db: any Database) async throws -> ReportNames {
        var n = ReportNames()
        switch group {
        case .agency:
            for a in try await AgencyModel.query(on: db).all() {
                n.codes[a.id!] = a.code
                n.names[a.id!] = a.name
                if let s = a.successorID { n.successors[a.id!] = s }
            }
        case .procedure:
            for p in try await ProcedureModel.query(on: db).all() { n.codes[p.id!] = p.code; n.names[p.id!] = p.name }
        case .field:
            for f in try await FieldModel.query(on: db).all() { n.codes[f.id!] = f.code; n.names[f.id!] = f.name }
        }
        return n
    }

    func code(of id: UUID) -> String { codes[id] ?? id.uuidString }
    func name(of id: UUID) -> String { names[id] ?? "(không rõ)" }

    /// Each old agency's row added into its last successor's ("theo đơn vị hiện nay"): the totals
    /// are those of the rows as they were.
    func underSuccessors<T>(_ rows: [UUID: T], _ add: (T, T) -> T) -> [UUID: T] {
        var merged: [UUID: T] = [:]
        for (id, value) in rows {
            let successor = successor(of: id)
            merged[successor] = merged[successor].map { add($0, value) } ?? value
        }
        return merged
    }

    /// The agencies a successor's merged row counts: itself and every agency merged into it.
    func merged(into id: UUID) -> [UUID] { Set(codes.keys).union([id]).filter { successor(of: $0) == id } }

    /// The last successor of a merged agency (itself if none); a loop in the links stops the walk.
    func successor(of id: UUID) -> UUID {
        var current = id, seen: Set<UUID> = [id]
        while let next = successors[current], seen.insert(next).inserted { current = next }
        return current
    }
}

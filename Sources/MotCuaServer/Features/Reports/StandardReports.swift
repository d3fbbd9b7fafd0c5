import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The reports of the manual (3.5.1 to 3.5.16) and the agency evaluation of Thông tư 01/2018, each
/// a `ReportTable` (screen, print, CSV and Excel carry the same rows), within the user's scope.
enum StandardReport: String, CaseIterable, Sendable {
    case receivedDirect = "received-direct", receivedOnline = "received-online", returned, completed, refused, withdrawn
    case processing, awaitingSupplement = "awaiting-supplement", awaitingReception = "awaiting-reception"
    case awaitingHandOver = "awaiting-hand-over", awaitingPayment = "awaiting-payment"
    case unitSummary = "unit-summary", unitYearly = "unit-yearly", satisfaction, satisfactionYearly =
        "satisfaction-yearly"
    case officers, agencyEvaluation = "agency-evaluation"

    var number: String {
        self == .agencyEvaluation ? "TT 01/2018" : "3.5.\(Self.allCases.firstIndex(of: self)! + 1)"
    }

    var title: String {
        switch self {
        case .receivedDirect: "Hồ sơ tiếp nhận trực tiếp"
        case .receivedOnline: "Hồ sơ tiếp nhận trực tuyến"
        case .returned: "Hồ sơ đã trả kết quả"
        case .completed: "Hồ sơ đã giải quyết, chờ trả kết quả"
        case .refused: "Hồ sơ từ chối giải quyết"
        case .withdrawn: "Hồ sơ rút"
        case .processing: "Hồ sơ đang thụ lý"
        case .awaitingSupplement: "Hồ sơ chờ bổ sung điều kiện"
        case .awaitingReception: "Hồ sơ chờ tiếp nhận trực tuyến"
        case .awaitingHandOver: "Hồ sơ chờ bàn giao"
        case .awaitingPayment: "Hồ sơ chờ hoàn thành thanh toán"
        case .unitSummary: "Tổng hợp tình hình giải quyết TTHC của đơn vị"
        case .unitYearly: "Tổng hợp tình hình giải quyết TTHC của đơn vị theo tháng trong năm"
        case .satisfaction: "Tổng hợp mức độ hài lòng của đơn vị"
        case .satisfactionYearly: "Tổng hợp mức độ hài lòng của đơn vị theo tháng trong năm"
        case .officers: "Tổng hợp đánh giá cán bộ"
        case .agencyEvaluation: "Đánh giá việc giải quyết TTHC của cơ quan (Thông tư 01/2018/TT-VPCP)"
        }
    }

    /// The eleven lists of dossiers with a count per group.
    var isList: Bool { Self.allCases.firstIndex(of: self)! < 11 }

    /// Which dossiers a list report shows, in a period [start, end). `datesUnindexed`: SQLite's
    /// unary plus on the dates, so that a list of few dossiers is read by status, not by walking
    /// a long range of dates that mostly belong to other statuses.
    func condition(start: Date, end: Date, datesUnindexed: Bool = false) -> SQLQueryString? {
        let plus = datesUnindexed ? "+" : ""
        func within(_ column: String) -> SQLQueryString {
            "\(unsafeRaw: plus + column) >= \(bind: start) AND \(unsafeRaw: plus + column) < \(bind: end)"
        }
        switch self {
        case .receivedDirect: return within("received_at") + " AND channel <> 'online'"
        case .receivedOnline: return within("received_at") + " AND channel = 'online'"
        case .returned: return "status = 'returned' AND " + within("returned_at")
        case .completed: return "status = 'completed' AND " + within("completed_at")
        case .refused: return "status = 'refused' AND " + within("finished_at")
        case .withdrawn: return "status = 'withdrawn' AND " + within("finished_at")
        case .processing: return "status = 'processing' AND " + within("received_at")
        case .awaitingSupplement:
            return "status = 'awaiting_supplement' AND (" + within("received_at") + " OR (received_at IS NULL AND "
                + within("submitted_at") + "))"
        case .awaitingReception: return "status = 'submitted' AND " + within("submitted_at")
        case .awaitingHandOver: return "status = 'received' AND " + within("received_at")
        case .awaitingPayment: return "status = 'awaiting_payment' AND " + within("received_at")
        default: return nil
        }
    }

    /// The tally that counts a list's dossiers by the day it dates them (`CountedDossier.currentList`).
    var tally: Tally? {
        switch self {
        case .receivedDirect: .receivedDirect
        case .receivedOnline: .receivedOnline
        case .returned: .listReturned
        case .completed: .listCompleted
        case .refused: .listRefused
        case .withdrawn: .listWithdrawn
        case .processing: .listProcessing
        case .awaitingSupplement: .listAwaitingSupplement
        case .awaitingReception: .listAwaitingReception
        case .awaitingHandOver: .listAwaitingHandOver
        case .awaitingPayment: .listAwaitingPayment
        default: nil
        }
    }

    /// The instant a list dates its dossiers by (`CountedDossier.currentList`): the column its pages
    /// walk newest first from the period's end, and what the criteria line calls it.
    var listDate: (column: String, name: String) {
        switch self {
        case .returned: ("returned_at", "ngày trả kết quả")
        case .completed: ("completed_at", "ngày có kết quả")
        case .refused, .withdrawn: ("finished_at", "ngày kết thúc")
        case .awaitingReception: ("submitted_at", "ngày nộp")
        default: ("received_at", "ngày tiếp nhận")
        }
    }

    /// A list's count per group in the criteria's period: the difference of the tallies' cumulative
    /// sums at its end and at its start, so it does not read the dossiers (the list itself reads
    /// exactly those, `condition`). Groups with none are left out.
    func counts(_ c: ReportCriteria, on db: any Database) async throws -> [(group: UUID, count: Int)] {
        guard let tally else { return [] }
        let sql = db as! any SQLDatabase
        let before = try await SummaryReport.tallies(before: c.from, c, on: sql)
        let atEnd = try await SummaryReport.tallies(before: c.to.adding(days: 1), c, on: sql)
        var counted: [UUID: Int] = [:]
        for g in Set(before.keys).union(atEnd.keys) { counted[g] = (atEnd[g]?[tally] ?? 0) - (before[g]?[tally] ?? 0) }
        if c.mergesAgencies { counted = try await ReportNames.load(.agency, on: db).underSuccessors(counted, +) }
        return counted.compactMap { $0.value == 0 ? nil : ($0.key, $0.value) }
    }

}

/// A report computed: its table, and for each row the link to its dossiers where it has one.
struct StandardReportResult: Sendable {
    let table: ReportTable
    let links: [String?]
}

extension StandardReport {
    func make(_ c: ReportCriteria, unit: UUID?, now: Date, on db: any Database) async throws -> StandardReportResult {
        let sql = db as! any SQLDatabase
        let c = c.narrowed(to: unit)
        let scope = SummaryReport.scopeCondition(c.scope)
        if isList {
            let counted = try await counts(c, on: db)
            let names = try await ReportNames.load(c.group, on: db)
            let sorted = counted.map { (names.code(of: $0.group), names.name(of: $0.group), $0.group, $0.count) }.sorted
            { ($0.0, $0.1) < ($1.0, $1.1) }
            var cells: [[SheetCell]] = sorted.enumerated().map { i, r in
                [.integer(i + 1), .text(r.0), .text(r.1), .integer(r.3)]
            }
            cells.append([.text(""), .text(""), .text("Tổng cộng"), .integer(sorted.reduce(0) { $0 + $1.3 })])
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number,
                    criteria: [
                        "Nhóm dữ liệu: \(c.group.vietnameseName)",
                        "Từ \(listDate.name) \(c.from.vietnamese) đến \(c.to.vietnamese)",
                    ],
                    headings: ["STT", "Mã", c.group.vietnameseName, "Số hồ sơ"], rows: cells, widths: [6, 18, 50, 12]),
                links: sorted.map { "ma=\($0.2.uuidString)" } + [""])
        }
        switch self {
        case .unitSummary:
            var summaryCriteria = c
            summaryCriteria.group = .procedure
            let report = try await SummaryReport.make(summaryCriteria, now: now, on: db)
            let table = report.table
            // Each row's numbers open its procedure's dossiers (the total row: all of them).
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number, criteria: table.criteria, headings: table.headings,
                    rows: table.rows, widths: table.widths),
                links: report.rows.map { "ma=\($0.id.uuidString)" }
                    + Array(repeating: "", count: table.rows.count - report.rows.count))
        case .unitYearly:
            var cells: [[SheetCell]] = []
            var total = SummaryCounts()
            for month in 1...12 {
                let first = LocalDate(year: c.to.year, month: month, day: 1)!
                let last = LocalDate(
                    year: c.to.year, month: month, day: LocalDate.daysInMonth(year: c.to.year, month: month))!
                guard first <= VietnamTime.local(now).date else { break }
                var m = c
                m.from = first
                m.to = last
                let counts = try await SummaryReport.make(m, now: now, on: db).total
                // Over a year, received = new of the months + carried over into January; resolved adds up.
                total.newOnline += counts.newOnline
                total.newDirect += counts.newDirect
                if month == 1 { total.carriedOver = counts.carriedOver }
                total.early += counts.early
                total.onTime += counts.onTime
                total.late += counts.late
                total.inProgress = counts.inProgress
                total.overdue = counts.overdue
                cells.append(
                    [.text("Tháng \(month)/\(c.to.year)")] + counts.columns.map(SheetCell.integer) + [
                        .rate(counts.onTimeRate)
                    ])
            }
            cells.append(
                [.text("Cả năm \(c.to.year)")] + total.columns.map(SheetCell.integer) + [.rate(total.onTimeRate)])
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number,
                    criteria: ["Năm \(c.to.year)", "Số đang giải quyết của cả năm: tại cuối tháng cuối cùng"],
                    headings: ["Tháng"] + SummaryCounts.headings + ["Tỷ lệ đúng hạn"], rows: cells,
                    widths: [16] + Array(repeating: 13, count: 11) + [14]),
                links: cells.map { _ in nil })
        case .satisfaction:
            var rows = try await Self.ratings(group: c.group.column, start: c.start, end: c.end, scope: scope, on: sql)
            let names = try await ReportNames.load(c.group, on: db)
            if c.mergesAgencies { rows = names.underSuccessors(rows) { zip($0, $1).map(+) } }
            var cells = rows.keys.sorted { names.code(of: $0) < names.code(of: $1) }.enumerated().map { i, id in
                [.integer(i + 1), .text(names.code(of: id)), .text(names.name(of: id))] + Self.ratingCells(rows[id]!)
            }
            cells.append(
                [.text(""), .text(""), .text("Tổng cộng")]
                    + Self.ratingCells(rows.values.reduce([0, 0, 0]) { zip($0, $1).map(+) }))
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number,
                    criteria: [
                        "Nhóm dữ liệu: \(c.group.vietnameseName)",
                        "Đánh giá từ ngày \(c.from.vietnamese) đến \(c.to.vietnamese)",
                    ],
                    headings: ["STT", "Mã", c.group.vietnameseName] + Self.ratingHeadings, rows: cells,
                    widths: [6, 18, 46, 14, 14, 14, 14, 14]),
                links: cells.map { _ in nil })
        case .satisfactionYearly:
            var cells: [[SheetCell]] = []
            var total = [0, 0, 0]
            for month in 1...12 {
                let first = LocalDate(year: c.to.year, month: month, day: 1)!
                let next =
                    month == 12
                    ? LocalDate(year: c.to.year + 1, month: 1, day: 1)!
                    : LocalDate(year: c.to.year, month: month + 1, day: 1)!
                let rows = try await Self.ratings(
                    group: "agency_id", start: VietnamTime.instant(first, secondOfDay: 0),
                    end: VietnamTime.instant(next, secondOfDay: 0), scope: scope, on: sql)
                let month = rows.values.reduce([0, 0, 0]) { zip($0, $1).map(+) }
                total = zip(total, month).map(+)
                cells.append([.text("Tháng \(first.month)/\(first.year)")] + Self.ratingCells(month))
            }
            cells.append([.text("Cả năm \(c.to.year)")] + Self.ratingCells(total))
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number, criteria: ["Năm \(c.to.year)"],
                    headings: ["Tháng"] + Self.ratingHeadings,
                    rows: cells, widths: [16, 14, 14, 14, 14, 14]),
                links: cells.map { _ in nil })
        case .officers:
            struct Row: Decodable { let officer: UUID; let resolution: String; let n: Int }
            struct Rated: Decodable { let officer: UUID; let rating: String; let n: Int }
            let finished = try await sql.raw(
                """
                SELECT assigned_officer_id AS officer, resolution, count(*) AS n FROM dossiers
                WHERE assigned_officer_id IS NOT NULL AND resolution IS NOT NULL AND resolution <> 'withdrawn'
                  AND finished_at >= \(bind: c.start) AND finished_at < \(bind: c.end) AND \(scope)
                GROUP BY assigned_officer_id, resolution
                """
            ).all(decoding: Row.self)
            let rated = try await sql.raw(
                """
                SELECT assigned_officer_id AS officer, rating, count(*) AS n FROM dossiers
                WHERE assigned_officer_id IS NOT NULL AND rating IS NOT NULL
                  AND finished_at >= \(bind: c.start) AND finished_at < \(bind: c.end) AND \(scope)
                GROUP BY assigned_officer_id, rating
                """
            ).all(decoding: Rated.self)
            var byOfficer: [UUID: [String: Int]] = [:]
            for r in finished { byOfficer[r.officer, default: [:]][r.resolution] = r.n }
            for r in rated { byOfficer[r.officer, default: [:]]["rating." + r.rating] = r.n }
            let users = Dictionary(
                uniqueKeysWithValues: try await UserModel.query(on: db).all().map { ($0.id!, $0.fullName) })
            var cells: [[SheetCell]] = []
            var sums = Array(repeating: 0, count: 7)
            for (i, (id, counts)) in byOfficer.sorted(by: { (users[$0.key] ?? "") < (users[$1.key] ?? "") })
                .enumerated()
            {
                let values = [
                    counts["early", default: 0] + counts["on_time", default: 0] + counts["late", default: 0],
                    counts["early", default: 0], counts["on_time", default: 0], counts["late", default: 0],
                    counts["rating.very_satisfied", default: 0], counts["rating.satisfied", default: 0],
                    counts["rating.dissatisfied", default: 0],
                ]
                sums = zip(sums, values).map(+)
                cells.append([.integer(i + 1), .text(users[id] ?? "")] + Self.officerCells(values))
            }
            cells.append([.text(""), .text("Tổng cộng")] + Self.officerCells(sums))
            return StandardReportResult(
                table: ReportTable(
                    title: title, sheet: number,
                    criteria: ["Hồ sơ kết thúc từ ngày \(c.from.vietnamese) đến \(c.to.vietnamese)"],
                    headings: [
                        "STT", "Cán bộ thụ lý", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn",
                        "Rất hài lòng", "Hài lòng", "Không hài lòng", "Tỷ lệ hài lòng",
                    ],
                    rows: cells, widths: [6, 32, 13, 13, 13, 13, 14, 13, 13, 14, 14]),
                links: cells.map { _ in nil })
        case .agencyEvaluation:
            return try await AgencyEvaluation.make(c, scope: scope, title: title, sheet: number, on: db)
        default:
            fatalError("list reports are answered above")
        }
    }

    static let ratingHeadings = ["Số lượt đánh giá", "Rất hài lòng", "Hài lòng", "Không hài lòng", "Tỷ lệ hài lòng"]

    /// Very satisfied, satisfied, dissatisfied → the row's cells; the rate is (very + satisfied) / all.
    static func ratingCells(_ v: [Int]) -> [SheetCell] {
        let all = v.reduce(0, +)
        return [
            .integer(all), .integer(v[0]), .integer(v[1]), .integer(v[2]),
            .rate(all == 0 ? nil : Double(v[0] + v[1]) / Double(all)),
        ]
    }

    static func officerCells(_ v: [Int]) -> [SheetCell] {
        let ratings = v[4] + v[5] + v[6]
        return [
            .integer(v[0]), .integer(v[1]), .integer(v[2]), .integer(v[3]),
            .rate(v[0] == 0 ? nil : Double(v[1] + v[2]) / Double(v[0])),
            .integer(v[4]), .integer(v[5]), .integer(v[6]),
            .rate(ratings == 0 ? nil : Double(v[4] + v[5]) / Double(ratings)),
        ]
    }

    /// Satisfaction answers given in [start, end), by group: [very satisfied, satisfied, dissatisfied].
    static func ratings(group: String, start: Date, end: Date, scope: SQLQueryString, on sql: any SQLDatabase)
        async throws -> [UUID: [Int]]
    {
        struct Row: Decodable { let g: UUID; let rating: String; let n: Int }
        let rows = try await sql.raw(
            """
            SELECT \(unsafeRaw: group) AS g, rating, count(*) AS n FROM dossiers
            WHERE rating IS NOT NULL AND rated_at >= \(bind: start) AND rated_at < \(bind: end) AND \(scope)
            GROUP BY \(unsafeRaw: group), rating
            """
        ).all(decoding: Row.self)
        var result: [UUID: [Int]] = [:]
        for r in rows {
            guard
                let index = [Satisfaction.verySatisfied, .satisfied, .dissatisfied].firstIndex(where: {
                    $0.rawValue == r.rating
                })
            else { continue }
            result[r.g, default: [0, 0, 0]][index] += r.n
        }
        return result
    }
}

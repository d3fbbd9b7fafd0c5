import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The quality index of Quyết định 766/QĐ-TTg (DOMAIN.md section 13), what MotCua's own data can
/// compute, per agency and for the whole scope, for a month and its trend over twelve months. Read
/// from the tallies (on-time rate, online share, procedures with online dossiers), the ratings and
/// the results signed at "Ký duyệt" (electronic results) and the payments (online payment).
struct QualityIndex: Sendable {
    /// One unit's indicators for one month (the core's arithmetic).
    typealias Indicators = QualityIndicators

    static let headings = QualityIndicators.headings

    /// Per agency and for the whole scope, in one month.
    static func month(_ first: LocalDate, scope: Scope, now: Date, on db: any Database) async throws -> (
        byAgency: [UUID: Indicators], total: Indicators
    ) {
        let sql = db as! any SQLDatabase
        let last = LocalDate(
            year: first.year, month: first.month, day: LocalDate.daysInMonth(year: first.year, month: first.month))!
        let report = try await SummaryReport.make(
            ReportCriteria(group: .agency, from: first, to: last, scope: scope), now: now, on: db)
        // Procedures offered online, by agency, and those that had an online dossier in the month (month rows of the
        // tallies).
        var offered: [UUID: Set<UUID>] = [:]
        for p in try await ProcedureModel.query(on: db).all() where try p.terms.onlineLevel != .none {
            if scope.contains(agency: p.agencyID, department: p.departmentID, owner: nil) {
                offered[p.agencyID, default: []].insert(p.id!)
            }
        }
        struct Used: Decodable { let agency_id: UUID; let procedure_id: UUID }
        let used = try await sql.raw(
            """
            SELECT DISTINCT agency_id, procedure_id FROM \(unsafeRaw: ReportTallyStore.table)
            WHERE level = 1 AND bucket = \(bind: String(first.iso.prefix(7))) AND received_online > 0 AND \
            \(SummaryReport.scopeCondition(scope))
            """
        ).all(decoding: Used.self)
        var usedBy: [UUID: Set<UUID>] = [:]
        for u in used { usedBy[u.agency_id, default: []].insert(u.procedure_id) }
        let start = VietnamTime.instant(first, secondOfDay: 0),
            end = VietnamTime.instant(last.adding(days: 1), secondOfDay: 0)
        let ratings = try await StandardReport.ratings(
            group: "agency_id", start: start, end: end, scope: SummaryReport.scopeCondition(scope), on: sql)
        // Results signed electronically in the month (the partial index of signed results), against the
        // dossiers resolved in the month (the tallies): a refusal's result, not signed here, counts as not electronic.
        struct Signed: Decodable { let agency_id: UUID; let n: Int }
        let signed = try await sql.raw(
            """
            SELECT agency_id, count(*) AS n FROM dossiers WHERE completed_at >= \(bind: start) AND completed_at < \
            \(bind: end)
              AND result_json IS NOT NULL AND \(SummaryReport.scopeCondition(scope)) GROUP BY agency_id
            """
        ).all(decoding: Signed.self)
        let electronic = Dictionary(uniqueKeysWithValues: signed.map { ($0.agency_id, $0.n) })
        // Fees paid in the month (the partial index of paid payments), and those the payment platform confirmed online.
        struct Paid: Decodable { let agency_id: UUID; let n: Int; let online: Int }
        let paid = try await sql.raw(
            """
            SELECT agency_id, count(*) AS n, CAST(coalesce(sum(CASE WHEN method = \
            \(bind: PaymentMethod.online.rawValue) THEN 1 ELSE 0 END), 0) AS BIGINT) AS online
            FROM payments WHERE status = 'paid' AND paid_at >= \(bind: start) AND paid_at < \(bind: end) AND \
            \(SummaryReport.scopeCondition(scope))
            GROUP BY agency_id
            """
        ).all(decoding: Paid.self)
        let payments = Dictionary(uniqueKeysWithValues: paid.map { ($0.agency_id, (online: $0.online, all: $0.n)) })
        // Dossiers received in the month with a component reused from the applicant's store (the partial
        // index of reused files: few rows).
        struct Reused: Decodable { let agency_id: UUID; let n: Int }
        let reusedRows = try await sql.raw(
            """
            SELECT agency_id, count(*) AS n FROM dossiers WHERE id IN (SELECT dossier_id FROM dossier_files \
            WHERE reused_from IS NOT NULL) AND received_at >= \(bind: start) AND received_at < \(bind: end) AND \
            \(SummaryReport.scopeCondition(scope)) GROUP BY agency_id
            """
        ).all(decoding: Reused.self)
        let reused = Dictionary(uniqueKeysWithValues: reusedRows.map { ($0.agency_id, $0.n) })
        let synced = try await NationalSyncShare.month(first, scope: scope, now: now, on: db)
        func indicators(
            _ c: SummaryCounts, offered: Int, used: Int, ratings r: [Int], electronic: Int,
            payments p: (online: Int, all: Int), reused: Int, synced s: NationalSyncShare.Share
        ) -> Indicators {
            Indicators(
                counts: c, proceduresOffered: offered, proceduresUsed: used, ratings: r, electronicResults: electronic,
                onlinePayments: p.online, payments: p.all, reusedDossiers: reused, synced: (s.onTime, s.all))
        }
        var byAgency: [UUID: Indicators] = [:]
        for id in Set(report.rows.map(\.id)).union(offered.keys).union(ratings.keys).union(payments.keys) {
            let counts = report.rows.first { $0.id == id }?.counts ?? SummaryCounts()
            byAgency[id] = indicators(
                counts, offered: offered[id]?.count ?? 0, used: usedBy[id]?.intersection(offered[id] ?? []).count ?? 0,
                ratings: ratings[id] ?? [0, 0, 0], electronic: electronic[id] ?? 0, payments: payments[id] ?? (0, 0),
                reused: reused[id] ?? 0, synced: synced.byAgency[id] ?? .init())
        }
        let total = indicators(
            report.total, offered: offered.values.reduce(0) { $0 + $1.count },
            used: usedBy.reduce(0) { $0 + $1.value.intersection(offered[$1.key] ?? []).count },
            ratings: ratings.values.reduce([0, 0, 0]) { zip($0, $1).map(+) },
            electronic: electronic.values.reduce(0, +),
            payments: payments.values.reduce((0, 0)) { ($0.online + $1.online, $0.all + $1.all) },
            reused: reused.values.reduce(0, +), synced: synced.total)
        return (byAgency, total)
    }
}

/// `/thong-ke/chi-so-766` and `GET /api/v1/reports/quality-index`.
struct QualityIndexPage {
    struct Point: Encodable { let x: Int; let y: Int; let label: String }
    struct Line: Encodable {
        let name: String; let color: String; let points: String; let dots: [Point]; let legendX: Int;
        let legendTextX: Int
    }
    struct Context: Encodable {
        let layout: PageLayout
        let month: String
        let error: String?
        let headings: [String]
        let rows: [[String]]
        let trendHeadings: [String]
        let trend: [[String]]
        let lines: [Line]
        let months: [Point]
        let query: String
        let scope: String
    }

    /// The month asked (`thang=MM/yyyy`), this month by default.
    static func month(_ text: String?, now: Date) throws -> LocalDate {
        let today = VietnamTime.local(now).date
        guard let text, !text.isEmpty else { return LocalDate(year: today.year, month: today.month, day: 1)! }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let m = Int(parts[0]), let y = Int(parts[1]), (1990...2200).contains(y),
            let first = LocalDate(year: y, month: m, day: 1)
        else {
            throw ServiceError(.unprocessableEntity, "Tháng phải có dạng mm/yyyy, ví dụ 03/2026.")
        }
        return first
    }

    /// The month's table (agencies and the whole scope) and the trend of the twelve months to it.
    static func compute(_ first: LocalDate, actor: Actor, now: Date, on db: any Database) async throws
        -> (table: ReportTable, trend: [(LocalDate, QualityIndex.Indicators)])
    {
        let scope = try ReportCriteria.scope(of: actor)
        let (byAgency, total) = try await QualityIndex.month(first, scope: scope, now: now, on: db)
        let names = try await ReportNames.load(.agency, on: db)
        var rows: [[SheetCell]] = byAgency.sorted { names.code(of: $0.key) < names.code(of: $1.key) }.enumerated().map {
            i, e in
            [.integer(i + 1), .text(names.name(of: e.key))] + e.value.cells
        }
        rows.append([.text(""), .text("Toàn bộ phạm vi")] + total.cells)
        var trend: [(LocalDate, QualityIndex.Indicators)] = []
        var m = first
        for _ in 0..<12 {
            trend.insert(
                (m, m == first ? total : try await QualityIndex.month(m, scope: scope, now: now, on: db).total), at: 0)
            m =
                m.month == 1
                ? LocalDate(year: m.year - 1, month: 12, day: 1)! : LocalDate(year: m.year, month: m.month - 1, day: 1)!
        }
        let table = ReportTable(
            title: "Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)", sheet: "766",
            criteria: [
                "Tháng \(String(format: "%02d", first.month))/\(first.year)",
                """
                Tính từ dữ liệu của phần mềm MotCua; kết quả điện tử là kết quả được ký số khi Ký duyệt; thanh \
                toán trực tuyến là khoản phí do nền tảng thanh toán xác nhận trên tổng số khoản phí đã thu trong \
                tháng
                """,
            ],
            headings: ["STT", "Cơ quan"] + QualityIndex.headings, rows: rows,
            widths: [6, 44] + Array(repeating: 16, count: 6))
        return (table, trend)
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        let text = req.query[String.self, at: "thang"]
        let now = Date()
        let first: LocalDate
        do { first = try Self.month(text, now: now) } catch let error as ServiceError {
            return try await render(req, month: text ?? "", result: nil, error: error.reason).encodeResponse(
                status: .unprocessableEntity, for: req)
        }
        let result = try await Self.compute(first, actor: actor, now: now, on: req.reportDB)
        if let tep = req.query[String.self, at: "tep"] {
            guard let format = ReportTable.Format(rawValue: tep) else {
                throw ServiceError(.unprocessableEntity, "Định dạng tệp phải là xlsx hoặc csv.")
            }
            return try await result.table.file(format, name: "chi-so-766-\(first.iso.prefix(7))", for: req)
        }
        return try await render(
            req, month: String(format: "%02d/%d", first.month, first.year), result: result, error: nil
        ).encodeResponse(for: req)
    }

    func render(
        _ req: Request, month: String, result: (table: ReportTable, trend: [(LocalDate, QualityIndex.Indicators)])?,
        error: String?
    ) async throws -> View {
        let actor = try req.actor()
        var lines: [Line] = []
        var months: [Point] = []
        var trend: [[String]] = []
        if let result {
            // A 760 x 240 plot: twelve months across, 0 to 100% up.
            func x(_ i: Int) -> Int { 60 + i * 60 }
            func y(_ v: Double) -> Int { 220 - Int((v * 200).rounded()) }
            months = result.trend.enumerated().map {
                Point(x: x($0), y: 238, label: String(format: "%02d/%02d", $1.0.month, $1.0.year % 100))
            }
            let series: [(String, String, KeyPath<QualityIndex.Indicators, Double?>)] = [
                ("Đúng hạn", "#b71c1c", \.onTimeRate), ("Trực tuyến", "#1565c0", \.onlineShare),
                ("Hài lòng", "#2e7d32", \.satisfactionRate),
                ("Kết quả điện tử", "#6a1b9a", \.electronicResultShare),
                ("Thanh toán trực tuyến", "#e65100", \.onlinePaymentShare),
            ]
            for (name, color, path) in series {
                let dots = result.trend.enumerated().compactMap { i, e in
                    e.1[keyPath: path].map { Point(x: x(i), y: y($0), label: SheetCell.rate($0).text) }
                }
                lines.append(
                    Line(
                        name: name, color: color, points: dots.map { "\($0.x),\($0.y)" }.joined(separator: " "),
                        dots: dots, legendX: 60 + lines.count * 130, legendTextX: 76 + lines.count * 130))
            }
            trend = result.trend.map { [String(format: "%02d/%d", $0.0.month, $0.0.year)] + $0.1.cells.map(\.pageText) }
        }
        return try await req.view.render(
            "Reports/quality-index",
            Context(
                layout: PageLayout("Thống kê báo cáo", req), month: month, error: error,
                headings: result?.table.headings ?? [], rows: result?.table.rows.map { $0.map(\.pageText) } ?? [],
                trendHeadings: ["Tháng"] + QualityIndex.headings, trend: trend, lines: lines, months: months,
                query: "thang=\(month)", scope: try await SummaryPage.scopeName(actor, on: req.db)))
    }

    /// The API: the month's table, as JSON (`StandardReportsAPI.Table`) or a file.
    func api(req: Request) async throws -> Response {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        struct Query: Content { var month: String?; var format: String? }
        let q = try req.query.decode(Query.self)
        var first = try Self.month(nil, now: Date())
        if let m = q.month {
            guard m.count == 7, let d = LocalDate(iso: m + "-01"), (1990...2200).contains(d.year) else {
                throw ServiceError(.unprocessableEntity, "Tháng (month) phải có dạng YYYY-MM.")
            }
            first = d
        }
        let format = try ReportsAPI.format(q.format)
        let result = try await Self.compute(first, actor: actor, now: Date(), on: req.reportDB)
        if let format {
            return try await result.table.file(format, name: "chi-so-766-\(first.iso.prefix(7))", for: req)
        }
        let t = result.table
        return try await StandardReportsAPI.Table(
            report: "quality-index", title: t.title, criteria: t.criteria, columns: t.headings,
            rows: t.rows.map { $0.map(StandardReportsAPI.JSONCell.init) }
        ).encodeResponse(for: req)
    }
}

extension QualityIndicators {
    var cells: [SheetCell] { values.map(SheetCell.rate) }
}

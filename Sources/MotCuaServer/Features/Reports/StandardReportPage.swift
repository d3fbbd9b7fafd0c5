import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The reports of the manual (3.5.1 to 3.5.16) and the agency evaluation: an index, then each with
/// the criteria of 3.3, its table, a print view and its files; the API answers the same table.
struct StandardReportPage {
    struct Form: Content {
        var nhom: String?
        var tuNgay: String?
        var denNgay: String?
        var donVi: String?
        var tep: String?
        var `in`: String?
        var ma: String?
        var trang: Int?
        /// "Gộp cơ quan đã sáp nhập vào cơ quan kế thừa": agencies under their successor.
        var gop: String?

        enum CodingKeys: String, CodingKey {
            case nhom, tuNgay = "tu-ngay", denNgay = "den-ngay", donVi = "don-vi", tep, `in`, ma, trang, gop
        }

        var summaryForm: SummaryPage.Form { SummaryPage.Form(nhom: nhom, tuNgay: tuNgay, denNgay: denNgay, gop: gop) }
    }

    struct Entry: Encodable { let number: String; let title: String; let link: String }
    struct Choice: Encodable { let value: String; let label: String; let selected: Bool }
    struct Cell: Encodable { let text: String; let link: String?; var numeric = false }

    struct Context: Encodable {
        let layout: PageLayout
        let title: String
        let number: String
        let action: String
        let groups: [Choice]
        let units: [Choice]
        let showGroup: Bool
        let showUnit: Bool
        let underSuccessor: Bool
        let evaluation: Bool
        let from: String, to: String
        let error: String?
        let criteria: [String]
        let issuer: String
        let headings: [String]
        let rows: [[Cell]]
        let query: String
        let printedAt: String
        let list: SummaryPage.ListContext?
        let chart: StackedBars?
    }

    func index(req: Request) async throws -> View {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        struct IndexContext: Encodable { let layout: PageLayout; let entries: [Entry] }
        let entries =
            [Entry(number: "II.06a", title: "Tổng hợp tình hình giải quyết TTHC (Biểu số II.06a)", link: "/thong-ke")]
            + StandardReport.allCases.map {
                Entry(number: $0.number, title: $0.title, link: "/thong-ke/bao-cao/\($0.rawValue)")
            }
            + [
                Entry(
                    number: "766", title: "Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)",
                    link: "/thong-ke/chi-so-766"),
                Entry(number: "Tuỳ chọn", title: "Báo cáo tuỳ chọn: tạo báo cáo theo cột", link: "/thong-ke/tuy-chon"),
            ]
        return try await req.view.render(
            "Reports/index", IndexContext(layout: PageLayout("Thống kê báo cáo", req), entries: entries))
    }

    /// The unit a report is narrowed to: an agency within the user's scope, or none.
    static func unit(_ text: String?, actor: Actor, on db: any Database) async throws -> UUID? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text), let agency = try await AgencyModel.find(id, on: db),
            actor.scope.contains(agency: agency.id!, department: actor.departmentID, owner: nil)
        else {
            throw ServiceError(.unprocessableEntity, "Đơn vị không hợp lệ hoặc ngoài phạm vi của bạn.")
        }
        return id
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        guard let report = req.parameters.get("report").flatMap(StandardReport.init(rawValue:)) else {
            throw ServiceError(.notFound, "Không có báo cáo này.")
        }
        let form = try req.query.decode(Form.self)
        let now = Date()
        var criteria: ReportCriteria
        let unit: UUID?
        do {
            criteria = try SummaryPage.criteria(form.summaryForm, actor: actor, now: now)
            unit = try await Self.unit(form.donVi, actor: actor, on: req.db)
        } catch let error as ServiceError {
            return try await render(
                req, report: report, form: form, result: nil, criteria: nil, error: error.reason, print: false
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
        if report == .unitYearly || report == .satisfactionYearly, form.tuNgay == nil {
            criteria.from = LocalDate(year: criteria.to.year, month: 1, day: 1)!
        }
        let result = try await report.make(criteria, unit: unit, now: now, on: req.reportDB)
        if let tep = form.tep {
            guard let format = ReportTable.Format(rawValue: tep) else {
                throw ServiceError(.unprocessableEntity, "Định dạng tệp phải là xlsx hoặc csv.")
            }
            return try await result.table.file(
                format, name: "bao-cao-\(report.rawValue)-\(criteria.from.iso)-\(criteria.to.iso)", for: req)
        }
        return try await render(
            req, report: report, form: form, result: result, criteria: criteria, unit: unit, error: nil,
            print: form.in == "1"
        ).encodeResponse(for: req)
    }

    /// `unit`: the form's unit, already checked against the user's scope (nil with no criteria).
    func render(
        _ req: Request, report: StandardReport, form: Form, result: StandardReportResult?, criteria c: ReportCriteria?,
        unit: UUID? = nil, error: String?, print: Bool
    ) async throws -> View {
        let actor = try req.actor()
        let group = c?.group ?? SummaryPage.groupSlugs.first { $0.slug == form.nhom }?.group ?? .agency
        var query = c.map(SummaryPage.query) ?? ""
        if let unit = form.donVi, !unit.isEmpty { query += "&don-vi=\(unit)" }
        let base = "/thong-ke/bao-cao/\(report.rawValue)?\(query)"
        // The unit summary is II.06a by procedure: its numbers open the summary's own drill-down.
        let summaryQuery =
            c.map { c in
                var byProcedure = c
                byProcedure.group = .procedure
                return SummaryPage.query(byProcedure)
                    + (form.donVi.flatMap { $0.isEmpty ? nil : "&don-vi=\($0)" } ?? "")
            } ?? ""
        let rows =
            result.map { r in
                r.table.rows.enumerated().map { i, cells in
                    cells.enumerated().map { k, cell -> Cell in
                        var link: String?
                        if cell != .integer(0), let row = r.links[i] {
                            // A list report's count opens its dossiers; a unit summary's number its column's.
                            if report.isList && k == 3 { link = base + "&" + row + "#ho-so" }
                            // An agency's evaluation opens the scores of indicators 5 to 8, for those who enter them.
                            if report == .agencyEvaluation && k == 1 && Access.allows(actor.roles, .evaluationScores) {
                                link = EvaluationScoresPage.path + "?" + row
                            }
                            if report == .unitSummary, (3..<14).contains(k) {
                                link =
                                    "/thong-ke/ho-so?\(summaryQuery)&cot=\(SummaryColumn.allCases[k - 3].rawValue)"
                                    + (row.isEmpty ? "" : "&" + row)
                            }
                        }
                        return Cell(text: cell.pageText, link: link, numeric: cell.isNumber)
                    }
                }
            } ?? []
        var list: SummaryPage.ListContext?
        if report.isList, let c, form.ma != nil || form.trang != nil {
            list = try await Self.dossiers(report, criteria: c, unit: unit, form: form, base: base, req: req)
        }
        let scope = try await SummaryPage.scopeName(actor, on: req.db)
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$code).all()
            .filter { actor.scope.contains(agency: $0.id!, department: actor.departmentID, owner: nil) }
        return try await req.view.render(
            print ? "Reports/report-print" : "Reports/report",
            Context(
                layout: PageLayout("Thống kê báo cáo", req), title: report.title, number: report.number,
                action: "/thong-ke/bao-cao/\(report.rawValue)",
                groups: SummaryPage.groupSlugs.map {
                    Choice(value: $0.slug, label: $0.group.vietnameseName, selected: $0.group == group)
                },
                units: [Choice(value: "", label: "Tất cả trong phạm vi", selected: (form.donVi ?? "").isEmpty)]
                    + agencies.map {
                        Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == form.donVi)
                    },
                showGroup: report.isList || report == .satisfaction, showUnit: agencies.count > 1,
                underSuccessor: c?.underSuccessor ?? (form.gop == "1"),
                evaluation: report == .agencyEvaluation,
                from: c?.from.vietnamese ?? form.tuNgay ?? "", to: c?.to.vietnamese ?? form.denNgay ?? "", error: error,
                criteria: (result?.table.criteria ?? []) + ["Phạm vi: \(scope)"],
                issuer: try await SummaryPage.issuer(actor, on: req.db) ?? scope,
                headings: result?.table.headings ?? [], rows: rows, query: query, printedAt: PageTime.dateTime(Date()),
                list: list,
                chart: result.flatMap { Self.chart(report, $0.table) }))
    }

    /// The chart a leader would rather look at: receipts per month by channel for the year,
    /// the shares of the satisfaction answers per row.
    static func chart(_ report: StandardReport, _ table: ReportTable) -> StackedBars? {
        func int(_ c: SheetCell) -> Int { if case .integer(let n) = c { n } else { 0 } }
        switch report {
        case .unitYearly:
            return StackedBars(
                caption: "Hồ sơ tiếp nhận mới theo tháng và kênh", series: ["Trực tuyến", "Trực tiếp, bưu chính"],
                rows: table.rows.dropLast().map { ($0[0].text, [int($0[2]), int($0[3])]) }, shares: false)
        case .satisfaction:
            return StackedBars(
                caption: "Tỷ lệ các mức đánh giá", series: ["Rất hài lòng", "Hài lòng", "Không hài lòng"],
                rows: table.rows.map { ($0[2].text, [int($0[4]), int($0[5]), int($0[6])]) }, shares: true)
        case .satisfactionYearly:
            return StackedBars(
                caption: "Số lượt đánh giá theo tháng", series: ["Rất hài lòng", "Hài lòng", "Không hài lòng"],
                rows: table.rows.dropLast().map { ($0[0].text, [int($0[2]), int($0[3]), int($0[4])]) }, shares: false)
        default:
            return nil
        }
    }

    /// The dossiers behind one count of a list report (or all of them), 20 a page.
    static func dossiers(
        _ report: StandardReport, criteria c: ReportCriteria, unit: UUID?, form: Form, base: String,
        req: Request
    ) async throws -> SummaryPage.ListContext {
        let sql = req.db as! any SQLDatabase
        let c = c.narrowed(to: unit)
        var filters = SummaryReport.scopeCondition(c.scope)
        var group: String?, groupID: UUID?
        if let ma = form.ma, !ma.isEmpty {
            guard let id = UUID(uuidString: ma) else {
                throw ServiceError(.unprocessableEntity, "Mã nhóm không hợp lệ.")
            }
            // Under its successor, a merged agency's row lists the dossiers of every agency merged into it.
            let ids = c.mergesAgencies ? try await ReportNames.load(.agency, on: req.db).merged(into: id) : [id]
            filters += " AND \(unsafeRaw: c.group.column) IN (\(binds: ids))"
            group = "\(c.group.vietnameseName): \(try await ReportNames.load(c.group, on: req.db).name(of: id))"
            groupID = id
        }
        let page = form.trang ?? 1
        guard (1...10_000).contains(page) else { throw ServiceError(.unprocessableEntity, "Số trang không hợp lệ.") }
        // The count is the report's own number, from the tallies (the replay test holds it equal to
        // the dossiers this condition selects); the page walks the index of the list's date from
        // the period's end, so neither reads the period's dossiers.
        let counted = try await report.counts(c, on: req.db)
        let total =
            groupID.map { id in counted.first { $0.group == id }?.count ?? 0 } ?? counted.reduce(0) { $0 + $1.count }
        // A status list of few dossiers among many dates (results awaiting collection among years of
        // returned ones) is read by its status and sorted: walking the dates would pass them all.
        let sparse =
            total <= 2_000 && sql.dialect.name == "sqlite" && report != .receivedDirect && report != .receivedOnline
        let condition = report.condition(start: c.start, end: c.end, datesUnindexed: sparse)! + " AND " + filters
        let items =
            total == 0
            ? []
            : try await sql.raw(
                """
                SELECT \(unsafeRaw: ExportedDossier.columns) FROM dossiers WHERE \(condition)
                ORDER BY \(unsafeRaw: report.listDate.column) DESC, id DESC LIMIT 20 OFFSET \(literal: (page - 1) * 20)
                """
            ).all(decoding: ExportedDossier.self)
        let names = try await ExportNames.load(on: req.db)
        let here = base + (form.ma.map { "&ma=\($0)" } ?? "")
        return SummaryPage.ListContext(
            layout: PageLayout("Thống kê báo cáo", req), title: report.title, group: group, criteria: [], total: total,
            items: items.map { d in
                SummaryPage.ListContext.Item(
                    code: d.code, applicant: d.applicant_name, procedure: names.procedures[d.procedure_id] ?? "",
                    agency: names.agencies[d.agency_id] ?? "", received: d.received_at.map(PageTime.dateTime) ?? "",
                    due: d.due_at.map(PageTime.dateTime) ?? "", finished: d.completed_at.map(PageTime.dateTime) ?? "",
                    status: d.cell(.status, names: names, now: Date()).text)
            },
            back: base, page: page, per: 20
        ) { here + "&trang=\($0)#ho-so" }
    }
}

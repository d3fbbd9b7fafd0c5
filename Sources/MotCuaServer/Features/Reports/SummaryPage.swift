import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Thống kê báo cáo" (manual section 3): Biểu số II.06a on screen with its criteria (3.3), each
/// number linking to its dossiers, a chart of the on-time rate, a print view (A4 landscape, the
/// national heading) and the Excel and CSV files, all from one `ReportTable`.
struct SummaryPage {
    /// The criteria as the page's form sends them.
    struct Form: Content {
        var nhom: String?
        var tuNgay: String?
        var denNgay: String?
        var gop: String?
        var tep: String?
        var `in`: String?
        var ma: String?
        var cot: String?
        var trang: Int?
        /// A unit (agency) the numbers were narrowed to (report 3.5.12).
        var donVi: String?

        enum CodingKeys: String, CodingKey {
            case nhom, tuNgay = "tu-ngay", denNgay = "den-ngay", gop, tep, `in`, ma, cot, trang, donVi = "don-vi"
        }
    }

    static let groupSlugs: [(slug: String, group: ReportGroup)] = [
        ("co-quan", .agency), ("thu-tuc", .procedure), ("linh-vuc", .field),
    ]

    struct Choice: Encodable { let value: String; let label: String; let selected: Bool }
    struct Cell: Encodable { let text: String; let link: String? }
    struct Row: Encodable { let cells: [Cell]; let total: Bool }
    struct Bar: Encodable {
        let label: String; let y: Int; let width: Int; let value: String; let textY: Int; let valueX: Int
    }

    struct Context: Encodable {
        let layout: PageLayout
        let groups: [Choice]
        let from: String, to: String
        let underSuccessor: Bool
        let error: String?
        let scope: String
        /// The agency heading of the print: the user's agency, or the province.
        let issuer: String
        let heading: String
        let criteria: [String]
        let groupHeading: String
        let rows: [Row]
        let bars: [Bar]
        let chartHeight: Int
        let query: String
        let printedAt: String
        /// What centres received for other agencies in the period (Nghị định 118/2025), if any.
        let boundary: BoundaryReceptions?
    }

    /// The form read into criteria; a bad date or period is a message beside the form, with what
    /// was typed kept.
    static func criteria(_ form: Form, actor: Actor, now: Date) throws -> ReportCriteria {
        let scope = try ReportCriteria.scope(of: actor)
        let group = groupSlugs.first { $0.slug == (form.nhom ?? "co-quan") }?.group ?? .agency
        let (from, to) = try ReportCriteria.period(from: form.tuNgay, to: form.denNgay, now: now)
        return ReportCriteria(group: group, from: from, to: to, underSuccessor: form.gop == "1", scope: scope)
    }

    /// The criteria as a query string, for links that keep them.
    static func query(_ c: ReportCriteria) -> String {
        let slug = groupSlugs.first { $0.group == c.group }!.slug
        return "nhom=\(slug)&tu-ngay=\(c.from.vietnamese)&den-ngay=\(c.to.vietnamese)"
            + (c.underSuccessor ? "&gop=1" : "")
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        let form = try req.query.decode(Form.self)
        let now = Date()
        let criteria: ReportCriteria
        do { criteria = try Self.criteria(form, actor: actor, now: now) } catch let error as ServiceError {
            return try await render(req, form: form, report: nil, error: error.reason, print: false).encodeResponse(
                status: .unprocessableEntity, for: req)
        }
        let db = req.reportDB
        let report = try await SummaryReport.make(criteria, now: now, on: db)
        if let tep = form.tep {
            guard let format = ReportTable.Format(rawValue: tep) else {
                throw ServiceError(.unprocessableEntity, "Định dạng tệp phải là xlsx hoặc csv.")
            }
            return try await report.table.file(
                format, name: "bieu-II.06a-\(criteria.from.iso)-\(criteria.to.iso)", for: req)
        }
        let boundary = try await BoundaryReceptions.make(criteria, on: db)
        return try await render(
            req, form: form, report: report, boundary: boundary.rows.isEmpty ? nil : boundary, error: nil,
            print: form.in == "1"
        ).encodeResponse(for: req)
    }

    func render(
        _ req: Request, form: Form, report: SummaryReport?, boundary: BoundaryReceptions? = nil, error: String?,
        print: Bool
    ) async throws -> View {
        let actor = try req.actor()
        let scope = try await Self.scopeName(actor, on: req.db)
        let c = report?.criteria
        let selected = c?.group ?? Self.groupSlugs.first { $0.slug == form.nhom }?.group ?? .agency
        var rows: [Row] = []
        var bars: [Bar] = []
        if let report, let c {
            let query = Self.query(c)
            let table = report.table
            for (i, cells) in table.rows.enumerated() {
                let id = i < report.rows.count ? report.rows[i].id : nil
                // STT, code, name, then the eleven numbers (each a link to its dossiers), the rate.
                let numbers = SummaryColumn.allCases.enumerated().map { k, column -> Cell in
                    let cell = cells[3 + k]
                    let link =
                        cell == .integer(0)
                        ? nil
                        : "/thong-ke/ho-so?\(query)&cot=\(column.rawValue)" + (id.map { "&ma=\($0.uuidString)" } ?? "")
                    return Cell(text: cell.pageText, link: link)
                }
                rows.append(
                    Row(
                        cells: [
                            Cell(text: cells[0].pageText, link: nil), Cell(text: cells[1].pageText, link: nil),
                            Cell(text: cells[2].pageText, link: nil),
                        ] + numbers + [Cell(text: cells[14].pageText, link: nil)],
                        total: id == nil))
            }
            for (i, r) in report.rows.filter({ $0.counts.onTimeRate != nil }).prefix(30).enumerated() {
                let rate = r.counts.onTimeRate!
                let width = Int((rate * 420).rounded())
                bars.append(
                    Bar(
                        label: String(r.name.prefix(44)), y: 10 + i * 24, width: width,
                        value: SheetCell.rate(rate).text,
                        textY: 25 + i * 24, valueX: 345 + width))
            }
        }
        let context = Context(
            layout: PageLayout("Thống kê báo cáo", req),
            groups: Self.groupSlugs.map {
                Choice(value: $0.slug, label: $0.group.vietnameseName, selected: $0.group == selected)
            },
            from: c?.from.vietnamese ?? form.tuNgay ?? "", to: c?.to.vietnamese ?? form.denNgay ?? "",
            underSuccessor: c?.underSuccessor ?? (form.gop == "1"), error: error, scope: scope,
            issuer: try await Self.issuer(actor, on: req.db) ?? scope,
            heading: report?.table.title ?? "", criteria: (report?.table.criteria ?? []) + ["Phạm vi: \(scope)"],
            groupHeading: selected.vietnameseName, rows: rows, bars: bars, chartHeight: 20 + bars.count * 24,
            query: c.map(Self.query) ?? "", printedAt: PageTime.dateTime(Date()), boundary: boundary)
        return try await req.view.render(print ? "Reports/summary-print" : "Reports/summary", context)
    }

    /// The agency a printed report is issued by: the user's own, or the province's.
    static func issuer(_ actor: Actor, on db: any Database) async throws -> String? {
        if let agency = actor.agencyID { return try await AgencyModel.find(agency, on: db)?.name }
        return try await AgencyModel.query(on: db).filter(\.$kind == AgencyKind.province.rawValue).first()?.name
    }

    /// "Phòng ..., Cơ quan ...", "Cơ quan ..." or "Toàn tỉnh".
    static func scopeName(_ actor: Actor, on db: any Database) async throws -> String {
        switch actor.scope {
        case .everything: return "Toàn tỉnh"
        case .agency(let a): return try await AgencyModel.find(a, on: db)?.name ?? ""
        case .department(let a, let d):
            let agency = try await AgencyModel.find(a, on: db)?.name ?? ""
            let department = try await DepartmentModel.find(d, on: db)?.name ?? ""
            return department + ", " + agency
        case .own: return ""
        }
    }

    // MARK: Drill-down

    struct ListContext: Encodable {
        struct Item: Encodable {
            let code: String, applicant: String, procedure: String, agency: String, received: String, due: String,
                finished: String, status: String
        }
        let layout: PageLayout
        let title: String
        let group: String?
        let criteria: [String]
        let total: String
        let items: [Item]
        let back: String
        let page: Int, pages: Int
        let previous: String?, next: String?

        /// A page of `per` of a list of `total` dossiers; `link(n)` is the address of page n. The
        /// drill-downs of II.06a and of the list reports share it.
        init(
            layout: PageLayout, title: String, group: String?, criteria: [String], total: Int, items: [Item],
            back: String,
            page: Int, per: Int, link: (Int) -> String
        ) {
            self.layout = layout
            self.title = title
            self.group = group
            self.criteria = criteria
            self.total = PageTime.number(total)
            self.items = items
            self.back = back
            self.page = page
            pages = max(1, (total + per - 1) / per)
            previous = page > 1 ? link(page - 1) : nil
            next = page < pages ? link(page + 1) : nil
        }
    }

    /// `/thong-ke/ho-so`: the dossiers behind one number of the summary.
    func list(req: Request) async throws -> View {
        let actor = try req.actor()
        let form = try req.query.decode(Form.self)
        let now = Date()
        let unit = try await StandardReportPage.unit(form.donVi, actor: actor, on: req.db)
        let criteria = try Self.criteria(form, actor: actor, now: now).narrowed(to: unit)
        guard let column = form.cot.flatMap(SummaryDrillDown.Column.init(rawValue:)) else {
            throw ServiceError(.unprocessableEntity, "Cột số liệu không hợp lệ.")
        }
        var groupID: UUID?
        if let ma = form.ma, !ma.isEmpty {
            guard let id = UUID(uuidString: ma) else {
                throw ServiceError(.unprocessableEntity, "Mã nhóm không hợp lệ.")
            }
            groupID = id
        }
        let page = form.trang ?? 1
        guard (1...10_000).contains(page) else { throw ServiceError(.unprocessableEntity, "Số trang không hợp lệ.") }
        let per = 20
        let drill = SummaryDrillDown(criteria: criteria, column: column, groupID: groupID, now: now)
        let (items, total) = try await drill.run(page: page, per: per, on: req.reportDB)
        let names = try await ReportNames.load(criteria.group, on: req.db)
        let agencies = criteria.group == .agency ? names : try await ReportNames.load(.agency, on: req.db)
        let procedures = criteria.group == .procedure ? names : try await ReportNames.load(.procedure, on: req.db)
        let query =
            Self.query(criteria) + "&cot=\(column.rawValue)" + (groupID.map { "&ma=\($0.uuidString)" } ?? "")
            + (unit.map { "&don-vi=\($0.uuidString)" } ?? "")
        return try await req.view.render(
            "Reports/summary-list",
            ListContext(
                layout: PageLayout("Thống kê báo cáo", req),
                title: column.description,
                group: groupID.map { "\(criteria.group.vietnameseName): \(names.name(of: $0))" },
                criteria: [
                    "Từ ngày \(criteria.from.vietnamese) đến ngày \(criteria.to.vietnamese)",
                    "Số liệu đang giải quyết tính đến \(PageTime.dateTime(drill.asOf))",
                ],
                total: total,
                items: items.map { d in
                    ListContext.Item(
                        code: d.code, applicant: d.applicantName, procedure: procedures.name(of: d.procedureID),
                        agency: agencies.name(of: d.agencyID), received: d.receivedAt.map(PageTime.dateTime) ?? "",
                        due: d.dueAt.map(PageTime.dateTime) ?? "", finished: d.finishedAt.map(PageTime.dateTime) ?? "",
                        status: d.state.vietnameseName)
                },
                back: "/thong-ke?" + Self.query(criteria), page: page, per: per
            ) { "/thong-ke/ho-so?\(query)&trang=\($0)" })
    }
}

extension SheetCell {
    var isNumber: Bool {
        switch self {
        case .integer, .decimal, .rate: true
        default: false
        }
    }

    /// On screen numbers carry the Vietnamese thousands dot.
    var pageText: String {
        if case .integer(let n) = self { return PageTime.number(n) }
        return text
    }
}

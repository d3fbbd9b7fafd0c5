import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Tuỳ chọn", then "Tạo báo cáo": the user ticks any of the 24 columns, chooses the receipt dates
/// and a status, and gets the matching dossiers of their scope with exactly those columns in that
/// order, 20 a page, on screen, in Excel and in CSV; the report can be saved under a name, private
/// or shared within the agency, reopened, renamed and deleted.
struct CustomReportPage {
    struct Criteria: Content {
        var cot: [Int]?
        var tuNgay: String?
        var denNgay: String?
        var trangThai: String?
        var trang: Int?
        var tep: String?
        /// The order: a sortable column's number, negative for descending (`DossierColumn.order`).
        var sapXep: String?

        enum CodingKeys: String, CodingKey {
            case cot, tuNgay = "tu-ngay", denNgay = "den-ngay", trangThai = "trang-thai", trang, tep
            case sapXep = "sap-xep"
        }
    }

    /// The criteria checked and turned into SQL on the dossiers.
    struct Checked {
        let columns: [DossierColumn]
        let from: LocalDate, to: LocalDate
        let status: Status?
        let order: (column: DossierColumn, descending: Bool)
        let condition: SQLQueryString
        /// The criteria as a query string (without the page), for links and saving.
        let query: String
    }

    static func check(_ c: Criteria, scope: Scope, now: Date) throws -> Checked {
        let picked = c.cot ?? []
        guard !picked.isEmpty else { throw ServiceError(.unprocessableEntity, "Hãy chọn ít nhất một cột cho báo cáo.") }
        guard picked.count <= 24, Set(picked).count == picked.count else {
            throw ServiceError(.unprocessableEntity, "Danh sách cột không hợp lệ.")
        }
        let columns = try picked.map { n -> DossierColumn in
            guard let column = DossierColumn(rawValue: n) else {
                throw ServiceError(.unprocessableEntity, "Không có cột số \(n).")
            }
            return column
        }
        let (from, to) = try ReportCriteria.period(from: c.tuNgay, to: c.denNgay, now: now)
        var status: Status?
        if let s = c.trangThai, !s.isEmpty {
            guard let parsed = Status(rawValue: s) else {
                throw ServiceError(.unprocessableEntity, "Trạng thái không hợp lệ.")
            }
            status = parsed
        }
        let start = VietnamTime.instant(from, secondOfDay: 0),
            end = VietnamTime.instant(to.adding(days: 1), secondOfDay: 0)
        var condition: SQLQueryString =
            "received_at >= \(bind: start) AND received_at < \(bind: end) AND \(SummaryReport.scopeCondition(scope))"
        if let status {
            condition += " AND status = \(bind: status.rawValue)"
        }
        guard let order = DossierColumn.order(c.sapXep) else {
            throw ServiceError(.unprocessableEntity, "Cách sắp xếp không hợp lệ.")
        }
        let query =
            columns.map { "cot[]=\($0.rawValue)" }.joined(separator: "&")
            + "&tu-ngay=\(from.vietnamese)&den-ngay=\(to.vietnamese)"
            + (status.map { "&trang-thai=\($0.rawValue)" } ?? "")
            + (c.sapXep.map { $0.isEmpty ? "" : "&sap-xep=\($0)" } ?? "")
        return Checked(
            columns: columns, from: from, to: to, status: status, order: order, condition: condition, query: query)
    }

    struct Choice: Encodable { let value: String; let label: String; let selected: Bool }
    struct Heading: Encodable { let label: String; let link: String? }
    /// A cell; a dossier's code links to its page.
    struct Cell: Encodable { let text: String; let link: String? }
    struct Saved: Encodable { let id: UUID; let name: String; let link: String; let mine: Bool; let shared: Bool }

    struct Context: Encodable {
        let layout: PageLayout
        let columns: [Choice]
        let statuses: [Choice]
        let from: String, to: String
        let error: String?
        let notice: String?
        /// Each column's heading, with the link that sorts by it (a second click reverses it).
        let headings: [Heading]
        /// The order, kept when the criteria are changed.
        let sort: String?
        let rows: [[Cell]]
        let total: String?
        let query: String
        let saved: [Saved]
        let name: String
        let page: Int, pages: Int
        let previous: String?, next: String?
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        let scope = try ReportCriteria.scope(of: actor)
        let criteria = try req.query.decode(Criteria.self)
        // The first visit: the form only.
        guard criteria.cot != nil || criteria.tuNgay != nil else {
            return try await render(req, criteria: criteria, result: nil, error: nil, notice: Self.notice(req))
                .encodeResponse(for: req)
        }
        let now = Date()
        let checked: Checked
        do { checked = try Self.check(criteria, scope: scope, now: now) } catch let error as ServiceError {
            return try await render(req, criteria: criteria, result: nil, error: error.reason, notice: nil)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        if let tep = criteria.tep {
            guard ["xlsx", "csv"].contains(tep) else {
                throw ServiceError(.unprocessableEntity, "Định dạng tệp phải là xlsx hoặc csv.")
            }
            return try await req.export {
                if tep == "xlsx" {
                    let (writer, _) = try await DossierExport.xlsx(
                        columns: checked.columns, condition: checked.condition, now: now, on: req.reportDB)
                    return try await writer.response(name: "bao-cao-tuy-chon", for: req)
                }
                let text = try await DossierExport.csv(
                    columns: checked.columns, condition: checked.condition, now: now, on: req.reportDB)
                return ReportTable.csvResponse(text, name: "bao-cao-tuy-chon")
            }
        }
        let page = criteria.trang ?? 1
        guard (1...500).contains(page) else { throw ServiceError(.unprocessableEntity, "Số trang không hợp lệ.") }
        return try await render(
            req, criteria: criteria, result: (checked, page, now), error: nil, notice: Self.notice(req)
        ).encodeResponse(for: req)
    }

    func render(_ req: Request, criteria: Criteria, result: (Checked, Int, Date)?, error: String?, notice: String?)
        async throws -> View
    {
        let actor = try req.actor()
        let picked = Set(result?.0.columns.map(\.rawValue) ?? criteria.cot ?? [1, 3, 7, 15, 16, 20, 24])
        var headings: [Heading] = [], rows: [[Cell]] = []
        var sortRefused: String?
        var total: String?
        var pages = 1
        let per = 20
        let page = result?.1 ?? 1
        if let (checked, page, now) = result {
            let db = req.reportDB, sql = db as! any SQLDatabase
            // Counted up to a window, as "Tra cứu hồ sơ" does, so that the first page stays fast on any
            // scope (a file still holds up to `DossierExport.maximumRows`).
            let window = 10_000
            let n = try await sql.count(
                """
                SELECT count(*) AS n FROM (SELECT 1 FROM dossiers WHERE \(checked.condition) LIMIT \
                \(literal: window + 1)) t
                """
            )
            total = n > window ? "hơn \(PageTime.number(window))" : PageTime.number(n)
            pages = max(1, (min(n, window) + per - 1) / per)
            let names = try await ExportNames.load(on: db)
            // In the chosen order, ties by id. The receipt time (the default) walks its index in order;
            // another column sorts every match, so only up to the window (a year of a province sorted
            // by name read a million rows: 52 s): beyond it the receipt order, and the reason.
            var order = checked.order
            if n > window, order.column != .receivedAt {
                sortRefused =
                    """
                    Chỉ sắp xếp theo “\(order.column.heading)” khi báo cáo có tối đa \(PageTime.number(window)) hồ \
                    sơ: hãy thu hẹp khoảng ngày hoặc chọn trạng thái. Bảng dưới đây theo ngày tiếp nhận.
                    """
                order = (.receivedAt, false)
            }
            let key = order.column.sortColumn!, direction = order.descending ? "DESC" : "ASC"
            let items = try await sql.raw(
                """
                SELECT \(unsafeRaw: ExportedDossier.columns) FROM dossiers WHERE \(checked.condition)
                ORDER BY \(ident: key) \(unsafeRaw: direction), id \(unsafeRaw: direction) \
                LIMIT \(literal: per) OFFSET \(literal: (page - 1) * per)
                """
            ).all(decoding: ExportedDossier.self)
            let base =
                "/thong-ke/tuy-chon?"
                + checked.query.replacingOccurrences(
                    of: #"&sap-xep=-?\d+"#, with: "", options: .regularExpression)
            headings = checked.columns.map { column in
                guard column.sortColumn != nil else { return Heading(label: column.heading, link: nil) }
                let current = order.column == column
                let arrow = current ? (order.descending ? " ▼" : " ▲") : ""
                let next = current && !order.descending ? "-\(column.rawValue)" : "\(column.rawValue)"
                return Heading(label: column.heading + arrow, link: base + "&sap-xep=\(next)")
            }
            rows = items.map { d in
                checked.columns.map { column in
                    let text = d.cell(column, names: names, now: now).pageText
                    return Cell(text: text, link: column == .code ? "/ho-so/\(text)" : nil)
                }
            }
        }
        let query = result?.0.query ?? ""
        let saved = try await Self.saved(for: actor, on: req.db)
        return try await req.view.render(
            "Reports/custom",
            Context(
                layout: PageLayout("Báo cáo tuỳ chọn", req),
                columns: DossierColumn.allCases.map {
                    Choice(
                        value: String($0.rawValue), label: "\($0.rawValue). \($0.heading)",
                        selected: picked.contains($0.rawValue))
                },
                statuses: [Choice(value: "", label: "Tất cả", selected: result?.0.status == nil)]
                    + Status.allCases.map {
                        Choice(
                            value: $0.rawValue, label: $0.manualName,
                            selected: $0.rawValue == (result?.0.status?.rawValue ?? criteria.trangThai))
                    },
                from: result?.0.from.vietnamese ?? criteria.tuNgay ?? "",
                to: result?.0.to.vietnamese ?? criteria.denNgay ?? "",
                error: error ?? sortRefused, notice: notice, headings: headings, sort: criteria.sapXep, rows: rows,
                total: total,
                query: query,
                saved: saved, name: "", page: page, pages: pages,
                previous: result != nil && page > 1 ? "/thong-ke/tuy-chon?\(query)&trang=\(page - 1)" : nil,
                next: result != nil && page < pages ? "/thong-ke/tuy-chon?\(query)&trang=\(page + 1)" : nil))
    }

    /// The message after a redirect (a code in the address, so that nothing typed is echoed back).
    static func notice(_ req: Request) -> String? {
        switch req.query[String.self, at: "thong-bao"] {
        case "da-luu": "Đã lưu báo cáo."
        case "da-doi-ten": "Đã đổi tên báo cáo."
        case "da-xoa": "Đã xoá báo cáo."
        default: nil
        }
    }

    /// The user's own saved reports and those shared within their agency.
    static func saved(for actor: Actor, on db: any Database) async throws -> [Saved] {
        guard let me = actor.id else { return [] }
        let mine = try await SavedReportModel.query(on: db).filter(\.$ownerID == me).all()
        let shared = try await SavedReportModel.query(on: db).filter(\.$shared == true).filter(\.$ownerID != me)
            .filter(\.$agencyID == actor.agencyID).all()
        return (mine + shared).sorted { $0.name < $1.name }.map {
            Saved(
                id: $0.id!, name: $0.name, link: "/thong-ke/tuy-chon?" + $0.query, mine: $0.ownerID == me,
                shared: $0.shared)
        }
    }

    struct SaveForm: Content { var name: String?; var shared: String?; var query: String? }

    /// "Lưu báo cáo": the criteria of the report shown, under a name.
    func save(req: Request) async throws -> Response {
        let actor = try req.actor()
        let scope = try ReportCriteria.scope(of: actor)
        let form = try req.content.decode(SaveForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.requireName(name)
        // The saved query is checked as if it were opened now, so that only a valid report is kept.
        let query = form.query ?? ""
        guard query.utf8.count <= 2_000, let criteria = try? URLEncodedFormDecoder().decode(Criteria.self, from: query)
        else {
            throw ServiceError(.unprocessableEntity, "Tiêu chí báo cáo không hợp lệ.")
        }
        let checked = try Self.check(criteria, scope: scope, now: Date())
        let report = SavedReportModel()
        report.name = name
        report.ownerID = actor.id!
        report.agencyID = actor.agencyID
        report.shared = form.shared == "1"
        report.query = checked.query
        report.createdAt = Date()
        report.updatedAt = report.createdAt
        try await report.create(on: req.db)
        return req.redirect(to: "/thong-ke/tuy-chon?\(checked.query)&thong-bao=da-luu")
    }

    struct RenameForm: Content { var name: String? }

    func rename(req: Request) async throws -> Response {
        let report = try await Self.own(req)
        let name = (try req.content.decode(RenameForm.self).name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.requireName(name)
        report.name = name
        report.updatedAt = Date()
        try await report.update(on: req.db)
        return req.redirect(to: "/thong-ke/tuy-chon?thong-bao=da-doi-ten")
    }

    func delete(req: Request) async throws -> Response {
        let report = try await Self.own(req)
        try await report.delete(on: req.db)
        return req.redirect(to: "/thong-ke/tuy-chon?thong-bao=da-xoa")
    }

    static func requireName(_ name: String) throws {
        guard !name.isEmpty else { throw ServiceError(.unprocessableEntity, "Hãy nhập tên báo cáo.") }
        try TextInput.require(name, label: "Tên báo cáo", multiline: false, maxLength: 200)
    }

    /// A saved report of the user's own; anyone else's is "not found".
    static func own(_ req: Request) async throws -> SavedReportModel {
        let actor = try req.actor()
        _ = try ReportCriteria.scope(of: actor)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let report = try await SavedReportModel.find(id, on: req.db), report.ownerID == actor.id
        else {
            throw ServiceError(.notFound, "Không tìm thấy báo cáo đã lưu.")
        }
        return report
    }
}

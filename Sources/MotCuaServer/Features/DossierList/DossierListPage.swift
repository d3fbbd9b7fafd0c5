import Foundation
import MotCuaCore
import Vapor

/// "Danh sách hồ sơ": the dossiers of the user's scope, searched and filtered, 20 a page.
struct DossierListPage {
    struct Row: Encodable {
        let code: String, applicant: String, summary: String, status: String, received: String, due: String, timeliness: String
    }

    struct Option: Encodable { let value: String; let name: String; let selected: Bool }

    struct Context: Encodable {
        let layout: PageLayout; let rows: [Row]; let total: Int; let q: String; let from: String; let to: String; let statuses: [Option]
        /// What the list is narrowed to from the home page ("Chờ lãnh đạo xử lý", "Quá hạn"), kept in a hidden field.
        let narrowed: String?; let waiting: String; let due: String
        let page: Int; let pages: Int; let previous: String?; let next: String?
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let q = try req.query.decode(DossierQuery.self)
        let result = try await q.run(actor: actor, on: req.db)
        let now = Date()
        let rows = result.items.map { d in
            Row(code: d.code, applicant: d.applicantName, summary: d.contentSummary, status: d.state.vietnameseName,
                received: d.receivedAt.map(PageTime.date) ?? "", due: d.dueAt.map(PageTime.dateTime) ?? "",
                timeliness: d.timeliness(at: now)?.vietnameseName ?? "")
        }
        let paging = PageLinks(page: result.page, per: result.per, total: result.total)
        let links = paging.around("/ho-so", filters: [("q", q.q), ("status", q.status), ("from", q.from), ("to", q.to), ("sort", q.sort),
                                                    ("waiting", q.waiting), ("due", q.due)])
        return try await req.view.render("DossierList/dossiers", Context(
            layout: PageLayout("Danh sách hồ sơ", req), rows: rows, total: result.total, q: q.q ?? "",
            from: q.from ?? "", to: q.to ?? "",
            statuses: Status.allCases.map { Option(value: $0.rawValue, name: $0.manualName, selected: $0.rawValue == q.status) },
            narrowed: Self.narrowing(q), waiting: q.waiting ?? "", due: q.due ?? "",
            page: result.page, pages: paging.pages, previous: links.previous, next: links.next))
    }

    static func narrowing(_ q: DossierQuery) -> String? {
        var parts: [String] = []
        if let role = q.waiting.flatMap(Role.init(rawValue:)) { parts.append("Chờ \(role.vietnameseName.lowercased()) xử lý") }
        if q.due == "today" { parts.append("Đến hạn hôm nay") }
        if q.due == "overdue" { parts.append("Quá hạn") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

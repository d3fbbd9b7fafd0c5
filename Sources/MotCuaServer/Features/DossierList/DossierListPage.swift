import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Tra cứu hồ sơ": the dossiers of the user's scope, searched by the manual's criteria, sorted by a
/// column, 20 a page, each row with its "Thao tác" menu ("Xem chi tiết" and the actions allowed now).
/// The queues of the left menu are this list narrowed (waiting for a role, a step, a sort).
struct DossierListPage {
    struct Row: Encodable {
        struct Link: Encodable { let label: String; let href: String }
        let code: String, applicant: String, procedure: String, status: String, received: String, due: String,
            timeliness: String
        /// Where it was received: the channel at the agency itself, or the centre that received it for the
        /// agency (Nghị định 118/2025).
        let place: String
        /// `overdue`, or `due-soon` when due within 24 hours, for the row's colour (running dossiers only).
        let urgency: String
        let menu: [Link]
        /// `CODE:VERSION` when the row may be handed over with others ("Bàn giao hồ sơ").
        let handOver: String?
        /// An online submission: how long it has waited for the desk in working time, and whether past 8 hours.
        let waited: String?
        let waitedTooLong: Bool
    }

    typealias Option = SelectOption
    struct Column: Encodable { let label: String; let href: String? }

    struct Context: Encodable {
        let layout: PageLayout; let heading: String; let rows: [Row]; let total: String
        let q: String; let idNumber: String; let from: String; let to: String; let dueFrom: String; let dueTo: String;
        let overdue: Bool
        let statuses: [Option]; let procedures: [Option]; let fields: [Option]; let agencies: [Option];
        let departments: [Option]; let channels: [Option]
        /// What the list is narrowed to from the menu or the home page, kept in hidden fields.
        let narrowed: String?; let waiting: String; let step: String; let due: String; let sort: String
        let columns: [Column]
        let showWaited: Bool
        /// The search form is folded so that the dossiers come first; open when criteria were typed.
        let filtersOpen: Bool
        let handOver: Bool
        let notice: String?
        let page: Int; let pages: Int; let previous: String?; let next: String?
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        var q = try req.query.decode(DossierQuery.self)
        // The page's date fields take dd/MM/yyyy; the query (and the API) take ISO dates.
        q.from = PageTime.isoDate(q.from); q.to = PageTime.isoDate(q.to)
        q.dueFrom = PageTime.isoDate(q.dueFrom); q.dueTo = PageTime.isoDate(q.dueTo)
        let result = try await q.run(actor: actor, on: req.db)
        let now = Date()
        let names = try await CatalogueNames.load(scope: actor.scope, on: req.db)
        let calendar = req.motcua.dossiers.calendar
        let centres = try await ReceivingCentres.names(of: result.items, on: req.db)
        let rows = result.items.map { d in
            let actions = req.motcua.dossiers.availableActions(on: d, actor: actor).filter {
                $0 != .uploadFile && $0 != .dispatchResult  // both have their own form on the dossier's page
            }
            let waited =
                d.state.status == .submitted
                ? d.submittedAt.map { OnlineIntakeWait.workingSeconds(submittedAt: $0, at: now, calendar: calendar) }
                : nil
            return Row(
                code: d.code, applicant: Self.applicant(of: d),
                procedure: names.procedures[d.procedureCode] ?? d.procedureCode,
                status: d.state.vietnameseName, received: d.receivedAt.map(PageTime.date) ?? "",
                due: d.dueAt.map(PageTime.dateTime) ?? "",
                timeliness: d.timeliness(at: now)?.vietnameseName ?? "", place: centres.place(of: d),
                urgency: Self.urgency(of: d, at: now),
                menu: [Row.Link(label: "Xem chi tiết", href: "/ho-so/\(d.code)")]
                    + actions.map {
                        Row.Link(label: $0.vietnameseName, href: "/ho-so/\(d.code)#thao-tac-\($0.rawValue)")
                    },
                handOver: actions.contains(.handOver) ? "\(d.code):\(d.version)" : nil,
                waited: waited.map(OnlineIntakeWait.vietnamese),
                waitedTooLong: waited.map(OnlineIntakeWait.isLate) ?? false)
        }
        let filters = Self.filters(of: q)
        let paging = PageLinks(page: result.page, per: result.per, total: result.total.value)
        let links = paging.around("/ho-so", filters: filters)
        func options(_ all: [(String, String)], _ selected: String?) -> [Option] {
            all.map { Option(value: $0.0, name: $0.1, selected: $0.0 == selected) }
        }
        let sort = q.sort ?? "-received_at"
        func column(_ label: String, _ key: String?) -> Column {
            guard let key else { return Column(label: label, href: nil) }
            // A click sorts by the column, a second click reverses it.
            let next = sort == key ? "-" + key : key
            let arrow = sort == key ? " ▲" : sort == "-" + key ? " ▼" : ""
            return Column(
                label: label + arrow,
                href: PageLinks.link("/ho-so", filters: filters.filter { $0.0 != "sort" } + [("sort", next)]))
        }
        let heading = Self.heading(q, roles: actor.roles)
        let handOver = rows.contains { $0.handOver != nil }
        let done = req.query[Int.self, at: "da-ban-giao"]
        return try await req.view.render(
            "DossierList/dossiers",
            Context(
                layout: PageLayout(heading, req), heading: heading, rows: rows, total: result.total.vietnamese,
                q: q.q ?? "", idNumber: q.idNumber ?? "", from: PageTime.dateField(q.from),
                to: PageTime.dateField(q.to),
                dueFrom: PageTime.dateField(q.dueFrom), dueTo: PageTime.dateField(q.dueTo),
                overdue: q.due == "overdue",
                statuses: options(Status.allCases.map { ($0.rawValue, $0.manualName) }, q.status),
                procedures: options(names.procedureList, q.procedure), fields: options(names.fieldList, q.field),
                agencies: names.agencyList.count > 1 ? options(names.agencyList, q.agency) : [],
                departments: names.departmentList.count > 1 ? options(names.departmentList, q.department) : [],
                channels: options(DossierChannel.allCases.map { ($0.rawValue, $0.vietnameseName) }, q.channel),
                narrowed: Self.narrowing(q), waiting: q.waiting ?? "", step: q.step ?? "",
                due: q.due == "today" ? "today" : "", sort: q.sort ?? "",
                columns: (handOver ? [column("Chọn", nil)] : []) + [
                    column("Mã hồ sơ", "code"), column("Chủ hồ sơ", nil), column("Thủ tục", nil),
                    column("Trạng thái", nil),
                    column("Ngày tiếp nhận", "received_at"), column("Hạn xử lý", "due_at"), column("Tiến độ", nil),
                    column("Nơi tiếp nhận", nil),
                ]
                    + (rows.contains { $0.waited != nil } ? [column("Đã chờ (giờ làm việc)", nil)] : []) + [
                        column("Thao tác", nil)
                    ],
                showWaited: rows.contains { $0.waited != nil }, filtersOpen: Self.hasTypedCriteria(q),
                handOver: handOver,
                notice: done.map { "Đã bàn giao \($0) hồ sơ." },
                page: result.page, pages: paging.pages, previous: links.previous, next: links.next))
    }

    /// A row's colour class: `overdue`, or `due-soon` when due within 24 hours; running dossiers only.
    static func urgency(of d: DossierModel, at now: Date) -> String {
        Urgency.of(status: d.state.status, due: d.dueAt, at: now).rawValue
    }

    /// Every filter of the query, as the links of the list keep them.
    static func filters(of q: DossierQuery) -> [(String, String?)] {
        [
            ("q", q.q), ("idNumber", q.idNumber), ("status", q.status), ("step", q.step), ("procedure", q.procedure),
            ("field", q.field),
            ("agency", q.agency), ("department", q.department), ("channel", q.channel), ("from", q.from), ("to", q.to),
            ("dueFrom", q.dueFrom), ("dueTo", q.dueTo), ("sort", q.sort), ("waiting", q.waiting), ("due", q.due),
        ]
    }

    /// The page's title: the menu entry it was opened from, else "Tra cứu hồ sơ".
    static func heading(_ q: DossierQuery, roles: Set<Role>) -> String {
        if q.step == Step.awaitingReview.rawValue { return "Xét duyệt hồ sơ" }
        if q.waiting == nil, roles.contains(.reception),
            let queue = WorkQueue.desk.first(where: { $0.status.rawValue == q.status })
        {
            return queue.name
        }
        switch q.waiting.flatMap(Role.init(rawValue:)) {
        case .reception?: return "Hồ sơ chờ Bộ phận Một cửa xử lý"
        case .officer?: return "Hồ sơ đang thụ lý"
        case .leader?: return "Hồ sơ chờ ký duyệt"
        default: return roles == [.citizen] ? "Hồ sơ của tôi" : "Tra cứu hồ sơ"
        }
    }

    /// The applicant, and who submitted for them when someone did ("nộp thay").
    static func applicant(of d: DossierModel) -> String {
        guard let json = d.representativeJSON, let r = try? JSON.decode(DossierService.Applicant.self, json) else {
            return d.applicantName
        }
        return "\(d.applicantName) (người nộp thay: \(r.name))"
    }

    /// Whether the user typed criteria in the search form (the menu's queues narrow by hidden fields
    /// and by a desk queue's status, which are not typed).
    static func hasTypedCriteria(_ q: DossierQuery) -> Bool {
        let typed = [
            q.q, q.idNumber, q.procedure, q.field, q.agency, q.department, q.channel, q.from, q.to, q.dueFrom, q.dueTo,
        ]
        let deskQueue = WorkQueue.desk.contains { $0.status.rawValue == q.status }
        return typed.contains { !($0 ?? "").isEmpty } || (!(q.status ?? "").isEmpty && !deskQueue) || q.due == "overdue"
    }

    static func narrowing(_ q: DossierQuery) -> String? {
        var parts: [String] = []
        if let role = q.waiting.flatMap(Role.init(rawValue:)) {
            parts.append("Chờ \(role.vietnameseName.lowercased()) xử lý")
        }
        if let step = q.step.flatMap(Step.init(rawValue:)) { parts.append(step.vietnameseName) }
        if q.due == "today" { parts.append("Đến hạn hôm nay") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

/// "Bàn giao hồ sơ": the desk hands several received dossiers to their departments at once, ticked
/// in its queue; each with the version the list showed (BulkAction).
struct HandOverPage {
    struct Submission: Content { var dossier: [String]? }
    struct Context: Encodable { let layout: PageLayout; let summary: String; let failures: [String] }

    func handOver(req: Request) async throws -> Response {
        let actor = try req.actor()
        let back = DeskQueueLink.of(.received)
        let picked: [(code: String, version: Int)]
        switch BulkAction.picked(try req.content.decode(Submission.self).dossier) {
        case .success(let p): picked = p
        case .failure(let e): return try await page(req, summary: e.reason, failures: [], status: e.status)
        }
        let (done, failures) = try await BulkAction.perform(
            .handOver, on: picked, inputs: ActionInputs(), actor: actor, req: req)
        if failures.isEmpty { return req.redirect(to: back + "&da-ban-giao=\(done)") }
        return try await page(
            req, summary: BulkAction.summary(done: done, failed: failures.count, verb: "bàn giao"), failures: failures,
            status: done > 0 ? .ok : .conflict)
    }

    func page(_ req: Request, summary: String, failures: [String], status: HTTPResponseStatus) async throws -> Response
    {
        try await req.view.render(
            "DossierList/bulk-result",
            Context(
                layout: PageLayout("Bàn giao hồ sơ", req), summary: summary,
                failures: failures)
        ).encodeResponse(status: status, for: req)
    }
}

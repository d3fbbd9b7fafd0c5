import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Phân công thụ lý" (the manual's department head): the dossiers of the head's department waiting
/// for an officer, most urgent first, and the department's officers with their open and overdue
/// work; one officer is given one or several ticked dossiers at once. Each dossier is assigned in
/// its own transaction with the version the page showed, so a dossier someone else acted on in the
/// meantime is reported, not overwritten, and the others still go through.
struct AssignmentPage {
    struct Row: Encodable {
        let code: String, applicant: String, procedure: String, received: String, due: String, urgency: String
        /// `CODE:VERSION`, the checkbox's value.
        let value: String
        let checked: Bool
    }

    struct Officer: Encodable { let id: UUID; let label: String; let selected: Bool }

    struct Context: Encodable {
        let layout: PageLayout
        let rows: [Row]
        let officers: [Officer]
        let total: String
        let opinion: String
        let notice: String?
        let error: String?
        let failures: [String]
        let page: Int; let pages: Int; let previous: String?; let next: String?
    }

    func show(req: Request) async throws -> View {
        let done = req.query[Int.self, at: "da-phan-cong"]
        return try await render(
            req, notice: done.map { "Đã phân công \($0) hồ sơ." }, error: nil, failures: [], kept: nil)
    }

    struct Submission: Content {
        var dossier: [String]?
        var officer: String?
        var opinion: String?
    }

    func assign(req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = try req.content.decode(Submission.self)
        func again(_ error: String, failures: [String] = [], status: HTTPResponseStatus) async throws -> Response {
            return try await render(req, notice: nil, error: error, failures: failures, kept: form).encodeResponse(
                status: status, for: req)
        }
        guard let officerText = form.officer, let officer = UUID(uuidString: officerText) else {
            return try await again("Hãy chọn cán bộ thụ lý.", status: .unprocessableEntity)
        }
        let picked: [(code: String, version: Int)]
        switch BulkAction.picked(form.dossier) {
        case .success(let p): picked = p
        case .failure(let e): return try await again(e.reason, status: e.status)
        }
        let opinion = form.opinion.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if let opinion {
            do { try TextInput.require(opinion, label: "Ý kiến", multiline: true, maxLength: 4000) } catch {
                return try await again(ProblemMiddleware.explain(error).1, status: .unprocessableEntity)
            }
        }
        let (assigned, failures) = try await BulkAction.perform(
            .assign, on: picked, inputs: ActionInputs(opinion: opinion, officer: officer),
            actor: actor, req: req)
        if failures.isEmpty { return req.redirect(to: "/phan-cong?da-phan-cong=\(assigned)") }
        return try await again(
            BulkAction.summary(done: assigned, failed: failures.count, verb: "phân công"), failures: failures,
            status: assigned > 0 ? .ok : .conflict)
    }

    func render(_ req: Request, notice: String?, error: String?, failures: [String], kept: Submission?) async throws
        -> View
    {
        let actor = try req.actor()
        guard let agency = actor.agencyID, let department = actor.departmentID else {
            throw ServiceError(.forbidden, "Tài khoản chưa thuộc phòng chuyên môn nào: liên hệ quản trị hệ thống.")
        }
        var q = DossierQuery()
        q.status = Status.processing.rawValue
        q.step = Step.awaitingAssignment.rawValue
        q.sort = "due_at"
        q.page = req.query[Int.self, at: "page"]
        let result = try await q.run(actor: actor, on: req.db)
        let names = try await CatalogueNames.load(scope: actor.scope, on: req.db)
        let now = Date()
        let keptCodes = Set((kept?.dossier ?? []).map { String($0.split(separator: ":").first ?? "") })
        let rows = result.items.map { d in
            Row(
                code: d.code, applicant: d.applicantName,
                procedure: names.procedures[d.procedureCode] ?? d.procedureCode,
                received: d.receivedAt.map(PageTime.dateTime) ?? "", due: d.dueAt.map(PageTime.dateTime) ?? "",
                urgency: Urgency.of(status: d.state.status, due: d.dueAt, at: now).rawValue,
                value: "\(d.code):\(d.version)", checked: keptCodes.contains(d.code))
        }
        let officers = try await OfficerWorkload.of(agency: agency, department: department, at: now, on: req.db)
        let paging = PageLinks(page: result.page, per: result.per, total: result.total.value)
        let links = paging.around("/phan-cong", filters: [])
        return try await req.view.render(
            "Assignment/assign",
            Context(
                layout: PageLayout("Phân công thụ lý", req), rows: rows,
                officers: officers.map {
                    Officer(id: $0.id, label: $0.label, selected: $0.id.uuidString == kept?.officer)
                },
                total: result.total.vietnamese, opinion: kept?.opinion ?? "", notice: notice, error: error,
                failures: failures,
                page: result.page, pages: paging.pages, previous: links.previous, next: links.next))
    }
}

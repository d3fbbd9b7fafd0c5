import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// A dossier's page: its data, components and processing log, and a form for each action the user
/// may take now (`StateMachine.available`, through the service).
struct DossierDetailPage {
    /// One action the user may take, with the inputs its form asks for.
    struct ActionForm: Encodable {
        struct Officer: Encodable { let id: UUID; let name: String }
        let action: String
        let name: String
        let officers: [Officer]
        // The inputs the form asks for (the rule's required inputs); an opinion may always be given.
        let officer, proposal, amount, paymentReceipt, appointment, rating, reason, opinionRequired: Bool

        init(_ action: Action, officers: [Officer]) {
            let required = StateMachine.rules[action]!.required
            self.action = action.rawValue
            name = action.vietnameseName
            self.officers = officers
            officer = required.contains(.officer)
            proposal = required.contains(.proposal)
            amount = required.contains(.amount)
            paymentReceipt = required.contains(.paymentReceipt)
            appointment = required.contains(.appointment)
            rating = required.contains(.rating)
            reason = required.contains(.reason)
            opinionRequired = required.contains(.opinion)
        }
    }

    struct Context: Encodable {
        struct LogRow: Encodable { let seq: Int; let at: String; let actorName: String; let actionName: String; let opinion: String? }
        let layout: PageLayout
        let d: DossierDetail
        let version: Int
        let log: [LogRow]
        let state: String
        let received: String
        let due: String
        let actions: [ActionForm]
        let hasActions: Bool
        let notice: String?
        let error: String?
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let done = req.query[String.self, at: "da-thuc-hien"].flatMap(Action.init(rawValue:))
        return try await render(d, actor: actor, notice: done.map { "Đã thực hiện: \($0.vietnameseName)." }, error: nil, on: req)
    }

    /// An action from the page: the same path as the API (RequestedAction); on success back to the
    /// page with a notice, otherwise the page again with the reason and the error's status code.
    func act(req: Request) async throws -> Response {
        do {
            let (action, d) = try await RequestedAction.perform(req)
            return req.redirect(to: "/ho-so/\(d.code)?da-thuc-hien=\(action.rawValue)")
        } catch {
            let (status, detail) = ProblemMiddleware.explain(error)
            guard status != .notFound, status != .internalServerError else { throw error }
            let actor = try req.actor()
            let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
            let response = try await render(d, actor: actor, notice: nil, error: detail, on: req).encodeResponse(for: req)
            response.status = status
            return response
        }
    }

    func render(_ d: DossierModel, actor: Actor, notice: String?, error: String?, on req: Request) async throws -> View {
        let record = try await DossierRecord.load(d, on: req.db)
        let log = record.log.map { e in
            Context.LogRow(seq: e.seq, at: PageTime.dateTime(e.at), actorName: e.actorName, actionName: e.actionName, opinion: e.opinion)
        }
        // Attaching files has its own form (the upload route), not an action form.
        let available = req.motcua.dossiers.availableActions(on: d, actor: actor).filter { $0 != .uploadFile }
        let officers = available.contains(.assign) || available.contains(.reassign) ? try await Self.assignableOfficers(for: d, on: req.db) : []
        let forms = available.map { ActionForm($0, officers: $0 == .assign || $0 == .reassign ? officers : []) }
        return try await req.view.render("DossierDetail/dossier", Context(
            layout: PageLayout("Hồ sơ \(d.code)", req), d: DossierDetail(record), version: d.version, log: log,
            state: d.state.vietnameseName, received: d.receivedAt.map(PageTime.dateTime) ?? "", due: d.dueAt.map(PageTime.dateTime) ?? "",
            actions: forms, hasActions: !forms.isEmpty, notice: notice, error: error))
    }

    /// The officers who may be assigned the dossier (the core's rule), each with the open workload
    /// the head sees before choosing (DOMAIN.md section 5), counted in one grouped query.
    static func assignableOfficers(for d: DossierModel, on db: any Database) async throws -> [ActionForm.Officer] {
        let officers = try await UserModel.query(on: db).filter(\.$agencyID == d.agencyID).sort(\.$fullName).all().filter {
            Assignment.mayBeAssigned(roles: $0.roles, agency: $0.agencyID, department: $0.departmentID,
                                     toDossierOf: d.agencyID, department: d.departmentID)
        }
        guard !officers.isEmpty else { return [] }
        let rows = try await (db as! any SQLDatabase).select()
            .column("assigned_officer_id").column(SQLFunction("count", args: SQLLiteral.all), as: "open")
            .from(DossierModel.schema)
            .where("status", .equal, Status.processing.rawValue)
            .where("assigned_officer_id", .in, officers.map { $0.id! })
            .groupBy("assigned_officer_id")
            .all()
        var open: [UUID: Int] = [:]
        for row in rows { open[try row.decode(column: "assigned_officer_id", as: UUID.self)] = try row.decode(column: "open", as: Int.self) }
        return officers.map { ActionForm.Officer(id: $0.id!, name: "\($0.fullName) (đang thụ lý \(open[$0.id!] ?? 0) hồ sơ)") }
    }
}

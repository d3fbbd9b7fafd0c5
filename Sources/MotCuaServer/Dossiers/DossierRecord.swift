import Fluent
import Foundation
import MotCuaCore

/// Everything shown about one dossier, read once: its row, components, files and log, decoded.
/// The API (`DossierDetail`) and the dossier's page are both drawn from it.
struct DossierRecord {
    struct File {
        let file: DossierFileModel
        /// The position of its component, if it belongs to one.
        let component: Int?
    }

    struct LogLine {
        let seq: Int
        let at: Date
        let actorName: String
        let actorUsername: String?
        let action: String
        let actionName: String
        let fromState: String?
        let toState: String
        let opinion: String?
        let changes: [LogChain.Change]
        let stepDueAt: Date?
        let hash: String

        /// Who acted, as every page and form shows it: the display name of that instant and the
        /// account's username, so that two accounts with one name (or a renamed one) are told apart.
        var actor: String {
            guard let actorUsername, !actorUsername.isEmpty else { return actorName }
            return "\(actorName) (\(actorUsername))"
        }
    }

    let dossier: DossierModel
    let applicant: DossierService.Applicant
    let representative: DossierService.Applicant?
    let procedure: ProcedureTerms
    let clock: DossierClock?
    let components: [DossierComponentModel]
    let files: [File]
    let log: [LogLine]
    /// Its payments, oldest first.
    let payments: [PaymentModel]

    /// The four reads share one connection of the pool instead of checking one out each.
    static func load(_ d: DossierModel, on db: any Database) async throws -> DossierRecord {
        let id = d.id!
        let (components, files, log, payments) = try await db.withConnection { db in
            (
                try await DossierComponentModel.rows("WHERE dossier_id = \(bind: id) ORDER BY position", on: db),
                try await DossierFileModel.rows("WHERE dossier_id = \(bind: id) ORDER BY uploaded_at", on: db),
                try await logLines(of: id, on: db),
                try await PaymentModel.rows("WHERE dossier_id = \(bind: id) ORDER BY requested_at", on: db)
            )
        }
        let positions = Dictionary(uniqueKeysWithValues: components.map { ($0.id!, $0.position) })
        return DossierRecord(
            dossier: d,
            applicant: DossierService.Applicant(
                kind: d.applicantKind, name: d.applicantName, idNumber: d.applicantIDNumber,
                birthDate: d.applicantBirthDate, address: d.applicantAddress, phone: d.applicantPhone,
                email: d.applicantEmail),
            representative: try d.representativeJSON.map { try JSON.decode(DossierService.Applicant.self, $0) },
            procedure: try await ProcedureTermVersions.terms(of: d, on: db),
            clock: try d.clock,
            components: components,
            files: files.map { File(file: $0, component: $0.componentID.flatMap { positions[$0] }) },
            log: log,
            payments: payments)
    }

    /// The dossier's log, oldest first, decoded.
    static func logLines(of id: UUID, on db: any Database) async throws -> [LogLine] {
        try await LogEntryModel.rows("WHERE dossier_id = \(bind: id) ORDER BY seq", on: db).map { e in
            LogLine(
                seq: e.seq, at: e.at, actorName: e.actorName, actorUsername: e.actorUsername, action: e.action,
                actionName: Action(rawValue: e.action)?.vietnameseName
                    ?? [
                        ReceptionBoundary.forwardAction: ReceptionBoundary.forwardName,
                        AgencySuccession.transferAction: AgencySuccession.transferName,
                    ][e.action] ?? e.action,
                fromState: e.fromState,
                toState: e.toState,
                opinion: e.opinion, changes: try JSON.decode([LogChain.Change].self, e.changesJSON),
                stepDueAt: e.stepDueAt, hash: e.hash)
        }
    }

    /// What a head reviews and a leader signs now, read by the core from the log.
    var pendingDecision: PendingDecision? { Self.pendingDecision(log, in: dossier.state) }

    /// The same from the log alone, for an action that needs nothing else of the record.
    static func pendingDecision(of d: DossierModel, on db: any Database) async throws -> PendingDecision? {
        pendingDecision(try await logLines(of: d.id!, on: db), in: d.state)
    }

    private static func pendingDecision(_ log: [LogLine], in state: DossierState) -> PendingDecision? {
        let events = log.compactMap { e in
            Action(rawValue: e.action).map { action in
                PendingDecision.Event(
                    action: action, by: e.actor, at: e.at, opinion: e.opinion,
                    values: Dictionary(e.changes.compactMap { c in c.new.map { (c.field, $0) } }) { $1 })
            }
        }
        return PendingDecision.of(events, in: state)
    }

    /// "Tiến trình thụ lý": the periods of the log (the page's tab and the control slip).
    func timeline(at now: Date) -> [ProcessTimeline.Period] {
        ProcessTimeline.periods(
            log.compactMap { e in
                DossierState(parsing: e.toState).map {
                    ProcessTimeline.Transition(
                        at: e.at, actorName: e.actor, action: e.action, toState: $0, stepDueAt: e.stepDueAt)
                }
            }, at: now)
    }
}

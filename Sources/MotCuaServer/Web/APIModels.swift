import Foundation
import MotCuaCore
import Vapor

/// What the API returns for a dossier in lists.
struct DossierSummary: Content {
    var code: String
    var status: String
    var statusCode: Int
    var statusName: String
    var step: String?
    var stepName: String?
    var channel: String
    var procedureCode: String
    var contentSummary: String
    var applicantName: String
    var agencyId: UUID
    var departmentId: UUID
    var assignedOfficerId: UUID?
    var submittedAt: String?
    var receivedAt: String?
    var dueAt: String?
    var appointmentAt: String?
    var completedAt: String?
    var returnedAt: String?
    var timeliness: String?
    var version: Int

    init(_ d: DossierModel, now: Date = Date()) {
        let state = d.state
        code = d.code
        status = state.status.rawValue
        statusCode = state.status.code
        statusName = state.status.manualName
        step = state.step?.rawValue
        stepName = state.step?.vietnameseName
        channel = d.channel
        procedureCode = d.procedureCode
        contentSummary = d.contentSummary
        applicantName = d.applicantName
        agencyId = d.agencyID
        departmentId = d.departmentID
        assignedOfficerId = d.assignedOfficerID
        submittedAt = d.submittedAt.map(VietnamTime.iso)
        receivedAt = d.receivedAt.map(VietnamTime.iso)
        dueAt = d.dueAt.map(VietnamTime.iso)
        appointmentAt = d.appointmentAt.map(VietnamTime.iso)
        completedAt = d.completedAt.map(VietnamTime.iso)
        returnedAt = d.returnedAt.map(VietnamTime.iso)
        version = d.version
        timeliness = Self.timeliness(d, now: now)?.rawValue
    }

    /// The dossier's clock decides: finished ones against the due date, open ones at `now`
    /// (paused: within time); a dossier not yet received has no clock and is never overdue.
    static func timeliness(_ d: DossierModel, now: Date) -> Timeliness? {
        let status = d.state.status
        guard let clock = try? d.clock else { return status.isOpen ? .withinTime : nil }
        switch status {
        case .completed, .returned, .refused: return d.completedAt.map(clock.finishedTimeliness)
        default: return status.isOpen ? clock.openTimeliness(at: now) : nil
        }
    }
}

struct ComponentView: Content {
    var position: Int
    var name: String
    var form: String
    var requiredCount: Int
    var mandatory: Bool
    var handedInCount: Int
    var files: [FileView]
}

struct FileView: Content {
    var id: UUID
    var component: Int?
    var version: Int
    var fileName: String
    var contentType: String
    var size: Int
    var sha256: String
    var uploadedAt: String
}

struct LogView: Content {
    var seq: Int
    var at: String
    var actorName: String
    var action: String
    var actionName: String
    var fromState: String?
    var toState: String
    var opinion: String?
    var changes: [LogChain.Change]
    var stepDueAt: String?
    var hash: String
}

struct DossierDetail: Content {
    var dossier: DossierSummary
    var lookupSecret: String
    var applicant: DossierService.Applicant
    var representative: DossierService.Applicant?
    var resultDelivery: String
    var feeVnd: Int
    var procedure: ProcedureTerms
    var clock: DossierClock?
    var components: [ComponentView]
    var files: [FileView]
    var log: [LogView]
}

/// The body of `POST /api/v1/dossiers/{code}/actions/{action}`.
struct ActionRequest: Content {
    var version: Int?
    var opinion: String?
    var reason: String?
    var amount: Int?
    var officer: UUID?
    /// ISO 8601: the new appointment of an apology, or the applicant's deadline to supplement.
    var appointment: String?
    var proposal: ActionInputs.Proposal?
    var paymentReceipt: String?
    var rating: Satisfaction?
    var fileCount: Int?

    func inputs() throws -> ActionInputs {
        var date: Date?
        if let appointment, !appointment.isEmpty {
            guard let d = VietnamTime.parseISO(appointment) else {
                throw ServiceError(.unprocessableEntity, "Ngày hẹn \"\(appointment)\" không đúng dạng ISO 8601.")
            }
            date = d
        }
        if let amount, amount < 0 { throw ServiceError(.unprocessableEntity, "Số tiền không được âm.") }
        for (text, label) in [(opinion, "Ý kiến"), (reason, "Lý do"), (paymentReceipt, "Số biên lai")] {
            if let text { try TextInput.require(text, label: label, multiline: label != "Số biên lai", maxLength: 4000) }
        }
        return ActionInputs(opinion: opinion, reason: reason, amount: amount, officer: officer, fileCount: fileCount,
                            appointment: date, proposal: proposal, paymentReceipt: paymentReceipt, rating: rating)
    }
}

struct LoginRequest: Content {
    var username: String
    var password: String
}

struct LoginResponse: Content {
    var token: String
    var user: UserView
}

struct UserView: Content {
    var id: UUID
    var username: String
    var fullName: String
    var roles: [String]
    var agencyId: UUID?
    var departmentId: UUID?

    init(_ u: UserModel) {
        id = u.id!
        username = u.username
        fullName = u.fullName
        roles = u.roles.map(\.rawValue).sorted()
        agencyId = u.agencyID
        departmentId = u.departmentID
    }
}

struct Paged<T: Content>: Content {
    var items: [T]
    var page: Int
    var per: Int
    var total: Int
}

struct PublicLookup: Content {
    var code: String
    var statusName: String
    var procedureName: String
    var applicantName: String
    var receivedAt: String?
    var appointmentAt: String?
    var completedAt: String?
    var returnedAt: String?
}

extension ProcedureTerms: Content {}

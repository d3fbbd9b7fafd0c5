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
        timeliness = d.timeliness(at: now)?.rawValue
    }
}

extension DossierModel {
    /// The dossier's timeliness at `now` (the core decides from its clock).
    func timeliness(at now: Date) -> Timeliness? {
        Timeliness.of(status: state.status, clock: try? clock, completedAt: completedAt, at: now)
    }
}

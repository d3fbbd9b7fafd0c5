import Fluent
import Foundation
import SQLKit

/// A row written with SQLKit: the dossier, its components and its log entries are the rows that a
/// large load writes by the million, and Fluent's `create` reflects over every model it writes,
/// which cost more than all the rest of such a load. Reception and the demo loader both write
/// through here. `columns` and `values` list the same fields in the same order; a test checks the
/// columns against the Fluent model of the same table.
protocol SQLWritableRow {
    static var schema: String { get }
    static var columns: [String] { get }
    var values: [SQLBind] { get }
}

extension Sequence where Element: SQLWritableRow {
    /// Inserts the rows in multi-row INSERTs, each under SQLite's limit of 32,766 bound parameters.
    func insert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { fatalError("MotCua runs on SQL databases only") }
        let perStatement = 32_000 / Element.columns.count
        var rows = makeIterator()
        while true {
            var insert: SQLInsertBuilder?
            for _ in 0..<perStatement {
                guard let row = rows.next() else { break }
                if insert == nil { insert = sql.insert(into: Element.schema).columns(Element.columns) }
                insert!.values(row.values)
            }
            guard let insert else { return }
            try await insert.run()
        }
    }
}

extension DossierModel: SQLWritableRow {
    static let columns = [
        "id", "code", "lookup_secret", "channel", "status", "step", "state_before_pause", "procedure_id", "procedure_code", "field_id",
        "agency_id", "department_id", "owner_id", "receiving_officer_id", "assigned_officer_id", "applicant_kind", "applicant_name",
        "applicant_search", "applicant_id_number", "applicant_birth_date", "applicant_address", "applicant_phone", "applicant_email",
        "representative", "content_summary", "result_delivery", "fee_vnd", "procedure_terms", "submitted_at", "received_at",
        "received_date", "due_at", "appointment_at", "completed_at", "returned_at", "clock", "result_json", "version",
        "created_at", "updated_at",
    ]

    var values: [SQLBind] {
        [SQLBind(id!), SQLBind(code), SQLBind(lookupSecret), SQLBind(channel), SQLBind(status), SQLBind(step), SQLBind(stateBeforePause),
         SQLBind(procedureID), SQLBind(procedureCode), SQLBind(fieldID), SQLBind(agencyID), SQLBind(departmentID), SQLBind(ownerID),
         SQLBind(receivingOfficerID), SQLBind(assignedOfficerID), SQLBind(applicantKind), SQLBind(applicantName),
         SQLBind(applicantSearch), SQLBind(applicantIDNumber), SQLBind(applicantBirthDate), SQLBind(applicantAddress),
         SQLBind(applicantPhone), SQLBind(applicantEmail), SQLBind(representativeJSON), SQLBind(contentSummary), SQLBind(resultDelivery),
         SQLBind(feeVND), SQLBind(procedureTermsJSON), SQLBind(submittedAt), SQLBind(receivedAt), SQLBind(receivedDate), SQLBind(dueAt),
         SQLBind(appointmentAt), SQLBind(completedAt), SQLBind(returnedAt), SQLBind(clockJSON), SQLBind(resultJSON), SQLBind(version),
         SQLBind(createdAt), SQLBind(updatedAt)]
    }
}

extension DossierComponentModel: SQLWritableRow {
    static let columns = ["id", "dossier_id", "position", "name", "form", "required_count", "mandatory", "handed_in_count"]

    var values: [SQLBind] {
        [SQLBind(id!), SQLBind(dossierID), SQLBind(position), SQLBind(name), SQLBind(form), SQLBind(requiredCount), SQLBind(mandatory),
         SQLBind(handedInCount)]
    }
}

extension LogChain.Entry: SQLWritableRow {
    static let schema = LogEntryModel.schema
    static let columns = ["id", "dossier_id", "seq", "at", "actor_id", "actor_name", "action", "from_state", "to_state", "opinion",
                          "changes", "step_due_at", "prev_hash", "hash"]

    var values: [SQLBind] {
        [SQLBind(id), SQLBind(content.dossierID), SQLBind(content.seq), SQLBind(content.at), SQLBind(content.actorID),
         SQLBind(content.actorName), SQLBind(content.action), SQLBind(content.fromState), SQLBind(content.toState),
         SQLBind(content.opinion), SQLBind(content.changesJSON), SQLBind(content.stepDueAt), SQLBind(prevHash), SQLBind(hash)]
    }
}

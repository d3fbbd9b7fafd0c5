import Fluent
import Foundation
import MotCuaCore
import Vapor

/// The desk's book (Thông tư 01/2018, mẫu số 06) as data: whose book a user keeps and the book's
/// rows for some dossiers. Shared by the page "Sổ theo dõi hồ sơ" and the book as printed.
enum LogBookQuery {
    struct Row: Encodable {
        let number: Int; let code: String; let procedure: String; let sets: Int; let applicant: String;
        let contact: String
        let department: String
        /// Where it was received: the channel at the agency, or the centre that received it for the agency.
        let place: String
        let received: String; let appointment: String; let handedOver: String; let completed: String;
        let returned: String; let recipient: String; let note: String
    }
    /// The agency whose book the user keeps: the desk's and its leader's own.
    static func agency(of req: Request) throws -> UUID {
        let actor = try req.actor()
        guard Access.allows(actor.roles, .logBook), case .agency(let agencyID) = actor.scope else {
            throw ServiceError(.forbidden, Access.refusal(.logBook))
        }
        return agencyID
    }

    /// The book's dossiers: the agency's own, and those its centre received for another agency
    /// (Nghị định 118/2025), which it forwarded.
    static func dossiers(of agencyID: UUID, on db: any Database) -> QueryBuilder<DossierModel> {
        DossierModel.query(on: db).group(.or) {
            $0.filter(\.$agencyID == agencyID).filter(\.$receivingAgencyID == agencyID)
        }
    }

    /// The book's rows for these dossiers: the hand-overs and returns come from their log only.
    static func rows(_ dossiers: [DossierModel], firstNumber: Int, on db: any Database) async throws -> [Row] {
        let ids = dossiers.compactMap(\.id)
        let events =
            ids.isEmpty
            ? []
            : try await LogEntryModel.query(on: db).filter(\.$dossierID ~~ ids)
                .filter(
                    \.$action ~~ [
                        Action.handOver.rawValue, Action.returnResult.rawValue, Action.dispatchResult.rawValue,
                    ]
                )
                .sort(\.$seq).all()
        var handedOver: [UUID: Date] = [:], recipients: [UUID: String] = [:], posted: [UUID: String] = [:]
        for e in events {
            // Sent by post: the tracking number, in the note until delivered, then beside the recipient.
            if e.action == Action.dispatchResult.rawValue,
                let tracking = try? JSON.decode([LogChain.Change].self, e.changesJSON).first(where: {
                    $0.field == "postal_tracking"
                })?.new
            {
                posted[e.dossierID] = "Gửi qua bưu chính ngày \(PageTime.dateTime(e.at)), mã bưu gửi \(tracking)"
            }
            if e.action == Action.handOver.rawValue, handedOver[e.dossierID] == nil { handedOver[e.dossierID] = e.at }
            if e.action == Action.returnResult.rawValue,
                let changes = try? JSON.decode([LogChain.Change].self, e.changesJSON)
            {
                let who = changes.first { $0.field == "result_recipient" }?.new,
                    how = changes.first { $0.field == "result_delivery" }?.new.flatMap(ResultDelivery.init(rawValue:))
                let tracking = changes.first { $0.field == "postal_tracking" }?.new.map { "mã bưu gửi \($0)" }
                recipients[e.dossierID] = [who, how?.vietnameseName, tracking].compactMap { $0 }.joined(
                    separator: " - ")
            }
        }
        let procedures = Dictionary(
            uniqueKeysWithValues: try await ProcedureModel.query(on: db).filter(
                \.$id ~~ Set(dossiers.map(\.procedureID))
            ).all().map { ($0.id!, $0.name) })
        let departments = Dictionary(
            uniqueKeysWithValues: try await DepartmentModel.query(on: db).filter(
                \.$id ~~ Set(dossiers.map(\.departmentID))
            ).all().map { ($0.id!, $0.name) })
        let centres = try await ReceivingCentres.names(of: dossiers, on: db)
        // A forwarded dossier names its competent agency beside the department.
        let agencies = try await AgencyModel.names(
            of: Set(dossiers.filter { $0.receivingAgencyID != nil }.map(\.agencyID)), on: db)
        return dossiers.enumerated().map { i, d in
            Row(
                number: firstNumber + i, code: d.code, procedure: procedures[d.procedureID] ?? d.procedureCode, sets: 1,
                applicant: d.applicantName,
                contact: [d.applicantAddress, d.applicantPhone].filter { !$0.isEmpty }.joined(separator: " - "),
                department: [d.receivingAgencyID == nil ? nil : agencies[d.agencyID], departments[d.departmentID]]
                    .compactMap { $0 }.joined(separator: " - "),
                place: centres.place(of: d),
                received: d.receivedAt.map(PageTime.dateTime) ?? "",
                appointment: d.appointmentAt.map(PageTime.dateTime) ?? "",
                handedOver: handedOver[d.id!].map(PageTime.dateTime) ?? "",
                completed: d.completedAt.map(PageTime.dateTime) ?? "",
                returned: d.returnedAt.map(PageTime.dateTime) ?? "", recipient: recipients[d.id!] ?? "",
                note: d.returnedAt == nil ? posted[d.id!] ?? d.state.status.manualName : "")
        }
    }
}

import Fluent
import Foundation
import MotCuaCore

/// Writes the applicant's e-mails into the outbox, inside the transaction of the change they tell
/// of (DossierService.create and perform): the change and its notice are kept or lost together.
/// `NotificationWorker` sends them.
enum NotificationOutbox {
    /// The notice of `action`, just applied to `d`, to the applicant's address: none when the action
    /// does not concern the applicant, when no usable address was given, or when the applicant
    /// turned e-mail off (the dossier's owner, or the account of that address).
    static func enqueue(
        _ action: Action, of d: DossierModel, inputs: ActionInputs, site: URL, at now: Date, on tx: any Database
    ) async throws {
        let address = d.applicantEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard ApplicantNotice.isAddress(address) else { return }
        var f = facts(d, site)
        f.reason = inputs.reason
        if action == .requestPayment { f.amount = inputs.amount.map { PageTime.number($0) + " đồng" } }
        // Only a supplement request names components (perform refuses them with any other action).
        if let positions = inputs.components, !positions.isEmpty {
            f.components = try await DossierComponentModel.query(on: tx).filter(\.$dossierID == d.id!)
                .filter(\.$position ~~ positions).sort(\.$position).all().map(\.name)
        }
        guard let notice = ApplicantNotice.of(action, f),
            try await !optedOut(address: address, owner: d.ownerID, on: tx)
        else { return }
        try await OutboxMailModel(
            event: notice.event, dossierID: d.id, userID: d.ownerID, to: address, subject: notice.subject,
            body: notice.body, at: now
        ).create(on: tx)
    }

    static func facts(_ d: DossierModel, _ site: URL) -> ApplicantNotice.Facts {
        let name = (try? JSON.decode(ProcedureTerms.self, d.procedureTermsJSON).name) ?? d.procedureCode
        return ApplicantNotice.Facts(
            code: d.code, lookupSecret: d.lookupSecret, procedureName: name, applicantName: d.applicantName,
            appointment: d.appointmentAt.map(PageTime.dateTime), reason: nil, components: [], amount: nil,
            lookupURL: FormContext.lookupURL(code: d.code, secret: nil, site: site))
    }

    static func optedOut(address: String, owner: UUID?, on db: any Database) async throws -> Bool {
        let accounts = UserModel.query(on: db).filter(\.$emailOptOutAt != nil)
        if let owner {
            accounts.group(.or) { $0.filter(\.$id == owner).filter(\.$email == address) }
        } else {
            accounts.filter(\.$email == address)
        }
        return try await accounts.count() > 0
    }

    /// An e-mail to an account's owner that is not about a dossier (a verification or reset link).
    /// These are sent whatever the notification choice: the owner asked for them.
    static func enqueue(
        _ event: String, to user: UserModel, subject: String, body: String, at now: Date, on db: any Database
    ) async throws {
        guard let address = user.email, ApplicantNotice.isAddress(address) else { return }
        try await OutboxMailModel(
            event: event, dossierID: nil, userID: user.id, to: address, subject: subject, body: body, at: now
        ).create(on: db)
    }
}

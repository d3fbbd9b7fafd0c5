import Fluent
import Foundation
import MotCuaCore

/// Writes the applicant's e-mails into the outbox, inside the transaction of the change they tell
/// of (DossierService.create and perform): the change and its notice are kept or lost together.
/// `NotificationWorker` sends them.
enum NotificationOutbox {
    /// Which channels beside e-mail have a gateway: SMS, and Zalo for the kinds with a template.
    struct Messaging: Sendable {
        var sms = false
        var zaloTemplates: [String: String] = [:]
    }

    /// The notices of `action`, just applied to `d`: nothing when the action does not concern the
    /// applicant. By e-mail to the address given unless the applicant turned e-mail off (the
    /// dossier's owner, or the account of that address); by SMS and Zalo to the phone given, as the
    /// owner's account chose (SMS when it did not; SMS for a dossier without an account).
    static func enqueue(
        _ action: Action, of d: DossierModel, inputs: ActionInputs, site: URL, messaging: Messaging = Messaging(),
        at now: Date, on tx: any Database
    ) async throws {
        let address = d.applicantEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let phone = ApplicantNotice.internationalPhone(d.applicantPhone)
        let mayText = phone != nil && (messaging.sms || !messaging.zaloTemplates.isEmpty)
        guard ApplicantNotice.isAddress(address) || mayText else { return }
        var f = try await facts(d, site, on: tx)
        f.reason = inputs.reason
        f.trackingNumber = inputs.trackingNumber
        if action == .requestPayment { f.amount = inputs.amount.map { PageTime.number($0) + " đồng" } }
        // Only a supplement request names components (perform refuses them with any other action).
        if let positions = inputs.components, !positions.isEmpty {
            f.components = try await DossierComponentModel.query(on: tx).filter(\.$dossierID == d.id!)
                .filter(\.$position ~~ positions).sort(\.$position).all().map(\.name)
        }
        guard let notice = ApplicantNotice.of(action, f) else { return }
        var rows: [OutboxMailModel] = []
        if ApplicantNotice.isAddress(address), try await !optedOut(address: address, owner: d.ownerID, on: tx) {
            rows.append(
                OutboxMailModel(
                    event: notice.event, dossierID: d.id, userID: d.ownerID, to: address, subject: notice.subject,
                    body: notice.body, at: now))
        }
        if let phone, mayText {
            let chosen = try await d.ownerID.asyncMap { try await UserModel.find($0, on: tx) } ?? nil
            let channels = chosen.map { NotificationChannel.parse($0.notificationChannels) } ?? [.sms]
            if messaging.sms, channels.contains(.sms) {
                rows.append(
                    OutboxMailModel(
                        event: notice.event, dossierID: d.id, userID: d.ownerID, to: phone, subject: notice.headline,
                        body: notice.sms, at: now, channel: .sms))
            }
            if messaging.zaloTemplates[notice.event] != nil, channels.contains(.zalo) {
                rows.append(
                    OutboxMailModel(
                        event: notice.event, dossierID: d.id, userID: d.ownerID, to: phone, subject: notice.headline,
                        body: JSON.encode(notice.templateData), at: now, channel: .zalo))
            }
        }
        if !rows.isEmpty { try await rows.create(on: tx) }
    }

    static func facts(_ d: DossierModel, _ site: URL, on db: any Database) async throws -> ApplicantNotice.Facts {
        let name = try await ProcedureTermVersions.terms(of: d, on: db).name
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

    /// One message to the applicant as the dossier's page shows it.
    struct Delivery: Encodable, Sendable {
        let channel: String
        let to: String
        let what: String
        let state: String
        let failed: Bool
    }

    /// Every message written for a dossier, oldest first, with its delivery state.
    static func deliveries(of dossier: UUID, on db: any Database) async throws -> [Delivery] {
        try await OutboxMailModel.query(on: db).filter(\.$dossierID == dossier).sort(\.$createdAt).sort(\.$id).all()
            .map { m in
                let state: String
                switch OutboxMailModel.Status(rawValue: m.status) {
                case .sent:
                    state =
                        "Đã gửi " + (m.sentAt.map(PageTime.dateTime) ?? "")
                        + (m.providerID.map { " (mã tin \($0))" } ?? "")
                case .dead: state = "Không gửi được: \(m.lastError ?? "")"
                default:
                    state = m.lastError.map { "Đang thử lại (\(m.attempts) lần): \($0)" } ?? "Đang chờ gửi"
                }
                return Delivery(
                    channel: m.notificationChannel.vietnameseName, to: m.toAddress,
                    what: m.notificationChannel == .email
                        ? m.subject : m.subject + " - " + PageTime.dateTime(m.createdAt),
                    state: state, failed: m.status == OutboxMailModel.Status.dead.rawValue)
            }
    }
}

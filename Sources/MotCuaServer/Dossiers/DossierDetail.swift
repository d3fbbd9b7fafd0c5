import Foundation
import MotCuaCore
import Vapor

// What the API returns for one dossier, built from its read model (DossierRecord); instants as
// ISO 8601 with the +07:00 offset.

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

    init(
        id: UUID, component: Int?, version: Int, fileName: String, contentType: String, size: Int, sha256: String,
        uploadedAt: String
    ) {
        self.id = id
        self.component = component
        self.version = version
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedAt = uploadedAt
    }

    /// A stored file, with the position of its component.
    init(_ f: DossierFileModel, component: Int?) {
        self.init(
            id: f.id!, component: component, version: f.version, fileName: f.fileName, contentType: f.contentType,
            size: f.size, sha256: f.sha256, uploadedAt: VietnamTime.iso(f.uploadedAt))
    }
}

struct LogView: Content {
    var seq: Int
    var at: String
    var actorName: String
    /// The account that acted (nil on entries written before usernames were logged, and for the system).
    var actorUsername: String?
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
    /// Why the due date is what it is ("Vì sao hạn xử lý là ngày này?"): on reading a dossier, once
    /// received.
    var dueExplanation: DueExplanationView?
    var components: [ComponentView]
    var files: [FileView]
    var log: [LogView]
    /// On reading a dossier: the result sent by post, and the messages to the National Public
    /// Service Portal (nil when none was queued).
    var postal: PostalView?
    var nationalSync: NationalSyncView?
}

/// A result sent by post, as the post last told of it.
struct PostalView: Content {
    var trackingNumber: String
    var status: String
    var sentAt: String
    var deliveredAt: String?
    var receiver: String?
    var note: String?
    var text: String

    init(_ s: PostalShipments.Shipment) {
        trackingNumber = s.tracking_number
        status = s.status
        sentAt = VietnamTime.iso(s.created_at)
        deliveredAt = s.delivered_at.map(VietnamTime.iso)
        receiver = s.receiver
        note = s.note
        text = s.text
    }
}

/// The dossier's messages to the National Public Service Portal: acknowledged, waiting, the last
/// failure with the portal's answer.
struct NationalSyncView: Content {
    var sent: Int
    var pending: Int
    var lastSentAt: String?
    var lastError: String?
    var lastAnswer: String?
    var text: String

    init(_ s: NationalSync.State) {
        sent = s.sent
        pending = s.pending
        lastSentAt = s.lastSentAt.map(VietnamTime.iso)
        lastError = s.lastError
        lastAnswer = s.lastAnswer
        text = s.label
    }
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
    /// Confirming a payment at the desk: cash or transfer (cash when absent).
    var paymentMethod: PaymentMethod?
    var rating: Satisfaction?
    var fileCount: Int?
    /// A supplement request: the positions of the components to supplement.
    var components: [Int]?
    /// Returning the result: how (counter, post, online) and to whom.
    var delivery: ResultDelivery?
    var recipient: String?

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
            if let text {
                try TextInput.require(text, label: label, multiline: label != "Số biên lai", maxLength: 4000)
            }
        }
        if let recipient {
            try TextInput.require(recipient, label: "Người nhận kết quả", multiline: false, maxLength: 200)
        }
        if let components, components.count > 50 || Set(components).count != components.count {
            throw ServiceError(
                .unprocessableEntity,
                "Danh sách thành phần cần bổ sung không hợp lệ (mỗi thành phần một lần, tối đa 50).")
        }
        return ActionInputs(
            opinion: opinion, reason: reason, amount: amount, officer: officer, fileCount: fileCount,
            appointment: date, proposal: proposal, paymentReceipt: paymentReceipt, rating: rating,
            components: components?.isEmpty == true ? nil : components, delivery: delivery,
            recipient: recipient.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 },
            paymentMethod: paymentMethod)
    }
}

extension DossierDetail {
    /// `explaining` (reading one dossier) adds "Vì sao hạn xử lý là ngày này?"; an action's answer
    /// leaves it out, so that writing pays nothing for it.
    init(_ r: DossierRecord, explaining service: DossierService? = nil) {
        let d = r.dossier
        let files = r.files.map { FileView($0.file, component: $0.component) }
        self.init(
            dossier: DossierSummary(d),
            lookupSecret: d.lookupSecret,
            applicant: r.applicant,
            representative: r.representative,
            resultDelivery: d.resultDelivery,
            feeVnd: d.feeVND,
            procedure: r.procedure,
            clock: r.clock,
            dueExplanation: service.flatMap {
                DueExplanationView.of(clock: r.clock, terms: r.procedure, channel: d.channel, service: $0)
            },
            components: r.components.map { c in
                ComponentView(
                    position: c.position, name: c.name, form: c.form, requiredCount: c.requiredCount,
                    mandatory: c.mandatory,
                    handedInCount: c.handedInCount, files: files.filter { $0.component == c.position })
            },
            files: files,
            log: r.log.map { e in
                LogView(
                    seq: e.seq, at: VietnamTime.iso(e.at), actorName: e.actorName, actorUsername: e.actorUsername,
                    action: e.action, actionName: e.actionName,
                    fromState: e.fromState, toState: e.toState, opinion: e.opinion, changes: e.changes,
                    stepDueAt: e.stepDueAt.map(VietnamTime.iso), hash: e.hash)
            })
    }
}

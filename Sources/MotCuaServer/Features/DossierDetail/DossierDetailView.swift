import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// What a dossier's page shows: its tabs, the facts of "Thông tin chung", the action forms the user
/// may fill in now, the forms it has to print and its signed result.
extension DossierDetailPage {
    /// One action the user may take, with the inputs its form asks for.
    struct ActionForm: Encodable {
        struct Officer: Encodable { let id: UUID; let name: String }
        let action: String
        let name: String
        let officers: [Officer]
        // The inputs the form asks for (the rule's required inputs); an opinion may always be given.
        let officer, proposal, amount, paymentReceipt, appointment, rating, reason, opinionRequired: Bool
        /// A supplement request may give the applicant their own deadline (optional) and tick the
        /// components to supplement.
        let applicantDeadline: Bool
        struct Component: Encodable { let position: Int; let name: String }
        let components: [Component]
        /// Returning the result asks how and to whom (the applicant by default).
        let deliveries: [SelectOption]
        let recipient: String
        /// Confirming a payment asks how it was paid at the desk.
        let paymentMethods: [SelectOption]
        /// After a refusal, the form that was sent opens again with what was typed in it.
        let open: Bool
        let typedOpinion, typedReason, typedReceipt, typedAmount: String
        /// What the action does with the draft result (proposing, submitting, signing it), or that
        /// it is missing.
        let note: String?

        init(
            _ action: Action, officers: [Officer], dossier: DossierRecord, typed: ActionRequest? = nil,
            draft: String? = nil
        ) {
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
            applicantDeadline = action == .requestSupplement
            components =
                action == .requestSupplement
                ? dossier.components.map { Component(position: $0.position, name: $0.name) } : []
            let usual = ResultDelivery(rawValue: dossier.dossier.resultDelivery) ?? .counter
            deliveries =
                action == .returnResult
                ? ResultDelivery.allCases.map {
                    SelectOption(value: $0.rawValue, name: $0.vietnameseName, selected: $0 == usual)
                } : []
            recipient = action == .returnResult ? typed?.recipient ?? dossier.dossier.applicantName : ""
            let method = typed?.paymentMethod ?? .cash
            paymentMethods =
                action == .confirmPayment
                ? PaymentMethod.recordedAtDesk.map {
                    SelectOption(value: $0.rawValue, name: $0.vietnameseName, selected: $0 == method)
                } : []
            open = typed != nil
            typedOpinion = typed?.opinion ?? ""
            typedReason = typed?.reason ?? ""
            typedReceipt = typed?.paymentReceipt ?? ""
            typedAmount = typed?.amount.map(String.init) ?? ""
            let approving = dossier.pendingDecision?.proposal == .approve
            note =
                switch action {
                case .propose:
                    draft.map { "Dự thảo kết quả sẽ trình ký: \($0)." }
                        ?? """
                        Chưa có dự thảo kết quả: đề nghị giải quyết cần tệp dự thảo, đính kèm ở thẻ “Thành phần hồ \
                        sơ” (mục Tệp khác) trước khi đề xuất. Đề nghị từ chối thì không cần.
                        """
                case .submitForSignature where approving:
                    draft.map { "Trình lãnh đạo ký số tệp dự thảo: \($0)." }
                        ?? PendingDecision.missingDraftMessage(.submitForSignature)
                case .approve:
                    draft.map { "Ký duyệt sẽ ký số tệp: \($0)." } ?? PendingDecision.missingDraftMessage(.approve)
                default: nil
                }
        }
    }

    /// "Yêu cầu bổ sung hồ sơ" while the dossier waits for it: what to bring, why, by when and who
    /// asked, on the page the applicant and the desk both open.
    struct SupplementView: Encodable {
        let reason: String
        let components: [String]
        let deadline: String?
        let askedBy: String

        static func of(_ r: DossierRecord, names: ChangeText.Names) -> SupplementView? {
            guard r.dossier.status == Status.awaitingSupplement.rawValue,
                let line = r.log.last(where: { $0.action == Action.requestSupplement.rawValue })
            else { return nil }
            func change(_ field: String) -> String? { line.changes.first { $0.field == field }?.new }
            let positions = (change("supplement_components") ?? "").split(separator: ",").compactMap { Int($0) }
            return SupplementView(
                reason: change("reason") ?? line.opinion ?? "",
                components: positions.map { "\($0). " + (names.components[$0] ?? "") },
                deadline: r.clock?.rounds.last?.applicantDeadline.map(PageTime.dateTime),
                askedBy: "\(line.actor), \(PageTime.dateTime(line.at))")
        }
    }

    /// "Nội dung trình": what the head reviews and the leader signs, shown on "Thông tin chung" above
    /// their actions: the officer's proposal, opinion and reason, the head's submission, the draft.
    struct DecisionView: Encodable {
        let heading: String
        let proposal: String
        let refusal: Bool
        let reason: String?
        let proposedBy: String
        let opinion: String?
        let submittedBy: String?
        let submissionOpinion: String?
        let draft: Context.FileRow?
        /// An approval proposed without a draft: the leader could not sign it.
        let draftMissing: Bool

        init(_ p: PendingDecision, state: DossierState, draft: Context.FileRow?) {
            heading = state.step == .awaitingSignature ? "Nội dung trình ký duyệt" : "Nội dung trình xét duyệt"
            proposal = p.proposal == .approve ? "Đề nghị giải quyết" : "Đề nghị từ chối"
            refusal = p.proposal == .refuse
            reason = p.reason
            proposedBy = "\(p.proposed.by), \(PageTime.dateTime(p.proposed.at))"
            opinion = p.proposed.opinion
            submittedBy = p.submitted.map { "\($0.by), \(PageTime.dateTime($0.at))" }
            submissionOpinion = p.submitted?.opinion
            self.draft = draft
            draftMissing = p.proposal == .approve && draft == nil
        }
    }

    struct Tab: Encodable { let label: String; let href: String; let current: Bool }

    struct Context: Encodable {
        struct Fact: Encodable { let label: String; let value: String }
        struct LogRow: Encodable {
            let seq: Int; let at: String; let actorName: String; let actionName: String; let opinion: String?;
            let changes: [ChangeText.Line]
        }
        struct PeriodRow: Encodable {
            let state: String; let holder: String; let from: String; let to: String; let due: String
            let finishedBy: String; let timeliness: String; let timelinessClass: String
        }
        struct PauseRow: Encodable {
            let reason: String; let pausedAt: String; let applicantDeadline: String; let resumedAt: String;
            let previousDue: String; let newDue: String
        }
        struct FileRow: Encodable {
            let name: String; let version: Int; let size: String; let uploadedAt: String; let href: String;
            let view: String?; let image: Bool
            /// Taken from the applicant's store (Kho dữ liệu) instead of uploaded again.
            var reused = false
        }
        struct ComponentRow: Encodable {
            let position: Int; let name: String; let counts: String; let mandatory: Bool; let files: [FileRow]
        }
        let layout: PageLayout
        let code: String
        let tab: String
        let tabs: [Tab]
        let version: Int
        let facts: [Fact]
        /// "Vì sao hạn xử lý là ngày này?" on the "Thông tin chung" tab.
        let dueExplanation: DueExplanationView?
        /// The messages to the applicant (e-mail, SMS, Zalo) and how each was delivered.
        let notices: [NotificationOutbox.Delivery]
        let periods: [PeriodRow]
        let pauses: [PauseRow]
        let components: [ComponentRow]
        let otherFiles: [FileRow]
        let log: [LogRow]
        let actions: [ActionForm]
        let hasActions: Bool
        /// The user may attach files now (the `upload_file` rule): the tab shows a form per component.
        let canUpload: Bool
        /// The printed forms the dossier has now (mẫu số and title), in the configured set.
        let printedForms: [PrintLink]
        /// The signed result, checked now against the CA.
        let signedResult: SignedView?
        /// What is to be decided, while the dossier waits for review or signature.
        let decision: DecisionView?
        /// What the applicant is asked to supplement, while the dossier waits for it.
        let supplement: SupplementView?
        let notice: String?
        let error: String?
    }
    struct PrintLink: Encodable { let number: String; let title: String; let href: String }
    struct SignedView: Encodable {
        let fileName: String; let fileHref: String; let signatureHref: String; let signer: String; let signedAt: String
        let serial: String; let sha256: String; let valid: Bool; let text: String
    }

    static let tabs: [(key: String, label: String)] = [
        ("chung", "Thông tin chung"), ("tien-trinh", "Tiến trình thụ lý"), ("thanh-phan", "Thành phần hồ sơ"),
        ("nhat-ky", "Nhật ký sửa đổi"),
    ]

    static func cssClass(_ t: Timeliness) -> String {
        switch t {
        case .early: "early"
        case .late, .overdue: "late"
        case .onTime, .withinTime: ""
        }
    }

    /// "Thông tin chung": the dossier as the desk and the departments read it.
    /// `sync`: its messages to the national portal; `nationalCode`: the portal's code of a dossier
    /// submitted there.
    static func facts(
        _ r: DossierRecord, names: ChangeText.Names, now: Date, sync: NationalSync.State? = nil,
        nationalCode: String? = nil, shipment: PostalShipments.Shipment? = nil
    ) -> [Context.Fact] {
        let d = r.dossier
        var facts: [(String, String?)] = [
            ("Mã hồ sơ", d.code),
            ("Thủ tục", r.procedure.name),
            ("Trạng thái", d.state.vietnameseName),
            ("Tiến độ", d.timeliness(at: now)?.vietnameseName),
            ("Chủ hồ sơ", r.applicant.name),
            ("Số giấy tờ tùy thân", r.applicant.idNumber),
            ("Địa chỉ", r.applicant.address),
            ("Điện thoại", r.applicant.phone.flatMap { $0.isEmpty ? nil : $0 }),
            ("Người nộp thay", r.representative?.name),
            ("Trích yếu", d.contentSummary.isEmpty ? nil : d.contentSummary),
            (
                "Kênh nộp",
                DossierChannel(rawValue: d.channel)?.vietnameseName.appending(
                    nationalCode.map { " (Cổng Dịch vụ công quốc gia, mã \($0))" } ?? "")
            ),
            ("Cơ quan tiếp nhận", names.agencies[d.agencyID]),
            ("Phòng chuyên môn", names.departments[d.departmentID]),
            ("Cán bộ thụ lý", d.assignedOfficerID.flatMap { names.users[$0] }),
            ("Nộp lúc", d.submittedAt.map(PageTime.dateTime)),
            ("Tiếp nhận", d.receivedAt.map(PageTime.dateTime)),
            ("Hạn xử lý", d.dueAt.map(PageTime.dateTime)),
            ("Hẹn trả kết quả", d.appointmentAt.map(PageTime.dateTime)),
            ("Hoàn thành", d.completedAt.map(PageTime.dateTime)),
            ("Trả kết quả", d.returnedAt.map(PageTime.dateTime)),
            ("Trả kết quả qua bưu chính", shipment?.text),
            ("Lệ phí", d.feeVND > 0 ? PageTime.number(d.feeVND) + " đồng" : "Không thu"),
            ("Thanh toán", r.payments.last?.summary),
            (
                "Đánh giá của người nộp",
                d.rating.flatMap(Satisfaction.init(rawValue:)).map { rating in
                    rating.vietnameseName + (d.ratedAt.map { " (ngày \(PageTime.date($0)))" } ?? "")
                }
            ),
            ("Mã tra cứu", d.lookupSecret),
            (
                "Đồng bộ Cổng DVC quốc gia",
                sync.map { s in
                    s.label + (s.lastSentAt.map { "; xác nhận lần cuối \(PageTime.dateTime($0))" } ?? "")
                        + (s.lastAnswer.map { "; Cổng trả lời: \($0.prefix(300))" } ?? "")
                }
            ),
        ]
        // The e-form, as the applicant filled it online: printed with the page.
        if let form = r.procedure.declaration, let json = d.declarationJSON,
            let values = try? JSON.decode([String: String].self, json)
        {
            facts += form.fields.map { ("\(form.title): \($0.label)", form.display($0, values[$0.name])) }
        }
        facts.removeAll { $0.1 == nil }
        return facts.map { Context.Fact(label: $0.0, value: $0.1!) }
    }

    /// The officers who may be assigned the dossier, with their workload beside each name.
    static func assignableOfficers(for d: DossierModel, on db: any Database) async throws -> [ActionForm.Officer] {
        try await OfficerWorkload.of(agency: d.agencyID, department: d.departmentID, on: db).map {
            ActionForm.Officer(id: $0.id, name: $0.label)
        }
    }
}

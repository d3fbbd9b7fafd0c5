import Foundation

/// The actions of DOMAIN.md section 5.
public enum Action: String, Sendable, Codable, CaseIterable, Hashable {
    case submit
    case receive
    case accept
    case reject
    case requestSupplement = "request_supplement"
    case supplement
    case requestPayment = "request_payment"
    case confirmPayment = "confirm_payment"
    case handOver = "hand_over"
    case assign
    case reassign
    case propose
    case returnForRework = "return_for_rework"
    case submitForSignature = "submit_for_signature"
    case approve
    case refuse
    case apologise
    case withdraw
    case returnResult = "return_result"
    /// Sending the result by post (bưu chính công ích): the state does not change until the post
    /// confirms the delivery, which is "Trả kết quả".
    case dispatchResult = "dispatch_result"
    case rate
    /// Attaching a file (a scan, a supplement, a draft or signed result): logged like any action,
    /// the state does not change.
    case uploadFile = "upload_file"

    /// The label of the action in the UI (the manual's wording where it has one).
    public var vietnameseName: String {
        switch self {
        case .submit: "Nộp hồ sơ"
        case .receive: "Tiếp nhận hồ sơ"
        case .accept: "Tiếp nhận hồ sơ trực tuyến"
        case .reject: "Từ chối tiếp nhận"
        case .requestSupplement: "Yêu cầu bổ sung hồ sơ"
        case .supplement: "Bổ sung hồ sơ"
        case .requestPayment: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .confirmPayment: "Xác nhận thanh toán"
        case .handOver: "Bàn giao hồ sơ"
        case .assign: "Phân công thụ lý"
        case .reassign: "Phân công lại"
        case .propose: "Đề xuất kết quả"
        case .returnForRework: "Yêu cầu thụ lý lại"
        case .submitForSignature: "Trình lãnh đạo ký duyệt"
        case .approve: "Ký duyệt"
        case .refuse: "Từ chối giải quyết"
        case .apologise: "Xin lỗi và hẹn lại ngày trả kết quả"
        case .withdraw: "Rút hồ sơ"
        case .returnResult: "Trả kết quả"
        case .dispatchResult: "Gửi kết quả qua bưu chính"
        case .rate: "Đánh giá mức độ hài lòng"
        case .uploadFile: "Đính kèm tệp"
        }
    }
}

/// An input an action may require.
public enum ActionInput: String, Sendable, Codable, CaseIterable, Hashable {
    case opinion  // ý kiến
    case reason  // lý do
    case amount  // số tiền (VND)
    case officer  // cán bộ được phân công
    case files  // tệp đính kèm
    case appointment  // ngày hẹn trả mới
    case proposal  // đề xuất: approve / refuse
    case paymentReceipt  // số biên lai
    case rating  // mức độ hài lòng

    public var vietnameseName: String {
        switch self {
        case .opinion: "ý kiến"
        case .reason: "lý do"
        case .amount: "số tiền"
        case .officer: "cán bộ thụ lý"
        case .files: "tệp đính kèm"
        case .appointment: "ngày hẹn trả mới"
        case .proposal: "đề xuất (giải quyết hoặc từ chối)"
        case .paymentReceipt: "số biên lai thanh toán"
        case .rating: "mức độ hài lòng"
        }
    }
}

/// What an action does to the dossier's clock.
public enum ClockEffect: Hashable, Sendable {
    case none
    /// Receipt: the due date is computed.
    case start
    case pause(PauseReason)
    case resume
    case apology
}

/// Where an action leads.
public enum Target: Hashable, Sendable {
    case state(DossierState)
    /// Back to the state the dossier was in before it paused.
    case stateBeforePause
    /// The state does not change.
    case same
}

/// One row of the action table: who, from where.
public struct ActionClause: Hashable, Sendable {
    public let roles: Set<Role>
    /// nil means "a new dossier" (no state yet).
    public let from: Set<DossierState?>
}

/// One action's row of the table.
public struct ActionRule: Sendable {
    public let action: Action
    public let clauses: [ActionClause]
    public let target: Target
    public let required: Set<ActionInput>
    public let clock: ClockEffect
    /// An officer may only act on a dossier assigned to them.
    public let requiresAssignedOfficer: Bool
}

/// The inputs given with an action.
public struct ActionInputs: Sendable, Hashable, Codable {
    public var opinion: String?
    public var reason: String?
    public var amount: Int?
    public var officer: UUID?
    public var fileCount: Int?
    public var appointment: Date?
    public var proposal: Proposal?
    public var paymentReceipt: String?
    /// Confirming a payment: how it was paid (cash at the desk by default).
    public var paymentMethod: PaymentMethod?
    public var rating: Satisfaction?
    /// A supplement request: the positions of the components to supplement (thành phần cần bổ sung).
    public var components: [Int]?
    /// Returning the result: how it was handed over and to whom.
    public var delivery: ResultDelivery?
    public var recipient: String?
    /// Sending the result by post: the postal service's tracking number (mã bưu gửi).
    public var trackingNumber: String?

    public enum Proposal: String, Sendable, Codable, Hashable, CaseIterable { case approve, refuse }

    public init(
        opinion: String? = nil, reason: String? = nil, amount: Int? = nil, officer: UUID? = nil, fileCount: Int? = nil,
        appointment: Date? = nil, proposal: Proposal? = nil, paymentReceipt: String? = nil, rating: Satisfaction? = nil,
        components: [Int]? = nil, delivery: ResultDelivery? = nil, recipient: String? = nil,
        paymentMethod: PaymentMethod? = nil
    ) {
        self.paymentMethod = paymentMethod
        self.components = components
        self.delivery = delivery
        self.recipient = recipient
        self.opinion = opinion
        self.reason = reason
        self.amount = amount
        self.officer = officer
        self.fileCount = fileCount
        self.appointment = appointment
        self.proposal = proposal
        self.paymentReceipt = paymentReceipt
        self.rating = rating
    }

    func has(_ input: ActionInput) -> Bool {
        func text(_ s: String?) -> Bool { !(s?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true) }
        switch input {
        case .opinion: return text(opinion)
        case .reason: return text(reason)
        case .amount: return (amount ?? 0) > 0
        case .officer: return officer != nil
        case .files: return (fileCount ?? 0) > 0
        case .appointment: return appointment != nil
        case .proposal: return proposal != nil
        case .paymentReceipt: return text(paymentReceipt)
        case .rating: return rating != nil
        }
    }
}

/// How a result is handed to the applicant (DOMAIN.md section 4).
public enum ResultDelivery: String, Sendable, Codable, CaseIterable, Hashable {
    case counter, post, online

    public var vietnameseName: String {
        switch self {
        case .counter: "Trực tiếp tại Bộ phận Một cửa"
        case .post: "Qua dịch vụ bưu chính công ích"
        case .online: "Trực tuyến"
        }
    }
}

/// Satisfaction answers (DOMAIN.md section 10).
public enum Satisfaction: String, Sendable, Codable, CaseIterable, Hashable {
    case verySatisfied = "very_satisfied"
    case satisfied
    case dissatisfied

    public var vietnameseName: String {
        switch self {
        case .verySatisfied: "Rất hài lòng"
        case .satisfied: "Hài lòng"
        case .dissatisfied: "Không hài lòng"
        }
    }
}

/// Who is acting, as far as the state machine cares.
public struct ActorContext: Sendable, Hashable {
    public let roles: Set<Role>
    /// The actor is the officer assigned to the dossier.
    public let isAssignedOfficer: Bool

    public init(roles: Set<Role>, isAssignedOfficer: Bool = false) {
        self.roles = roles
        self.isAssignedOfficer = isAssignedOfficer
    }
}

/// The decided outcome of an action.
public struct Transition: Sendable, Hashable {
    public let action: Action
    public let from: DossierState?
    public let to: DossierState
    public let clock: ClockEffect
    /// The role under which the actor acted.
    public let role: Role
}

/// Errors of dossier actions, each with a Vietnamese message.
public enum DossierError: Error, Hashable, Sendable, CustomStringConvertible {
    case roleNotAllowed(Action)
    case stateNotAllowed(Action, DossierState?)
    case missingInput(Action, ActionInput)
    case notAssignedOfficer
    case noStateToResume
    case apologyAlreadyGiven
    case versionConflict
    case notFound
    case invalid(String)

    public var message: String {
        switch self {
        case .roleNotAllowed(let a):
            "Bạn không có quyền thực hiện thao tác \"\(a.vietnameseName)\"."
        case .stateNotAllowed(let a, let s):
            """
            Không thể thực hiện \"\(a.vietnameseName)\" khi hồ sơ đang ở trạng thái \
            \"\(s?.vietnameseName ?? "chưa tạo")\".
            """
        case .missingInput(let a, let i):
            "Thao tác \"\(a.vietnameseName)\" cần nhập \(i.vietnameseName)."
        case .notAssignedOfficer:
            "Hồ sơ không được phân công cho bạn."
        case .noStateToResume:
            "Không xác định được trạng thái trước khi tạm dừng của hồ sơ."
        case .apologyAlreadyGiven:
            "Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả; chỉ được xin lỗi một lần."
        case .versionConflict:
            "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại hồ sơ và thực hiện lại thao tác."
        case .notFound:
            "Không tìm thấy hồ sơ."
        case .invalid(let why):
            why
        }
    }

    public var description: String { message }
}

/// The action table of DOMAIN.md section 5 as data, and the one function that applies it.
public enum StateMachine {
    static let processing = Step.allCases.map { DossierState(.processing, $0) }
    static func s(_ status: Status, _ step: Step? = nil) -> DossierState? { DossierState(status, step) }
    static let openStates: Set<DossierState?> = Set(DossierState.all.filter { $0.status.isOpen }.map { Optional($0) })

    public static let rules: [Action: ActionRule] = {
        func rule(
            _ action: Action, _ clauses: [ActionClause], _ target: Target, _ required: Set<ActionInput> = [],
            clock: ClockEffect = .none, assigned: Bool = false
        ) -> ActionRule {
            ActionRule(
                action: action, clauses: clauses, target: target, required: required, clock: clock,
                requiresAssignedOfficer: assigned)
        }
        func c(_ roles: Set<Role>, _ from: [DossierState?]) -> ActionClause {
            ActionClause(roles: roles, from: Set(from))
        }
        let list: [ActionRule] = [
            rule(.submit, [c([.citizen], [nil])], .state(DossierState(.submitted))),
            rule(.receive, [c([.reception], [nil])], .state(DossierState(.received)), clock: .start),
            rule(.accept, [c([.reception], [s(.submitted)])], .state(DossierState(.received)), clock: .start),
            rule(.reject, [c([.reception], [s(.submitted)])], .state(DossierState(.rejected)), [.reason]),
            rule(
                .requestSupplement, [c([.reception], [s(.submitted)]), c([.officer], [s(.processing, .inProgress)])],
                .state(DossierState(.awaitingSupplement)), [.reason], clock: .pause(.supplement), assigned: true),
            rule(
                .supplement, [c([.citizen, .reception], [s(.awaitingSupplement)])], .stateBeforePause, clock: .resume),
            rule(
                .requestPayment, [c([.reception], [s(.received)]), c([.officer], [s(.processing, .inProgress)])],
                .state(DossierState(.awaitingPayment)), [.amount], clock: .pause(.payment), assigned: true),
            rule(
                .confirmPayment, [c([.reception], [s(.awaitingPayment)])], .stateBeforePause, [.paymentReceipt],
                clock: .resume),
            rule(.handOver, [c([.reception], [s(.received)])], .state(DossierState(.processing, .awaitingAssignment))),
            rule(
                .assign, [c([.head], [s(.processing, .awaitingAssignment)])],
                .state(DossierState(.processing, .inProgress)), [.officer]),
            rule(
                .reassign, [c([.head], [s(.processing, .inProgress)])], .state(DossierState(.processing, .inProgress)),
                [.officer]),
            rule(
                .propose, [c([.officer], [s(.processing, .inProgress)])],
                .state(DossierState(.processing, .awaitingReview)),
                [.proposal, .opinion], assigned: true),
            rule(
                .returnForRework,
                [c([.head], [s(.processing, .awaitingReview)]), c([.leader], [s(.processing, .awaitingSignature)])],
                .state(DossierState(.processing, .inProgress))),
            rule(
                .submitForSignature, [c([.head], [s(.processing, .awaitingReview)])],
                .state(DossierState(.processing, .awaitingSignature))),
            rule(.approve, [c([.leader], [s(.processing, .awaitingSignature)])], .state(DossierState(.completed))),
            rule(
                .refuse, [c([.leader], [s(.processing, .awaitingSignature)])], .state(DossierState(.refused)), [.reason]
            ),
            rule(
                .apologise, [c([.leader, .head], processing.map { Optional($0) })], .same, [.reason, .appointment],
                clock: .apology),
            rule(
                .withdraw, [c([.citizen, .reception], Array(openStates))], .state(DossierState(.withdrawn)), [.reason]),
            rule(.returnResult, [c([.reception], [s(.completed)])], .state(DossierState(.returned))),
            rule(.dispatchResult, [c([.reception], [s(.completed)])], .same),
            rule(.rate, [c([.citizen], [s(.returned)])], .same, [.rating]),
            // Who adds files, and when: the applicant while submitting or supplementing; the desk
            // until the result is ready; the assigned officer while processing (the draft result);
            // the head in review and the leader at signature. Monitors and administrators never.
            rule(
                .uploadFile,
                [
                    c([.citizen], [s(.submitted), s(.awaitingSupplement)]),
                    c(
                        [.reception],
                        [s(.submitted), s(.received), s(.awaitingSupplement), s(.awaitingPayment), s(.completed)]),
                    c([.officer], [s(.processing, .inProgress)]),
                    c([.head], [s(.processing, .awaitingReview)]),
                    c([.leader], [s(.processing, .awaitingSignature)]),
                ],
                .same, [.files], assigned: true),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.action, $0) })
    }()

    /// The actions an actor may take on a dossier in `state` (the buttons of its page), by asking
    /// `decide` with every input given, so the answer never differs from what `decide` allows.
    /// New-dossier actions (submit, receive) are not among them.
    public static func available(from state: DossierState, actor: ActorContext, stateBeforePause: DossierState? = nil)
        -> [Action]
    {
        let everything = ActionInputs(
            opinion: "-", reason: "-", amount: 1, officer: UUID(), fileCount: 1, appointment: Date(),
            proposal: .approve, paymentReceipt: "-", rating: .satisfied)
        return Action.allCases.filter { action in
            guard action != .submit, action != .receive else { return false }
            return
                (try? decide(action, from: state, actor: actor, inputs: everything, stateBeforePause: stateBeforePause))
                != nil
        }
    }

    /// Decides an action: the target state and the clock effect, or a typed error. Pure: the
    /// caller persists the outcome. `stateBeforePause` is where a paused dossier returns to.
    public static func decide(
        _ action: Action,
        from state: DossierState?,
        actor: ActorContext,
        inputs: ActionInputs,
        stateBeforePause: DossierState? = nil
    ) throws(DossierError) -> Transition {
        let rule = rules[action]!
        let allowedRoles = rule.clauses.reduce(into: Set<Role>()) { $0.formUnion($1.roles) }
        guard !allowedRoles.isDisjoint(with: actor.roles) else { throw .roleNotAllowed(action) }
        guard
            let clause = rule.clauses.first(where: {
                !$0.roles.isDisjoint(with: actor.roles) && $0.from.contains(state)
            })
        else {
            throw .stateNotAllowed(action, state)
        }
        // The role used: the clause's role the actor holds (deterministic pick).
        let role = Role.allCases.first { clause.roles.contains($0) && actor.roles.contains($0) }!
        if rule.requiresAssignedOfficer && role == .officer && !actor.isAssignedOfficer { throw .notAssignedOfficer }
        for input in ActionInput.allCases where rule.required.contains(input) && !inputs.has(input) {
            throw .missingInput(action, input)
        }
        if action == .propose, inputs.proposal == .refuse, !inputs.has(.reason) { throw .missingInput(action, .reason) }
        let to: DossierState
        switch rule.target {
        case .state(let s): to = s
        case .same: to = state!
        case .stateBeforePause:
            guard let back = stateBeforePause, !back.status.isPaused else { throw .noStateToResume }
            to = back
        }
        return Transition(action: action, from: state, to: to, clock: rule.clock, role: role)
    }
}

import Foundation

/// What a head reviews and a leader signs, read from the dossier's log: the assigned officer's
/// last proposal (approve or refuse, the opinion, the reason), and once the head has submitted it
/// to the leader, the head's opinion. A proposal sent back for rework ("Yêu cầu thụ lý lại") is no
/// longer pending. Shown above the actions of "Thông tin chung" while the dossier waits for review
/// or signature, so that nobody decides without seeing what they decide.
public struct PendingDecision: Sendable, Equatable {
    /// One log entry, as far as the decision needs it.
    public struct Event: Sendable {
        public let action: Action
        public let by: String
        public let at: Date
        public let opinion: String?
        /// The entry's changes, by field: their new values (`proposal`, `reason`).
        public let values: [String: String]

        public init(action: Action, by: String, at: Date, opinion: String?, values: [String: String]) {
            self.action = action
            self.by = by
            self.at = at
            self.opinion = opinion
            self.values = values
        }
    }

    /// Who did a step of the decision, when, with which opinion.
    public struct Step: Sendable, Equatable {
        public let by: String
        public let at: Date
        public let opinion: String?
    }

    public let proposal: ActionInputs.Proposal
    /// Why the officer proposes a refusal (required for one), or the reason they gave.
    public let reason: String?
    public let proposed: Step
    /// The head's "Trình lãnh đạo ký duyệt", once made.
    public let submitted: Step?

    /// The decision pending in the given state: waiting for review (the proposal) or for
    /// signature (the proposal and its submission); nil in any other state.
    public static func of(_ events: [Event], in state: DossierState) -> PendingDecision? {
        guard state.status == .processing, state.step == .awaitingReview || state.step == .awaitingSignature else {
            return nil
        }
        var pending: PendingDecision?
        for e in events {
            switch e.action {
            case .propose:
                guard let proposal = e.values["proposal"].flatMap(ActionInputs.Proposal.init(rawValue:)) else {
                    continue
                }
                pending = PendingDecision(
                    proposal: proposal, reason: e.values["reason"],
                    proposed: Step(by: e.by, at: e.at, opinion: e.opinion),
                    submitted: nil)
            case .submitForSignature:
                if let p = pending {
                    pending = PendingDecision(
                        proposal: p.proposal, reason: p.reason, proposed: p.proposed,
                        submitted: Step(by: e.by, at: e.at, opinion: e.opinion))
                }
            case .returnForRework, .assign, .reassign:
                pending = nil
            default: break
            }
        }
        return pending
    }

    /// An approval ends with the leader's digital signature on a draft result: an officer who
    /// proposes it, and a head who submits it, must have the draft attached first; the refusal is
    /// said at their step, not at the leader's.
    public static func needsDraft(_ action: Action, proposal: ActionInputs.Proposal?) -> Bool {
        switch action {
        case .propose, .submitForSignature, .approve: proposal == .approve
        default: false
        }
    }

    /// The refusal when the draft is missing, in the words of the step that lacks it.
    public static func missingDraftMessage(_ action: Action) -> String {
        let step =
            switch action {
            case .propose: "đề xuất giải quyết"
            case .submitForSignature: "trình lãnh đạo ký duyệt"
            default: "ký duyệt"
            }
        return """
            Chưa có dự thảo kết quả: đính kèm tệp dự thảo ở thẻ “Thành phần hồ sơ” (mục Tệp khác) trước khi \
            \(step).
            """
    }
}

import Foundation
import Testing
@testable import MotCuaCore

/// Every action x state x role against the table of DOMAIN.md section 5, written out here again
/// independently of `StateMachine.rules`.
@Suite struct StateMachineTests {
    typealias S = DossierState
    static let new: S? = nil
    static let submitted: S? = S(.submitted), received: S? = S(.received)
    static let assignment: S? = S(.processing, .awaitingAssignment), inProgress: S? = S(.processing, .inProgress)
    static let review: S? = S(.processing, .awaitingReview), signature: S? = S(.processing, .awaitingSignature)
    static let supplementWait: S? = S(.awaitingSupplement), paymentWait: S? = S(.awaitingPayment)
    static let completed: S? = S(.completed), returned: S? = S(.returned)
    static let open: [S?] = [submitted, received, assignment, inProgress, review, signature, supplementWait, paymentWait]
    static let processingAll: [S?] = [assignment, inProgress, review, signature]

    /// (action, role, from) -> expected target; a missing triple means "refused".
    static let table: [Action: [(Role, [S?], S?)]] = [
        .submit: [(.citizen, [new], S(.submitted))],
        .receive: [(.reception, [new], S(.received))],
        .accept: [(.reception, [submitted], S(.received))],
        .reject: [(.reception, [submitted], S(.rejected))],
        .requestSupplement: [(.reception, [submitted], S(.awaitingSupplement)), (.officer, [inProgress], S(.awaitingSupplement))],
        .supplement: [(.citizen, [supplementWait], nil), (.reception, [supplementWait], nil)],  // nil: back to where it paused
        .requestPayment: [(.reception, [received], S(.awaitingPayment)), (.officer, [inProgress], S(.awaitingPayment))],
        .confirmPayment: [(.reception, [paymentWait], nil)],
        .handOver: [(.reception, [received], assignment)],
        .assign: [(.head, [assignment], inProgress)],
        .reassign: [(.head, [inProgress], inProgress)],
        .propose: [(.officer, [inProgress], review)],
        .returnForRework: [(.head, [review], inProgress), (.leader, [signature], inProgress)],
        .submitForSignature: [(.head, [review], signature)],
        .approve: [(.leader, [signature], S(.completed))],
        .refuse: [(.leader, [signature], S(.refused))],
        .apologise: [(.leader, processingAll, nil), (.head, processingAll, nil)],  // nil: same state
        .withdraw: [(.citizen, open, S(.withdrawn)), (.reception, open, S(.withdrawn))],
        .returnResult: [(.reception, [completed], S(.returned))],
        .dispatchResult: [(.reception, [completed], nil)],
        .rate: [(.citizen, [returned], nil)],
        .uploadFile: [(.citizen, [submitted, supplementWait], nil), (.reception, [submitted, received, supplementWait, paymentWait, completed], nil),
                      (.officer, [inProgress], nil), (.head, [review], nil), (.leader, [signature], nil)],  // nil: same state
    ]

    static let fullInputs = ActionInputs(opinion: "Ý kiến", reason: "Lý do", amount: 200_000, officer: UUID(), fileCount: 1,
                                         appointment: Date(), proposal: .approve, paymentReceipt: "BL-01", rating: .satisfied)

    @Test func tableCoversEveryAction() {
        #expect(Set(Self.table.keys) == Set(Action.allCases))
        #expect(Set(StateMachine.rules.keys) == Set(Action.allCases))
    }

    @Test(arguments: Action.allCases)
    func everyStateAndRole(action: Action) {
        let states: [S?] = [nil] + DossierState.all.map { Optional($0) }
        var checked = 0
        for state in states {
            for role in Role.allCases {
                let expected = Self.table[action]!.first { $0.0 == role && $0.1.contains(state) }
                let beforePause: S? = state?.status == .awaitingPayment ? Self.received : Self.inProgress
                let result = Result { () throws(DossierError) -> Transition in
                    try StateMachine.decide(action, from: state, actor: ActorContext(roles: [role], isAssignedOfficer: true),
                                            inputs: Self.fullInputs, stateBeforePause: beforePause)
                }
                switch (expected, result) {
                case (nil, .success(let t)):
                    Issue.record("\(action) by \(role) from \(state?.description ?? "new") allowed, to \(t.to)")
                case (nil, .failure(let e)):
                    let roleAllowed = Self.table[action]!.contains { $0.0 == role }
                    #expect(e == (roleAllowed ? .stateNotAllowed(action, state) : .roleNotAllowed(action)), "\(action) \(role) \(state?.description ?? "new")")
                case (let row?, .success(let t)):
                    let target = row.2 ?? ([.apologise, .rate, .uploadFile, .dispatchResult].contains(action) ? state! : beforePause!)
                    #expect(t.to == target, "\(action) \(role) \(state?.description ?? "new")")
                    #expect(t.role == role)
                case (_?, .failure(let e)):
                    Issue.record("\(action) by \(role) from \(state?.description ?? "new") refused: \(e)")
                }
                checked += 1
            }
        }
        #expect(checked == (1 + DossierState.all.count) * Role.allCases.count)  // new + 13 states, 7 roles
    }

    @Test func multipleRolesPickTheClauseThatFits() throws {
        // A user who is both reception and officer requests supplementation at intake as reception.
        let t = try StateMachine.decide(.requestSupplement, from: S(.submitted), actor: ActorContext(roles: [.officer, .reception]),
                                        inputs: ActionInputs(reason: "Thiếu giấy tờ"))
        #expect(t.role == .reception)
    }

    /// The buttons of a dossier's page: what each role may do in the states of a dossier's life.
    @Test func availableActions() {
        let review = S(.processing, .awaitingReview)
        #expect(StateMachine.available(from: review, actor: ActorContext(roles: [.head])) == [.returnForRework, .submitForSignature, .apologise, .uploadFile])
        #expect(StateMachine.available(from: review, actor: ActorContext(roles: [.officer], isAssignedOfficer: true)) == [])
        #expect(StateMachine.available(from: S(.processing, .inProgress), actor: ActorContext(roles: [.officer], isAssignedOfficer: true))
                == [.requestSupplement, .requestPayment, .propose, .uploadFile])
        #expect(StateMachine.available(from: S(.processing, .inProgress), actor: ActorContext(roles: [.officer])) == [])
        #expect(StateMachine.available(from: S(.processing, .awaitingSignature), actor: ActorContext(roles: [.leader]))
                == [.returnForRework, .approve, .refuse, .apologise, .uploadFile])
        #expect(StateMachine.available(from: S(.received), actor: ActorContext(roles: [.reception]))
                == [.requestPayment, .handOver, .withdraw, .uploadFile])
        #expect(StateMachine.available(from: S(.awaitingSupplement), actor: ActorContext(roles: [.reception]),
                                       stateBeforePause: S(.processing, .inProgress)) == [.supplement, .withdraw, .uploadFile])
        #expect(StateMachine.available(from: S(.returned), actor: ActorContext(roles: [.citizen])) == [.rate])
        // Whatever is offered, decide allows (with its inputs); whatever decide allows is offered.
        for state in DossierState.all {
            for role in Role.allCases {
                let actor = ActorContext(roles: [role], isAssignedOfficer: true)
                let offered = Set(StateMachine.available(from: state, actor: actor, stateBeforePause: S(.processing, .inProgress)))
                for action in Action.allCases where action != .submit && action != .receive {
                    let allowed = (try? StateMachine.decide(action, from: state, actor: actor, inputs: Self.fullInputs,
                                                            stateBeforePause: S(.processing, .inProgress))) != nil
                    #expect(offered.contains(action) == allowed, "\(action) \(state) \(role)")
                }
            }
        }
    }

    @Test func officerMustBeTheAssignedOne() {
        for action in [Action.propose, .requestSupplement, .requestPayment] {
            #expect(throws: DossierError.notAssignedOfficer) {
                try StateMachine.decide(action, from: S(.processing, .inProgress), actor: ActorContext(roles: [.officer], isAssignedOfficer: false),
                                        inputs: Self.fullInputs)
            }
        }
    }

    @Test(arguments: Action.allCases)
    func requiredInputs(action: Action) throws {
        let rule = StateMachine.rules[action]!
        let clause = rule.clauses[0]
        let role = clause.roles.sorted { $0.rawValue < $1.rawValue }[0]
        let state = clause.from.first!
        let actor = ActorContext(roles: [role], isAssignedOfficer: true)
        // With nothing given, the first required input is named.
        if let first = ActionInput.allCases.first(where: { rule.required.contains($0) }) {
            #expect(throws: DossierError.missingInput(action, first)) {
                try StateMachine.decide(action, from: state, actor: actor, inputs: ActionInputs(), stateBeforePause: S(.received))
            }
            // Blank text is not an opinion or a reason.
            var blank = Self.fullInputs
            blank.reason = "   "
            blank.opinion = "\n"
            if rule.required.contains(.reason) || rule.required.contains(.opinion) {
                #expect(throws: DossierError.self) {
                    try StateMachine.decide(action, from: state, actor: actor, inputs: blank, stateBeforePause: S(.received))
                }
            }
        } else {
            _ = try StateMachine.decide(action, from: state, actor: actor, inputs: ActionInputs(), stateBeforePause: S(.received))
        }
    }

    @Test func proposingARefusalNeedsAReason() {
        var inputs = ActionInputs(opinion: "Không đủ điều kiện", proposal: .refuse)
        #expect(throws: DossierError.missingInput(.propose, .reason)) {
            try StateMachine.decide(.propose, from: S(.processing, .inProgress), actor: ActorContext(roles: [.officer], isAssignedOfficer: true), inputs: inputs)
        }
        inputs.reason = "Hồ sơ không đủ điều kiện theo quy định"
        #expect(throws: Never.self) {
            try StateMachine.decide(.propose, from: S(.processing, .inProgress), actor: ActorContext(roles: [.officer], isAssignedOfficer: true), inputs: inputs)
        }
    }

    @Test func clockEffects() {
        #expect(StateMachine.rules[.receive]!.clock == .start)
        #expect(StateMachine.rules[.accept]!.clock == .start)
        #expect(StateMachine.rules[.requestSupplement]!.clock == .pause(.supplement))
        #expect(StateMachine.rules[.requestPayment]!.clock == .pause(.payment))
        #expect(StateMachine.rules[.supplement]!.clock == .resume)
        #expect(StateMachine.rules[.confirmPayment]!.clock == .resume)
        #expect(StateMachine.rules[.apologise]!.clock == .apology)
        let others = Action.allCases.filter { ![.receive, .accept, .requestSupplement, .requestPayment, .supplement, .confirmPayment, .apologise].contains($0) }
        #expect(others.allSatisfy { StateMachine.rules[$0]!.clock == ClockEffect.none })
    }

    @Test func statusesCarryTheNationalCodesAndNames() {
        #expect(Status.allCases.map(\.code) == Array(1...10))
        #expect(Status(code: 4) == .processing)
        #expect(Status(code: 11) == nil)
        #expect(Status.completed.nationalName == "Đã xử lý xong")
        #expect(Status.completed.manualName == "Chờ trả kết quả")
        #expect(DossierState.all.count == 13)
        #expect(Action.returnForRework.vietnameseName == "Yêu cầu thụ lý lại")
        #expect(Action.submitForSignature.vietnameseName == "Trình lãnh đạo ký duyệt")
    }

    @Test func scopes() {
        let a = UUID(), b = UUID(), d = UUID(), e = UUID(), u = UUID()
        #expect(Scope.of(roles: [.head], userID: u, agency: a, department: d) == .department(agency: a, department: d))
        #expect(Scope.of(roles: [.leader], userID: u, agency: a, department: nil) == .agency(a))
        #expect(Scope.of(roles: [.monitor], userID: u, agency: nil, department: nil) == .everything)
        #expect(Scope.of(roles: [.citizen], userID: u, agency: nil, department: nil) == .own(u))
        #expect(Scope.department(agency: a, department: d).contains(agency: a, department: d, owner: nil))
        #expect(!Scope.department(agency: a, department: d).contains(agency: a, department: e, owner: nil))
        #expect(!Scope.agency(a).contains(agency: b, department: d, owner: nil))
        #expect(Scope.own(u).contains(agency: b, department: nil, owner: u))
    }
}

/// Urgency and "the clock runs" (issue 20): one rule for every list, queue and export.
@Suite struct UrgencyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: Status.allCases)
    func onlyARunningClockIsUrgent(status: Status) {
        let late = Urgency.of(status: status, due: now.addingTimeInterval(-1), at: now)
        #expect(late == (status == .received || status == .processing ? .overdue : Urgency.none))
        #expect(status.clockRuns == (status == .received || status == .processing))
    }

    @Test func dueWithinADayIsSoon() {
        #expect(Urgency.of(status: .processing, due: now.addingTimeInterval(23 * 3600), at: now) == .dueSoon)
        #expect(Urgency.of(status: .processing, due: now.addingTimeInterval(24 * 3600), at: now) == Urgency.none)
        #expect(Urgency.of(status: .processing, due: now, at: now) == .dueSoon)
        #expect(Urgency.of(status: .received, due: nil, at: now) == Urgency.none)
        #expect(Urgency.overdue.rawValue == "overdue" && Urgency.dueSoon.rawValue == "due-soon")
    }
}

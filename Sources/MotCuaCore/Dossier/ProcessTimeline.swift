import Foundation

/// "Tiến trình thụ lý": who held the dossier from when to when, drawn from its log. Each entry
/// of the log moves the dossier into a state; the dossier stays there until the next entry, held
/// by the role the state waits for (WorkQueue) and finished by whoever wrote that next entry. A step
/// with its own deadline (the entry's step due date) finished before, on or after that day is early,
/// on time or late (the same day rule as the dossier's, `Timeliness.finished`); the step still open
/// is within time or overdue now. Paused steps (supplementation, payment) have no step deadline.
public enum ProcessTimeline {
    public struct Transition: Sendable {
        public let at: Date
        public let actorName: String
        public let action: String
        public let toState: DossierState
        public let stepDueAt: Date?

        public init(at: Date, actorName: String, action: String, toState: DossierState, stepDueAt: Date?) {
            self.at = at
            self.actorName = actorName
            self.action = action
            self.toState = toState
            self.stepDueAt = stepDueAt
        }
    }

    public struct Period: Sendable, Equatable {
        public let state: DossierState
        /// The role the state waits for (nil for a final state).
        public let holder: Role?
        public let from: Date
        /// When the next entry moved it on; nil for the current state.
        public let to: Date?
        public let dueAt: Date?
        /// Who moved it on, and with which action.
        public let finishedBy: String?
        public let finishedWith: String?
        public let timeliness: Timeliness?
    }

    /// Actions that hand nothing over: a file attached, a rating, an apology with a new
    /// appointment. In the same state they never end a period (an upload once closed its step,
    /// judged at upload time, and opened a second row with no deadline).
    public static let sideActions = Set([Action.uploadFile, .rate, .apologise, .dispatchResult].map(\.rawValue))

    /// A period ends when the dossier changes state or gets a new step deadline (a new officer);
    /// side actions leave it in its state and do not end it.
    public static func periods(_ transitions: [Transition], at now: Date) -> [Period] {
        var periods: [Period] = []
        var current: Transition?
        for t in transitions {
            if let c = current {
                if c.toState == t.toState && (t.stepDueAt == c.stepDueAt || sideActions.contains(t.action)) { continue }
                periods.append(period(c, endedBy: t, now: now))
            }
            current = t
        }
        if let c = current { periods.append(period(c, endedBy: nil, now: now)) }
        return periods
    }

    static func period(_ start: Transition, endedBy end: Transition?, now: Date) -> Period {
        let due = start.toState.status.isPaused ? nil : start.stepDueAt
        let timeliness: Timeliness?
        if let due {
            timeliness = end.map { Timeliness.finished(at: $0.at, due: due) } ?? Timeliness.open(due: due, at: now)
        } else {
            timeliness = nil
        }
        return Period(
            state: start.toState, holder: holder(of: start.toState), from: start.at, to: end?.at, dueAt: due,
            finishedBy: end?.actorName, finishedWith: end?.action, timeliness: timeliness)
    }

    /// The role a state waits for: the applicant while paused (the desk may also take a supplement
    /// or a payment, but the dossier waits for the applicant), otherwise in the order of the process.
    public static func holder(of state: DossierState) -> Role? {
        if state.status.isPaused { return .citizen }
        for role in [Role.reception, .head, .officer, .leader] where WorkQueue.states(for: role).contains(state) {
            return role
        }
        return nil
    }
}

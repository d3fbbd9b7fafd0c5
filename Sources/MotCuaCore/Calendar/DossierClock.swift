import Foundation

/// Why a dossier's clock stopped.
public enum PauseReason: String, Sendable, Codable, Hashable {
    case supplement  // chờ bổ sung
    case payment  // chờ thực hiện nghĩa vụ tài chính
}

/// One stop of the clock: kept whole, with the due date before and after, so the due-date
/// history of a dossier can be shown and audited.
public struct PauseRound: Hashable, Sendable, Codable {
    public let reason: PauseReason
    public let pausedAt: Date
    /// The applicant's own deadline to supplement or pay, if one was set.
    public let applicantDeadline: Date?
    public let previousDue: Date
    public internal(set) var resumedAt: Date?
    public internal(set) var newDue: Date?
    /// Working seconds the clock stood still.
    public internal(set) var pausedWorkingSeconds: Int?

    /// The applicant missed their own deadline (flag only: it never makes the dossier overdue).
    public func isApplicantLate(at now: Date) -> Bool {
        guard let deadline = applicantDeadline else { return false }
        return (resumedAt ?? now) > deadline
    }
}

/// The apology (Mẫu 04): a new appointment, given once.
public struct Apology: Hashable, Sendable, Codable {
    public let at: Date
    public let reason: String
    public let previousAppointment: Date
    public internal(set) var newAppointment: Date
}

/// The clock of one dossier: its legal due instant, moved by pauses, and its appointment with
/// the applicant, moved by an apology too. Timeliness is judged against `due`, never against an
/// apology's appointment.
public struct DossierClock: Hashable, Sendable, Codable {
    public let receivedAt: Date
    /// The due instant computed at receipt.
    public let initialDue: Date
    /// The legal due instant: the initial due moved by every finished pause.
    public private(set) var due: Date
    public private(set) var rounds: [PauseRound] = []
    public private(set) var apology: Apology?

    public init(receivedAt: Date, due: Date) {
        self.receivedAt = receivedAt
        self.initialDue = due
        self.due = due
    }

    /// Computes the due instant from the procedure's time.
    public init(
        receivedAt: Date, time: ProcessingTime, calendar: WorkingCalendar, channel: DossierChannel = .direct,
        policy: ReceiptPolicy = .none
    ) throws(CalendarError) {
        self.init(
            receivedAt: receivedAt,
            due: try calendar.due(receivedAt: receivedAt, time: time, channel: channel, policy: policy))
    }

    /// What the applicant is told: the apology's new date if any, else the due instant.
    public var appointment: Date { apology?.newAppointment ?? due }

    public var isPaused: Bool { rounds.last.map { $0.resumedAt == nil } ?? false }

    /// How many times the applicant was asked to supplement the dossier (each a pause for it).
    public var supplementRounds: Int { rounds.filter { $0.reason == .supplement }.count }

    var lastEvent: Date { rounds.last.map { $0.resumedAt ?? $0.pausedAt } ?? receivedAt }

    public mutating func pause(_ reason: PauseReason, at instant: Date, applicantDeadline: Date? = nil)
        throws(CalendarError)
    {
        guard !isPaused else { throw .alreadyPaused }
        guard instant >= lastEvent else { throw .beforeReceipt }
        rounds.append(
            PauseRound(reason: reason, pausedAt: instant, applicantDeadline: applicantDeadline, previousDue: due))
    }

    /// Restarts the clock; the due instant (and the appointment) move by the working time spent waiting.
    public mutating func resume(at instant: Date, calendar: WorkingCalendar) throws(CalendarError) {
        guard isPaused, var round = rounds.last else { throw .notPaused }
        guard instant >= round.pausedAt else { throw .beforeReceipt }
        let waited = try calendar.workingSeconds(from: round.pausedAt, to: instant)
        let newDue = try calendar.adding(workingSeconds: waited, to: due)
        if var a = apology {
            a.newAppointment = try calendar.adding(workingSeconds: waited, to: a.newAppointment)
            apology = a
        }
        round.resumedAt = instant
        round.newDue = newDue
        round.pausedWorkingSeconds = waited
        rounds[rounds.count - 1] = round
        due = newDue
    }

    /// Records the apology letter and its new appointment; only once, and only to a later date.
    public mutating func apologise(at instant: Date, newAppointment: Date, reason: String) throws(CalendarError) {
        guard apology == nil else { throw .apologyAlreadyGiven }
        guard instant >= receivedAt else { throw .beforeReceipt }
        guard newAppointment > appointment else {
            throw .apologyNotLater(newAppointment: newAppointment, due: appointment)
        }
        apology = Apology(at: instant, reason: reason, previousAppointment: appointment, newAppointment: newAppointment)
    }

    /// Within time or overdue at an instant, for an open dossier. A paused clock is never overdue.
    public func openTimeliness(at now: Date) -> Timeliness {
        isPaused ? .withinTime : Timeliness.open(due: due, at: now)
    }

    /// Early, on time or late for a dossier finished at an instant.
    public func finishedTimeliness(at finishedAt: Date) -> Timeliness {
        Timeliness.finished(at: finishedAt, due: due)
    }

    /// Whether any round's applicant deadline was (or is being) missed.
    public func isSupplementOverdue(at now: Date) -> Bool {
        rounds.contains { $0.isApplicantLate(at: now) }
    }
}

extension DossierClock {
    /// The clock as JSON, keys sorted and instants in seconds since 1970: what `JSONEncoder` writes
    /// with `.sortedKeys` and `.secondsSince1970`, without Codable's cost (it is written on every action).
    public var json: String {
        let s = JSONText.seconds
        let roundsJSON = rounds.map { r in
            JSONText.object(raw: [
                ("applicantDeadline", r.applicantDeadline.map(s)), ("newDue", r.newDue.map(s)),
                ("pausedAt", s(r.pausedAt)), ("pausedWorkingSeconds", r.pausedWorkingSeconds.map { String($0) }),
                ("previousDue", s(r.previousDue)), ("reason", JSONText.quote(r.reason.rawValue)),
                ("resumedAt", r.resumedAt.map(s)),
            ])
        }
        let apologyJSON = apology.map { a in
            JSONText.object(raw: [
                ("at", s(a.at)), ("newAppointment", s(a.newAppointment)),
                ("previousAppointment", s(a.previousAppointment)), ("reason", JSONText.quote(a.reason)),
            ])
        }
        return JSONText.object(raw: [
            ("apology", apologyJSON), ("due", s(due)), ("initialDue", s(initialDue)),
            ("receivedAt", s(receivedAt)), ("rounds", "[" + roundsJSON.joined(separator: ",") + "]"),
        ])
    }
}

import Foundation

/// One day a deadline's count went through, and why it counted or not.
public struct CountedDay: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable {
        case working
        /// No office hours on that weekday.
        case weekend
        /// A public holiday of the schedule.
        case holiday
        /// A day off given for a holiday that fell on a weekend (nghỉ bù).
        case compensatoryDayOff = "compensatory_day_off"
        /// A weekend day worked in exchange for a bridge day off (ngày làm bù): it counts.
        case makeUpWorkingDay = "make_up_working_day"
    }

    public let date: LocalDate
    public let reason: Reason
    /// The schedule's name of the day (holiday, compensatory or make-up day), if it has one.
    public let name: String?
    /// Working seconds of that day counted toward the deadline.
    public let countedSeconds: Int

    public var isSkipped: Bool { reason != .working && reason != .makeUpWorkingDay }
}

/// Working time added to an instant: the result of `adding(workingSeconds:to:)` and, when traced,
/// each day it went through.
public struct WorkingTimeStretch: Hashable, Sendable {
    public let from: Date
    public let seconds: Int
    public let days: [CountedDay]
    public let to: Date
}

/// When a receipt's time starts counting, and why.
public enum ReceiptTiming: Hashable, Sendable {
    /// Received during office hours: counted from the receipt.
    case inOfficeHours
    /// Received on a working day outside its sessions (early, at lunch, after closing).
    case outsideOfficeHours
    /// Received on a day without office hours (a weekend or a day off).
    case nonWorkingDay(CountedDay)
    /// Received after the channel's cut-off (seconds after midnight): counted from the next working day.
    case afterCutOff(secondOfDay: Int)

    public var isAfterHours: Bool { self != .inOfficeHours }
}

/// The computation of a due instant from a receipt, as `WorkingCalendar.explainDue` traced it.
public struct DueComputation: Hashable, Sendable {
    public enum Count: Hashable, Sendable {
        case working(WorkingTimeStretch)
        /// `days` calendar days after the counting start land on `landed`; the days `skipped` after it
        /// are not working days, so the due date is the next working day.
        case calendar(days: Int, landed: LocalDate, skipped: [CountedDay])
    }

    public let receivedAt: Date
    public let channel: DossierChannel
    public let timing: ReceiptTiming
    public let countingStart: Date
    public let time: ProcessingTime
    public let count: Count
    public let due: Date
}

/// Why a dossier's due date is what it is: its receipt's computation, then each pause of its clock
/// moving it by the working time the clock stood still.
public struct DueExplanation: Hashable, Sendable {
    public struct Pause: Hashable, Sendable {
        public let round: PauseRound
        /// The due date moved by the working time of the pause; nil while the clock still stands.
        public let stretch: WorkingTimeStretch?
    }

    public let initial: DueComputation
    public let pauses: [Pause]
    /// The apology's new appointment; the legal due date stays.
    public let apology: Apology?
    /// The due date the explanation reaches.
    public let due: Date
    /// The due date recorded on the dossier; different only if the calendar was edited after receipt.
    public let recordedDue: Date

    public var matchesRecord: Bool { due == recordedDue }
}

extension WorkingCalendar {
    /// A day as a deadline's count sees it, with its schedule name.
    public func countedDay(_ date: LocalDate, seconds: Int) -> CountedDay {
        let entry = entry(on: date)
        let reason: CountedDay.Reason
        switch entry?.kind {
        case .dayOff:
            reason = entry!.description.lowercased().hasPrefix("nghỉ bù") ? .compensatoryDayOff : .holiday
        case .workingDay:
            reason = officeHours.weekdays[date.weekday - 1].isEmpty ? .makeUpWorkingDay : .working
        case nil:
            reason = isWorkingDay(date) ? .working : .weekend
        }
        return CountedDay(date: date, reason: reason, name: entry?.description, countedSeconds: seconds)
    }
}

extension DossierClock {
    /// The explanation of this clock's due date, computed again by the calendar's own functions
    /// with their trace: the receipt with the procedure's time, then each finished pause.
    public func explanation(
        time: ProcessingTime, calendar: WorkingCalendar, channel: DossierChannel = .direct,
        policy: ReceiptPolicy = .none
    ) throws(CalendarError) -> DueExplanation {
        let initial = try calendar.explainDue(receivedAt: receivedAt, time: time, channel: channel, policy: policy)
        var due = initial.due
        var pauses: [DueExplanation.Pause] = []
        for round in rounds {
            guard let waited = round.pausedWorkingSeconds else {
                pauses.append(.init(round: round, stretch: nil))
                continue
            }
            let stretch = try calendar.adding(workingSeconds: waited, to: due, tracing: true)
            pauses.append(.init(round: round, stretch: stretch))
            due = stretch.to
        }
        return DueExplanation(initial: initial, pauses: pauses, apology: apology, due: due, recordedDue: self.due)
    }
}

import Foundation

/// A procedure's legal processing time.
public enum ProcessingTime: Hashable, Sendable {
    /// Working days; 1 day = 8 working hours, half days allowed.
    case workingDays(Double)
    /// Calendar days; a due date on a non-working day moves to the next working day.
    case calendarDays(Int)
    case workingHours(Double)

    public static let hoursPerWorkingDay = 8.0
    /// Ten years: anything longer is a typing mistake, not a procedure.
    static let maximumDays = 3650.0

    func validated() throws(CalendarError) -> ProcessingTime {
        switch self {
        case .workingDays(let d):
            guard d.isFinite, d > 0, d <= Self.maximumDays else {
                throw .invalidDuration("số ngày làm việc phải lớn hơn 0 và không quá 3650")
            }
        case .calendarDays(let d):
            guard d > 0, Double(d) <= Self.maximumDays else {
                throw .invalidDuration("số ngày phải lớn hơn 0 và không quá 3650")
            }
        case .workingHours(let h):
            guard h.isFinite, h > 0, h <= Self.maximumDays * Self.hoursPerWorkingDay else {
                throw .invalidDuration("số giờ làm việc phải lớn hơn 0")
            }
        }
        return self
    }

    /// The working seconds of a working-day or working-hour time; nil for calendar days.
    public var workingSeconds: Int? {
        switch self {
        case .workingDays(let d): Int((d * Self.hoursPerWorkingDay * 3600).rounded())
        case .workingHours(let h): Int((h * 3600).rounded())
        case .calendarDays: nil
        }
    }
}

/// When a day's receptions stop counting for that day, per channel (practice: some provinces
/// count online submissions after 15:00 from the next working day). Off by default.
public struct ReceiptPolicy: Hashable, Sendable {
    /// Seconds after local midnight, per channel.
    public var cutOffs: [DossierChannel: Int]

    public init(cutOffs: [DossierChannel: Int] = [:]) { self.cutOffs = cutOffs }

    public static let none = ReceiptPolicy()
}

extension WorkingCalendar {
    /// The instant from which a receipt's time is counted: the receipt itself during office hours,
    /// the next opening outside them, the next working day's opening after the channel's cut-off.
    public func countingStart(receivedAt: Date, channel: DossierChannel = .direct, policy: ReceiptPolicy = .none)
        throws(CalendarError) -> Date
    {
        try receiptCounting(receivedAt: receivedAt, channel: channel, policy: policy).start
    }

    /// The counting start and why it is that instant.
    func receiptCounting(receivedAt: Date, channel: DossierChannel, policy: ReceiptPolicy)
        throws(CalendarError) -> (start: Date, timing: ReceiptTiming)
    {
        let seconds = VietnamTime.seconds(receivedAt)
        let (date, second) = VietnamTime.local(unixSeconds: seconds)
        if let cutOff = policy.cutOffs[channel], second >= cutOff, isWorkingDay(date) {
            let next = try nextWorkingDay(after: date)
            let start = try nextOpening(atOrAfter: VietnamTime.unixSeconds(next, secondOfDay: 0))
            return (VietnamTime.date(start), .afterCutOff(secondOfDay: cutOff))
        }
        let start = try nextOpening(atOrAfter: seconds)
        let timing: ReceiptTiming =
            start == seconds
            ? .inOfficeHours : isWorkingDay(date) ? .outsideOfficeHours : .nonWorkingDay(countedDay(date, seconds: 0))
        return (VietnamTime.date(start), timing)
    }

    /// The due instant (hạn giải quyết) of a dossier received at `receivedAt`.
    public func due(
        receivedAt: Date,
        time: ProcessingTime,
        channel: DossierChannel = .direct,
        policy: ReceiptPolicy = .none
    ) throws(CalendarError) -> Date {
        try dueComputation(receivedAt: receivedAt, time: time, channel: channel, policy: policy, tracing: false).due
    }

    /// The due instant with the trace of how it was reached (issue 24: "Vì sao hạn xử lý là ngày này?").
    public func explainDue(
        receivedAt: Date,
        time: ProcessingTime,
        channel: DossierChannel = .direct,
        policy: ReceiptPolicy = .none
    ) throws(CalendarError) -> DueComputation {
        try dueComputation(receivedAt: receivedAt, time: time, channel: channel, policy: policy, tracing: true)
    }

    /// The one computation of a due instant; `tracing` adds the days it went through, nothing else.
    func dueComputation(
        receivedAt: Date, time: ProcessingTime, channel: DossierChannel, policy: ReceiptPolicy, tracing: Bool
    ) throws(CalendarError) -> DueComputation {
        let (start, timing) = try receiptCounting(receivedAt: receivedAt, channel: channel, policy: policy)
        let count: DueComputation.Count
        let due: Date
        switch try time.validated() {
        case .workingDays, .workingHours:
            let stretch = try adding(workingSeconds: time.workingSeconds!, to: start, tracing: tracing)
            (count, due) = (.working(stretch), stretch.to)
        case .calendarDays(let days):
            // Same clock time `days` later; on a non-working day, the next working day.
            var (date, second) = VietnamTime.local(start)
            let landed = date.adding(days: days)
            date = landed
            var skipped: [CountedDay] = []
            if !isWorkingDay(date) {
                guard index(of: date) != nil else { throw .instantOutOfRange(start) }
                date = try nextWorkingDay(after: date)
                if tracing {
                    skipped = (landed.dayNumber..<date.dayNumber).map {
                        countedDay(LocalDate(dayNumber: $0), seconds: 0)
                    }
                }
            }
            let candidate = VietnamTime.instant(date, secondOfDay: second)
            due = isInOfficeHours(candidate) ? candidate : try nextOpening(atOrAfter: candidate)
            count = .calendar(days: days, landed: landed, skipped: skipped)
        }
        return DueComputation(
            receivedAt: receivedAt, channel: channel, timing: timing, countingStart: start, time: time, count: count,
            due: due)
    }
}

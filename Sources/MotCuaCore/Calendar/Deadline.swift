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
        let seconds = VietnamTime.seconds(receivedAt)
        let (date, second) = VietnamTime.local(unixSeconds: seconds)
        if let cutOff = policy.cutOffs[channel], second >= cutOff, isWorkingDay(date) {
            let next = try nextWorkingDay(after: date)
            return VietnamTime.date(try nextOpening(atOrAfter: VietnamTime.unixSeconds(next, secondOfDay: 0)))
        }
        return VietnamTime.date(try nextOpening(atOrAfter: seconds))
    }

    /// The due instant (hạn giải quyết) of a dossier received at `receivedAt`.
    public func due(
        receivedAt: Date,
        time: ProcessingTime,
        channel: DossierChannel = .direct,
        policy: ReceiptPolicy = .none
    ) throws(CalendarError) -> Date {
        let start = try countingStart(receivedAt: receivedAt, channel: channel, policy: policy)
        switch try time.validated() {
        case .workingDays, .workingHours:
            return try adding(workingSeconds: time.workingSeconds!, to: start)
        case .calendarDays(let days):
            // Same clock time `days` later; on a non-working day, the next working day.
            var (date, second) = VietnamTime.local(start)
            date = date.adding(days: days)
            if !isWorkingDay(date) {
                guard index(of: date) != nil else { throw .instantOutOfRange(start) }
                date = try nextWorkingDay(after: date)
            }
            let candidate = VietnamTime.instant(date, secondOfDay: second)
            return isInOfficeHours(candidate) ? candidate : try nextOpening(atOrAfter: candidate)
        }
    }
}

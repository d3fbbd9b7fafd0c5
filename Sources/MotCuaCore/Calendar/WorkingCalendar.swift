import Foundation

/// Working days and office hours for 1900-2199, precomputed so that deadline arithmetic is a
/// binary search: `cumulative[i]` is the number of working seconds before day `i`, which turns
/// "add N working hours" into "find the first instant whose worked-seconds count reaches a target".
public struct WorkingCalendar: Sendable {
    public let officeHours: OfficeHours
    public let years: ClosedRange<Int>
    /// The schedules in force: stored tables where given, the rules' pre-fill elsewhere.
    public let storedSchedules: [Int: YearSchedule]
    public let rules: HolidayRules

    let firstDay: Int
    /// Session lists: 0 = no work, 1...7 = ISO weekday hours, 8 = a swapped working day.
    let profiles: [[Session]]
    let profileOfDay: [UInt8]
    let cumulative: [Int]
    let entries: [Int: ScheduleEntry]

    public init(
        officeHours: OfficeHours = .standard,
        schedules: [YearSchedule] = [],
        rules: HolidayRules = .standard,
        years: ClosedRange<Int> = LunarCalendar.supportedYears
    ) throws(CalendarError) {
        guard LunarCalendar.supportedYears.contains(years.lowerBound),
            LunarCalendar.supportedYears.contains(years.upperBound)
        else {
            throw .yearOutOfRange(years.lowerBound)
        }
        self.officeHours = officeHours
        self.years = years
        self.rules = rules
        var stored: [Int: YearSchedule] = [:]
        for s in schedules { stored[s.year] = s }
        self.storedSchedules = stored

        var entries: [Int: ScheduleEntry] = [:]
        for year in years {
            let schedule: YearSchedule
            if let s = stored[year] { schedule = s } else { schedule = try rules.schedule(for: year) }
            for e in schedule.entries { entries[e.date.dayNumber] = e }
        }
        self.entries = entries

        let first = LocalDate(year: years.lowerBound, month: 1, day: 1)!.dayNumber
        let last = LocalDate(year: years.upperBound, month: 12, day: 31)!.dayNumber
        let profiles = [[]] + officeHours.weekdays + [officeHours.swappedWorkingDay]
        let lengths = profiles.map { $0.reduce(0) { $0 + $1.length } }
        var profileOfDay = [UInt8](repeating: 0, count: last - first + 1)
        var cumulative = [Int](repeating: 0, count: last - first + 2)
        for i in 0..<profileOfDay.count {
            let date = LocalDate(dayNumber: first + i)
            var profile = UInt8(date.weekday)
            switch entries[date.dayNumber]?.kind {
            case .dayOff: profile = 0
            case .workingDay: if profiles[Int(profile)].isEmpty { profile = 8 }
            case nil: if profiles[Int(profile)].isEmpty { profile = 0 }
            }
            profileOfDay[i] = profile
            cumulative[i + 1] = cumulative[i] + lengths[Int(profile)]
        }
        self.firstDay = first
        self.profiles = profiles
        self.profileOfDay = profileOfDay
        self.cumulative = cumulative
    }

    // MARK: Days

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        guard let i = index(of: date) else { return false }
        return profileOfDay[i] != 0
    }

    /// The schedule entry of a date (holiday, compensatory or swapped day), if any.
    public func entry(on date: LocalDate) -> ScheduleEntry? { entries[date.dayNumber] }

    /// The schedule of a year: the stored table, or the rules' pre-fill if none was stored.
    public func schedule(for year: Int) throws(CalendarError) -> YearSchedule {
        if let stored = storedSchedules[year] { return stored }
        return try rules.schedule(for: year)
    }

    public func sessions(on date: LocalDate) -> [Session] {
        guard let i = index(of: date) else { return [] }
        return profiles[Int(profileOfDay[i])]
    }

    /// The next working day strictly after a date.
    public func nextWorkingDay(after date: LocalDate) throws(CalendarError) -> LocalDate {
        var day = date.adding(days: 1)
        while !isWorkingDay(day) {
            guard index(of: day) != nil else { throw .yearOutOfRange(day.year) }
            day = day.adding(days: 1)
        }
        return day
    }

    func index(of date: LocalDate) -> Int? {
        let i = date.dayNumber - firstDay
        return i >= 0 && i < profileOfDay.count ? i : nil
    }

    // MARK: Working time

    /// Working seconds from the start of the calendar until an instant (unix seconds).
    func worked(until unixSeconds: Int) throws(CalendarError) -> Int {
        let (date, second) = VietnamTime.local(unixSeconds: unixSeconds)
        guard let i = index(of: date) else {
            throw .instantOutOfRange(Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
        }
        var total = cumulative[i]
        for s in profiles[Int(profileOfDay[i])] where second > s.start {
            total += min(second, s.end) - s.start
        }
        return total
    }

    /// The earliest instant (unix seconds) at which `target` working seconds have been worked.
    /// Being the earliest, a target reached exactly at 11:00 or 17:00 gives that moment.
    func instant(atWorked target: Int) throws(CalendarError) -> Int {
        // The first day i with cumulative[i + 1] >= target, by binary search.
        var lo = 0, hi = profileOfDay.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid + 1] >= target { hi = mid } else { lo = mid + 1 }
        }
        guard lo < profileOfDay.count else { throw .yearOutOfRange(years.upperBound + 1) }
        var remaining = target - cumulative[lo]
        let day = LocalDate(dayNumber: firstDay + lo)
        let sessions = profiles[Int(profileOfDay[lo])]
        for s in sessions {
            if remaining <= s.length { return VietnamTime.unixSeconds(day, secondOfDay: s.start + remaining) }
            remaining -= s.length
        }
        // Only reachable for target 0 before any working day: the first opening.
        return VietnamTime.unixSeconds(day, secondOfDay: sessions.first?.start ?? 0)
    }

    /// Working seconds between two instants (zero if `to` is not after `from`).
    public func workingSeconds(from: Date, to: Date) throws(CalendarError) -> Int {
        max(0, try worked(until: VietnamTime.seconds(to)) - worked(until: VietnamTime.seconds(from)))
    }

    /// The instant when `seconds` more working seconds have passed after `instant`.
    public func adding(workingSeconds seconds: Int, to instant: Date) throws(CalendarError) -> Date {
        try adding(workingSeconds: seconds, to: instant, tracing: false).to
    }

    /// The same, with the days it went through when `tracing` (DueExplanation).
    public func adding(workingSeconds seconds: Int, to instant: Date, tracing: Bool) throws(CalendarError)
        -> WorkingTimeStretch
    {
        let from = VietnamTime.seconds(instant)
        let target = try worked(until: from) + seconds
        // Nothing to add leaves the instant where it is: the earliest instant with the same worked
        // time would be the previous session's end (a due date at 07:00 moved back to 17:00 the day
        // before by a pause over a weekend).
        let to = seconds == 0 ? from : try self.instant(atWorked: target)
        var days: [CountedDay] = []
        if tracing {
            // A due date at midnight (a session ending at 24:00) belongs to the day it ends.
            let first = VietnamTime.local(unixSeconds: from).date
            let last = VietnamTime.local(unixSeconds: to > from ? to - 1 : to).date
            for n in first.dayNumber...last.dayNumber {
                let day = LocalDate(dayNumber: n)
                let dayStart = max(from, VietnamTime.unixSeconds(day, secondOfDay: 0))
                let dayEnd = min(to, VietnamTime.unixSeconds(day.adding(days: 1), secondOfDay: 0))
                days.append(countedDay(day, seconds: try worked(until: dayEnd) - worked(until: dayStart)))
            }
        }
        return WorkingTimeStretch(
            from: VietnamTime.date(from), seconds: seconds, days: days, to: VietnamTime.date(to))
    }

    /// The first instant at or after `instant` that is inside office hours of a working day.
    public func nextOpening(atOrAfter instant: Date) throws(CalendarError) -> Date {
        VietnamTime.date(try nextOpening(atOrAfter: VietnamTime.seconds(instant)))
    }

    func nextOpening(atOrAfter unixSeconds: Int) throws(CalendarError) -> Int {
        var (date, second) = VietnamTime.local(unixSeconds: unixSeconds)
        while true {
            guard let i = index(of: date) else {
                throw .instantOutOfRange(Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
            }
            for s in profiles[Int(profileOfDay[i])] where second < s.end {
                return VietnamTime.unixSeconds(date, secondOfDay: max(second, s.start))
            }
            date = date.adding(days: 1)
            second = 0
        }
    }

    /// Whether an instant is inside office hours of a working day; the end of a session counts,
    /// since a deadline may fall exactly at 11:00 or 17:00.
    public func isInOfficeHours(_ instant: Date) -> Bool {
        let (date, second) = VietnamTime.local(instant)
        return sessions(on: date).contains { $0.start <= second && second <= $0.end }
    }
}

extension VietnamTime {
    static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }
    static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}

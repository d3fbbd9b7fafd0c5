/// A working session of a day, in seconds after local midnight: `start ..< end`.
public struct Session: Hashable, Sendable {
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) throws(CalendarError) {
        guard 0 <= start, start < end, end <= VietnamTime.secondsPerDay else {
            throw .invalidOfficeHours("phiên làm việc phải có giờ bắt đầu trước giờ kết thúc, trong một ngày")
        }
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM`.
    public init(parsing text: String) throws(CalendarError) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let s = Session.minutes(parts[0]), let e = Session.minutes(parts[1]) else {
            throw .invalidOfficeHours("\"\(text)\" không đúng dạng HH:MM-HH:MM")
        }
        try self.init(start: s * 60, end: e * 60)
    }

    /// Parses `HH:MM` into minutes after midnight (24:00 allowed).
    public static func minutes(_ text: String) -> Int? {
        let p = text.split(separator: ":")
        guard p.count == 2, p[0].count <= 2, p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    public var length: Int { end - start }
    public var text: String { "\(Session.clock(start))-\(Session.clock(end))" }

    static func clock(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds / 60 % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

/// Office hours per weekday (practice: Monday-Friday 07:00-11:00 and 13:00-17:00).
public struct OfficeHours: Hashable, Sendable {
    /// Sessions per ISO weekday, index 0 = Monday ... 6 = Sunday; sorted and not overlapping.
    public let weekdays: [[Session]]
    /// The hours of a weekend day that the official schedule makes a working day (ngày làm bù).
    public let swappedWorkingDay: [Session]

    public init(weekdays: [[Session]], swappedWorkingDay: [Session]? = nil) throws(CalendarError) {
        guard weekdays.count == 7 else { throw .invalidOfficeHours("cần giờ làm việc cho đủ 7 ngày trong tuần") }
        for day in weekdays + [swappedWorkingDay ?? []] {
            for (a, b) in zip(day, day.dropFirst()) where b.start < a.end {
                throw .invalidOfficeHours("các phiên làm việc trong ngày phải theo thứ tự và không chồng lên nhau")
            }
        }
        guard weekdays.contains(where: { !$0.isEmpty }) else {
            throw .invalidOfficeHours("tuần phải có ít nhất một ngày làm việc")
        }
        self.weekdays = weekdays
        self.swappedWorkingDay = swappedWorkingDay ?? weekdays.first { !$0.isEmpty } ?? []
    }

    public static let standard: OfficeHours = {
        let day = [try! Session(start: 7 * 3600, end: 11 * 3600), try! Session(start: 13 * 3600, end: 17 * 3600)]
        return try! OfficeHours(weekdays: [day, day, day, day, day, [], []])
    }()

    /// Parses a specification like `mon-fri=07:00-11:00,13:00-17:00;sat=07:30-11:30`.
    /// Days not named have no office hours; a swapped Saturday works like Monday.
    public init(parsing spec: String) throws(CalendarError) {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        var days = [[Session]](repeating: [], count: 7)
        for clause in spec.split(separator: ";") {
            let kv = clause.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard kv.count == 2 else { throw .invalidOfficeHours("\"\(clause)\" không đúng dạng ngày=HH:MM-HH:MM") }
            let range = kv[0].split(separator: "-").map(String.init)
            guard let first = names.firstIndex(of: range[0]), let last = names.firstIndex(of: range.last!),
                first <= last, range.count <= 2
            else {
                throw .invalidOfficeHours("\"\(kv[0])\" không phải ngày trong tuần (mon..sun)")
            }
            var sessions: [Session] = []
            for part in kv[1].split(separator: ",") { sessions.append(try Session(parsing: String(part))) }
            for d in first...last { days[d] = sessions }
        }
        try self.init(weekdays: days)
    }
}

import Foundation

/// A calendar date in Vietnam (Asia/Ho_Chi_Minh), without a time.
/// Stored as the number of days since 1970-01-01 so that arithmetic is integer arithmetic.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Returns nil for a date that does not exist (31 February, month 13...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysInMonth(year: year, month: month) else {
            return nil
        }
        self.dayNumber = LocalDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) { LocalDate.civilFromDays(dayNumber) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (dayNumber + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public static let weekdayNames = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

    /// "Thứ Hai" ... "Chủ Nhật".
    public var weekdayName: String { Self.weekdayNames[weekday - 1] }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    public var iso: String {
        let c = components
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// dd/MM/yyyy, as Vietnamese forms print dates.
    public var vietnamese: String {
        let c = components
        return pad(c.day, 2) + "/" + pad(c.month, 2) + "/" + pad(c.year, 4)
    }

    public var description: String { iso }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// Vietnam has kept UTC+7 without daylight saving since 1975, so local time is a fixed offset;
/// that keeps deadline arithmetic integer-only and fast.
public enum VietnamTime {
    public static let offsetSeconds = 7 * 3600
    public static let secondsPerDay = 86_400

    /// The local date and the second of that day of an instant.
    public static func local(_ instant: Date) -> (date: LocalDate, secondOfDay: Int) {
        local(unixSeconds: Int(instant.timeIntervalSince1970.rounded(.down)))
    }

    static func local(unixSeconds: Int) -> (date: LocalDate, secondOfDay: Int) {
        let local = unixSeconds + offsetSeconds
        let day = local >= 0 ? local / secondsPerDay : (local - secondsPerDay + 1) / secondsPerDay
        return (LocalDate(dayNumber: day), local - day * secondsPerDay)
    }

    /// The instant of a local date and second of day.
    public static func instant(_ date: LocalDate, secondOfDay: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(unixSeconds(date, secondOfDay: secondOfDay)))
    }

    static func unixSeconds(_ date: LocalDate, secondOfDay: Int) -> Int {
        date.dayNumber * secondsPerDay + secondOfDay - offsetSeconds
    }

    /// ISO 8601 with the +07:00 offset, e.g. `2024-02-19T15:30:00+07:00`.
    public static func iso(_ instant: Date) -> String {
        let (date, second) = local(instant)
        let c = date.components
        // Written byte by byte: the log writes several of these for every action.
        return String(unsafeUninitializedCapacity: 25) { buffer in
            var i = 0
            func digits(_ n: Int, _ width: Int) {
                var v = n
                for k in stride(from: width - 1, through: 0, by: -1) {
                    buffer[i + k] = UInt8(48 + v % 10)
                    v /= 10
                }
                i += width
            }
            func byte(_ b: UInt8) {
                buffer[i] = b
                i += 1
            }
            digits(c.year, 4); byte(0x2D); digits(c.month, 2); byte(0x2D); digits(c.day, 2); byte(0x54)
            digits(second / 3600, 2); byte(0x3A); digits(second / 60 % 60, 2); byte(0x3A); digits(second % 60, 2)
            for b in "+07:00".utf8 { byte(b) }
            return i
        }
    }

    /// `yyyyMMddHHmmss` in Vietnamese time: VNPay's and the national portal's format.
    public static func compact(_ instant: Date) -> String {
        let (date, second) = local(instant)
        let c = date.components
        return String(
            format: "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, second / 3600, second / 60 % 60, second % 60)
    }

    /// Reads `yyyyMMddHHmmss` as Vietnamese time; nil unless it is fourteen digits of a real instant.
    public static func parseCompact(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 14, bytes.allSatisfy({ (48...57).contains($0) }) else { return nil }
        func n(_ from: Int, _ count: Int) -> Int { bytes[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        guard let date = LocalDate(year: n(0, 4), month: n(4, 2), day: n(6, 2)), n(8, 2) < 24, n(10, 2) < 60,
            n(12, 2) < 60
        else { return nil }
        return instant(date, secondOfDay: n(8, 2) * 3600 + n(10, 2) * 60 + n(12, 2))
    }

    /// Parses ISO 8601 with an explicit offset (`Z`, `+07:00`, `+0700`) and optional fractional seconds.
    /// A date-time without an offset is read as Vietnamese local time.
    public static func parseISO(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard s.count >= 16 else { return nil }
        let chars = Array(s)
        guard chars.count >= 16, chars[10] == "T" || chars[10] == " ",
            let date = LocalDate(iso: String(chars[0..<10]))
        else { return nil }
        var i = 11
        func number(_ n: Int) -> Int? {
            guard i + n <= chars.count else { return nil }
            let v = Int(String(chars[i..<(i + n)]))
            if v != nil { i += n }
            return v
        }
        guard let hh = number(2), i < chars.count, chars[i] == ":" else { return nil }
        i += 1
        guard let mm = number(2) else { return nil }
        var ss = 0
        if i < chars.count, chars[i] == ":" {
            i += 1
            guard let v = number(2) else { return nil }
            ss = v
        }
        if i < chars.count, chars[i] == "." || chars[i] == "," {
            i += 1
            while i < chars.count, chars[i].isNumber { i += 1 }  // fractions of a second are dropped
        }
        guard hh < 24, mm < 60, ss < 60 else { return nil }
        var offset = offsetSeconds
        if i < chars.count {
            let sign = chars[i]
            if sign == "Z" || sign == "z" {
                offset = 0
                i += 1
            } else if sign == "+" || sign == "-" {
                i += 1
                guard let oh = number(2) else { return nil }
                if i < chars.count, chars[i] == ":" { i += 1 }
                guard let om = number(2), oh <= 14, om < 60 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == "-" ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == chars.count else { return nil }
        let seconds = date.dayNumber * secondsPerDay + hh * 3600 + mm * 60 + ss - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

/// A non-negative number with leading zeros (String(format:) is slow on hot paths).
public func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

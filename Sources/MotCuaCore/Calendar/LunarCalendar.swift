import Foundation

/// A date of the lunisolar calendar.
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var isLeapMonth: Bool

    public init(year: Int, month: Int, day: Int, isLeapMonth: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.isLeapMonth = isLeapMonth
    }

    public var description: String {
        "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year) âm lịch"
    }
}

/// The Vietnamese lunisolar calendar computed from astronomy: the day of a new moon and the sun's
/// longitude are taken at the meridian of `timeZoneHours` (UTC+7 for Vietnam, UTC+8 gives the
/// Chinese calendar). Month 11 is the month holding the winter solstice; in a year with 13 months
/// the leap month is the first one without a major solar term.
///
/// Astronomical formulas after Jean Meeus, "Astronomical Algorithms" (new moon: chapter 49 in its
/// shortened form; sun: chapter 25 low accuracy), as used by Hồ Ngọc Đức's published Vietnamese
/// calendar. Accurate for 1900-2199, the range this type accepts.
public struct LunarCalendar: Sendable {
    public static let supportedYears = 1900...2199
    public static let vietnam = LunarCalendar(timeZoneHours: 7)
    public static let china = LunarCalendar(timeZoneHours: 8)

    public let timeZoneHours: Double

    public init(timeZoneHours: Double) { self.timeZoneHours = timeZoneHours }

    // MARK: Conversions

    /// The lunar date of a solar date. Nil outside `supportedYears`.
    public func lunarDate(of date: LocalDate) -> LunarDate? {
        let (yy, _, _) = date.components
        guard LunarCalendar.supportedYears.contains(yy) else { return nil }
        let dayNumber = LunarCalendar.julianDay(date)
        // The mean lunation only estimates which new moon starts the month: the true one can be
        // half a day away (e.g. 7 May 2054), so step to the last new moon on or before the day.
        var k = Int(floor((Double(dayNumber) - 2415021.076998695) / 29.530588853)) + 1
        while newMoonDay(k) > dayNumber { k -= 1 }
        while newMoonDay(k + 1) <= dayNumber { k += 1 }
        let monthStart = newMoonDay(k)
        var a11 = lunarMonth11(yy)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = yy
            a11 = lunarMonth11(yy - 1)
        } else {
            lunarYear = yy + 1
            b11 = lunarMonth11(yy + 1)
        }
        let lunarDay = dayNumber - monthStart + 1
        let diff = Int(floor(Double(monthStart - a11) / 29.0))
        var isLeap = false
        var lunarMonth = diff + 11
        if b11 - a11 > 365 {
            let leapMonthDiff = leapMonthOffset(a11)
            if diff >= leapMonthDiff {
                lunarMonth = diff + 10
                if diff == leapMonthDiff { isLeap = true }
            }
        }
        if lunarMonth > 12 { lunarMonth -= 12 }
        if lunarMonth >= 11 && diff < 4 { lunarYear -= 1 }
        return LunarDate(year: lunarYear, month: lunarMonth, day: lunarDay, isLeapMonth: isLeap)
    }

    /// The solar date of a lunar date; nil if that lunar date does not exist (a leap month that
    /// the year does not have, day 30 of a 29-day month) or is out of range.
    public func solarDate(of lunar: LunarDate) -> LocalDate? {
        guard (1...12).contains(lunar.month), (1...30).contains(lunar.day),
            LunarCalendar.supportedYears.contains(lunar.year) || (lunar.year == 1899 && lunar.month >= 11)
        else { return nil }
        let a11: Int
        let b11: Int
        if lunar.month < 11 {
            a11 = lunarMonth11(lunar.year - 1)
            b11 = lunarMonth11(lunar.year)
        } else {
            a11 = lunarMonth11(lunar.year)
            b11 = lunarMonth11(lunar.year + 1)
        }
        let k = Int(floor(0.5 + (Double(a11) - 2415021.076998695) / 29.530588853))
        var offset = lunar.month - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11)
            var leapMonth = leapOffset - 2
            if leapMonth < 0 { leapMonth += 12 }
            if lunar.isLeapMonth && lunar.month != leapMonth { return nil }
            if lunar.isLeapMonth || offset >= leapOffset { offset += 1 }
        } else if lunar.isLeapMonth {
            return nil
        }
        let monthStart = newMoonDay(k + offset)
        let nextMonthStart = newMoonDay(k + offset + 1)
        guard lunar.day <= nextMonthStart - monthStart else { return nil }
        let result = LunarCalendar.localDate(julianDay: monthStart + lunar.day - 1)
        guard LunarCalendar.supportedYears.contains(result.year) else { return nil }
        return result
    }

    /// Lunar 1/1 of the lunar year that starts in the given solar year.
    public func lunarNewYear(_ year: Int) -> LocalDate? {
        solarDate(of: LunarDate(year: year, month: 1, day: 1))
    }

    // MARK: Astronomy

    static func julianDay(_ date: LocalDate) -> Int { date.dayNumber + 2440588 }
    static func localDate(julianDay: Int) -> LocalDate { LocalDate(dayNumber: julianDay - 2440588) }

    /// Julian day (with fraction, UT) of the k-th new moon after 1900-01-01.
    static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT: Double
        if t < -11 {
            deltaT = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            deltaT = -0.000278 + 0.000265 * t + 0.000262 * t2
        }
        return jd1 + c1 - deltaT
    }

    /// The sun's apparent longitude in radians (0 ..< 2π) at a Julian day (UT).
    static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2451545.0) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l -= Double.pi * 2 * floor(l / (Double.pi * 2))
        return l
    }

    /// The local day (Julian day number) on which the k-th new moon falls.
    func newMoonDay(_ k: Int) -> Int {
        Int(floor(LunarCalendar.newMoon(k) + 0.5 + timeZoneHours / 24))
    }

    /// Index 0...11 of the major solar term in force at the start of a local day.
    func sunLongitudeSector(_ dayNumber: Int) -> Int {
        Int(floor(LunarCalendar.sunLongitude(Double(dayNumber) - 0.5 - timeZoneHours / 24) / Double.pi * 6))
    }

    /// The first day of lunar month 11 (the month of the winter solstice) of a solar year.
    func lunarMonth11(_ year: Int) -> Int {
        let off = LunarCalendar.julianDay(LocalDate(year: year, month: 12, day: 31)!) - 2415021
        let k = Int(floor(Double(off) / 29.530588853))
        var nm = newMoonDay(k)
        if sunLongitudeSector(nm) >= 9 { nm = newMoonDay(k - 1) }
        return nm
    }

    /// The offset, counted from month 11, of the leap month: the first month without a major term.
    func leapMonthOffset(_ a11: Int) -> Int {
        let k = Int(floor((Double(a11) - 2415021.076998695) / 29.530588853 + 0.5))
        var i = 1
        var arc = sunLongitudeSector(newMoonDay(k + i))
        var last: Int
        repeat {
            last = arc
            i += 1
            arc = sunLongitudeSector(newMoonDay(k + i))
        } while arc != last && i < 14
        return i - 1
    }
}

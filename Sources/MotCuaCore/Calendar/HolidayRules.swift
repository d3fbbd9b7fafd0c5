/// The public holidays of the Labour Code, from which a year's official schedule is pre-filled.
///
/// - Bộ luật Lao động 2019 art. 112 (from 2021): 1/1; Tết 5 days; Hùng Kings' day (lunar 10/3);
///   30/4; 1/5; 2/9 plus one adjacent day.
/// - Bộ luật Lao động 2012 (from 1 May 2013): the same with 2/9 alone.
/// - Before 2013 (Bộ luật Lao động 1994, amended 2007): Tết 4 days; Hùng Kings' day from 2007.
/// - A holiday on a Saturday or Sunday gives a compensatory day (nghỉ bù) on the next working day.
///
/// The government picks the actual days every year (often two days before lunar new year instead
/// of one, swapped Saturdays), so this only pre-fills a table that the admin edits.
public struct HolidayRules: Sendable {
    public var lunar: LunarCalendar
    /// How many of the Tết days fall before lunar 1/1 (the default is the last day of the year).
    public var tetDaysBeforeNewYear: Int

    public init(lunar: LunarCalendar = .vietnam, tetDaysBeforeNewYear: Int = 1) {
        self.lunar = lunar
        self.tetDaysBeforeNewYear = tetDaysBeforeNewYear
    }

    public static let standard = HolidayRules()

    /// The holidays of a year with their compensatory days, as a schedule.
    public func schedule(for year: Int) throws(CalendarError) -> YearSchedule {
        guard LunarCalendar.supportedYears.contains(year) else { throw .yearOutOfRange(year) }
        var holidays: [ScheduleEntry] = []
        func add(_ date: LocalDate?, _ description: String) {
            guard let date, date.year == year else { return }
            holidays.append(ScheduleEntry(date: date, kind: .dayOff, description: description))
        }

        add(LocalDate(year: year, month: 1, day: 1), "Tết Dương lịch")

        // Tết of the lunar year starting this solar year; lunar 1/1 is always in January or February,
        // so the days before it stay in the same solar year.
        if let newYear = lunar.lunarNewYear(year) {
            let tetLength = year >= 2013 ? 5 : 4
            let before = min(max(tetDaysBeforeNewYear, 0), tetLength - 1)
            for offset in -before..<(tetLength - before) {
                let day = newYear.adding(days: offset)
                let label: String
                if offset < 0 {
                    let lunarDay = lunar.lunarDate(of: day)?.day ?? 0
                    label =
                        offset == -1
                        ? "Tết Nguyên đán (\(lunarDay) tháng Chạp, cuối năm âm lịch)"
                        : "Tết Nguyên đán (\(lunarDay) tháng Chạp)"
                } else {
                    label = "Tết Nguyên đán (mùng \(offset + 1) tháng Giêng)"
                }
                add(day, label)
            }
        }

        if year >= 2007 {
            add(lunar.solarDate(of: LunarDate(year: year, month: 3, day: 10)), "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
        }
        add(LocalDate(year: year, month: 4, day: 30), "Ngày Chiến thắng (30/4)")
        add(LocalDate(year: year, month: 5, day: 1), "Ngày Quốc tế Lao động (1/5)")
        let nationalDay = LocalDate(year: year, month: 9, day: 2)!
        add(nationalDay, "Quốc khánh (2/9)")
        if year >= 2021 {
            add(HolidayRules.nationalDayCompanion(nationalDay), "Quốc khánh (ngày liền kề 2/9)")
        }

        // Compensatory days, in date order, each on the first weekday not already off.
        holidays.sort { $0.date < $1.date }
        var off = Set(holidays.map(\.date))
        var entries = holidays
        for holiday in holidays where holiday.date.isWeekend {
            var day = holiday.date.adding(days: 1)
            while day.isWeekend || off.contains(day) { day = day.adding(days: 1) }
            off.insert(day)
            entries.append(
                ScheduleEntry(
                    date: day, kind: .dayOff, description: "Nghỉ bù \(holiday.description) (\(holiday.date.vietnamese))"
                ))
        }
        // No holiday falls in December, so a compensatory day never leaves the year.
        return try YearSchedule(year: year, entries: entries)
    }

    /// The day joined to 2 September: a weekday next to it, preferring one that bridges to the
    /// weekend (as the yearly decisions do), otherwise 1 September.
    static func nationalDayCompanion(_ nationalDay: LocalDate) -> LocalDate {
        let before = nationalDay.adding(days: -1)
        let after = nationalDay.adding(days: 1)
        switch (before.isWeekend, after.isWeekend) {
        case (true, _): return after
        case (_, true): return before
        default: return after.weekday == 5 ? after : before  // Thursday 2/9 joins Friday 3/9
        }
    }
}

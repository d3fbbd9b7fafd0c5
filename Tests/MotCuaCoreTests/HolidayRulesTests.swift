import Testing
@testable import MotCuaCore

@Suite struct HolidayRulesTests {
    func daysOff(_ year: Int) throws -> [String] {
        try HolidayRules.standard.schedule(for: year).entries.filter { $0.kind == .dayOff }.map(\.date.iso)
    }

    @Test func year2026() throws {
        #expect(try daysOff(2026) == [
            "2026-01-01",
            "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",  // 29 Tết .. mùng 4
            "2026-04-26", "2026-04-27",  // Giỗ Tổ on Sunday, compensated on Monday
            "2026-04-30", "2026-05-01",
            "2026-09-01", "2026-09-02",
        ])
    }

    /// Tết 2024 began on a Saturday: the weekend days of Tết are compensated after it.
    @Test func year2024() throws {
        #expect(try daysOff(2024) == [
            "2024-01-01",
            "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15",
            "2024-04-18", "2024-04-30", "2024-05-01",
            "2024-09-02", "2024-09-03",  // 2/9 on Monday joins Tuesday (1/9 is a Sunday)
        ])
    }

    @Test func year2025() throws {
        #expect(try daysOff(2025) == [
            "2025-01-01",
            "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-03",
            "2025-04-07", "2025-04-30", "2025-05-01",
            "2025-09-01", "2025-09-02",
        ])
    }

    /// The day joined to 2/9 as the yearly decisions chose it, 2021-2025.
    @Test(arguments: [
        (2021, ["2021-09-02", "2021-09-03"]),
        (2022, ["2022-09-01", "2022-09-02"]),
        (2023, ["2023-09-01", "2023-09-02", "2023-09-04"]),  // 2/9 on Saturday: compensated Monday 4/9
        (2024, ["2024-09-02", "2024-09-03"]),
        (2025, ["2025-09-01", "2025-09-02"]),
        (2029, ["2029-09-02", "2029-09-03", "2029-09-04"]),  // 2/9 on Sunday
    ])
    func nationalDay(year: Int, expected: [String]) throws {
        #expect(try daysOff(year).filter { $0.hasPrefix("\(year)-09") } == expected)
    }

    @Test func beforeLabourCode2019NationalDayIsOneDay() throws {
        #expect(try daysOff(2020).filter { $0.hasPrefix("2020-09") } == ["2020-09-02"])
    }

    @Test func beforeLabourCode2012TetIsFourDaysAndBefore2007NoHungKings() throws {
        // 2012: lunar new year on Monday 23 January; Tết 22 (Sunday) .. 25 January, Sunday compensated on 26th.
        #expect(try daysOff(2012).filter { $0.hasPrefix("2012-01") } == ["2012-01-01", "2012-01-02", "2012-01-22", "2012-01-23", "2012-01-24", "2012-01-25", "2012-01-26"])
        let hungKings2006 = try HolidayRules.standard.schedule(for: 2006).entries.filter { $0.description.contains("Hùng") }
        #expect(hungKings2006.isEmpty)
        let hungKings2007 = try HolidayRules.standard.schedule(for: 2007).entries.filter { $0.description.contains("Hùng") }
        #expect(hungKings2007.map(\.date.iso) == ["2007-04-26"])
    }

    /// Hùng Kings' day is taken in the regular third month even when the year has a leap third month.
    @Test func hungKingsInRegularThirdMonth() throws {
        // 2036 has a leap sixth month; 2028 has a leap fifth; 1993 had a leap third month.
        let rules = HolidayRules.standard
        for year in 2007...2199 {
            let entry = try rules.schedule(for: year).entries.first { $0.description.hasPrefix("Giỗ Tổ") }
            let lunar = LunarCalendar.vietnam.lunarDate(of: entry!.date)
            #expect(lunar == LunarDate(year: year, month: 3, day: 10), "year \(year)")
        }
    }

    @Test func everyWeekendHolidayHasItsCompensation() throws {
        for year in 2013...2199 {
            let entries = try HolidayRules.standard.schedule(for: year).entries
            let weekendHolidays = entries.filter { $0.date.isWeekend }.count
            let compensations = entries.filter { $0.description.hasPrefix("Nghỉ bù") }
            #expect(compensations.count == weekendHolidays, "year \(year)")
            #expect(compensations.allSatisfy { !$0.date.isWeekend })
            #expect(entries.filter { !$0.description.hasPrefix("Nghỉ bù") }.count == (year >= 2021 ? 11 : 10), "year \(year)")
        }
    }

    @Test func tetPreferenceIsConfigurable() throws {
        let twoBefore = HolidayRules(tetDaysBeforeNewYear: 2)
        let tet = try twoBefore.schedule(for: 2026).entries.filter { $0.description.hasPrefix("Tết Nguyên") }.map(\.date.iso)
        #expect(tet == ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"])
    }

    @Test func yearsOutsideTheRangeAreRefused() {
        #expect(throws: CalendarError.yearOutOfRange(2200)) { try HolidayRules.standard.schedule(for: 2200) }
    }
}

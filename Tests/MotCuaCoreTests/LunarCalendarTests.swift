import Foundation
import Testing
@testable import MotCuaCore

/// The lunar calendar against `Resources/lunar-new-year-1900-2100.csv`, a table built by
/// `scripts/make-lunar-new-year-table.py` from sources independent of this code: the Chinese new
/// year from two PyPI packages (lunardate and lunar-python, which agree every year), and the
/// Vietnamese new year from lunar-python's high-precision ephemeris at UTC+7 or, where the month
/// structure differs (1985), the published Vietnamese date.
@Suite struct LunarCalendarTests {
    struct Row { let year: Int; let china: String; let vietnam: String; let source: String }

    static let table: [Row] = {
        let url = Bundle.module.url(forResource: "lunar-new-year-1900-2100", withExtension: "csv", subdirectory: "Resources")!
        let text = try! String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return Row(year: Int(f[0])!, china: f[1], vietnam: f[2], source: f[3])
        }
    }()

    @Test func tableCoversEveryYear() {
        #expect(Self.table.map(\.year) == Array(1900...2100))
    }

    @Test func vietnameseNewYearMatchesTheTableEveryYear() {
        for row in Self.table {
            #expect(LunarCalendar.vietnam.lunarNewYear(row.year)?.iso == row.vietnam, "year \(row.year)")
        }
    }

    /// The same algorithm at UTC+8 must reproduce the Chinese calendar. 1916 is the one exception:
    /// before 1929 China reckoned at Beijing's local mean time (UTC+7:46), and that year's new moon
    /// fell at 00:05 UTC+8, i.e. 23:51 in Beijing, the day before.
    @Test func chineseNewYearMatchesAtUTC8() {
        for row in Self.table where row.year != 1916 {
            #expect(LunarCalendar.china.lunarNewYear(row.year)?.iso == row.china, "year \(row.year)")
        }
        #expect(LunarCalendar.china.lunarNewYear(1916)?.iso == "1916-02-04")
        #expect(LunarCalendar.vietnam.lunarNewYear(1916)?.iso == "1916-02-03")
    }

    @Test(arguments: [
        (1968, "1968-01-29", "1968-01-30"),  // Tết Mậu Thân: the North on the 29th, China on the 30th
        (1985, "1985-01-21", "1985-02-20"),
        (2007, "2007-02-17", "2007-02-18"),
        (2030, "2030-02-02", "2030-02-03"),
    ])
    func yearsWhereVietnamAndChinaDiffer(year: Int, vietnam: String, china: String) {
        #expect(LunarCalendar.vietnam.lunarNewYear(year)?.iso == vietnam)
        #expect(LunarCalendar.china.lunarNewYear(year)?.iso == china)
    }

    @Test(arguments: [
        ("2024-02-10", LunarDate(year: 2024, month: 1, day: 1)),
        ("2025-01-29", LunarDate(year: 2025, month: 1, day: 1)),
        ("2026-02-17", LunarDate(year: 2026, month: 1, day: 1)),
        ("2024-04-18", LunarDate(year: 2024, month: 3, day: 10)),   // Giỗ Tổ 2024
        ("2025-04-07", LunarDate(year: 2025, month: 3, day: 10)),   // Giỗ Tổ 2025
        ("2023-04-29", LunarDate(year: 2023, month: 3, day: 10)),   // Giỗ Tổ 2023 (after leap month 2)
        ("2023-03-22", LunarDate(year: 2023, month: 2, day: 1, isLeapMonth: true)),
        ("2025-07-25", LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true)),
        ("2020-05-23", LunarDate(year: 2020, month: 4, day: 1, isLeapMonth: true)),
        ("2024-02-09", LunarDate(year: 2023, month: 12, day: 30)),  // 30 Tết Giáp Thìn... of Quý Mão
        ("2026-02-16", LunarDate(year: 2025, month: 12, day: 29)),
    ])
    func knownDates(solar: String, lunar: LunarDate) {
        let date = LocalDate(iso: solar)!
        #expect(LunarCalendar.vietnam.lunarDate(of: date) == lunar)
        #expect(LunarCalendar.vietnam.solarDate(of: lunar) == date)
    }

    /// The new moon of May 2054 falls at 00:01 on the 8th (UTC+7); the mean lunation estimates a
    /// later one, which once made 7 May "day 0 of month 4". It is the last day of month 3.
    @Test func monthStartWhereTheMeanLunationMisleads() {
        #expect(LunarCalendar.vietnam.lunarDate(of: LocalDate(iso: "2054-05-07")!) == LunarDate(year: 2054, month: 3, day: 30))
        #expect(LunarCalendar.vietnam.lunarDate(of: LocalDate(iso: "2054-05-08")!) == LunarDate(year: 2054, month: 4, day: 1))
        #expect(LunarCalendar.vietnam.solarDate(of: LunarDate(year: 2054, month: 4, day: 1)) == LocalDate(iso: "2054-05-08"))
    }

    @Test func impossibleLunarDatesAreRefused() {
        let vn = LunarCalendar.vietnam
        #expect(vn.solarDate(of: LunarDate(year: 2024, month: 3, day: 1, isLeapMonth: true)) == nil)  // 2024 has no leap month
        #expect(vn.solarDate(of: LunarDate(year: 2023, month: 3, day: 1, isLeapMonth: true)) == nil)  // 2023's leap month is 2
        #expect(vn.solarDate(of: LunarDate(year: 2025, month: 12, day: 30)) == nil)                   // month 12 of Ất Tỵ has 29 days
        #expect(vn.solarDate(of: LunarDate(year: 2024, month: 13, day: 1)) == nil)
        #expect(vn.solarDate(of: LunarDate(year: 2300, month: 1, day: 1)) == nil)
        #expect(vn.lunarDate(of: LocalDate(year: 1899, month: 12, day: 31)!) == nil)
    }

    /// Every day of 1900-2199 converts to a lunar date and back to itself; months have 29 or 30
    /// days; a year has 12 or 13 months, with at most one leap month.
    @Test func roundTripEveryDay() {
        let vn = LunarCalendar.vietnam
        let first = LocalDate(year: 1900, month: 1, day: 31)!  // lunar 1/1/1900
        let last = LocalDate(year: 2199, month: 12, day: 31)!
        var previous = vn.lunarDate(of: first)!
        #expect(previous == LunarDate(year: 1900, month: 1, day: 1))
        var failures = 0
        for n in (first.dayNumber + 1)...last.dayNumber {
            let date = LocalDate(dayNumber: n)
            guard let lunar = vn.lunarDate(of: date) else { failures += 1; continue }
            if lunar.day == 1 {
                let sameMonthLeap = lunar.isLeapMonth && lunar.month == previous.month && !previous.isLeapMonth
                let next = previous.month % 12 + 1
                let ok = (previous.day == 29 || previous.day == 30)
                    && (sameMonthLeap || (lunar.month == next && !lunar.isLeapMonth))
                    && (lunar.year == previous.year + (lunar.month == 1 && !lunar.isLeapMonth ? 1 : 0))
                if !ok { failures += 1 }
            } else if lunar.day > 30 || !(lunar.day == previous.day + 1 && lunar.month == previous.month && lunar.isLeapMonth == previous.isLeapMonth) {
                failures += 1
            }
            if n % 7 == 0, vn.solarDate(of: lunar) != date { failures += 1 }
            previous = lunar
        }
        #expect(failures == 0)
    }
}

import Foundation
@testable import MotCuaCore

/// Shared by the calendar tests: built once, since a 300-year calendar takes a moment.
enum Fixtures {
    static let calendar = try! WorkingCalendar()
    /// A shorter calendar for tests that build many variants.
    static let years = 2019...2032

    static func at(_ iso: String) -> Date {
        guard let d = VietnamTime.parseISO(iso) else { fatalError("bad instant \(iso)") }
        return d
    }

    static func iso(_ date: Date) -> String { VietnamTime.iso(date) }

    /// 2025 with the real swap: Friday 2/5 off against Saturday 26/4 worked.
    static let swapped2025: WorkingCalendar = {
        var entries = try! HolidayRules.standard.schedule(for: 2025).entries
        entries.append(ScheduleEntry(date: LocalDate(iso: "2025-05-02")!, kind: .dayOff, description: "Nghỉ hoán đổi"))
        entries.append(ScheduleEntry(date: LocalDate(iso: "2025-04-26")!, kind: .workingDay, description: "Làm bù cho ngày 2/5"))
        return try! WorkingCalendar(schedules: [try! YearSchedule(year: 2025, entries: entries)], years: years)
    }()
}

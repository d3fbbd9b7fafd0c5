import Testing
@testable import MotCuaCore

/// The administrator's changes to a year's schedule: each is checked against the weekly office
/// hours and the entries already listed, and a refused change leaves the schedule as it was.
@Suite struct ScheduleEditTests {
    let prefill = try! HolidayRules.standard.schedule(for: 2027)
    func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func addRemoveAndSwap() throws {
        let added = try ScheduleEdit.add(ScheduleEntry(date: day("2027-12-31"), kind: .dayOff, description: "  Nghỉ cuối năm ")).applied(to: prefill, officeHours: .standard)
        #expect(added.entries.count == prefill.entries.count + 1)
        #expect(added.entry(on: day("2027-12-31"))?.description == "Nghỉ cuối năm")
        let removed = try ScheduleEdit.remove(day("2027-12-31")).applied(to: added, officeHours: .standard)
        #expect(removed == prefill)
        // Friday 30 April and Saturday 1 May 2027 are holidays (Monday 3 May compensates); swap Tuesday 4 May for Saturday 8 May.
        let swapped = try ScheduleEdit.swap(dayOff: day("2027-05-04"), workingDay: day("2027-05-08"), description: "Nghỉ bù 30/4").applied(to: prefill, officeHours: .standard)
        #expect(swapped.entry(on: day("2027-05-04"))?.kind == .dayOff)
        #expect(swapped.entry(on: day("2027-05-08")) == ScheduleEntry(date: day("2027-05-08"), kind: .workingDay, description: "Làm bù cho ngày 04/05/2027"))
        let calendar = try WorkingCalendar(schedules: [swapped])
        #expect(!calendar.isWorkingDay(day("2027-05-04")) && calendar.isWorkingDay(day("2027-05-08")))
    }

    @Test func refusals() throws {
        func problem(_ edit: ScheduleEdit) -> ScheduleEdit.Problem? {
            do { _ = try edit.applied(to: prefill, officeHours: .standard); return nil } catch { return error }
        }
        #expect(problem(.add(ScheduleEntry(date: day("2028-01-03"), kind: .dayOff, description: "x"))) == .outsideYear(day("2028-01-03"), year: 2027))
        #expect(problem(.add(ScheduleEntry(date: day("2027-01-09"), kind: .dayOff, description: "x"))) == .dayOffOnRestDay(day("2027-01-09")))
        #expect(problem(.add(ScheduleEntry(date: day("2027-01-08"), kind: .workingDay, description: "x"))) == .workingDayOnWorkedDay(day("2027-01-08")))
        #expect(problem(.add(ScheduleEntry(date: day("2027-01-08"), kind: .dayOff, description: "   "))) == .emptyDescription)
        #expect(problem(.add(ScheduleEntry(date: day("2027-01-08"), kind: .dayOff, description: String(repeating: "a", count: 201)))) == .descriptionTooLong)
        #expect(problem(.add(ScheduleEntry(date: day("2027-01-01"), kind: .dayOff, description: "x"))) == .alreadyListed(prefill.entry(on: day("2027-01-01"))!))
        #expect(problem(.remove(day("2027-01-08"))) == .notListed(day("2027-01-08")))
        #expect(problem(.swap(dayOff: day("2027-01-08"), workingDay: day("2027-01-08"), description: "x")) == .sameDay)
        #expect(problem(.swap(dayOff: day("2027-01-08"), workingDay: day("2027-01-11"), description: "x")) == .workingDayOnWorkedDay(day("2027-01-11")))
        #expect(problem(.swap(dayOff: day("2027-01-08"), workingDay: day("2028-01-08"), description: "x")) == .outsideYear(day("2028-01-08"), year: 2027))
        // Office hours with Saturday mornings worked: a Saturday is no longer a rest day.
        let saturdays = try OfficeHours(parsing: "mon-fri=07:00-11:00,13:00-17:00;sat=07:00-11:00")
        #expect(throws: ScheduleEdit.Problem.workingDayOnWorkedDay(day("2027-01-09"))) {
            try ScheduleEdit.add(ScheduleEntry(date: day("2027-01-09"), kind: .workingDay, description: "x")).applied(to: prefill, officeHours: saturdays)
        }
    }
}

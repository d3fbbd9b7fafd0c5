import Foundation
import Testing
@testable import MotCuaCore

@Suite struct DeadlineTests {
    let calendar = Fixtures.calendar

    func due(_ received: String, _ time: ProcessingTime, in calendar: WorkingCalendar = Fixtures.calendar,
             channel: DossierChannel = .direct, policy: ReceiptPolicy = .none) throws -> String {
        Fixtures.iso(try calendar.due(receivedAt: Fixtures.at(received), time: time, channel: channel, policy: policy))
    }

    // Tết 2024 (rules): 9-13 February off, 10-11 (weekend) compensated on 14-15.
    @Test(arguments: [
        ("2024-02-07T15:30:00+07:00", ProcessingTime.workingDays(3), "2024-02-19T15:30:00+07:00"),
        ("2024-02-07T15:30:00+07:00", .workingDays(10), "2024-02-28T15:30:00+07:00"),
        ("2024-02-08T10:30:00+07:00", .workingDays(1), "2024-02-16T10:30:00+07:00"),   // receipt at 10:30
        ("2024-02-08T16:45:00+07:00", .workingDays(0.5), "2024-02-16T10:45:00+07:00"), // receipt at 16:45, half a day
        ("2024-02-17T09:00:00+07:00", .workingDays(1), "2024-02-19T17:00:00+07:00"),   // receipt on a Saturday
        ("2024-02-08T08:00:00Z", .workingDays(1), "2024-02-16T15:00:00+07:00"),        // 15:00 local
    ])
    func aroundTet2024(received: String, time: ProcessingTime, expected: String) throws {
        #expect(try due(received, time) == expected)
    }

    // Tết 2025: rules give 28 January - 1 February with Monday 3 February compensated.
    @Test func aroundTet2025() throws {
        #expect(try due("2025-01-20T08:00:00+07:00", .workingDays(15)) == "2025-02-17T08:00:00+07:00")
        #expect(try due("2025-01-24T16:00:00+07:00", .workingDays(1)) == "2025-01-27T16:00:00+07:00")
        #expect(try due("2025-01-27T16:00:00+07:00", .workingDays(1)) == "2025-02-04T16:00:00+07:00")
        // The government's actual 2025 table (27-31 January), imported: same result for 15 days.
        let actual = try YearSchedule(year: 2025, entries: ["2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
                                                           "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02"]
            .map { ScheduleEntry(date: LocalDate(iso: $0)!, kind: .dayOff, description: "nghỉ") })
        let official = try WorkingCalendar(schedules: [actual], years: Fixtures.years)
        #expect(try due("2025-01-20T08:00:00+07:00", .workingDays(15), in: official) == "2025-02-17T08:00:00+07:00")
        #expect(try due("2025-01-24T16:00:00+07:00", .workingDays(1), in: official) == "2025-02-03T16:00:00+07:00")
    }

    // 30/4 and 1/5 2025 with Friday 2/5 swapped against Saturday 26/4.
    @Test func aprilMay2025WithSwappedSaturday() throws {
        let swapped = Fixtures.swapped2025
        #expect(!swapped.isWorkingDay(LocalDate(iso: "2025-05-02")!))
        #expect(swapped.isWorkingDay(LocalDate(iso: "2025-04-26")!))
        #expect(try due("2025-04-25T14:00:00+07:00", .workingDays(2), in: swapped) == "2025-04-28T14:00:00+07:00")
        #expect(try due("2025-04-25T14:00:00+07:00", .workingDays(2)) == "2025-04-29T14:00:00+07:00")
        #expect(try due("2025-04-29T09:00:00+07:00", .workingDays(3), in: swapped) == "2025-05-07T09:00:00+07:00")
        #expect(try due("2025-04-29T09:00:00+07:00", .workingDays(3)) == "2025-05-06T09:00:00+07:00")
        // Receipt on the worked Saturday counts like a weekday.
        #expect(try due("2025-04-26T10:30:00+07:00", .workingDays(1), in: swapped) == "2025-04-28T10:30:00+07:00")
    }

    @Test func nationalDay() throws {
        #expect(try due("2025-08-29T16:00:00+07:00", .workingDays(1)) == "2025-09-03T16:00:00+07:00")
        #expect(try due("2024-08-30T10:30:00+07:00", .workingDays(1)) == "2024-09-04T10:30:00+07:00")
        #expect(try due("2020-09-01T09:00:00+07:00", .workingDays(1)) == "2020-09-03T09:00:00+07:00")
    }

    @Test func hoursRunningOutAtTheEndOfASession() throws {
        #expect(try due("2024-03-04T07:00:00+07:00", .workingDays(0.5)) == "2024-03-04T11:00:00+07:00")
        #expect(try due("2024-03-04T13:00:00+07:00", .workingDays(0.5)) == "2024-03-04T17:00:00+07:00")
        #expect(try due("2024-03-04T11:30:00+07:00", .workingDays(0.5)) == "2024-03-04T17:00:00+07:00")  // lunch: from 13:00
        #expect(try due("2024-03-04T17:00:00+07:00", .workingDays(1)) == "2024-03-05T17:00:00+07:00")
        #expect(try due("2024-03-04T06:00:00+07:00", .workingHours(4)) == "2024-03-04T11:00:00+07:00")
    }

    @Test func workingHours() throws {
        #expect(try due("2024-03-04T10:00:00+07:00", .workingHours(4)) == "2024-03-04T16:00:00+07:00")
        #expect(try due("2024-03-08T16:30:00+07:00", .workingHours(1.5)) == "2024-03-11T08:00:00+07:00")
    }

    @Test func workingDaysLong() throws {
        // 15 working days from Monday 4 March 2024 09:00: 3 weeks later, Monday 25 March 09:00.
        #expect(try due("2024-03-04T09:00:00+07:00", .workingDays(15)) == "2024-03-25T09:00:00+07:00")
        // ... crossing 30/4-1/5 2024 (Tuesday, Wednesday): two days later.
        #expect(try due("2024-04-22T09:00:00+07:00", .workingDays(10)) == "2024-05-08T09:00:00+07:00")
    }

    @Test func calendarDays() throws {
        #expect(try due("2024-02-01T09:00:00+07:00", .calendarDays(15)) == "2024-02-16T09:00:00+07:00")
        #expect(try due("2024-02-01T09:00:00+07:00", .calendarDays(10)) == "2024-02-16T09:00:00+07:00")  // 11/2 is Tết
        #expect(try due("2024-01-27T10:00:00+07:00", .calendarDays(5)) == "2024-02-05T07:00:00+07:00")  // Saturday receipt
        #expect(try due("2024-03-01T12:00:00+07:00", .calendarDays(3)) == "2024-03-04T13:00:00+07:00")  // lunch receipt
    }

    @Test func cutOffPerChannel() throws {
        let policy = ReceiptPolicy(cutOffs: [.online: 15 * 3600])
        #expect(try due("2024-03-04T15:30:00+07:00", .workingDays(1), channel: .online, policy: policy) == "2024-03-05T17:00:00+07:00")
        #expect(try due("2024-03-04T15:30:00+07:00", .workingDays(1), channel: .direct, policy: policy) == "2024-03-05T15:30:00+07:00")
        #expect(try due("2024-03-04T14:59:00+07:00", .workingDays(1), channel: .online, policy: policy) == "2024-03-05T14:59:00+07:00")
        // After the cut-off on Friday: Monday.
        #expect(try due("2024-03-08T15:00:00+07:00", .workingHours(2), channel: .online, policy: policy) == "2024-03-11T09:00:00+07:00")
    }

    @Test func configurableOfficeHours() throws {
        let hours = try OfficeHours(parsing: "mon-fri=07:30-11:30,13:30-17:30;sat=07:30-11:30")
        let cal = try WorkingCalendar(officeHours: hours, years: Fixtures.years)
        #expect(try due("2024-03-08T16:30:00+07:00", .workingHours(3), in: cal) == "2024-03-09T09:30:00+07:00")
        #expect(cal.isWorkingDay(LocalDate(iso: "2024-03-09")!))
        #expect(throws: CalendarError.self) { try OfficeHours(parsing: "mon=11:00-07:00") }
        #expect(throws: CalendarError.self) { try OfficeHours(parsing: "funday=07:00-11:00") }
        #expect(throws: CalendarError.self) { try OfficeHours(parsing: "mon=07:00-12:00,11:00-17:00") }
    }

    @Test func invalidInputIsRefused() {
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("2024-03-04T09:00:00+07:00"), time: .workingDays(0)) }
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("2024-03-04T09:00:00+07:00"), time: .workingDays(-1)) }
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("2024-03-04T09:00:00+07:00"), time: .workingHours(.nan)) }
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("2024-03-04T09:00:00+07:00"), time: .calendarDays(0)) }
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("2199-12-31T09:00:00+07:00"), time: .workingDays(10)) }
        #expect(throws: CalendarError.self) { try calendar.due(receivedAt: Fixtures.at("1850-01-01T09:00:00+07:00"), time: .workingDays(1)) }
    }

    @Test func isoParsing() {
        #expect(VietnamTime.parseISO("2024-02-07T15:30:00+07:00") == VietnamTime.parseISO("2024-02-07T08:30:00Z"))
        #expect(VietnamTime.parseISO("2024-02-07T15:30+0700") == VietnamTime.parseISO("2024-02-07T15:30:00.250+07:00"))
        #expect(VietnamTime.parseISO("2024-02-07T15:30:00") == VietnamTime.parseISO("2024-02-07T15:30:00+07:00"))
        for bad in ["", "2024-02-30T10:00:00+07:00", "2024-02-07", "2024-02-07T25:00:00Z", "2024-02-07T10:00:00+07:00x", "hôm nay"] {
            #expect(VietnamTime.parseISO(bad) == nil, "\(bad)")
        }
    }
}

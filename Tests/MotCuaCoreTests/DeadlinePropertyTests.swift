import Foundation
import PropertyBased
import Testing
@testable import MotCuaCore

/// Properties of deadline arithmetic over random receipts in 2020-2030.
@Suite struct DeadlinePropertyTests {
    static let calendar = try! WorkingCalendar(years: Fixtures.years)
    static let from = Int(Fixtures.at("2020-01-01T00:00:00+07:00").timeIntervalSince1970)
    static let to = Int(Fixtures.at("2030-12-31T23:59:59+07:00").timeIntervalSince1970)

    static let receipts = Gen.int(in: from...to).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    static let halfDays = Gen.int(in: 1...60)
    static let minuteReceipts = Gen.int(in: from...to).map { Date(timeIntervalSince1970: TimeInterval($0 / 60 * 60)) }
    static let times = zip(Gen.int(in: 0...2), Gen.int(in: 1...40)).map { kind, n -> ProcessingTime in
        switch kind {
        case 0: .workingDays(Double(n) / 2)
        case 1: .calendarDays(n)
        default: .workingHours(Double(n))
        }
    }

    @Test func dueIsNeverBeforeReceiptAndFallsInOfficeHours() async {
        await propertyCheck(count: 3000, input: Self.receipts, Self.times) { received, time in
            let due = try Self.calendar.due(receivedAt: received, time: time)
            #expect(due > received)
            #expect(Self.calendar.isInOfficeHours(due), "\(VietnamTime.iso(due))")
            #expect(Self.calendar.isWorkingDay(VietnamTime.local(due).date))
        }
    }

    @Test func onMoreDayNeverEndsEarlier() async {
        await propertyCheck(count: 3000, input: Self.receipts, Self.halfDays) { received, halfDays in
            let n = Double(halfDays) / 2
            let a = try Self.calendar.due(receivedAt: received, time: .workingDays(n))
            let b = try Self.calendar.due(receivedAt: received, time: .workingDays(n + 1))
            #expect(b > a)
            #expect(try Self.calendar.workingSeconds(from: a, to: b) == 8 * 3600)
            let c = try Self.calendar.due(receivedAt: received, time: .calendarDays(halfDays))
            let d = try Self.calendar.due(receivedAt: received, time: .calendarDays(halfDays + 1))
            #expect(d >= c)
        }
    }

    @Test func addingADayOffNeverMakesADueDateEarlier() async {
        let days = Gen.int(in: 0...(365 * 11))
        await propertyCheck(count: 60, input: Self.receipts, Self.times, days) { received, time, offset in
            let date = LocalDate(year: 2020, month: 1, day: 1)!.adding(days: offset)
            var entries = try Self.calendar.schedule(for: date.year).entries.filter { $0.date != date }
            entries.append(ScheduleEntry(date: date, kind: .dayOff, description: "thêm"))
            let more = try WorkingCalendar(schedules: [YearSchedule(year: date.year, entries: entries)], years: Fixtures.years)
            let before = try Self.calendar.due(receivedAt: received, time: time)
            let after = try more.due(receivedAt: received, time: time)
            #expect(after >= before, "\(date.iso) \(VietnamTime.iso(received)) \(time)")
        }
    }

    /// The binary-search arithmetic agrees with a plain walk, minute by minute, over office hours.
    @Test func agreesWithAMinuteByMinuteWalk() async {
        await propertyCheck(count: 300, input: Self.minuteReceipts, Gen.int(in: 1...24)) { received, halfDays in
            let cal = Self.calendar
            var remaining = halfDays * 4 * 60
            var t = Int(received.timeIntervalSince1970)
            while remaining > 0 {
                let (date, second) = VietnamTime.local(unixSeconds: t)
                if cal.sessions(on: date).contains(where: { $0.start <= second && second < $0.end }) { remaining -= 1 }
                t += 60
            }
            let due = try cal.due(receivedAt: received, time: .workingDays(Double(halfDays) / 2))
            #expect(Int(due.timeIntervalSince1970) == t)
        }
    }
}

import Foundation
import Testing
@testable import MotCuaCore

@Suite struct DossierClockTests {
    let calendar = Fixtures.calendar
    func at(_ s: String) -> Date { Fixtures.at(s) }

    func received() throws -> DossierClock {
        // Monday 4 March 2024 09:00, 3 working days: due Thursday 7 March 09:00.
        try DossierClock(receivedAt: at("2024-03-04T09:00:00+07:00"), time: .workingDays(3), calendar: calendar)
    }

    @Test func severalPauseRoundsMoveTheDueDateByTheWorkingTimeWaited() throws {
        var clock = try received()
        #expect(Fixtures.iso(clock.due) == "2024-03-07T09:00:00+07:00")

        try clock.pause(.supplement, at: at("2024-03-05T10:00:00+07:00"), applicantDeadline: at("2024-03-06T08:00:00+07:00"))
        #expect(clock.isPaused)
        #expect(clock.openTimeliness(at: at("2024-03-20T09:00:00+07:00")) == .withinTime)  // paused: never overdue
        try clock.resume(at: at("2024-03-06T10:00:00+07:00"), calendar: calendar)           // 8 working hours waited
        #expect(Fixtures.iso(clock.due) == "2024-03-08T09:00:00+07:00")

        try clock.pause(.payment, at: at("2024-03-07T14:00:00+07:00"))
        try clock.resume(at: at("2024-03-11T14:00:00+07:00"), calendar: calendar)           // 16 working hours
        #expect(Fixtures.iso(clock.due) == "2024-03-12T09:00:00+07:00")

        #expect(clock.rounds.map { Fixtures.iso($0.previousDue) } == ["2024-03-07T09:00:00+07:00", "2024-03-08T09:00:00+07:00"])
        #expect(clock.rounds.map { $0.newDue.map(Fixtures.iso) } == ["2024-03-08T09:00:00+07:00", "2024-03-12T09:00:00+07:00"])
        #expect(clock.rounds.map(\.pausedWorkingSeconds) == [8 * 3600, 16 * 3600])
        #expect(clock.rounds.map(\.reason) == [.supplement, .payment])
        #expect(Fixtures.iso(clock.initialDue) == "2024-03-07T09:00:00+07:00")

        // The applicant supplemented after their own deadline: flagged, not overdue.
        #expect(clock.rounds[0].isApplicantLate(at: at("2024-03-06T10:00:00+07:00")))
        #expect(clock.isSupplementOverdue(at: at("2024-03-12T08:00:00+07:00")))
        #expect(clock.openTimeliness(at: at("2024-03-12T08:00:00+07:00")) == .withinTime)
        #expect(clock.openTimeliness(at: at("2024-03-12T09:00:01+07:00")) == .overdue)
    }

    /// The hand-written JSON is what JSONEncoder writes (sorted keys, seconds since 1970) and reads back equal.
    @Test func jsonMatchesJSONEncoderAndRoundTrips() throws {
        var clock = try received()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        func check() throws {
            #expect(clock.json == String(decoding: try encoder.encode(clock), as: UTF8.self))
            #expect(try decoder.decode(DossierClock.self, from: Data(clock.json.utf8)) == clock)
        }
        try check()
        try clock.pause(.supplement, at: at("2024-03-05T10:00:00+07:00"), applicantDeadline: at("2024-03-06T08:00:00+07:00"))
        try check()
        try clock.resume(at: at("2024-03-06T10:00:00+07:00"), calendar: calendar)
        try clock.pause(.payment, at: at("2024-03-07T14:00:00+07:00"))
        try check()
        try clock.apologise(at: at("2024-03-07T15:00:00+07:00"), newAppointment: at("2024-03-20T09:00:00+07:00"),
                            reason: "Cần \"xác minh\" thêm\ntại địa phương")
        try check()
        // Instants with a fraction of a second are written as JSONEncoder writes them, and read back.
        clock = DossierClock(receivedAt: Date(timeIntervalSince1970: 1_709_517_600.25), due: Date(timeIntervalSince1970: 1_709_776_800.5))
        #expect(try decoder.decode(DossierClock.self, from: Data(clock.json.utf8)) == clock)
    }

    @Test func pauseOverAWeekendAndHolidaysCostsNoWorkingTime() throws {
        var clock = try received()
        try clock.pause(.supplement, at: at("2024-03-08T17:00:00+07:00"))
        try clock.resume(at: at("2024-03-11T07:00:00+07:00"), calendar: calendar)
        #expect(Fixtures.iso(clock.due) == "2024-03-07T09:00:00+07:00")
    }

    /// A due date at an opening (a time in calendar days, received outside office hours) stays where
    /// it is after a pause without working time; it once moved back to the previous day's 17:00.
    @Test func aPauseWithoutWorkingTimeLeavesADueDateAtAnOpening() throws {
        var clock = try DossierClock(
            receivedAt: at("2024-03-09T10:00:00+07:00"), time: .calendarDays(5), calendar: calendar)
        #expect(Fixtures.iso(clock.due) == "2024-03-18T07:00:00+07:00")
        try clock.pause(.supplement, at: at("2024-03-16T09:00:00+07:00"))
        try clock.resume(at: at("2024-03-17T09:00:00+07:00"), calendar: calendar)
        #expect(clock.rounds.last?.pausedWorkingSeconds == 0)
        #expect(Fixtures.iso(clock.due) == "2024-03-18T07:00:00+07:00")
        let e = try clock.explanation(time: .calendarDays(5), calendar: calendar)
        #expect(e.due == clock.due && e.pauses.first?.stretch?.days.count == 1)
    }

    @Test func applicantDeadlineNotMissed() throws {
        var clock = try received()
        try clock.pause(.supplement, at: at("2024-03-05T10:00:00+07:00"), applicantDeadline: at("2024-03-08T17:00:00+07:00"))
        #expect(!clock.isSupplementOverdue(at: at("2024-03-08T16:00:00+07:00")))
        #expect(clock.isSupplementOverdue(at: at("2024-03-08T17:00:01+07:00")))
        try clock.resume(at: at("2024-03-06T10:00:00+07:00"), calendar: calendar)
        #expect(!clock.isSupplementOverdue(at: at("2024-04-01T00:00:00+07:00")))
    }

    @Test func illegalClockChangesAreRefused() throws {
        var clock = try received()
        #expect(throws: CalendarError.notPaused) { try clock.resume(at: at("2024-03-05T10:00:00+07:00"), calendar: calendar) }
        #expect(throws: CalendarError.beforeReceipt) { try clock.pause(.supplement, at: at("2024-03-01T10:00:00+07:00")) }
        try clock.pause(.supplement, at: at("2024-03-05T10:00:00+07:00"))
        #expect(throws: CalendarError.alreadyPaused) { try clock.pause(.payment, at: at("2024-03-05T11:00:00+07:00")) }
        #expect(throws: CalendarError.beforeReceipt) { try clock.resume(at: at("2024-03-05T09:00:00+07:00"), calendar: calendar) }
    }

    @Test func apologySetsANewAppointmentButTimelinessKeepsTheDueDate() throws {
        var clock = try received()
        try clock.apologise(at: at("2024-03-06T15:00:00+07:00"), newAppointment: at("2024-03-11T17:00:00+07:00"), reason: "Cần xác minh thêm")
        #expect(Fixtures.iso(clock.appointment) == "2024-03-11T17:00:00+07:00")
        #expect(Fixtures.iso(clock.due) == "2024-03-07T09:00:00+07:00")
        #expect(clock.finishedTimeliness(at: at("2024-03-11T10:00:00+07:00")) == .late)
        #expect(clock.openTimeliness(at: at("2024-03-08T10:00:00+07:00")) == .overdue)
        #expect(throws: CalendarError.apologyAlreadyGiven) {
            try clock.apologise(at: at("2024-03-08T15:00:00+07:00"), newAppointment: at("2024-03-20T17:00:00+07:00"), reason: "lần hai")
        }
        // A later pause moves both the due date and the appointment.
        try clock.pause(.supplement, at: at("2024-03-08T07:00:00+07:00"))
        try clock.resume(at: at("2024-03-08T17:00:00+07:00"), calendar: calendar)
        #expect(Fixtures.iso(clock.due) == "2024-03-08T09:00:00+07:00")
        #expect(Fixtures.iso(clock.appointment) == "2024-03-12T17:00:00+07:00")
    }

    @Test func apologyMustGiveALaterDate() throws {
        var clock = try received()
        #expect(throws: CalendarError.self) {
            try clock.apologise(at: at("2024-03-05T15:00:00+07:00"), newAppointment: at("2024-03-06T17:00:00+07:00"), reason: "x")
        }
        #expect(clock.apology == nil)
    }

    @Test func timelinessOfFinishedDossiersComparesLocalDates() {
        let due = at("2024-03-07T09:00:00+07:00")
        #expect(Timeliness.finished(at: at("2024-03-06T16:59:00+07:00"), due: due) == .early)
        #expect(Timeliness.finished(at: at("2024-03-07T16:59:00+07:00"), due: due) == .onTime)   // later hour, same day
        #expect(Timeliness.finished(at: at("2024-03-07T00:30:00+07:00"), due: due) == .onTime)
        #expect(Timeliness.finished(at: at("2024-03-06T17:30:00Z"), due: due) == .onTime)       // 00:30 on the 7th locally
        #expect(Timeliness.finished(at: at("2024-03-08T07:00:00+07:00"), due: due) == .late)
    }

    @Test func openTimeliness() throws {
        let clock = try received()
        #expect(clock.openTimeliness(at: at("2024-03-04T09:00:00+07:00")) == .withinTime)  // brand new
        #expect(clock.openTimeliness(at: at("2024-03-07T09:00:00+07:00")) == .withinTime)
        #expect(clock.openTimeliness(at: at("2024-03-07T09:01:00+07:00")) == .overdue)
        #expect(Timeliness.open(due: nil, at: at("2030-01-01T00:00:00+07:00")) == .withinTime)  // submitted, no due yet
    }
}

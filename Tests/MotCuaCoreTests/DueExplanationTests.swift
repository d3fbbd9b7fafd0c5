import Foundation
import PropertyBased
import Testing
@testable import MotCuaCore

/// "Vì sao hạn xử lý là ngày này?" (issue 24): the explanation is the trace of the due date's own
/// computation. Replaying it with the test's own model of the schedule (which days have which
/// office hours, walked session by session) gives the due date the clock holds, for random
/// dossiers on random schedules, office hours, cut-offs and pauses.
@Suite struct DueExplanationTests {
    static let years = 2024...2028

    /// A random schedule: days off (some of them compensatory), weekend days worked, over three years.
    struct Schedule {
        let officeHours: OfficeHours
        let entries: [LocalDate: ScheduleEntry]
        let calendar: WorkingCalendar

        init(_ rng: inout SplitMix64) throws {
            let hours = [
                OfficeHours.standard,
                try OfficeHours(parsing: "mon-fri=07:30-11:30,13:30-17:00;sat=07:30-11:30"),
                try OfficeHours(parsing: "mon-thu=08:00-12:00,13:00-17:00;fri=08:00-12:00"),
                try OfficeHours(parsing: "tue-sat=06:00-24:00"),
            ]
            officeHours = hours[Int.random(in: 0..<hours.count, using: &rng)]
            var entries: [LocalDate: ScheduleEntry] = [:]
            let first = LocalDate(year: 2025, month: 1, day: 1)!
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                let date = first.adding(days: Int.random(in: 0..<(3 * 365), using: &rng))
                let kind: ScheduleEntry.Kind = Bool.random(using: &rng) ? .dayOff : .workingDay
                let name =
                    kind == .workingDay ? "Làm bù" : Bool.random(using: &rng) ? "Nghỉ bù ngày lễ" : "Ngày lễ \(date.iso)"
                entries[date] = ScheduleEntry(date: date, kind: kind, description: name)
            }
            self.entries = entries
            let byYear = Dictionary(grouping: entries.values, by: { $0.date.year })
            calendar = try WorkingCalendar(
                officeHours: officeHours,
                schedules: try Self.allYears.map { try YearSchedule(year: $0, entries: byYear[$0] ?? []) },
                years: DueExplanationTests.years)
        }

        static let allYears = Array(DueExplanationTests.years)

        /// The test's own answer to "which sessions does this day have?".
        func sessions(_ date: LocalDate) -> [Session] {
            let usual = officeHours.weekdays[date.weekday - 1]
            switch entries[date]?.kind {
            case .dayOff: return []
            case .workingDay: return usual.isEmpty ? officeHours.swappedWorkingDay : usual
            case nil: return usual
            }
        }

        func expectedReason(_ date: LocalDate) -> CountedDay.Reason {
            switch entries[date]?.kind {
            case .dayOff: entries[date]!.description.hasPrefix("Nghỉ bù") ? .compensatoryDayOff : .holiday
            case .workingDay: officeHours.weekdays[date.weekday - 1].isEmpty ? .makeUpWorkingDay : .working
            case nil: sessions(date).isEmpty ? .weekend : .working
            }
        }

        /// Replays a stretch: its days follow one another from its start to its end, each for the
        /// reason the schedule gives; walking their sessions from `from` for `seconds` ends at `to`.
        func replay(_ s: WorkingTimeStretch) -> Date? {
            let start = VietnamTime.local(s.from)
            guard s.days.first?.date == start.date else { return nil }
            // Nothing to add: the instant itself, one day, nothing counted.
            if s.seconds == 0 { return s.days.count == 1 && s.days[0].countedSeconds == 0 ? s.from : nil }
            var remaining = s.seconds
            var counted = 0
            for (i, day) in s.days.enumerated() {
                guard i == 0 || day.date.dayNumber == s.days[i - 1].date.dayNumber + 1,
                    day.reason == expectedReason(day.date)
                else { return nil }
                var onDay = 0
                for session in sessions(day.date) {
                    let begin = i == 0 ? max(session.start, start.secondOfDay) : session.start
                    guard begin < session.end || (remaining == 0 && begin == session.end) else { continue }
                    let take = min(remaining, session.end - begin)
                    onDay += take
                    remaining -= take
                    if remaining == 0 {
                        counted += onDay
                        guard day.countedSeconds == onDay, i == s.days.count - 1, counted == s.seconds else {
                            return nil
                        }
                        return VietnamTime.instant(day.date, secondOfDay: begin + take)
                    }
                }
                guard day.countedSeconds == onDay, !day.isSkipped || onDay == 0 else { return nil }
                counted += onDay
            }
            return nil
        }

        func replay(_ c: DueComputation) -> Date? {
            switch c.count {
            case .working(let stretch):
                guard stretch.from == c.countingStart else { return nil }
                return replay(stretch)
            case .calendar(let days, let landed, let skipped):
                let (startDate, second) = VietnamTime.local(c.countingStart)
                guard landed == startDate.adding(days: days) else { return nil }
                var date = landed
                for day in skipped {
                    guard day.date == date, sessions(date).isEmpty, day.reason == expectedReason(date) else {
                        return nil
                    }
                    date = date.adding(days: 1)
                }
                let daySessions = sessions(date)
                guard !daySessions.isEmpty else { return nil }
                if daySessions.contains(where: { $0.start <= second && second <= $0.end }) {
                    return VietnamTime.instant(date, secondOfDay: second)
                }
                // Outside the day's hours: its next session, else the next working day's first.
                if let next = daySessions.first(where: { $0.start > second }) {
                    return VietnamTime.instant(date, secondOfDay: next.start)
                }
                var day = date.adding(days: 1)
                while sessions(day).isEmpty { day = day.adding(days: 1) }
                return VietnamTime.instant(day, secondOfDay: sessions(day)[0].start)
            }
        }
    }

    static func randomTime(_ rng: inout SplitMix64) -> ProcessingTime {
        switch Int.random(in: 0...2, using: &rng) {
        case 0: .workingDays(Double(Int.random(in: 1...60, using: &rng)) / 2)
        case 1: .workingHours(Double(Int.random(in: 1...80, using: &rng)) / 2)
        default: .calendarDays(Int.random(in: 1...45, using: &rng))
        }
    }

    @Test func replayingTheTraceGivesTheDueDate() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let schedule = try Schedule(&rng)
            let base = Int(VietnamTime.instant(LocalDate(year: 2025, month: 1, day: 1)!, secondOfDay: 0)
                .timeIntervalSince1970)
            let received = Date(timeIntervalSince1970: TimeInterval(base + Int.random(in: 0..<(730 * 86_400), using: &rng)))
            let time = Self.randomTime(&rng)
            let channel = DossierChannel.allCases[Int.random(in: 0..<3, using: &rng)]
            var policy = ReceiptPolicy.none
            if Bool.random(using: &rng) { policy.cutOffs[channel] = Int.random(in: 12...17, using: &rng) * 3600 }
            var clock = try DossierClock(
                receivedAt: received, time: time, calendar: schedule.calendar, channel: channel, policy: policy)
            var now = received
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                now += TimeInterval(Int.random(in: 0...(10 * 86_400), using: &rng))
                try clock.pause(Bool.random(using: &rng) ? .supplement : .payment, at: now)
                now += TimeInterval(Int.random(in: 0...(20 * 86_400), using: &rng))
                if Int.random(in: 0...5, using: &rng) == 0 { break }  // still paused
                try clock.resume(at: now, calendar: schedule.calendar)
            }
            let e = try clock.explanation(time: time, calendar: schedule.calendar, channel: channel, policy: policy)
            #expect(e.matchesRecord)
            // The receipt: counted from itself in office hours, else from a later opening.
            switch e.initial.timing {
            case .inOfficeHours: #expect(e.initial.countingStart == received)
            default: #expect(e.initial.countingStart > received)
            }
            var due = schedule.replay(e.initial)
            #expect(due == clock.initialDue, "seed \(seed): \(e.initial)")
            for p in e.pauses {
                guard let stretch = p.stretch else {
                    #expect(p.round.resumedAt == nil)
                    continue
                }
                #expect(stretch.from == due && stretch.seconds == p.round.pausedWorkingSeconds)
                due = schedule.replay(stretch)
                #expect(due == p.round.newDue, "seed \(seed)")
            }
            #expect(due == clock.due, "seed \(seed)")
        }
    }

    /// Friday 17:45, 6 February 2026, three working days: the weekend and Tết Bính Ngọ (from
    /// 16 February) are not reached; the count starts on Monday at 07:00.
    @Test func aFridayEveningReceiptCountsFromMonday() throws {
        let calendar = try WorkingCalendar(years: Self.years)
        let received = Fixtures.at("2026-02-06T17:45:00+07:00")
        let c = try calendar.explainDue(receivedAt: received, time: .workingDays(3))
        #expect(c.timing == .outsideOfficeHours)
        #expect(c.countingStart == Fixtures.at("2026-02-09T07:00:00+07:00"))
        #expect(c.due == Fixtures.at("2026-02-11T17:00:00+07:00"))
        #expect(c.due == (try calendar.due(receivedAt: received, time: .workingDays(3))))
        guard case .working(let s) = c.count else { Issue.record("not working time"); return }
        #expect(s.days.map(\.countedSeconds) == [8 * 3600, 8 * 3600, 8 * 3600])
    }

    /// Five working days from Thursday 12 February 2026 cross Tết: each day off is named.
    @Test func tetDaysAreNamedAndSkipped() throws {
        let calendar = try WorkingCalendar(years: Self.years)
        let c = try calendar.explainDue(
            receivedAt: Fixtures.at("2026-02-12T09:00:00+07:00"), time: .workingDays(5))
        guard case .working(let s) = c.count else { Issue.record("not working time"); return }
        let skipped = s.days.filter(\.isSkipped)
        #expect(skipped.contains { $0.reason == .holiday && ($0.name ?? "").contains("Tết Nguyên đán") })
        #expect(skipped.contains { $0.reason == .weekend })
        #expect(s.days.reduce(0) { $0 + $1.countedSeconds } == 5 * 8 * 3600)
        #expect(c.due == (try calendar.due(receivedAt: c.receivedAt, time: .workingDays(5))))
    }

    /// A cut-off of 15:00 for online submissions: 15:30 on a working day counts from the next one.
    @Test func aReceiptAfterTheCutOffSaysSo() throws {
        let calendar = try WorkingCalendar(years: Self.years)
        let policy = ReceiptPolicy(cutOffs: [.online: 15 * 3600])
        let c = try calendar.explainDue(
            receivedAt: Fixtures.at("2026-03-03T15:30:00+07:00"), time: .workingHours(4), channel: .online,
            policy: policy)
        #expect(c.timing == .afterCutOff(secondOfDay: 15 * 3600))
        #expect(c.countingStart == Fixtures.at("2026-03-04T07:00:00+07:00"))
        #expect(c.due == Fixtures.at("2026-03-04T11:00:00+07:00"))
    }
}

import Foundation
import MotCuaCore
import Testing

/// The statistics' tallies of one dossier, and the summary arithmetic built on them.
@Suite struct ReportTalliesTests {
    func at(_ day: Int, _ hour: Int, month: Int = 3) -> Date {
        VietnamTime.instant(LocalDate(year: 2026, month: month, day: day)!, secondOfDay: hour * 3600)
    }
    func day(_ d: Int, month: Int = 3) -> LocalDate { LocalDate(year: 2026, month: month, day: d)! }

    @Test func aDossierNeverReceivedCountsNowhere() {
        let d = CountedDossier(channel: .online, clock: nil, finishedAt: at(2, 9), withdrawn: true)
        #expect(d.tallies.isEmpty && d.overdueSpans.isEmpty && d.resolution == nil)
    }

    @Test func eachStatusIsInOneListDatedByItsOwnInstant() {
        let clock = DossierClock(receivedAt: at(2, 9), due: at(20, 15))
        func list(_ status: Status, clock: DossierClock? = clock, submitted: Date? = at(1, 8)) -> (Tally, LocalDate)? {
            let d = CountedDossier(channel: .online, clock: clock, finishedAt: at(5, 9), withdrawn: status == .withdrawn, status: status,
                                   submittedAt: submitted, completedAt: at(4, 9), returnedAt: at(6, 9))
            return d.currentList.map { ($0.tally, VietnamTime.local($0.at).date) }
        }
        #expect(list(.returned)! == (.listReturned, day(6)))
        #expect(list(.completed)! == (.listCompleted, day(4)))
        #expect(list(.refused)! == (.listRefused, day(5)))
        #expect(list(.withdrawn)! == (.listWithdrawn, day(5)))
        #expect(list(.withdrawn, clock: nil)! == (.listWithdrawn, day(5)))   // withdrawn before receipt: still listed
        #expect(list(.processing)! == (.listProcessing, day(2)))
        #expect(list(.awaitingSupplement)! == (.listAwaitingSupplement, day(2)))
        #expect(list(.awaitingSupplement, clock: nil)! == (.listAwaitingSupplement, day(1)))   // asked at online intake
        #expect(list(.submitted, clock: nil)! == (.listAwaitingReception, day(1)))
        #expect(list(.received)! == (.listAwaitingHandOver, day(2)))
        #expect(list(.awaitingPayment)! == (.listAwaitingPayment, day(2)))
        #expect(list(.rejected, clock: nil) == nil)
        // A dossier not yet received counts in its list only.
        let submitted = CountedDossier(channel: .online, clock: nil, finishedAt: nil, withdrawn: false, status: .submitted, submittedAt: at(1, 8))
        var only = Tallies()
        only[.listAwaitingReception] = 1
        #expect(submitted.tallies == [day(1): only])
    }

    @Test func returningTheResultMovesTheDossierFromOneListToTheOther() {
        let clock = DossierClock(receivedAt: at(2, 9), due: at(20, 15))
        let completed = CountedDossier(channel: .direct, clock: clock, finishedAt: at(4, 9), withdrawn: false, status: .completed, completedAt: at(4, 9))
        var returned = completed
        returned.status = .returned
        returned.returnedAt = at(9, 10)
        let change = CountedDossier.change(from: completed, to: returned)
        var out = Tallies(), into = Tallies()
        out[.listCompleted] = -1
        into[.listReturned] = 1
        #expect(change == [day(4): out, day(9): into])
    }

    @Test func anOpenDossierIsOverdueFromItsDueInstantOnwards() {
        let d = CountedDossier(channel: .direct, clock: DossierClock(receivedAt: at(2, 9), due: at(6, 15)), finishedAt: nil, withdrawn: false)
        #expect(d.overdueSpans == [OverdueSpan(from: at(6, 15), until: nil)])
        var expected: [LocalDate: Tallies] = [:]
        expected[day(2), default: Tallies()][.receivedDirect] = 1
        expected[day(6), default: Tallies()][.overdueFrom] = 1
        #expect(d.tallies == expected)
    }

    @Test func finishedByTheDueDateItWasNeverOverdue() {
        let d = CountedDossier(channel: .online, clock: DossierClock(receivedAt: at(2, 9), due: at(6, 15)), finishedAt: at(6, 10), withdrawn: false)
        #expect(d.overdueSpans.isEmpty)
        #expect(d.resolution == .onTime)
        #expect(d.tallies[day(6)]?[.resolvedOnTime] == 1 && d.tallies[day(2)]?[.receivedOnline] == 1)
        // Finished the same day but after the due hour: on time by date, overdue for those hours.
        let later = CountedDossier(channel: .online, clock: DossierClock(receivedAt: at(2, 9), due: at(6, 15)), finishedAt: at(6, 16), withdrawn: false)
        #expect(later.resolution == .onTime)
        #expect(later.overdueSpans == [OverdueSpan(from: at(6, 15), until: at(6, 16))])
        #expect(later.tallies[day(6)]?[.overdueFrom] == 1 && later.tallies[day(6)]?[.overdueUntil] == 1)
    }

    @Test func pausesStopTheOverdueClockAndAResumptionCanStartOverdue() throws {
        let calendar = try WorkingCalendar(years: Fixtures.years)
        var clock = DossierClock(receivedAt: at(2, 9), due: at(4, 15))
        // Paused after the due instant: overdue from the due to the pause.
        try clock.pause(.supplement, at: at(5, 9))
        try clock.resume(at: at(12, 9), calendar: calendar)
        // The new due moved by the working time waited is still before the resumption.
        #expect(clock.due < at(12, 9))
        let d = CountedDossier(channel: .direct, clock: clock, finishedAt: at(13, 9), withdrawn: false)
        #expect(d.overdueSpans == [OverdueSpan(from: at(4, 15), until: at(5, 9)), OverdueSpan(from: at(12, 9), until: at(13, 9))])
        #expect(d.resolution == .late)
    }

    @Test func withdrawalWhilePausedEndsWithoutAnotherStretch() throws {
        var clock = DossierClock(receivedAt: at(2, 9), due: at(20, 15))
        try clock.pause(.payment, at: at(3, 9))
        let d = CountedDossier(channel: .postal, clock: clock, finishedAt: at(9, 9), withdrawn: true)
        #expect(d.overdueSpans.isEmpty)
        #expect(d.resolution == .withdrawn)
        #expect(d.tallies[day(9)]?[.withdrawn] == 1 && d.tallies[day(2)]?[.receivedDirect] == 1)
    }

    @Test func anActionRecordsTheDifference() {
        let clock = DossierClock(receivedAt: at(2, 9), due: at(6, 15))
        let open = CountedDossier(channel: .direct, clock: clock, finishedAt: nil, withdrawn: false)
        let done = CountedDossier(channel: .direct, clock: clock, finishedAt: at(10, 9), withdrawn: false)
        let change = CountedDossier.change(from: open, to: done)
        // Receipt unchanged; the open stretch now ends; resolved late.
        #expect(change[day(2)] == nil)
        #expect(change[day(6)] == nil)
        #expect(change[day(10)]?[.resolvedLate] == 1 && change[day(10)]?[.overdueUntil] == 1)
        #expect(CountedDossier.change(from: done, to: done).isEmpty)
    }

    @Test func theSummaryIsDifferencesOfCumulativeSums() {
        var before = Tallies(), end = Tallies()
        before[.receivedOnline] = 5; before[.receivedDirect] = 7; before[.resolvedOnTime] = 4; before[.withdrawn] = 1
        end = before
        end[.receivedOnline] += 3; end[.receivedDirect] += 2; end[.resolvedEarly] += 2; end[.resolvedLate] += 1; end[.withdrawn] += 1
        end[.overdueFrom] = 6; end[.overdueUntil] = 3
        let s = SummaryCounts(before: before, atEnd: end, notYetOverdue: 1)
        #expect((s.newOnline, s.newDirect, s.carriedOver) == (3, 2, 7))
        #expect((s.early, s.onTime, s.late) == (2, 1, 1))
        #expect(s.received == s.resolved + s.inProgress)
        #expect((s.inProgress, s.overdue, s.withinTime) == (8, 2, 6))
        #expect(s.onTimeRate == 0.75)
        #expect(SummaryCounts().onTimeRate == nil)
    }
}

/// The Thông tư 01/2018 scores a dossier gives (issue 20: from the clock's rounds, in the core).
@Suite struct AgencyEvaluationScoresTests {
    @Test func scoresFollowTheCircular() {
        #expect(AgencyEvaluationScores.time(.early) == 2 && AgencyEvaluationScores.time(.onTime) == 1)
        #expect(AgencyEvaluationScores.time(.late) == 0 && AgencyEvaluationScores.time(.withdrawn) == nil)
        #expect([0, 1, 2, 5].map { AgencyEvaluationScores.returns(supplementRounds: $0) } == [2, 1, 0, 0])
        #expect([18, 15.5, 15, 12, 11.9, 9, 6, 5.9].map(AgencyEvaluationScores.band)
                == ["Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Yếu"])
    }

    @Test func theClockCountsItsSupplementationRounds() throws {
        let received = Fixtures.at("2026-01-05T08:00:00+07:00")
        var clock = try DossierClock(receivedAt: received, time: .workingDays(10), calendar: Fixtures.calendar)
        #expect(clock.supplementRounds == 0)
        try clock.pause(.supplement, at: received.addingTimeInterval(3600))
        try clock.resume(at: received.addingTimeInterval(7200), calendar: Fixtures.calendar)
        try clock.pause(.payment, at: received.addingTimeInterval(9000))
        try clock.resume(at: received.addingTimeInterval(9600), calendar: Fixtures.calendar)
        try clock.pause(.supplement, at: received.addingTimeInterval(10_000))
        #expect(clock.supplementRounds == 2)
        #expect(clock.json.components(separatedBy: #""reason":"supplement""#).count - 1 == 2, "what migration 021 counts in SQL")
    }
}

/// The 766 index's shares (issue 20: the ratios in the core).
@Suite struct QualityIndicatorsTests {
    @Test func sharesOfTheMonthsCounts() {
        var c = SummaryCounts()
        c.newOnline = 3; c.newDirect = 1; c.early = 2; c.onTime = 1; c.late = 1
        let q = QualityIndicators(counts: c, proceduresOffered: 4, proceduresUsed: 1, ratings: [2, 1, 1], electronicResults: 2,
                                  onlinePayments: 1, payments: 4)
        #expect(q.onlineShare == 0.75 && q.proceduresOnlineShare == 0.25 && q.satisfactionRate == 0.75)
        #expect(q.electronicResultShare == 0.5 && q.onlinePaymentShare == 0.25 && q.onTimeRate == c.onTimeRate)
        #expect(q.values.count == QualityIndicators.headings.count)
        // Nothing to divide: no share, not zero.
        let empty = QualityIndicators(counts: SummaryCounts(), proceduresOffered: 0, proceduresUsed: 0, ratings: [], electronicResults: 0,
                                      onlinePayments: 0, payments: 0)
        #expect(empty.values.allSatisfy { $0 == nil })
    }
}

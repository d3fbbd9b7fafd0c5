import Foundation
import Testing
@testable import MotCuaCore

/// "Tiến trình thụ lý" from a log: periods, holders, who finished each and how timely.
@Suite struct ProcessTimelineTests {
    func at(_ day: Int, _ hour: Int) -> Date { VietnamTime.instant(LocalDate(year: 2026, month: 3, day: day)!, secondOfDay: hour * 3600) }

    @Test func periodsHoldersAndTimeliness() {
        typealias T = ProcessTimeline.Transition
        let log = [
            T(at: at(2, 8), actorName: "Tiếp nhận", action: "receive", toState: DossierState(.received), stepDueAt: at(2, 17)),
            T(at: at(2, 9), actorName: "Tiếp nhận", action: "hand_over", toState: DossierState(.processing, .awaitingAssignment), stepDueAt: at(3, 17)),
            // A file attached in the same state does not end the period.
            T(at: at(2, 10), actorName: "Tiếp nhận", action: "upload_file", toState: DossierState(.processing, .awaitingAssignment), stepDueAt: at(3, 17)),
            T(at: at(4, 9), actorName: "Trưởng phòng", action: "assign", toState: DossierState(.processing, .inProgress), stepDueAt: at(10, 17)),
            T(at: at(5, 9), actorName: "Chuyên viên", action: "request_supplement", toState: DossierState(.awaitingSupplement), stepDueAt: nil),
            T(at: at(9, 9), actorName: "Công dân", action: "supplement", toState: DossierState(.processing, .inProgress), stepDueAt: at(12, 17)),
            T(at: at(12, 9), actorName: "Chuyên viên", action: "propose", toState: DossierState(.processing, .awaitingReview), stepDueAt: at(13, 17)),
        ]
        let periods = ProcessTimeline.periods(log, at: at(14, 9))
        #expect(periods.map(\.state) == [DossierState(.received), DossierState(.processing, .awaitingAssignment), DossierState(.processing, .inProgress),
                                        DossierState(.awaitingSupplement), DossierState(.processing, .inProgress), DossierState(.processing, .awaitingReview)])
        #expect(periods.map(\.holder) == [.reception, .head, .officer, .citizen, .officer, .head])
        #expect(periods.map(\.timeliness) == [.onTime, .late, .early, nil, .onTime, .overdue])
        #expect(periods[1].finishedBy == "Trưởng phòng" && periods[1].finishedWith == "assign" && periods[1].to == at(4, 9))
        #expect(periods[3].dueAt == nil)
        #expect(periods.last!.to == nil && periods.last!.finishedBy == nil)
        #expect(ProcessTimeline.periods(log, at: at(13, 9)).last!.timeliness == .withinTime)
        #expect(ProcessTimeline.periods([], at: at(1, 1)).isEmpty)
    }

    @Test func holderOfEveryState() {
        #expect(ProcessTimeline.holder(of: DossierState(.processing, .awaitingSignature)) == .leader)
        #expect(ProcessTimeline.holder(of: DossierState(.completed)) == .reception)
        #expect(ProcessTimeline.holder(of: DossierState(.returned)) == nil || ProcessTimeline.holder(of: DossierState(.returned)) == .citizen)
        for state in DossierState.all where state.status.isOpen { #expect(ProcessTimeline.holder(of: state) != nil, "\(state)") }
    }
}

/// The desk's 8 working hours for an online submission (Nghị định 45/2020).
@Suite struct OnlineIntakeWaitTests {
    @Test func waitedInWorkingTime() throws {
        let calendar = try WorkingCalendar()
        // Friday 27/03/2026 16:00 to Monday 30/03/2026 10:00: 1 hour on Friday (to 17:00), 2.5 on Monday (from 7:30).
        let friday = VietnamTime.instant(LocalDate(year: 2026, month: 3, day: 27)!, secondOfDay: 16 * 3600)
        let monday = VietnamTime.instant(LocalDate(year: 2026, month: 3, day: 30)!, secondOfDay: 10 * 3600)
        let waited = OnlineIntakeWait.workingSeconds(submittedAt: friday, at: monday, calendar: calendar)
        #expect(waited == (try calendar.workingSeconds(from: friday, to: monday)))
        #expect(waited > 0 && waited < 8 * 3600 && !OnlineIntakeWait.isLate(waitedWorkingSeconds: waited))
        #expect(OnlineIntakeWait.isLate(waitedWorkingSeconds: 8 * 3600 + 1) && !OnlineIntakeWait.isLate(waitedWorkingSeconds: 8 * 3600))
        #expect(OnlineIntakeWait.workingSeconds(submittedAt: monday, at: friday, calendar: calendar) == 0)
        #expect(OnlineIntakeWait.vietnamese(3 * 3600 + 20 * 60) == "3 giờ 20 phút" && OnlineIntakeWait.vietnamese(45 * 60) == "45 phút"
                && OnlineIntakeWait.vietnamese(7200) == "2 giờ")
    }
}

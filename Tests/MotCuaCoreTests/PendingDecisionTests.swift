import Foundation
import Testing
@testable import MotCuaCore

/// What a head reviews and a leader signs, read from the log; the draft an approval needs; the
/// hand-overs of the timeline; the desk's queues; a state's name said once.
@Suite struct PendingDecisionTests {
    func at(_ day: Int, _ hour: Int) -> Date { VietnamTime.instant(LocalDate(year: 2026, month: 3, day: day)!, secondOfDay: hour * 3600) }
    typealias E = PendingDecision.Event
    let review = DossierState(.processing, .awaitingReview), signature = DossierState(.processing, .awaitingSignature)

    @Test func theLastProposalAndItsSubmissionArePending() {
        var log = [
            E(action: .assign, by: "Trưởng phòng", at: at(2, 9), opinion: nil, values: [:]),
            E(action: .uploadFile, by: "Chuyên viên", at: at(3, 9), opinion: nil, values: ["file": "du-thao.pdf (v1, sha256 ab)"]),
            E(action: .propose, by: "Chuyên viên", at: at(3, 10), opinion: "Đủ điều kiện", values: ["proposal": "approve"]),
        ]
        var p = PendingDecision.of(log, in: review)
        #expect(p?.proposal == .approve && p?.proposed.by == "Chuyên viên" && p?.proposed.opinion == "Đủ điều kiện")
        #expect(p?.submitted == nil && p?.reason == nil)
        // Sent back, then proposed again as a refusal, then submitted: the second proposal counts.
        log += [
            E(action: .returnForRework, by: "Trưởng phòng", at: at(4, 9), opinion: "Kiểm tra lại", values: [:]),
            E(action: .propose, by: "Chuyên viên", at: at(5, 9), opinion: "Không đủ điều kiện",
              values: ["proposal": "refuse", "reason": "Thiếu giấy tờ"]),
            E(action: .submitForSignature, by: "Trưởng phòng", at: at(5, 10), opinion: "Kính trình", values: [:]),
        ]
        p = PendingDecision.of(log, in: signature)
        #expect(p?.proposal == .refuse && p?.reason == "Thiếu giấy tờ" && p?.proposed.at == at(5, 9))
        #expect(p?.submitted?.by == "Trưởng phòng" && p?.submitted?.opinion == "Kính trình")
        // Nothing pending outside review and signature, nor after a rework without a new proposal.
        for state in DossierState.all where state != review && state != signature {
            #expect(PendingDecision.of(log, in: state) == nil, "\(state)")
        }
        #expect(PendingDecision.of(log.prefix(4).map { $0 }, in: review) == nil)
        #expect(PendingDecision.of([], in: review) == nil)
    }

    @Test func anApprovalNeedsADraftAtEachStep() {
        for action in [Action.propose, .submitForSignature, .approve] {
            #expect(PendingDecision.needsDraft(action, proposal: .approve))
            #expect(!PendingDecision.needsDraft(action, proposal: .refuse) && !PendingDecision.needsDraft(action, proposal: nil))
            #expect(PendingDecision.missingDraftMessage(action).hasPrefix("Chưa có dự thảo kết quả"))
        }
        #expect(!PendingDecision.needsDraft(.returnForRework, proposal: .approve))
        #expect(PendingDecision.missingDraftMessage(.propose).contains("đề xuất giải quyết"))
        #expect(PendingDecision.missingDraftMessage(.submitForSignature).contains("trình lãnh đạo ký duyệt"))
    }

    /// Uploads are logged without a step deadline; they once ended the step (judged at upload time)
    /// and opened a row with no deadline, and Mẫu 06 showed them as a hand-over to oneself.
    @Test func filesAndRatingsAreNotHandOvers() {
        typealias T = ProcessTimeline.Transition
        let working = DossierState(.processing, .inProgress)
        let log = [
            T(at: at(2, 9), actorName: "Trưởng phòng", action: "assign", toState: working, stepDueAt: at(6, 17)),
            T(at: at(3, 9), actorName: "Chuyên viên", action: "upload_file", toState: working, stepDueAt: nil),
            T(at: at(3, 10), actorName: "Chuyên viên", action: "upload_file", toState: working, stepDueAt: nil),
            T(at: at(4, 9), actorName: "Chuyên viên", action: "upload_file", toState: working, stepDueAt: nil),
            T(at: at(5, 9), actorName: "Chuyên viên", action: "propose", toState: review, stepDueAt: at(6, 17)),
            T(at: at(6, 9), actorName: "Trưởng phòng", action: "return_for_rework", toState: working, stepDueAt: at(9, 17)),
        ]
        let periods = ProcessTimeline.periods(log, at: at(7, 9))
        #expect(periods.map(\.state) == [working, review, working])
        #expect(periods[0].finishedBy == "Chuyên viên" && periods[0].finishedWith == "propose" && periods[0].timeliness == .early)
        #expect(periods.allSatisfy { $0.finishedWith != "upload_file" })
        let rated = [
            T(at: at(2, 9), actorName: "Tiếp nhận", action: "return_result", toState: DossierState(.returned), stepDueAt: nil),
            T(at: at(3, 9), actorName: "Công dân", action: "rate", toState: DossierState(.returned), stepDueAt: nil),
        ]
        #expect(ProcessTimeline.periods(rated, at: at(4, 9)).count == 1)
    }

    @Test func theDesksQueuesAreItsWholeQueueEachOnce() {
        let statuses = WorkQueue.desk.map(\.status)
        #expect(Set(statuses).count == statuses.count && Set(WorkQueue.desk.map(\.name)).count == statuses.count)
        #expect(Set(statuses) == Set(WorkQueue.states(for: .reception).map(\.status)))
        #expect(WorkQueue.desk.first?.name == "Hồ sơ chờ tiếp nhận" && WorkQueue.desk.first?.status == .submitted)
    }

    @Test func aStepNamedAsItsStatusIsSaidOnce() {
        #expect(DossierState(.processing, .inProgress).vietnameseName == "Đang thụ lý")
        #expect(DossierState(.processing, .awaitingReview).vietnameseName == "Đang thụ lý - Chờ xét duyệt")
        #expect(DossierState(.received).vietnameseName == Status.received.manualName)
        for state in DossierState.all {
            let parts = state.vietnameseName.components(separatedBy: " - ")
            #expect(Set(parts).count == parts.count, "\(state.vietnameseName)")
        }
    }
}

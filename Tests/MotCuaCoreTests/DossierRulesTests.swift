import Foundation
import Testing
@testable import MotCuaCore

/// Rules that moved into the core from the server: reading a stored state, the process step of a
/// state, a dossier's timeliness, and who may be assigned a dossier.
@Suite struct DossierRulesTests {
    @Test func everyStateReadsBackFromItsText() {
        for state in DossierState.all { #expect(DossierState(parsing: state.description) == state) }
        for bad in ["", "processing", "received/in_progress", "processing/", "processing/nope", "nope", "processing/in_progress/x", "/in_progress"] {
            #expect(DossierState(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func processStepOfEachState() {
        let expected: [DossierState: Int] = [
            DossierState(.received): 0, DossierState(.processing, .awaitingAssignment): 1, DossierState(.processing, .inProgress): 2,
            DossierState(.processing, .awaitingReview): 3, DossierState(.processing, .awaitingSignature): 4, DossierState(.completed): 5,
        ]
        for state in DossierState.all { #expect(state.processStepIndex == expected[state], "\(state)") }
    }

    @Test func timelinessOfADossier() throws {
        let calendar = try WorkingCalendar(years: 2020...2030)
        // Received Monday 4 March 2024 08:00 (+07:00), 1 working day: due Tuesday 08:00.
        let received = VietnamTime.instant(LocalDate(iso: "2024-03-04")!, secondOfDay: 8 * 3600)
        let clock = try DossierClock(receivedAt: received, time: .workingDays(1), calendar: calendar,
                                     channel: .direct, policy: .none)
        let day: TimeInterval = 86_400
        // Not received yet: no clock, within time while open; nothing once closed.
        #expect(Timeliness.of(status: .submitted, clock: nil, completedAt: nil, at: received) == .withinTime)
        #expect(Timeliness.of(status: .rejected, clock: nil, completedAt: nil, at: received) == nil)
        // Open: within time until the due instant, overdue after.
        #expect(Timeliness.of(status: .processing, clock: clock, completedAt: nil, at: received + 3600) == .withinTime)
        #expect(Timeliness.of(status: .processing, clock: clock, completedAt: nil, at: received + 3 * day) == .overdue)
        // Finished: by the local day finished against the local day due.
        #expect(Timeliness.of(status: .completed, clock: clock, completedAt: received + 3600, at: received + 9 * day) == .early)
        #expect(Timeliness.of(status: .returned, clock: clock, completedAt: clock.due, at: received + 9 * day) == .onTime)
        #expect(Timeliness.of(status: .refused, clock: clock, completedAt: received + 5 * day, at: received + 9 * day) == .late)
        // Withdrawn: none.
        #expect(Timeliness.of(status: .withdrawn, clock: clock, completedAt: nil, at: received + 9 * day) == nil)
    }

    @Test func whoMayBeAssigned() {
        let agency = UUID(), department = UUID(), other = UUID()
        func may(_ roles: Set<Role>, _ a: UUID?, _ d: UUID?) -> Bool {
            Assignment.mayBeAssigned(roles: roles, agency: a, department: d, toDossierOf: agency, department: department)
        }
        #expect(may([.officer], agency, department))
        #expect(may([.officer, .head], agency, department))
        #expect(may([.officer], agency, nil))            // attached to the agency as a whole
        #expect(!may([.officer], agency, other))         // another department
        #expect(!may([.officer], other, department))     // another agency
        #expect(!may([.officer], nil, nil))
        #expect(!may([.head], agency, department))       // not an officer
        #expect(!may([.reception, .leader], agency, department))
    }
}

@Suite struct PasswordRuleTests {
    @Test func strongPasswordsPass() {
        #expect(PasswordRule.problems("MotCua@2026", username: "stp.tiepnhan").isEmpty)
        #expect(PasswordRule.problems("Hậu Giang#1975", username: "cv1").isEmpty)
    }

    @Test func eachWeaknessIsNamedInVietnamese() {
        #expect(PasswordRule.problems("Ab1@", username: "x") == ["có ít nhất 8 ký tự"])
        #expect(PasswordRule.problems("abcdefg1@", username: "x") == ["có chữ hoa"])
        #expect(PasswordRule.problems("ABCDEFG1@", username: "x") == ["có chữ thường"])
        #expect(PasswordRule.problems("Abcdefgh@", username: "x") == ["có chữ số"])
        #expect(PasswordRule.problems("Abcdefgh1", username: "x") == ["có ký tự đặc biệt (ví dụ @, #, !)"])
        #expect(PasswordRule.problems("Stp.Tiepnhan@1", username: "stp.tiepnhan") == ["không chứa tên đăng nhập"])
        #expect(PasswordRule.message(for: "abc", username: "x")?.hasPrefix("Mật khẩu mới chưa đạt yêu cầu: cần có ít nhất 8 ký tự, có chữ hoa") == true)
        #expect(PasswordRule.message(for: "MotCua@2026", username: "x") == nil)
    }
}

@Suite struct WorkQueueTests {
    typealias S = DossierState

    @Test func whatWaitsForEachRole() {
        #expect(WorkQueue.states(for: .reception) == [S(.submitted), S(.received), S(.awaitingSupplement), S(.awaitingPayment), S(.completed)])
        #expect(WorkQueue.states(for: .head) == [S(.processing, .awaitingAssignment), S(.processing, .awaitingReview)])
        #expect(WorkQueue.states(for: .officer) == [S(.processing, .inProgress)])
        #expect(WorkQueue.states(for: .leader) == [S(.processing, .awaitingSignature)])
        #expect(WorkQueue.states(for: .citizen) == [S(.awaitingSupplement)])
        #expect(WorkQueue.states(for: .admin).isEmpty)
        #expect(WorkQueue.states(for: .monitor).isEmpty)
    }
}

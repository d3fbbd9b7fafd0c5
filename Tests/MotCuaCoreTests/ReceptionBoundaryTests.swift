import Foundation
import Testing
@testable import MotCuaCore

/// Nghị định 118/2025: who receives for whom, and from when.
@Suite struct ReceptionBoundaryTests {
    let desk = UUID(), other = UUID()
    let before = LocalDate(year: 2025, month: 6, day: 30)!, from = LocalDate(year: 2025, month: 7, day: 1)!

    func decide(_ kind: AgencyKind, competent: UUID? = nil, on day: LocalDate) -> ReceptionBoundary.Decision {
        ReceptionBoundary.decide(
            receiving: desk, kind: kind, competent: competent ?? other, competentName: "Sở Tư pháp", on: day)
    }

    @Test func everyKindReceivesItsOwn() {
        for kind in AgencyKind.allCases {
            #expect(decide(kind, competent: desk, on: before) == .own)
            #expect(decide(kind, competent: desk, on: from) == .own)
        }
    }

    @Test func centresReceiveForOthersFromTheDecree() {
        for kind in AgencyKind.allCases {
            let decision = decide(kind, on: from)
            if kind == .commune || kind == .serviceCentre {
                #expect(decision == .forwarded)
                guard case .refused(let why) = decide(kind, on: before) else {
                    Issue.record("\(kind) before the decree")
                    continue
                }
                #expect(why.contains("01/07/2025") && why.contains("Sở Tư pháp"))
            } else {
                guard case .refused(let why) = decision else {
                    Issue.record("\(kind) is no centre")
                    continue
                }
                #expect(why.contains("Sở Tư pháp"))
            }
        }
    }

    @Test func theForwardingSaysBoth() {
        let text = ReceptionBoundary.forwardOpinion(receivedBy: "UBND phường Vị Thanh", competent: "Sở Tư pháp")
        #expect(text.contains("UBND phường Vị Thanh") && text.contains("Sở Tư pháp") && text.contains("118/2025"))
    }
}

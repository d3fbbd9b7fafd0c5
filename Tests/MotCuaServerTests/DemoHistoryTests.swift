import Fluent
import Foundation
import MotCuaCore
import Testing
import MotCuaTestSupport
import Vapor
@testable import MotCuaServer

/// The demo city of Cần Thơ and its history (issue 24, point 1): the closed agencies of Hậu Giang,
/// each with its successor and a line in the administrators' log; dossiers from January 2024, each
/// under the agency that received it; those open at a closure carried to the successor with the
/// transfer logged; the II.06a of 2025 equal both ways.
@Suite(.serialized) struct DemoHistoryTests {
    /// On SQLite only: the demo is the same on both databases, and loading 2,000 dossiers into
    /// PostgreSQL beside the rest of the suite slowed its other tests past their pool's wait.
    @Test func theDemoIsTheNewCanThoWithItsHistory() async throws {
        // As many as the default demo: about ten dossiers open at a closure, carried (three at 600).
        try await TestApp.with(.sqlite, dossiers: 2000) { t in
            let agencies = try await AgencyModel.query(on: t.app.db).all()
            let byID = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0) })
            let byName = Dictionary(uniqueKeysWithValues: agencies.map { ($0.name, $0) })
            let city = try #require(byName["UBND thành phố Cần Thơ"])
            #expect(city.effectiveTo == nil)
            #expect(byName["Trung tâm Phục vụ hành chính công thành phố Cần Thơ"]?.kind == "service_centre")
            for name in [
                "Sở Tư pháp", "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Nội vụ",
                "Sở Khoa học và Công nghệ", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Công Thương",
                "Sở Văn hóa, Thể thao và Du lịch",
            ] {
                #expect(byName[name]?.effectiveTo == nil, "\(name)")
            }
            #expect(byName["Sở Tư pháp"]?.code == "000.00.12.H28")
            let communes = agencies.filter { $0.kind == "commune" && $0.effectiveTo == nil }
            #expect(communes.count >= 20)
            #expect(communes.allSatisfy { $0.effectiveFrom == "2025-07-01" })

            // The history: real dates, each closed agency linked to its successor, through the merger page's code.
            func successor(_ name: String) -> String? { byName[name]?.successorID.flatMap { byID[$0]?.name } }
            #expect(byName["Sở Kế hoạch và Đầu tư tỉnh Hậu Giang"]?.effectiveTo == "2025-03-01")
            #expect(successor("Sở Kế hoạch và Đầu tư tỉnh Hậu Giang") == "Sở Tài chính tỉnh Hậu Giang")
            #expect(successor("Sở Tài chính tỉnh Hậu Giang") == "Sở Tài chính")
            #expect(byName["UBND huyện Châu Thành A"]?.effectiveTo == "2025-07-01")
            #expect(byName["UBND tỉnh Hậu Giang"]?.effectiveTo == "2025-07-01")
            #expect(successor("UBND thành phố Vị Thanh") == "UBND phường Vị Thanh")
            let closed = agencies.filter { $0.effectiveTo != nil }
            #expect(closed.allSatisfy { $0.successorID != nil })
            let merged = try await AuditEntryModel.query(on: t.app.db).filter(\.$summary == "Sáp nhập cơ quan").count()
            #expect(merged == closed.count)
            // Their accounts closed with them; the city's work.
            let former = try await t.user("hchauthanha.tiepnhan")
            #expect(former.disabledAt != nil)
            #expect(try await t.user("stc.tiepnhan").disabledAt == nil)

            // Every dossier: received by an agency open that day; one still at a closed agency is finished.
            let dossiers = try await DossierModel.query(on: t.app.db).all()
            let transfers = try await LogEntryModel.query(on: t.app.db)
                .filter(\.$action == AgencySuccession.transferAction).all()
            let carried = Set(transfers.map(\.dossierID))
            var before2025 = 0
            for d in dossiers {
                let instant = try #require(d.receivedAt ?? d.submittedAt)
                let received = VietnamTime.local(instant).date
                if received.year == 2024 { before2025 += 1 }
                let agency = try #require(byID[d.agencyID])
                if let to = agency.effectiveTo {
                    #expect(received.iso < to, "\(d.code) received \(received.iso) by \(agency.name), closed \(to)")
                    #expect(Status(rawValue: d.status)?.isOpen == false, "\(d.code) left open at \(agency.name)")
                }
                if !carried.contains(d.id!) {
                    // Numbered by the agency that received it, which it keeps.
                    #expect(d.code.hasPrefix(agency.code + "-") || d.receivingAgencyID != nil, "\(d.code)")
                }
            }
            #expect(before2025 > 20)
            #expect(dossiers.contains { byID[$0.agencyID]?.name == "UBND huyện Châu Thành A" })
            // A carried dossier: the entry on or after the closing day names both; it moved to the successor.
            #expect(!transfers.isEmpty)
            for entry in transfers {
                let changes = try JSON.decode([LogChain.Change].self, entry.changesJSON)
                let from = try #require(changes.first { $0.field == "agency_id" })
                let oldID = try #require(UUID(uuidString: from.old ?? "")), newID = try #require(UUID(uuidString: from.new ?? ""))
                let old = try #require(byID[oldID]), new = try #require(byID[newID])
                #expect(old.successorID == new.id)
                #expect(VietnamTime.local(entry.at).date.iso >= old.effectiveTo!)
                #expect(entry.opinion?.contains(old.name) == true && entry.opinion?.contains(new.name) == true)
            }
            let verified = try await Launch.verifyLog(t.app)
            #expect(verified.ok, "\(verified.lines)")

            // The II.06a of 2025 (cut by both closures): the same totals as they were and under successors.
            let year = ReportCriteria(
                group: .agency, from: LocalDate(year: 2025, month: 1, day: 1)!,
                to: LocalDate(year: 2025, month: 12, day: 31)!, underSuccessor: false, scope: .everything)
            var grouped = year
            grouped.underSuccessor = true
            let asTheyWere = try await SummaryReport.make(year, now: Date(), on: t.app.db)
            let underSuccessors = try await SummaryReport.make(grouped, now: Date(), on: t.app.db)
            #expect(asTheyWere.total == underSuccessors.total)
            #expect(asTheyWere.total.received > 0)
            #expect(underSuccessors.rows.count < asTheyWere.rows.count)
            #expect(!underSuccessors.rows.contains { $0.name == "UBND huyện Châu Thành A" })
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Trang chủ": each count equals the list it links to, and both equal a count made here from
/// every dossier with the rules written out again.
@Suite(.serialized) struct HomePageTests {
    func number(in page: String, label: String) -> Int? {
        // <span class="count">N</span> label
        guard let range = page.range(of: "</span> \(label)</a>") else { return nil }
        let before = page[..<range.lowerBound]
        guard let open = before.range(of: "<span class=\"count\">", options: .backwards) else { return nil }
        return Int(before[open.upperBound...])
    }

    @Test(arguments: TestDatabase.available)
    func countsMatchTheirListsAndTheRules(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 600) { t in
            let all = try await DossierModel.query(on: t.app.db).all()
            let now = Date()
            let today = VietnamTime.local(now).date
            var seen = 0
            for (username, role) in [("stp.tiepnhan", Role.reception), ("stp.hctp.truongphong", .head), ("stp.hctp.cv1", .officer), ("stp.hctp.cv2", .officer), ("stp.lanhdao", .leader)] {
                let user = try await t.user(username)
                let session = try await t.pageSession(username)
                let home = try await t.request(.GET, "/trang-chu", headers: session.headers)
                #expect(home.status == .ok)
                let label = "Chờ \(role.vietnameseName.lowercased()) xử lý"
                let shown = try #require(number(in: home.text, label: label), "\(username): \(label)")
                // The rules again: the role's states within the user's scope; an officer's own only.
                let scope = user.scope
                let waiting: [DossierState: Bool] = [
                    .reception: [DossierState(.submitted), DossierState(.received), DossierState(.awaitingSupplement), DossierState(.awaitingPayment), DossierState(.completed)],
                    .head: [DossierState(.processing, .awaitingAssignment), DossierState(.processing, .awaitingReview)],
                    .officer: [DossierState(.processing, .inProgress)],
                    .leader: [DossierState(.processing, .awaitingSignature)],
                ][role]!.reduce(into: [:]) { $0[$1] = true }
                let expected = all.filter { d in
                    scope.contains(agency: d.agencyID, department: d.departmentID, owner: d.ownerID) && waiting[d.state] == true
                        && (role != .officer || d.assignedOfficerID == user.id)
                }.count
                #expect(shown == expected, "\(username)")
                seen += expected
                let token = try await t.login(username)
                let list = try await t.request(.GET, "/api/v1/dossiers?waiting=\(role.rawValue)&per=1", token: token).decode(Paged<DossierSummary>.self)
                #expect(list.total == expected)
                // Due today and overdue: running dossiers of the scope.
                let inScope = all.filter { scope.contains(agency: $0.agencyID, department: $0.departmentID, owner: $0.ownerID) }
                let running = inScope.filter { [.received, .processing].contains($0.state.status) }
                let overdue = running.filter { ($0.dueAt ?? .distantFuture) < now }.count
                let dueToday = running.filter { $0.dueAt.map { VietnamTime.local($0).date == today } ?? false }.count
                #expect(number(in: home.text, label: "Quá hạn") == overdue, "\(username)")
                #expect(number(in: home.text, label: "Đến hạn hôm nay") == dueToday, "\(username)")
                #expect(try await t.request(.GET, "/api/v1/dossiers?due=overdue&per=1", token: token).decode(Paged<DossierSummary>.self).total == overdue)
                #expect(number(in: home.text, label: "Chờ bổ sung hồ sơ") == inScope.filter { $0.state.status == .awaitingSupplement }.count)
                // The list page it links to says what it shows and keeps it from page to page.
                let page = try await t.request(.GET, "/ho-so?waiting=\(role.rawValue)", headers: session.headers)
                #expect(page.text.contains("Đang xem: \(label)") && page.text.contains("Tổng số: \(expected) hồ sơ"))
            }
            #expect(seen > 0, "the demo leaves work waiting")
            // Another role's queue is refused.
            let officer = try await t.login("stp.hctp.cv1")
            #expect(try await t.request(.GET, "/api/v1/dossiers?waiting=leader", token: officer).status == .unprocessableEntity)
        }
    }
}

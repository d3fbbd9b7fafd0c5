import Foundation
import MotCuaCore
import Vapor

/// "Trang chủ" of a logged-in user: for each of the user's roles what waits for it, and in the
/// user's scope what is due today, overdue and paused for supplementation; each count links to
/// exactly the list it counts.
struct HomePage {
    struct Count: Encodable {
        let label: String
        let count: String
        let link: String
        let alert: Bool
    }

    struct Context: Encodable {
        let layout: PageLayout
        let greeting: String
        let counts: [Count]
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let now = Date()
        func count(_ q: DossierQuery) async throws -> String { try await q.count(actor: actor, at: now, on: req.db).vietnamese }
        var counts: [Count] = []
        for role in Role.allCases where actor.roles.contains(role) && !WorkQueue.states(for: role).isEmpty {
            var q = DossierQuery()
            q.waiting = role.rawValue
            counts.append(Count(label: "Chờ \(role.vietnameseName.lowercased()) xử lý", count: try await count(q),
                                link: "/ho-so?waiting=\(role.rawValue)", alert: false))
        }
        if !actor.roles.isDisjoint(with: [.reception, .officer, .head, .leader, .monitor]) {
            for (due, label) in [("today", "Đến hạn hôm nay"), ("overdue", "Quá hạn")] {
                var q = DossierQuery()
                q.due = due
                counts.append(Count(label: label, count: try await count(q), link: "/ho-so?due=\(due)", alert: due == "overdue"))
            }
        }
        var paused = DossierQuery()
        paused.status = Status.awaitingSupplement.rawValue
        counts.append(Count(label: "Chờ bổ sung hồ sơ", count: try await count(paused), link: "/ho-so?status=awaiting_supplement", alert: false))
        return try await req.view.render("Home/home", Context(layout: PageLayout("Trang chủ", req), greeting: "Xin chào \(actor.name)", counts: counts))
    }
}

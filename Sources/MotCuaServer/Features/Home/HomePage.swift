import Foundation
import MotCuaCore
import Vapor

/// "Trang chủ" of a logged-in user: for each of the user's roles what waits for it, and in the
/// user's scope what is due today, overdue and paused for supplementation; each count links to
/// exactly the list it counts. Which counts a user gets is the access table's (`Access`): the lists
/// of "Tra cứu hồ sơ" for all of them, its `deadlines` row for the due and overdue ones.
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
        func count(_ q: DossierQuery) async throws -> String {
            try await q.count(actor: actor, at: now, on: req.db).vietnamese
        }
        var counts: [Count] = []
        let roles = actor.roles
        guard Access.allows(roles, .dossierSearch) else {
            return try await req.view.render(
                "Home/home",
                Context(layout: PageLayout("Trang chủ", req), greeting: "Xin chào \(actor.name)", counts: counts))
        }
        for role in Role.allCases where actor.roles.contains(role) && !WorkQueue.states(for: role).isEmpty {
            var q = DossierQuery()
            q.waiting = role.rawValue
            counts.append(
                Count(
                    label: "Chờ \(role.vietnameseName.lowercased()) xử lý", count: try await count(q),
                    link: "/ho-so?waiting=\(role.rawValue)", alert: false))
        }
        if Access.allows(roles, .deadlines) {
            for (due, label) in [("today", "Đến hạn hôm nay"), ("overdue", "Quá hạn")] {
                var q = DossierQuery()
                q.due = due
                counts.append(
                    Count(label: label, count: try await count(q), link: "/ho-so?due=\(due)", alert: due == "overdue"))
            }
        }
        var paused = DossierQuery()
        paused.status = Status.awaitingSupplement.rawValue
        counts.append(
            Count(
                label: "Chờ bổ sung hồ sơ", count: try await count(paused), link: "/ho-so?status=awaiting_supplement",
                alert: false))
        return try await req.view.render(
            "Home/home",
            Context(layout: PageLayout("Trang chủ", req), greeting: "Xin chào \(actor.name)", counts: counts))
    }
}

import Foundation
import Vapor

/// `GET /api/v1/dossiers`: list and search within the user's scope.
struct DossierListAPI {
    func list(req: Request) async throws -> Paged<DossierSummary> {
        let actor = try req.actor()
        let q = try req.query.decode(DossierQuery.self)
        try q.requireNoEmptyFilters()
        let result = try await q.run(actor: actor, on: req.db)
        let now = Date()
        return Paged(
            items: result.items.map { DossierSummary($0, now: now) }, page: result.page, per: result.per,
            total: result.total.value, totalIsExact: result.total.isExact)
    }
}

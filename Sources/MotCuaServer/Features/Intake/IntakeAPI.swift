import Foundation
import Vapor

/// `POST /api/v1/dossiers`: a dossier received at the counter (reception) or submitted online (citizen).
struct IntakeAPI {
    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(DossierService.NewDossier.self)
        let d = try await req.motcua.dossiers.create(body, actor: actor, at: Date(), on: req.db)
        let response = Response(status: .created)
        try response.content.encode(DossierDetail(try await DossierRecord.load(d, on: req.db)))
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/dossiers/\(d.code)")
        return response
    }
}

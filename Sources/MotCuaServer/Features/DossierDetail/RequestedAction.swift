import Foundation
import MotCuaCore
import Vapor

/// The action named in the path on the dossier named in the path, with the inputs and the
/// expected version of the body (JSON from the API, a form from the dossier's page): the one way
/// both reach the write path.
enum RequestedAction {
    static func perform(_ req: Request) async throws -> (action: Action, dossier: DossierModel) {
        let actor = try req.actor()
        let name = req.parameters.get("action")!
        guard let action = Action(rawValue: name) else {
            throw ServiceError(.notFound, "Không có thao tác \"\(name)\".")
        }
        let body = try req.content.decode(ActionRequest.self)
        if action == .dispatchResult {  // the post's order comes first
            let d = try await PostalShipments.dispatch(
                req, code: req.parameters.get("code")!, version: body.version, opinion: try body.inputs().opinion,
                actor: actor)
            return (action, d)
        }
        let d = try await req.motcua.dossiers.perform(
            action, code: req.parameters.get("code")!, inputs: try body.inputs(),
            expectedVersion: body.version, actor: actor, at: Date(), on: req.db)
        return (action, d)
    }
}

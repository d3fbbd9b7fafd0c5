import Fluent
import MotCuaCore
import Vapor

extension ProcedureTerms: Content {}

/// `GET /api/v1/procedures`: the catalogue of administrative procedures.
struct CatalogueAPI {
    func procedures(req: Request) async throws -> [ProcedureTerms] {
        try await ProcedureModel.query(on: req.db).sort(\.$code).all().map { try $0.terms }
    }
}

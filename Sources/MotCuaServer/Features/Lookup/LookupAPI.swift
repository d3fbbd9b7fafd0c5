import Vapor

/// `GET /api/v1/lookup?code=&secret=`.
struct LookupAPI {
    func lookup(req: Request) async throws -> PublicLookup {
        let address = try LookupAddress.of(req)
        guard let code = address.code, let secret = address.secret else {
            throw ServiceError(.unprocessableEntity, "Cần nhập mã hồ sơ và mã tra cứu.")
        }
        // The explanation is asked for: the lookup itself stays as light as it was (issue 22, point 9).
        let explain = try Self.flag(address.explainAPI)
        let found = try await LookupQuery.run(code: code, secret: secret, req: req)
        var answer = PublicLookup(
            found,
            dueExplanation: explain ? try await found.dueExplanation(service: req.motcua.dossiers, on: req.db) : nil)
        try await answer.addPostal(found, on: req.db)
        return answer
    }

    static func flag(_ text: String?) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw ServiceError(.unprocessableEntity, "Tham số \"explain\" chỉ nhận true hoặc false.")
        }
    }
}

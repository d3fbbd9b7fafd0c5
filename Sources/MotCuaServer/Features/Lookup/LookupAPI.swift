import Vapor

/// `GET /api/v1/lookup?code=&secret=`.
struct LookupAPI {
    func lookup(req: Request) async throws -> PublicLookup {
        guard let code = req.query[String.self, at: "code"], let secret = req.query[String.self, at: "secret"] else {
            throw ServiceError(.unprocessableEntity, "Cần nhập mã hồ sơ và mã tra cứu.")
        }
        return PublicLookup(
            try await LookupQuery.run(code: code, secret: secret, req: req))
    }
}

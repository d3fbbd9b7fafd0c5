import Vapor

/// The portal's home page and "Tra cứu hồ sơ" by code and secret.
struct LookupPages {
    func home(req: Request) async throws -> View {
        struct Context: Encodable { let layout: PageLayout }
        return try await req.view.render("Lookup/home", Context(layout: PageLayout("Cổng dịch vụ công trực tuyến", req)))
    }

    func lookup(req: Request) async throws -> Response {
        struct Context: Encodable { let layout: PageLayout; let result: PublicLookup?; let error: String?; let code: String; let secret: String }
        let code = req.query[String.self, at: "code"] ?? ""
        let secret = req.query[String.self, at: "secret"] ?? ""
        var result: PublicLookup?
        var failure: ServiceError?
        if !code.isEmpty || !secret.isEmpty {
            do { result = PublicLookup(try await LookupQuery.run(code: code, secret: secret, client: req.clientAddress, on: req.db), time: PageTime.dateTime) }
            catch let e as ServiceError { failure = e }
        }
        let response = try await req.view.render("Lookup/lookup", Context(layout: PageLayout("Tra cứu hồ sơ", req), result: result,
                                                                          error: failure?.reason, code: code, secret: secret)).encodeResponse(for: req)
        if let failure {
            response.status = failure.status
            response.add(headersOf: failure)
        }
        return response
    }
}

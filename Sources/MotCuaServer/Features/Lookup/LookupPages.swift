import Vapor

/// The portal's home page and "Tra cứu hồ sơ" by code and secret.
struct LookupPages {
    func home(req: Request) async throws -> View {
        struct Context: Encodable { let layout: PageLayout }
        return try await req.view.render("Lookup/home", Context(layout: PageLayout("Cổng dịch vụ công trực tuyến", req)))
    }

    /// The result as the page shows it: dates dd/MM/yyyy HH:mm.
    struct Shown: Encodable {
        let code, statusName, procedureName, applicantName: String
        let receivedAt, appointmentAt, completedAt, returnedAt: String?

        init(_ r: LookupResult) {
            code = r.code
            statusName = r.statusName
            procedureName = r.procedureName
            applicantName = r.applicantName
            receivedAt = r.receivedAt.map(PageTime.dateTime)
            appointmentAt = r.appointmentAt.map(PageTime.dateTime)
            completedAt = r.completedAt.map(PageTime.dateTime)
            returnedAt = r.returnedAt.map(PageTime.dateTime)
        }
    }

    func lookup(req: Request) async throws -> Response {
        struct Context: Encodable { let layout: PageLayout; let result: Shown?; let error: String?; let code: String; let secret: String }
        let code = req.query[String.self, at: "code"] ?? ""
        let secret = req.query[String.self, at: "secret"] ?? ""
        var result: Shown?
        var failure: ServiceError?
        if !code.isEmpty || !secret.isEmpty {
            do { result = Shown(try await LookupQuery.run(code: code, secret: secret, client: req.clientAddress, on: req.db)) }
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

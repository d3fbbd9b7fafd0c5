import Foundation
import MotCuaCore
import Vapor

/// The portal's home page and "Tra cứu hồ sơ" by code and secret.
struct LookupPages {
    func home(req: Request) async throws -> View {
        struct Context: Encodable { let layout: PageLayout }
        return try await req.view.render(
            "Lookup/home", Context(layout: PageLayout("Cổng dịch vụ công trực tuyến", req)))
    }

    func lookup(req: Request) async throws -> Response {
        struct Context: Encodable {
            let layout: PageLayout; let result: PublicLookup?; let error: String?; let code: String; let secret: String
            /// Whether there is a result, and a link to the explanation: Leaf tests a Bool as it is, but
            /// builds its table of ~40 type conversions anew to test a dictionary or a text
            /// (`#if(result)`), 1 % of a lookup each.
            let found: Bool; let offersExplanation: Bool
            /// The signed result's check and downloads, and the fee still to pay, each one field (absent
            /// for most dossiers): Leaf encodes every field of the context for every page.
            let signed: Signed?; let due: Due?
            /// Once returned: the rating given, or the link to give it.
            let rating: String?; let rateHref: String?
            /// "Vì sao hạn xử lý là ngày này?" when asked for (`giai-thich=1`), else the link that asks:
            /// the lookup itself stays as light as it was (issue 22, point 9).
            let dueExplanation: DueExplanationView?
            let explainHref: String?
        }
        /// The signed result's check and downloads (the electronic copy and its signature).
        struct Signed: Encodable {
            let valid: Bool; let text: String; let resultHref: String; let signatureHref: String
        }
        /// The fee still to pay, and whether it can be paid here through VNPay.
        struct Due: Encodable { let amount: String; let online: Bool }
        let address = try LookupAddress.of(req)
        let code = address.code ?? "", secret = address.secret ?? ""
        var result: PublicLookup?
        var failure: ServiceError?
        var check: ResultSigning.Check?
        var due: Int?
        var rating: String?, rateable = false
        let explain = address.explainPage == "1"
        var explainable = false
        if !code.isEmpty || !secret.isEmpty {
            do {
                let found = try await LookupQuery.run(code: code, secret: secret, req: req)
                let explanation =
                    explain ? try await found.dueExplanation(service: req.motcua.dossiers, on: req.db) : nil
                result = PublicLookup(found, time: PageTime.dateTime, dueExplanation: explanation)
                try await result?.addPostal(found, on: req.db)
                due = found.awaitingPaymentVND
                explainable = found.explainable
                rating = found.rating?.vietnameseName
                rateable = found.status == .returned && found.rating == nil
                if let signed = found.signed { check = await req.motcua.signing.check(signed, files: req.motcua.files) }
            } catch let e as ServiceError { failure = e }
        }
        // The links carry the code as found (a pasted one may have had spaces or small letters).
        let query = "code=\(FormEncoding.encoded(result?.code ?? code))&secret=\(FormEncoding.encoded(secret))"
        let offersExplanation = explainable && !explain
        let response = try await req.view.render(
            "Lookup/lookup",
            Context(
                layout: PageLayout("Tra cứu hồ sơ", req), result: result, error: failure?.reason, code: code,
                secret: secret, found: result != nil, offersExplanation: offersExplanation,
                signed: check.map {
                    Signed(
                        valid: $0.valid, text: $0.text, resultHref: "/tra-cuu/ket-qua?\(query)",
                        signatureHref: "/tra-cuu/ket-qua?\(query)&tep=chu-ky")
                },
                due: due.map { Due(amount: PageTime.number($0) + " đồng", online: req.motcua.settings.vnpay != nil) },
                rating: rating, rateHref: rateable ? "/danh-gia?\(query)" : nil, dueExplanation: result?.dueExplanation,
                explainHref: offersExplanation ? "/tra-cuu?\(query)&giai-thich=1#vi-sao-han" : nil)
        ).encodeResponse(status: failure?.status ?? .ok, for: req)
        if let failure { response.add(headersOf: failure) }
        if due != nil, let vnpay = req.motcua.settings.vnpay,
            let origin = URL(string: vnpay.paymentURL).flatMap(SecurityHeadersMiddleware.origin)
        {
            let signOn = req.motcua.settings.sso.flatMap { SecurityHeadersMiddleware.origin($0.logoutURL) }
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value: SecurityHeadersMiddleware.contentSecurityPolicy(
                    formsAlsoTo: [origin] + (signOn.map { [$0] } ?? [])))
        }
        return response
    }

    /// The applicant's electronic copy of the signed result (`tep=chu-ky`: its signature), with the
    /// dossier's code and secret, throttled like the lookup itself.
    func resultFile(req: Request) async throws -> Response {
        let address = try LookupAddress.of(req)
        let found = try await LookupQuery.run(code: address.code ?? "", secret: address.secret ?? "", req: req)
        guard let signed = found.signed else { throw ServiceError(.notFound, "Hồ sơ chưa có kết quả được ký số.") }
        return try await Self.resultResponse(signed, signature: address.file == "chu-ky", req: req)
    }

    /// The signed result or its signature (`.p7s`) as a download: the lookup's and "Hồ sơ của tôi"'s.
    static func resultResponse(_ signed: SignedResult, signature: Bool, req: Request) async throws -> Response {
        let files = req.motcua.files
        let sha = signature ? signed.signatureSHA256 : signed.sha256
        let data = try await req.application.workPool.runIfActive { try files.get(sha) }
        let response = Response(status: .ok, body: .init(data: data))
        let name = signature ? signed.fileName + ".p7s" : signed.fileName
        let row = try await DossierFileModel.find(signature ? signed.signatureFileID : signed.fileID, on: req.db)
        response.headers.replaceOrAdd(name: .contentType, value: row?.contentType ?? "application/octet-stream")
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value:
                """
                attachment; filename=\"\(name.filter { $0 != "\"" && $0.isASCII })\"; \
                filename*=UTF-8''\(FormEncoding.encoded(name))
                """
        )
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The CA's certificate and revocation list, public: whoever receives a result verifies it.
    func caFile(req: Request) async throws -> Response {
        let name = req.parameters.get("file") ?? ""
        let ca = req.motcua.signing.ca
        let files = ["ca.pem": ca.caFile, "crl.pem": ca.crlFile, "ca-crl.pem": ca.caWithCRLFile]
        guard let url = files[name], let data = FileManager.default.contents(atPath: url.path) else {
            throw ServiceError(.notFound, "Không có tệp \(name); các tệp công khai: ca.pem, crl.pem, ca-crl.pem.")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(
            name: .contentType, value: name == "crl.pem" ? "application/pkix-crl" : "application/x-pem-file")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return response
    }
}

import Vapor

/// Errors as RFC 9457 problem documents under /api and /openapi, as a Vietnamese page elsewhere.
struct ProblemMiddleware: AsyncMiddleware {
    struct Problem: Content {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var instance: String?
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let error = DatabaseOutage.translate(error)
            let (status, detail) = Self.explain(error)
            if status == .internalServerError { request.logger.report(error: error) }
            let response: Response
            if request.url.path.hasPrefix("/api/") {
                let problem = Problem(
                    type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail,
                    instance: request.url.path)
                response = Response(status: status)
                try response.content.encode(problem, as: .json)
                response.headers.contentType = HTTPMediaType(
                    type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
            } else {
                response = try await ErrorPage.response(status: status, detail: detail, on: request)
            }
            response.add(headersOf: error)
            return response
        }
    }

    /// The status and the Vietnamese message for any error.
    static func explain(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let e as ServiceError:
            return (e.status, e.reason)
        case let e as DecodingError:
            return (.unprocessableEntity, "Dữ liệu gửi lên không hợp lệ: \(describe(e)).")
        case let e as any AbortError:
            return (e.status, vietnamese(e.status, fallback: e.reason))
        default:
            return (.internalServerError, "Lỗi hệ thống. Vui lòng thử lại sau.")
        }
    }

    static func vietnamese(_ status: HTTPResponseStatus, fallback: String) -> String {
        switch status {
        case .notFound: "Không tìm thấy trang hoặc dữ liệu yêu cầu."
        case .unauthorized: "Vui lòng đăng nhập."
        case .forbidden: "Bạn không có quyền thực hiện thao tác này."
        case .payloadTooLarge: "Dữ liệu gửi lên vượt quá dung lượng cho phép."
        case .badRequest: "Yêu cầu không hợp lệ: \(fallback)"
        case .unsupportedMediaType: "Định dạng dữ liệu không được hỗ trợ."
        default: fallback
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .keyNotFound(let key, let c):
            return "thiếu trường \"\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "trường \"\(path(c))\" sai kiểu"
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty ? "không đọc được JSON" : "trường \"\(path(c))\" không hợp lệ"
        @unknown default: return "không đọc được"
        }
    }
}

import Foundation
import Vapor

/// Security headers on every response (pages, files, API, errors): the pages run no inline script
/// and load nothing from elsewhere, and may not be framed.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let https: Bool
    /// The pages' policy, made once: with the national SSO's origin in `form-action` when there is
    /// one ("Đăng xuất", a form on every page, ends there too, by a redirect).
    let policy: String

    init(https: Bool, signOnOrigin: String? = nil) {
        self.https = https
        policy = Self.contentSecurityPolicy(formsAlsoTo: signOnOrigin.map { [$0] } ?? [])
    }

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The policy of a page whose form leads to another site (the lookup's "Thanh toán trực tuyến
    /// qua VNPay", answered by a redirect there): browsers apply `form-action` to the redirect too.
    static func contentSecurityPolicy(formsAlsoTo origins: [String]) -> String {
        contentSecurityPolicy.replacingOccurrences(
            of: "form-action 'self'", with: (["form-action 'self'"] + origins).joined(separator: " "))
    }

    /// `scheme://host[:port]` of an address.
    static func origin(_ url: URL) -> String? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h =
            [
                ("Content-Security-Policy", policy),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "same-origin"),
                ("X-Content-Type-Options", "nosniff"),
            ] + (https ? [("Strict-Transport-Security", "max-age=31536000")] : [])
        for (name, value) in h where name != "Content-Security-Policy" || !response.headers.contains(name: name) {
            // A handler's own policy stands (the printed forms: their inline style, no script at all).
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }
}

/// Refuses cross-site requests that would change something (403, nothing changes):
/// - any unsafe request whose `Origin` is another site;
/// - on pages, a form posted with a session cookie must carry the session's form token (`_csrf`);
/// - on the API, the session cookie counts only for JSON bodies from our own origin; other
///   clients use the bearer token, which a browser never sends by itself.
struct CrossSiteGuard: AsyncMiddleware {
    /// The configured public URL (MOTCUA_PUBLIC_URL); without it the request's own host.
    let publicURL: URL?

    static let refused =
        """
        Yêu cầu bị từ chối vì không xuất phát từ trang của hệ thống (thiếu hoặc sai mã bảo vệ biểu mẫu). Vui lòng \
        tải lại trang và thử lại.
        """

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return try await next.respond(to: request) }
        let origin = request.headers.first(name: .origin)
        if let origin, !sameOrigin(origin, request) { throw ServiceError(.forbidden, Self.refused) }
        guard case .cookie(let csrf) = request.sessionCarrier else { return try await next.respond(to: request) }
        if request.url.path.hasPrefix("/api/") {
            guard origin != nil, request.headers.contentType == .json else {
                throw ServiceError(.forbidden, Self.refused)
            }
        } else {
            // Page forms are small: read the body here (the route then finds it collected). A file form
            // (multipart) is streamed by its route, so its token comes in the form's address.
            let multipart = request.headers.contentType?.type == "multipart"
            if !multipart, request.body.data == nil {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            let sent =
                request.headers.first(name: "X-CSRF-Token")
                ?? (multipart
                    ? request.query[String.self, at: "_csrf"] : try? request.content.get(String.self, at: "_csrf"))
            guard let sent, constantTimeEqual(sent, csrf) else { throw ServiceError(.forbidden, Self.refused) }
        }
        return try await next.respond(to: request)
    }

    func sameOrigin(_ origin: String, _ request: Request) -> Bool {
        guard let o = URLComponents(string: origin), let host = o.host else { return false }
        if let publicURL, let p = URLComponents(url: publicURL, resolvingAgainstBaseURL: false) {
            return o.scheme == p.scheme && host.lowercased() == p.host?.lowercased() && o.port == p.port
        }
        // Without a configured URL (behind a proxy the scheme may differ): the host and port must
        // be the request's own.
        let authority = host.lowercased() + (o.port.map { ":\($0)" } ?? "")
        return authority == request.headers.first(name: .host)?.lowercased()
    }

    func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The client's address: the connection's peer; when the peer is a trusted reverse proxy
    /// (MOTCUA_TRUSTED_PROXIES), the address that proxy saw, i.e. the last one of `X-Forwarded-For`
    /// that is not itself a trusted proxy (a client may put anything at the front of the header).
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        let proxies = application.motcua.settings.trustedProxies
        guard proxies.contains(peer) else { return peer }
        let chain = headers["X-Forwarded-For"].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return chain.last { !proxies.contains($0) } ?? chain.first ?? peer
    }
}

/// Answers 414 for an overlong address instead of letting it reach the handlers. (A head past
/// SwiftNIO's limit of 80 KB closes the connection before any handler; in production nginx answers
/// 414/431 for those, see the README.)
struct RequestLimitsMiddleware: AsyncMiddleware {
    static let maxURILength = 8 * 1024

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.string.utf8.count <= Self.maxURILength else {
            throw ServiceError(.uriTooLong, "Địa chỉ yêu cầu quá dài (tối đa \(Self.maxURILength) ký tự).")
        }
        return try await next.respond(to: request)
    }
}

/// 405 with `Allow` for a method the API does not serve on an address it serves with others
/// (Vapor's router answers 404), so that clients learn what the address accepts.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let notFound as RouteNotFound {
            let path = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let allowed = request.application.routes.all.filter { route in
                guard route.path.count == path.count else { return false }
                return zip(route.path, path).allSatisfy { component, part in
                    switch component {
                    case .constant(let c): c == part
                    case .parameter: true
                    case .anything, .catchall: true
                    }
                }
            }.map(\.method.rawValue)
            guard !allowed.isEmpty else { throw notFound }
            let methods = Set(allowed + (allowed.contains("GET") ? ["HEAD"] : [])).sorted().joined(separator: ", ")
            throw ServiceError(
                .methodNotAllowed,
                "Địa chỉ này không hỗ trợ phương thức \(request.method.rawValue); chỉ nhận \(methods).",
                headers: ["Allow": methods])
        }
    }
}

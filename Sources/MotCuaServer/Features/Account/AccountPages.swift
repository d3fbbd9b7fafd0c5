import Fluent
import Foundation
import Vapor

/// "Đăng nhập" and "Đăng xuất": the session cookie of the pages.
struct AccountPages {
    struct LoginContext: Encodable {
        let layout: PageLayout
        let error: String?
        let username: String
        var unverified = false
        /// The national portal's SSO is configured: its button is shown.
        var sso = false
        /// The province's OpenID Connect provider for staff is configured.
        var staffSignOn = false
    }

    func context(_ req: Request, error: String?, username: String) -> LoginContext {
        LoginContext(
            layout: PageLayout("Đăng nhập", req, showingUser: false), error: error, username: username,
            unverified: error == AuthService.unverifiedMessage, sso: req.motcua.settings.sso != nil,
            staffSignOn: req.motcua.settings.staffSignOn != nil)
    }

    func loginForm(req: Request) async throws -> View {
        try await req.view.render("Account/login", context(req, error: nil, username: ""))
    }

    /// The login page again with the reason (a password's, or the national SSO's) and what was typed.
    func loginPage(_ req: Request, error e: ServiceError, username: String = "") async throws -> Response {
        let view = try await req.view.render("Account/login", context(req, error: e.reason, username: username))
        let response = try await view.encodeResponse(status: e.status, for: req)
        response.add(headersOf: e)
        return response
    }

    static func setSessionCookie(_ token: String, on response: Response, _ req: Request) {
        response.cookies[AuthService.cookieName] = HTTPCookies.Value(
            string: token, maxAge: Int(AuthService.sessionLifetime), path: "/",
            isSecure: req.motcua.settings.isHTTPS || req.headers.first(name: "X-Forwarded-Proto") == "https"
                || req.url.scheme == "https",
            isHTTPOnly: true, sameSite: .lax)
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginRequest.self)
        do {
            let (_, token) = try await AuthService.login(
                username: form.username, password: form.password, kind: "cookie", on: req)
            let response = req.redirect(to: "/trang-chu")  // the home page of the user's roles
            Self.setSessionCookie(token, on: response, req)
            return response
        } catch let e as ServiceError {
            return try await loginPage(req, error: e, username: form.username)
        }
    }

    /// Ends the session; one opened through the national SSO ends there too (the browser is sent to
    /// its logout, which comes back to the portal's home page).
    func logout(req: Request) async throws -> Response {
        var target = "/"
        if let token = AuthService.token(from: req) {
            let session = try await SessionModel.query(on: req.db)
                .filter(\.$tokenHash == AuthService.tokenHash(token)).first()
            if session?.kind == NationalSSOPages.sessionKind, let sso = NationalSSOPages.logoutTarget(req) {
                target = sso
            }
            try await AuthService.logout(token: token, on: req.db)
        }
        let response = req.redirect(to: target)
        response.cookies[AuthService.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

import Foundation
import Vapor

/// "Đăng nhập" and "Đăng xuất": the session cookie of the pages.
struct AccountPages {
    struct LoginContext: Encodable {
        let layout: PageLayout
        let error: String?
        let username: String
        var unverified = false
    }

    func loginForm(req: Request) async throws -> View {
        try await req.view.render(
            "Account/login",
            LoginContext(layout: PageLayout("Đăng nhập", req, showingUser: false), error: nil, username: ""))
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginRequest.self)
        do {
            let (_, token) = try await AuthService.login(
                username: form.username, password: form.password, kind: "cookie", on: req)
            let response = req.redirect(to: "/trang-chu")  // the home page of the user's roles
            response.cookies[AuthService.cookieName] = HTTPCookies.Value(
                string: token, maxAge: Int(AuthService.sessionLifetime), path: "/",
                isSecure: req.motcua.settings.isHTTPS || req.headers.first(name: "X-Forwarded-Proto") == "https"
                    || req.url.scheme == "https",
                isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let e as ServiceError {
            // The form again, with the reason and what was typed.
            let view = try await req.view.render(
                "Account/login",
                LoginContext(
                    layout: PageLayout("Đăng nhập", req, showingUser: false), error: e.reason, username: form.username,
                    unverified: e.reason == AuthService.unverifiedMessage))
            let response = try await view.encodeResponse(status: e.status, for: req)
            response.add(headersOf: e)
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        if let token = AuthService.token(from: req) { try await AuthService.logout(token: token, on: req.db) }
        let response = req.redirect(to: "/")
        response.cookies[AuthService.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

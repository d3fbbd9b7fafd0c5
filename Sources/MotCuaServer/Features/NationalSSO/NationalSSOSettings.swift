import Foundation
import MotCuaCore

/// The national portal's single sign-on (MOTCUA_SSO_*, DOMAIN.md section 12): OAuth 2.0
/// authorization code with PKCE, the client's secret in the token request's body, userinfo a POST
/// with the bearer token, tokens checked by introspection. Its endpoints are under one address
/// (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/userinfo`, `/oauth2/introspect`,
/// `/oauth2/logout`), each of which may be given on its own. Without a client id and secret the
/// login page has no SSO button.
struct NationalSSOSettings: Sendable {
    var issuer: URL
    var authorizeURL: URL
    var tokenURL: URL
    var userinfoURL: URL
    var introspectURL: URL
    var logoutURL: URL
    var clientID: String
    var clientSecret: String
    var timeoutSeconds: Int64 = 15

    init?(environment: [String: String]) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let base = value("MOTCUA_SSO_URL"), id = value("MOTCUA_SSO_CLIENT_ID"),
            secret = value("MOTCUA_SSO_CLIENT_SECRET")
        guard base != nil || id != nil || secret != nil else { return nil }
        guard let base, let id, let secret else {
            throw CalendarError.invalidDuration(
                "Cần đặt cả MOTCUA_SSO_URL, MOTCUA_SSO_CLIENT_ID và MOTCUA_SSO_CLIENT_SECRET (hoặc không đặt biến nào)")
        }
        func url(_ name: String, _ text: String) throws -> URL {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw CalendarError.invalidDuration("\(name)=\"\(text)\" phải là địa chỉ http:// hoặc https://")
            }
            return url
        }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        issuer = try url("MOTCUA_SSO_URL", root)
        func endpoint(_ name: String, _ path: String) throws -> URL {
            try url("MOTCUA_SSO_\(name)_URL", value("MOTCUA_SSO_\(name)_URL") ?? root + "/oauth2/" + path)
        }
        authorizeURL = try endpoint("AUTHORIZE", "authorize")
        tokenURL = try endpoint("TOKEN", "token")
        userinfoURL = try endpoint("USERINFO", "userinfo")
        introspectURL = try endpoint("INTROSPECT", "introspect")
        logoutURL = try endpoint("LOGOUT", "logout")
        clientID = id
        clientSecret = secret
    }
}

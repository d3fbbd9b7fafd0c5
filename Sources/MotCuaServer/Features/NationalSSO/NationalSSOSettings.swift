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
        let settings = EnvironmentSettings(environment: environment)
        guard
            let values = try settings.allOrNone(["MOTCUA_SSO_URL", "MOTCUA_SSO_CLIENT_ID", "MOTCUA_SSO_CLIENT_SECRET"])
        else { return nil }
        let (base, id, secret) = (values[0], values[1], values[2])
        let url = EnvironmentSettings.url
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        issuer = try url("MOTCUA_SSO_URL", root)
        func endpoint(_ name: String, _ path: String) throws -> URL {
            try url("MOTCUA_SSO_\(name)_URL", settings.value("MOTCUA_SSO_\(name)_URL") ?? root + "/oauth2/" + path)
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

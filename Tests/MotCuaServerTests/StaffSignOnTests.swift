import Crypto
import Fluent
import Foundation
import JWTKit
import MotCuaCore
import NIOConcurrencyHelpers
import Testing
import Vapor
@testable import MotCuaServer

/// The province's OpenID Connect provider as a stand-in on a real port (issue 25, point 1): PKCE
/// checked at its token endpoint, ID tokens signed with its ES256 key, its JWKS served. It can sign
/// with a key it does not publish, or for another client.
final class StaffProviderStandIn: Sendable {
    static let clientID = "motcua-staff", clientSecret = "bi-mat-oidc-can-bo-2026"
    let app: Application
    let port: Int
    let key = ES256PrivateKey()
    let forger = ES256PrivateKey()
    /// Who logs in next, and how the token is made.
    let who = NIOLockedValueBox<(username: String, forged: Bool, audience: String)>(("", false, clientID))
    let grants = NIOLockedValueBox<[String: (challenge: String, nonce: String)]>([:])

    var issuer: String { "http://127.0.0.1:\(port)/realms/cantho" }
    var environment: [String: String] {
        ["MOTCUA_OIDC_ISSUER": issuer, "MOTCUA_OIDC_CLIENT_ID": Self.clientID,
         "MOTCUA_OIDC_CLIENT_SECRET": Self.clientSecret, "MOTCUA_PUBLIC_URL": "http://motcua.test"]
    }

    func authorize(_ query: [String: String]) -> String? {
        guard query["client_id"] == Self.clientID, query["code_challenge_method"] == "S256",
              let challenge = query["code_challenge"], let nonce = query["nonce"], let state = query["state"] else { return nil }
        let code = UUID().uuidString
        grants.withLockedValue { $0[code] = (challenge, nonce) }
        return "code=\(code)&state=\(state)"
    }

    init() async throws {
        app = try await Application.make(.testing)
        let key = self.key, forger = self.forger, who = self.who, grants = self.grants
        let jwk = try #require(key.publicKey.parameters)
        let jwks = #"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","use":"sig","alg":"ES256","x":"\#(jwk.x)","y":"\#(jwk.y)"}]}"#
        app.get("realms", "cantho", "protocol", "openid-connect", "certs") { _ in
            Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: jwks))
        }
        let port = NIOLockedValueBox(0)
        app.post("realms", "cantho", "protocol", "openid-connect", "token") { req async throws -> Response in
            let form = try req.content.decode([String: String].self)
            guard form["client_secret"] == Self.clientSecret, let grant = grants.withLockedValue({ $0.removeValue(forKey: form["code"] ?? "") }),
                  NationalSSOStandIn.s256(form["code_verifier"] ?? "") == grant.challenge else {
                return try await ["error": "invalid_grant"].encodeResponse(status: .badRequest, for: req)
            }
            let (username, forged, audience) = who.withLockedValue { $0 }
            let claims = StaffSignOn.IDToken(
                iss: .init(value: "http://127.0.0.1:\(port.withLockedValue { $0 })/realms/cantho"), aud: .init(value: [audience]),
                exp: .init(value: Date().addingTimeInterval(300)), nonce: grant.nonce, preferred_username: username, email: nil)
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: forged ? forger : key, kid: "k1")
            let token = try await keys.sign(claims, kid: "k1")
            return try await ["id_token": token, "access_token": UUID().uuidString, "token_type": "Bearer"].encodeResponse(for: req)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        self.port = try #require(app.http.server.shared.localAddress?.port)
        port.withLockedValue { [p = self.port] in $0 = p }
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite(.serialized)
struct StaffSignOnTests {
    func login(_ t: TestApp, _ provider: StaffProviderStandIn) async throws -> (status: HTTPStatus, session: String?, text: String) {
        let start = try await t.request(.GET, "/dang-nhap/can-bo")
        #expect(start.status == .seeOther)
        let location = try #require(start.headers.first(name: .location).flatMap(URLComponents.init(string:)))
        #expect(location.path == "/realms/cantho/protocol/openid-connect/auth")
        let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        let cookie = try #require(start.headers.setCookie?["motcua_oidc_state"]?.string)
        let back = try #require(provider.authorize(query))
        let reply = try await t.request(.GET, "/dang-nhap/can-bo/ve?" + back, headers: ["Cookie": "motcua_oidc_state=\(cookie)"])
        return (reply.status, reply.headers.setCookie?[AuthService.cookieName]?.string, reply.text)
    }

    @Test func staffLogInThroughTheProvinceProviderWithAVerifiedIDToken() async throws {
        let provider = try await StaffProviderStandIn()
        do {
            try await TestApp.with(.sqlite, environment: provider.environment) { t in
                #expect(try await t.request(.GET, "/dang-nhap").text.contains("/dang-nhap/can-bo"))
                provider.who.withLockedValue { $0 = ("stp.hctp.cv1", false, StaffProviderStandIn.clientID) }
                let ok = try await login(t, provider)
                #expect(ok.status == .seeOther, "\(ok.text)")
                let session = try #require(ok.session)
                let home = try await t.request(.GET, "/trang-chu", headers: ["Cookie": "\(AuthService.cookieName)=\(session)"])
                let name = try await t.user("stp.hctp.cv1").fullName
                #expect(home.status == .ok && home.text.contains(name))
                // A token signed with a key the provider does not publish, or for another client: refused.
                provider.who.withLockedValue { $0 = ("stp.hctp.cv1", true, StaffProviderStandIn.clientID) }
                let forged = try await login(t, provider)
                #expect(forged.session == nil && forged.status == .unauthorized && forged.text.contains("Thẻ định danh"))
                provider.who.withLockedValue { $0 = ("stp.hctp.cv1", false, "another-app") }
                #expect(try await login(t, provider).session == nil)
                // Nobody is created: an unknown name, or a citizen's, is refused.
                provider.who.withLockedValue { $0 = ("khong.co.tai.khoan", false, StaffProviderStandIn.clientID) }
                let unknown = try await login(t, provider)
                #expect(unknown.session == nil && unknown.status == .forbidden && unknown.text.contains("chưa được cấp quyền"))
                provider.who.withLockedValue { $0 = ("congdan1", false, StaffProviderStandIn.clientID) }
                #expect(try await login(t, provider).session == nil)
                #expect(try await UserModel.query(on: t.app.db).filter(\.$username == "khong.co.tai.khoan").count() == 0)
            }
        } catch {
            try await provider.stop()
            throw error
        }
        try await provider.stop()
    }
}

import Crypto
import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import Testing
import Vapor
@testable import MotCuaServer

/// The national portal's SSO as a stand-in on a real port (issue 25, point 1), written from its
/// protocol with its own code: authorization code with PKCE (S256) checked at the token endpoint,
/// the client's secret in the token request's body, introspection, userinfo as a POST with the
/// bearer token. It can deny, let codes expire, or be down.
final class NationalSSOStandIn: Sendable {
    enum Mode: Sendable { case up, down, expiredCodes }
    static let clientID = "motcua-cantho", clientSecret = "bi-mat-ung-dung-sso-2026"
    struct Grant: Sendable { let challenge: String; let nonce: String; let redirect: String; let user: [String: String] }
    let app: Application
    let port: Int
    let mode = NIOLockedValueBox<Mode>(.up)
    let grants = NIOLockedValueBox<[String: Grant]>([:])
    let tokens = NIOLockedValueBox<[String: Grant]>([:])
    /// The citizen who logs in at the SSO next.
    let user = NIOLockedValueBox<[String: String]>([:])
    let tokenRequests = NIOLockedValueBox<[[String: String]]>([])

    var base: String { "http://127.0.0.1:\(port)" }
    var environment: [String: String] {
        ["MOTCUA_SSO_URL": base, "MOTCUA_SSO_CLIENT_ID": Self.clientID, "MOTCUA_SSO_CLIENT_SECRET": Self.clientSecret,
         "MOTCUA_PUBLIC_URL": "http://motcua.test"]
    }

    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The authorize endpoint's decision: where it sends the browser back (nil: a bad request).
    func authorize(_ query: [String: String], deny: Bool = false) -> URL? {
        guard query["response_type"] == "code", query["client_id"] == Self.clientID, query["scope"] == "openid",
              query["acr_values"] == "LoA1", query["code_challenge_method"] == "S256",
              let challenge = query["code_challenge"], let state = query["state"], let nonce = query["nonce"],
              let redirect = query["redirect_uri"], var back = URLComponents(string: redirect) else { return nil }
        if deny {
            back.queryItems = [.init(name: "error", value: "access_denied"), .init(name: "error_description", value: "User denied"),
                               .init(name: "state", value: state)]
        } else {
            let code = UUID().uuidString
            let granted = Grant(challenge: challenge, nonce: nonce, redirect: redirect, user: user.withLockedValue { $0 })
            grants.withLockedValue { $0[code] = granted }
            back.queryItems = [.init(name: "code", value: code), .init(name: "state", value: state)]
        }
        return back.url
    }

    init() async throws {
        app = try await Application.make(.testing)
        let mode = self.mode, grants = self.grants, tokens = self.tokens, requests = self.tokenRequests
        app.post("oauth2", "token") { req async throws -> Response in
            let form = try req.content.decode([String: String].self)
            requests.withLockedValue { $0.append(form) }
            if mode.withLockedValue({ $0 }) == .down { return Response(status: .serviceUnavailable) }
            guard form["client_id"] == Self.clientID, form["client_secret"] == Self.clientSecret else {
                return try await ["error": "invalid_client"].encodeResponse(status: .unauthorized, for: req)
            }
            let code = form["code"] ?? ""
            guard mode.withLockedValue({ $0 }) != .expiredCodes, form["grant_type"] == "authorization_code",
                  let grant = grants.withLockedValue({ $0.removeValue(forKey: code) }), grant.redirect == form["redirect_uri"],
                  Self.s256(form["code_verifier"] ?? "") == grant.challenge else {
                return try await ["error": "invalid_grant", "error_description": "Code expired or invalid"]
                    .encodeResponse(status: .badRequest, for: req)
            }
            let token = UUID().uuidString
            tokens.withLockedValue { $0[token] = grant }
            return try await ["access_token": token, "token_type": "Bearer", "expires_in": "3600"].encodeResponse(for: req)
        }
        app.post("oauth2", "introspect") { req async throws -> Response in
            let form = try req.content.decode([String: String].self)
            guard form["client_secret"] == Self.clientSecret, let grant = tokens.withLockedValue({ $0[form["token"] ?? ""] }) else {
                return Response(status: .ok, body: .init(string: #"{"active":false}"#))
            }
            return Response(status: .ok, headers: ["Content-Type": "application/json"],
                            body: .init(string: #"{"active":true,"client_id":"\#(Self.clientID)","nonce":"\#(grant.nonce)"}"#))
        }
        app.post("oauth2", "userinfo") { req async throws -> Response in
            guard let bearer = req.headers.bearerAuthorization?.token, let grant = tokens.withLockedValue({ $0[bearer] }) else {
                return Response(status: .unauthorized)
            }
            return try await grant.user.encodeResponse(for: req)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite(.serialized)
struct NationalSSOTests {
    static let citizen = ["LoaiTaiKhoan": "1", "SoDinhDanh": "092199007788", "SoCMND": "", "TechID": "vneid-7788",
                          "HoVaTen": "Huỳnh Thị Mỹ Duyên", "ThuDienTu": "myduyen@example.vn", "SoDienThoai": "0907112233"]

    func withSSO(_ body: (TestApp, NationalSSOStandIn) async throws -> Void) async throws {
        let sso = try await NationalSSOStandIn()
        do {
            try await TestApp.with(.sqlite, environment: sso.environment) { t in try await body(t, sso) }
        } catch {
            try await sso.stop()
            throw error
        }
        try await sso.stop()
    }

    struct Login { let reply: TestApp.Reply; let session: String? }

    /// The browser's trip: our start page, the SSO's decision, our callback with this browser's state cookie.
    func login(_ t: TestApp, _ sso: NationalSSOStandIn, deny: Bool = false,
               tamper: ((inout [URLQueryItem]) -> Void)? = nil) async throws -> Login {
        let start = try await t.request(.GET, "/dang-nhap/dvcqg")
        #expect(start.status == .seeOther)
        let location = try #require(start.headers.first(name: .location).flatMap(URLComponents.init(string:)))
        #expect(location.path == "/oauth2/authorize" && location.port == sso.port)
        let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["redirect_uri"] == "http://motcua.test/dang-nhap/dvcqg/ve")
        let cookie = try #require(start.headers.setCookie?["motcua_sso_state"]?.string)
        let decided = try #require(sso.authorize(query, deny: deny))
        var back = try #require(URLComponents(url: decided, resolvingAgainstBaseURL: false))
        var items = back.queryItems ?? []
        tamper?(&items)
        back.queryItems = items
        let reply = try await t.request(.GET, "/dang-nhap/dvcqg/ve?" + (back.percentEncodedQuery ?? ""),
                                        headers: ["Cookie": "motcua_sso_state=\(cookie)"])
        return Login(reply: reply, session: reply.headers.setCookie?[AuthService.cookieName]?.string)
    }

    @Test func aCitizenLogsInThroughTheSSOAndTheAccountIsCreatedThenLinked() async throws {
        try await withSSO { t, sso in
            sso.user.withLockedValue { $0 = Self.citizen }
            let page = try await t.request(.GET, "/dang-nhap")
            #expect(page.text.contains("Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia (VNeID)"))
            let first = try await login(t, sso)
            #expect(first.reply.status == .seeOther && first.reply.headers.first(name: .location) == "/trang-chu", "\(first.reply.text)")
            let session = try #require(first.session)
            // The secret went in the token request's body, with the PKCE verifier.
            #expect(sso.tokenRequests.withLockedValue { $0.last?["client_secret"] } == NationalSSOStandIn.clientSecret)
            #expect(sso.tokenRequests.withLockedValue { $0.last?["code_verifier"]?.count } == 43)
            let user = try await t.user("092199007788")
            #expect(user.fullName == "Huỳnh Thị Mỹ Duyên" && user.accountKind == "person" && user.idNumber == "092199007788")
            #expect(user.email == "myduyen@example.vn" && user.phone == "0907112233" && user.identitySubject == "vneid-7788")
            #expect(user.roles == [.citizen])
            // Logged in: the portal's pages are theirs.
            let mine = try await t.request(.GET, "/ho-so-cua-toi", headers: ["Cookie": "\(AuthService.cookieName)=\(session)"])
            #expect(mine.status == .ok && mine.text.contains("Huỳnh Thị Mỹ Duyên"))
            // A second login is the same account, with what the portal now says.
            sso.user.withLockedValue { $0["SoDienThoai"] = "0907999000" }
            #expect(try await login(t, sso).session != nil)
            #expect(try await UserModel.query(on: t.app.db).filter(\.$idNumber == "092199007788").count() == 1)
            #expect(try await t.user("092199007788").phone == "0907999000")
            // Logout ends both sessions: ours, then the SSO's.
            var headers: HTTPHeaders = ["Cookie": "\(AuthService.cookieName)=\(session)"]
            let csrf = AuthService.csrfToken(forSession: session)
            headers.contentType = .urlEncodedForm
            let out = try await t.request(.POST, "/dang-xuat", headers: headers, body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(out.status == .seeOther)
            #expect(out.headers.first(name: .location)?.hasPrefix(sso.base + "/oauth2/logout?client_id=") == true)
            #expect(try await t.request(.GET, "/ho-so-cua-toi", headers: ["Cookie": "\(AuthService.cookieName)=\(session)"]).status != .ok)
        }
    }

    @Test func anExistingAccountWithTheSameNumberIsLinkedAndAnOrganisationByItsTaxCode() async throws {
        try await withSSO { t, sso in
            let existing = try await t.user("congdan1")
            let number = "092195001234"
            existing.idNumber = number
            try await existing.save(on: t.app.db)
            sso.user.withLockedValue { $0 = Self.citizen.merging(["SoDinhDanh": number, "TechID": "vneid-cd1"]) { $1 } }
            #expect(try await login(t, sso).session != nil)
            let linked = try await t.user("congdan1")
            #expect(linked.id == existing.id && linked.identitySubject == "vneid-cd1")
            sso.user.withLockedValue {
                $0 = ["LoaiTaiKhoan": "2", "MaSoThue": "1801234567", "MaSoDoanhNghiep": "1801234567", "TechID": "dn-1801234567",
                      "HoVaTen": "Công ty TNHH Lúa Vàng Cần Thơ", "ThuDienTu": "luavang@example.vn"]
            }
            #expect(try await login(t, sso).session != nil)
            #expect(try await t.user("1801234567").accountKind == "organisation")
            // A staff member's number is not a way into a staff account.
            let staff = try await t.user("stp.tiepnhan")
            staff.idNumber = "092188001122"
            try await staff.save(on: t.app.db)
            sso.user.withLockedValue { $0 = Self.citizen.merging(["SoDinhDanh": "092188001122", "TechID": "vneid-x"]) { $1 } }
            let refused = try await login(t, sso)
            #expect(refused.session == nil && refused.reply.status == .forbidden && refused.reply.text.contains("tài khoản cán bộ"))
        }
    }

    @Test func failuresAreToldInVietnamese() async throws {
        try await withSSO { t, sso in
            sso.user.withLockedValue { $0 = Self.citizen }
            // A forged state, a missing one, a replayed one.
            let forged = try await login(t, sso) { items in
                items = items.map { $0.name == "state" ? URLQueryItem(name: "state", value: "gia-mao") : $0 }
            }
            #expect(forged.session == nil && forged.reply.status == .badRequest && forged.reply.text.contains("mã state không khớp"))
            let missing = try await login(t, sso) { items in items.removeAll { $0.name == "state" } }
            #expect(missing.session == nil && missing.reply.status == .badRequest)
            #expect(try await UserModel.query(on: t.app.db).filter(\.$idNumber == "092199007788").count() == 0)
            // Denied at the SSO.
            let denied = try await login(t, sso, deny: true)
            #expect(denied.session == nil && denied.reply.text.contains("không đồng ý đăng nhập"))
            // An expired code.
            sso.mode.withLockedValue { $0 = .expiredCodes }
            let expired = try await login(t, sso)
            #expect(expired.session == nil && expired.reply.text.contains("Mã đăng nhập đã hết hạn"))
            // The SSO down.
            sso.mode.withLockedValue { $0 = .down }
            let down = try await login(t, sso)
            #expect(down.session == nil && down.reply.status == .badGateway && down.reply.text.contains("không phản hồi"))
            // Every refusal is on the login page, with its form and the SSO button.
            #expect(down.reply.text.contains("name=\"password\"") && down.reply.text.contains("/dang-nhap/dvcqg"))
        }
    }

    @Test func withoutSettingsThereIsNoButton() async throws {
        try await TestApp.with(.sqlite) { t in
            let page = try await t.request(.GET, "/dang-nhap")
            #expect(!page.text.contains("/dang-nhap/dvcqg"))
            let start = try await t.request(.GET, "/dang-nhap/dvcqg")
            #expect(start.status == .notFound)
        }
    }
}

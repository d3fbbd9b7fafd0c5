import Fluent
import Foundation
import JWTKit
import MotCuaCore
import Vapor

/// Staff login through the province's OpenID Connect provider (MOTCUA_OIDC_*, issue 25, point 1):
/// authorization code with state, nonce and PKCE as the national SSO's; the ID token's signature is
/// checked with jwt-kit against the provider's JWKS, then its issuer, audience, expiry and nonce.
/// `preferred_username` (else the e-mail) must be an existing staff account, which opens its session;
/// nobody is created this way. Local passwords remain.
struct StaffSignOn {
    struct Settings: Sendable {
        var issuer: String
        var authorizeURL: URL
        var tokenURL: URL
        var jwksURL: URL
        var clientID: String
        var clientSecret: String

        init?(environment: [String: String]) throws {
            let settings = EnvironmentSettings(environment: environment)
            guard
                let values = try settings.allOrNone([
                    "MOTCUA_OIDC_ISSUER", "MOTCUA_OIDC_CLIENT_ID", "MOTCUA_OIDC_CLIENT_SECRET",
                ])
            else { return nil }
            let (issuer, id, secret) = (values[0], values[1], values[2])
            func url(_ name: String, _ path: String) throws -> URL {
                let variable = "MOTCUA_OIDC_\(name)_URL"
                return try EnvironmentSettings.url(variable, settings.value(variable) ?? issuer + path)
            }
            self.issuer = issuer
            authorizeURL = try url("AUTHORIZE", "/protocol/openid-connect/auth")
            tokenURL = try url("TOKEN", "/protocol/openid-connect/token")
            jwksURL = try url("JWKS", "/protocol/openid-connect/certs")
            clientID = id
            clientSecret = secret
        }
    }

    static let cookieName = "motcua_oidc_state"
    static let path = "/dang-nhap/can-bo"
    static let sessionKind = "oidc"

    struct IDToken: JWTPayload {
        var iss: IssuerClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nonce: String?
        var preferred_username: String?
        var email: String?

        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    static func settings(_ req: Request) throws -> Settings {
        guard let oidc = req.motcua.settings.staffSignOn else {
            throw ServiceError(.notFound, "Chưa cấu hình đăng nhập cán bộ qua hệ thống xác thực của tỉnh.")
        }
        return oidc
    }

    static func redirectURI(_ req: Request) -> String { NationalSSOPages.callbackURI(req, path: path) }

    func start(req: Request) async throws -> Response {
        let oidc = try Self.settings(req)
        return try await NationalSSOPages.begin(
            req, authorize: oidc.authorizeURL, clientID: oidc.clientID, redirect: Self.redirectURI(req), extra: [],
            cookie: Self.cookieName, path: Self.path)
    }

    func callback(req: Request) async throws -> Response {
        let oidc = try Self.settings(req)
        let back = (try? req.query.decode(NationalSSOPages.Callback.self)) ?? NationalSSOPages.Callback()
        do {
            if let error = back.error {
                throw NationalSSOClient.Failure(
                    error: ServiceError(.unauthorized, "Hệ thống xác thực của tỉnh không cho đăng nhập (\(error))."),
                    providerError: "\(error): \(back.error_description ?? "")")
            }
            let login = try await NationalSSOPages.take(
                state: back.state, cookie: req.cookies[Self.cookieName]?.string, on: req.db)
            guard let code = back.code, !code.isEmpty, code.count <= 2000 else {
                throw NationalSSOClient.Failure(
                    error: ServiceError(.badRequest, "Hệ thống xác thực không trả về mã đăng nhập."),
                    providerError: "no code")
            }
            let token = try await idToken(code: code, verifier: login.verifier, oidc, req: req)
            let claims = try await Self.verify(token, oidc, nonce: login.nonce, client: req.client)
            guard let name = claims.preferred_username ?? claims.email,
                let user = try await UserModel.query(on: req.db).group(
                    .or,
                    {
                        $0.filter(\.$username == name).filter(\.$email == name.lowercased())
                    }
                ).first(), user.roles != [.citizen], user.disabledAt == nil
            else {
                throw NationalSSOClient.Failure(
                    error: ServiceError(
                        .forbidden,
                        "Tài khoản công vụ này chưa được cấp quyền trong hệ thống một cửa. Liên hệ quản trị."),
                    providerError: "no staff account for \(claims.preferred_username ?? claims.email ?? "-")")
            }
            req.logger.notice("OIDC: \(user.username) đăng nhập qua hệ thống xác thực của tỉnh")
            return try await NationalSSOPages.open(
                user, req: req, cookie: Self.cookieName, path: Self.path, kind: Self.sessionKind)
        } catch let failure as NationalSSOClient.Failure {
            req.logger.warning("OIDC: \(failure.error.reason) (nhà cung cấp trả lời: \(failure.providerError))")
            return try await AccountPages().loginPage(req, error: failure.error)
        } catch let e as ServiceError {
            return try await AccountPages().loginPage(req, error: e)
        }
    }

    /// The code for the ID token (the secret in the body, with the PKCE verifier).
    func idToken(code: String, verifier: String, _ oidc: Settings, req: Request) async throws -> String {
        let (status, answer) = try await NationalSSOClient.post(
            oidc.tokenURL,
            form: [
                "grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirectURI(req),
                "client_id": oidc.clientID, "client_secret": oidc.clientSecret, "code_verifier": verifier,
            ], timeout: 15, client: req.client)
        guard status == .ok, let token = answer["id_token"] as? String else {
            throw NationalSSOClient.Failure(
                error: ServiceError(
                    .unauthorized, "Mã đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại."),
                providerError: "\(answer["error"] ?? "HTTP \(status.code)")")
        }
        return token
    }

    /// The ID token's signature against the provider's keys, then who issued it, for whom, until when.
    static func verify(_ token: String, _ oidc: Settings, nonce: String, client: any Client) async throws -> IDToken {
        let refused = { (why: String) in
            NationalSSOClient.Failure(
                error: ServiceError(
                    .unauthorized, "Thẻ định danh của hệ thống xác thực không hợp lệ. Vui lòng đăng nhập lại."),
                providerError: why)
        }
        let keys = JWTKeyCollection()
        do {
            let response = try await client.get(URI(string: oidc.jwksURL.absoluteString)) { $0.timeout = .seconds(15) }
            guard response.status == .ok, let body = response.body else {
                throw refused("JWKS HTTP \(response.status.code)")
            }
            try await keys.add(jwksJSON: String(buffer: body))
        } catch let failure as NationalSSOClient.Failure {
            throw failure
        } catch {
            throw NationalSSOClient.Failure(
                error: ServiceError(.badGateway, "Hệ thống xác thực của tỉnh không phản hồi. Vui lòng thử lại."),
                providerError: "JWKS: \(error)")
        }
        let claims: IDToken
        do { claims = try await keys.verify(token, as: IDToken.self) } catch { throw refused("ID token: \(error)") }
        guard claims.iss.value == oidc.issuer else { throw refused("issuer \(claims.iss.value)") }
        guard claims.aud.value.contains(oidc.clientID) else { throw refused("audience \(claims.aud.value)") }
        guard claims.nonce == nonce else { throw refused("nonce") }
        return claims
    }
}

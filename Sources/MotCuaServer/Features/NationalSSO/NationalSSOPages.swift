import Crypto
import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia (VNeID)" (issue 25, point 1).
/// `GET /dang-nhap/dvcqg` sends the browser to the SSO with a fresh `state` (also in a cookie of
/// this browser), `nonce` and PKCE challenge; `GET /dang-nhap/dvcqg/ve` takes the code back: the
/// state must be this browser's and unused (so a forged or replayed callback is refused), then the
/// code is exchanged, the token introspected and userinfo read. The first login creates the
/// citizen's or organisation's account or links the one with that identity number or tax code; each
/// login refreshes the name, phone and e-mail the portal's forms are filled from. Each failure is
/// told on the login page in Vietnamese and logged with the provider's error.
struct NationalSSOPages {
    static let table = "sso_logins"
    static let cookieName = "motcua_sso_state"
    static let sessionKind = "sso"
    /// How long the citizen may take at the SSO.
    static let lifetime: TimeInterval = 10 * 60
    static let issuerName = "dichvucong.gov.vn"

    static func settings(_ req: Request) throws -> NationalSSOSettings {
        guard let sso = req.motcua.settings.sso else {
            throw ServiceError(.notFound, "Chưa cấu hình đăng nhập qua Cổng Dịch vụ công quốc gia.")
        }
        return sso
    }

    static func redirectURI(_ req: Request) -> String { callbackURI(req, path: "/dang-nhap/dvcqg") }

    /// Where a provider sends the browser back: `<path>/ve` on the site's address.
    static func callbackURI(_ req: Request, path: String) -> String {
        var site = req.motcua.settings.siteURL.absoluteString
        if site.hasSuffix("/") { site.removeLast() }
        return site + path + "/ve"
    }

    static func challenge(_ verifier: String) -> String {
        AuthService.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    func start(req: Request) async throws -> Response {
        let sso = try Self.settings(req)
        return try await Self.begin(
            req, authorize: sso.authorizeURL, clientID: sso.clientID, redirect: Self.redirectURI(req),
            extra: [.init(name: "acr_values", value: "LoA1")], cookie: Self.cookieName, path: "/dang-nhap/dvcqg")
    }

    /// Sends the browser to an authorization endpoint with a fresh state (kept in `sso_logins` and
    /// in a cookie of this browser on `path`), nonce and PKCE challenge: the national SSO's and the
    /// staff's OpenID Connect provider's.
    static func begin(
        _ req: Request, authorize: URL, clientID: String, redirect: String, extra: [URLQueryItem], cookie: String,
        path: String
    ) async throws -> Response {
        let state = AuthService.randomToken(), nonce = AuthService.randomToken(), verifier = AuthService.randomToken()
        let now = Date()
        let sql = req.db as! any SQLDatabase
        try await sql.raw(
            """
            INSERT INTO \(unsafeRaw: Self.table) (state_hash, nonce, verifier, created_at) VALUES \
            (\(bind: Checksum.sha256(state)), \(bind: nonce), \(bind: verifier), \(bind: now.wholeSeconds))
            """
        ).run()
        // Logins abandoned at the provider.
        try await sql.raw(
            "DELETE FROM \(unsafeRaw: Self.table) WHERE created_at < \(bind: now.addingTimeInterval(-Self.lifetime))"
        ).run()
        var target = URLComponents(url: authorize, resolvingAgainstBaseURL: false)!
        target.queryItems =
            (target.queryItems ?? []) + [
                .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
                .init(name: "redirect_uri", value: redirect), .init(name: "scope", value: "openid"),
                .init(name: "state", value: state), .init(name: "nonce", value: nonce),
                .init(name: "code_challenge", value: Self.challenge(verifier)),
                .init(name: "code_challenge_method", value: "S256"),
            ] + extra
        let response = req.redirect(to: target.url!.absoluteString)
        response.cookies[cookie] = HTTPCookies.Value(
            string: state, maxAge: Int(Self.lifetime), path: path, isSecure: req.motcua.settings.isHTTPS,
            isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// Opens the session of a login through a provider; the state's cookie is spent.
    static func open(
        _ user: UserModel, req: Request, cookie: String, path: String, kind: String = sessionKind
    ) async throws -> Response {
        let session = AuthService.randomToken(), now = Date()
        try await SessionModel(
            tokenHash: AuthService.tokenHash(session), userID: user.id!, kind: Self.sessionKind, createdAt: now,
            expiresAt: now.addingTimeInterval(AuthService.sessionLifetime)
        ).create(on: req.db)
        let response = req.redirect(to: "/trang-chu")
        AccountPages.setSessionCookie(session, on: response, req)
        response.cookies[cookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), path: path, isHTTPOnly: true)
        return response
    }

    struct Callback: Content {
        var code: String?
        var state: String?
        var error: String?
        var error_description: String?
    }

    func callback(req: Request) async throws -> Response {
        let sso = try Self.settings(req)
        let back = (try? req.query.decode(Callback.self)) ?? Callback()
        do {
            if let error = back.error {
                let said = "\(error): \(back.error_description ?? "")"
                let message =
                    error == "access_denied"
                    ? "Bạn đã không đồng ý đăng nhập trên Cổng Dịch vụ công quốc gia, nên chưa đăng nhập."
                    : "Cổng Dịch vụ công quốc gia báo lỗi khi đăng nhập (\(error)). Vui lòng thử lại."
                throw NationalSSOClient.Failure(error: ServiceError(.unauthorized, message), providerError: said)
            }
            let login = try await Self.take(state: back.state, cookie: req.cookies[Self.cookieName]?.string, on: req.db)
            guard let code = back.code, !code.isEmpty, code.count <= 2000 else {
                throw NationalSSOClient.Failure(
                    error: ServiceError(.badRequest, "Cổng Dịch vụ công quốc gia không trả về mã đăng nhập."),
                    providerError: "no code")
            }
            let client = NationalSSOClient(settings: sso, client: req.client)
            let token = try await client.token(code: code, verifier: login.verifier, redirect: Self.redirectURI(req))
            try await client.introspect(token, nonce: login.nonce)
            let info = try await client.userInfo(token)
            let user = try await Self.account(for: info, issuer: sso.issuer.absoluteString, on: req)
            guard user.disabledAt == nil else {
                throw NationalSSOClient.Failure(
                    error: ServiceError(.forbidden, "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị hệ thống."),
                    providerError: "account disabled")
            }
            req.logger.notice("SSO: \(user.username) đăng nhập qua Cổng DVC quốc gia")
            return try await Self.open(user, req: req, cookie: Self.cookieName, path: "/dang-nhap/dvcqg")
        } catch let failure as NationalSSOClient.Failure {
            req.logger.warning("SSO: \(failure.error.reason) (Cổng trả lời: \(failure.providerError))")
            return try await AccountPages().loginPage(req, error: failure.error)
        } catch let e as ServiceError {
            return try await AccountPages().loginPage(req, error: e)
        }
    }

    /// The login begun in this browser with this state, taken once.
    static func take(state: String?, cookie: String?, on db: any Database) async throws -> (
        nonce: String, verifier: String
    ) {
        let refused = NationalSSOClient.Failure(
            error: ServiceError(
                .badRequest,
                "Phiên đăng nhập không hợp lệ hoặc đã hết hạn (mã state không khớp). Vui lòng bấm đăng nhập lại."),
            providerError: "state mismatch")
        guard let state, let cookie, !state.isEmpty, state.utf8.count <= 200,
            state.utf8.elementsEqual(cookie.utf8)
        else { throw refused }
        struct Row: Decodable { let nonce: String; let verifier: String; let created_at: Date }
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                DELETE FROM \(unsafeRaw: table) WHERE state_hash = \(bind: Checksum.sha256(state)) \
                RETURNING nonce, verifier, created_at
                """
            ).first(decoding: Row.self), row.created_at > Date().addingTimeInterval(-lifetime)
        else { throw refused }
        return (row.nonce, row.verifier)
    }

    /// The account of this national identity: the one linked to it; else the applicant account with its
    /// identity number or tax code, now linked; else a new one. Never a staff account.
    static func account(for info: NationalSSOClient.UserInfo, issuer: String, on req: Request) async throws -> UserModel
    {
        guard let subject = info.techID ?? info.identity, let identity = info.identity, !info.name.isEmpty,
            identity.count <= 20, identity.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }),
            TextInput.isClean(info.name), info.name.count <= 200
        else {
            throw NationalSSOClient.Failure(
                error: ServiceError(
                    .badGateway,
                    "Cổng Dịch vụ công quốc gia không trả về đủ họ tên và số định danh (hoặc mã số thuế) của tài khoản."
                ),
                providerError: "userinfo without identity: \(info.fields.keys.sorted())")
        }
        let kind = info.isOrganisation ? "organisation" : "person"
        for _ in 0..<2 {
            let linked = try await UserModel.query(on: req.db).filter(\.$identityIssuer == issuer)
                .filter(\.$identitySubject == subject).first()
            let byNumber = try await UserModel.query(on: req.db).group(.or) {
                $0.filter(\.$idNumber == identity).filter(\.$username == identity)
            }.all()
            if (linked.map { [$0] } ?? byNumber).contains(where: { $0.roles != [.citizen] }) {
                throw NationalSSOClient.Failure(
                    error: ServiceError(
                        .forbidden,
                        "Số định danh này thuộc tài khoản cán bộ: cán bộ đăng nhập bằng tài khoản của hệ thống."),
                    providerError: "identity of a staff account")
            }
            // A new account has a password nobody knows ("Quên mật khẩu" sets one from the e-mail).
            var found = linked ?? byNumber.first
            if found == nil {
                found = UserModel(
                    username: identity,
                    passwordHash: try await req.passwordHasher.hash(AuthService.randomToken()).get(),
                    fullName: info.name, roles: [.citizen], agencyID: nil, departmentID: nil)
            }
            let user = found!
            let isNew = user.id == nil
            if isNew { user.id = UUID() }
            if user.accountKind == nil { user.accountKind = kind }
            if user.idNumber == nil { user.idNumber = identity }
            user.identityIssuer = issuer
            user.identitySubject = subject
            user.fullName = info.name
            if let phone = info.phone, phone.count <= 20 { user.phone = phone }
            if let email = info.email, email != user.email, ApplicantNotice.isAddress(email),
                try await UserModel.query(on: req.db).filter(\.$email == email).count() == 0
            {
                user.email = email
            }
            // The portal vouched for the person: no e-mail verification is asked of this account.
            if user.emailVerifiedAt == nil { user.emailVerifiedAt = Date().wholeSeconds }
            do {
                try await user.save(on: req.db)
                return user
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue  // The same citizen's other login created or linked it meanwhile: read it again.
            }
        }
        throw ServiceError(.conflict, "Tài khoản đang được tạo ở một phiên khác. Vui lòng đăng nhập lại.")
    }

    /// After the local session ends: the SSO's own, ended by sending the browser to its logout.
    static func logoutTarget(_ req: Request) -> String? {
        guard let sso = req.motcua.settings.sso else { return nil }
        var target = URLComponents(url: sso.logoutURL, resolvingAgainstBaseURL: false)!
        target.queryItems =
            (target.queryItems ?? []) + [
                .init(name: "client_id", value: sso.clientID),
                .init(name: "post_logout_redirect_uri", value: req.motcua.settings.siteURL.absoluteString),
            ]
        return target.url?.absoluteString
    }
}

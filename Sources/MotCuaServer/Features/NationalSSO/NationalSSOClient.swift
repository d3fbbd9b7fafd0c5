import Foundation
import Vapor

/// The three calls to the national SSO after it sends the citizen back: the code for tokens, the
/// token's introspection, and userinfo. Each failure is a ServiceError in Vietnamese with the
/// provider's own error kept for the log (`providerError`).
struct NationalSSOClient {
    let settings: NationalSSOSettings
    let client: any Client

    struct Failure: Error {
        let error: ServiceError
        /// What the provider said, for the log.
        let providerError: String
    }

    /// What userinfo answers (DOMAIN.md section 12); numbers and codes may come as JSON numbers or strings.
    struct UserInfo: Sendable, Equatable {
        var kind: Int?
        var fields: [String: String]

        init(_ answer: [String: Any]) {
            fields = answer.compactMapValues { value in
                if let text = value as? String { return text.trimmingCharacters(in: .whitespaces) }
                if let number = value as? NSNumber { return number.stringValue }
                return nil
            }
            kind = fields["LoaiTaiKhoan"].flatMap(Int.init)
        }

        func first(_ keys: String...) -> String? { keys.compactMap { fields[$0] }.first { !$0.isEmpty } }
        var name: String { first("HoVaTen", "HoTen", "name") ?? "" }
        var email: String? { first("ThuDienTu", "Email", "email")?.lowercased() }
        var phone: String? { first("SoDienThoai", "phone_number") }
        var techID: String? { first("TechID") }
        var isOrganisation: Bool { kind == 2 }
        /// The number the account is known by: the personal identity number, else the old ID card's;
        /// an organisation's tax code, else its enterprise code.
        var identity: String? {
            isOrganisation ? first("MaSoThue", "MaSoDoanhNghiep") : first("SoDinhDanh", "SoCMND")
        }
    }

    static let down = "Cổng Dịch vụ công quốc gia không phản hồi. Vui lòng thử lại sau ít phút."

    func post(_ url: URL, form: [String: String], bearer: String? = nil) async throws -> (HTTPStatus, [String: Any]) {
        try await Self.post(url, form: form, bearer: bearer, timeout: settings.timeoutSeconds, client: client)
    }

    /// A form POST to a provider (or a bearer one); its JSON answer. No answer is "provider down".
    static func post(
        _ url: URL, form: [String: String], bearer: String? = nil, timeout: Int64, client: any Client
    ) async throws -> (HTTPStatus, [String: Any]) {
        do {
            let response = try await client.post(URI(string: url.absoluteString)) { r in
                r.timeout = .seconds(timeout)
                if let bearer { r.headers.bearerAuthorization = BearerAuthorization(token: bearer) }
                if !form.isEmpty { try r.content.encode(form, as: .urlEncodedForm) }
            }
            let object = response.body.flatMap { try? JSONSerialization.jsonObject(with: Data(buffer: $0)) }
            return (response.status, object as? [String: Any] ?? [:])
        } catch {
            throw Failure(error: ServiceError(.badGateway, Self.down), providerError: String(describing: error))
        }
    }

    /// The authorization code for an access token (the secret in the body, with the PKCE verifier).
    func token(code: String, verifier: String, redirect: String) async throws -> String {
        let (status, answer) = try await post(
            settings.tokenURL,
            form: [
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                "client_id": settings.clientID, "client_secret": settings.clientSecret, "code_verifier": verifier,
            ])
        if let error = answer["error"] as? String {
            let said = "\(error): \(answer["error_description"] as? String ?? "")"
            let message =
                error == "invalid_grant"
                ? "Mã đăng nhập đã hết hạn hoặc đã được dùng. Vui lòng đăng nhập lại."
                : "Cổng Dịch vụ công quốc gia từ chối đăng nhập (\(error)). Vui lòng đăng nhập lại."
            throw Failure(error: ServiceError(.unauthorized, message), providerError: said)
        }
        guard status == .ok, let token = answer["access_token"] as? String, !token.isEmpty else {
            throw Failure(error: ServiceError(.badGateway, Self.down), providerError: "token HTTP \(status.code)")
        }
        return token
    }

    /// The token's introspection: active, issued to us, for this login's nonce (when it says one).
    func introspect(_ token: String, nonce: String) async throws {
        let (status, answer) = try await post(
            settings.introspectURL,
            form: ["token": token, "client_id": settings.clientID, "client_secret": settings.clientSecret])
        guard status == .ok else {
            throw Failure(error: ServiceError(.badGateway, Self.down), providerError: "introspect HTTP \(status.code)")
        }
        let active = answer["active"] as? Bool ?? false
        let audience = answer["client_id"] as? String
        let sentNonce = answer["nonce"] as? String
        guard active, audience == nil || audience == settings.clientID, sentNonce == nil || sentNonce == nonce else {
            throw Failure(
                error: ServiceError(
                    .unauthorized,
                    "Phiên đăng nhập trên Cổng Dịch vụ công quốc gia không còn hiệu lực. Vui lòng đăng nhập lại."),
                providerError:
                    "introspect active=\(active) client_id=\(audience ?? "-") nonce matches=\(sentNonce == nonce)")
        }
    }

    func userInfo(_ token: String) async throws -> UserInfo {
        let (status, answer) = try await post(settings.userinfoURL, form: [:], bearer: token)
        guard status == .ok else {
            throw Failure(error: ServiceError(.badGateway, Self.down), providerError: "userinfo HTTP \(status.code)")
        }
        return UserInfo(answer)
    }
}

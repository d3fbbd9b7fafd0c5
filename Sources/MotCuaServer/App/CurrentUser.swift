import Fluent
import Foundation
import Vapor

// The current user of a request, as every feature reads it: found by `SessionTokenAuthenticator`
// (a global middleware) from a bearer token or the session cookie, with the form token of a cookie
// session; `actor()` is the user as the services see them, or 401.

/// How the request's user was authenticated; set by `SessionTokenAuthenticator`.
enum SessionCarrier: Sendable, Equatable {
    case bearer
    /// The session cookie, with the form token of its session.
    case cookie(csrf: String)
}

extension Request {
    private struct CarrierKey: StorageKey { typealias Value = SessionCarrier }

    /// Set when a live session was found for the request.
    var sessionCarrier: SessionCarrier? {
        get { storage[CarrierKey.self] }
        set { storage[CarrierKey.self] = newValue }
    }

    /// The form token to put in every form that changes something (nil without a cookie session).
    var csrfToken: String? {
        if case .cookie(let csrf) = sessionCarrier { return csrf }
        return nil
    }
}

/// Finds the user of a bearer token or a session cookie.
struct SessionTokenAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        // The session and its user in one query: every authenticated request asks it.
        guard let token = AuthService.token(from: request),
            let user = try await UserModel.rows(
                """
                WHERE disabled_at IS NULL AND id = (SELECT user_id FROM user_sessions \
                WHERE token_hash = \(bind: AuthService.tokenHash(token)) AND expires_at > \(bind: Date()))
                """, on: request.db
            ).first
        else { return }
        request.auth.login(user)
        request.sessionCarrier =
            request.headers.bearerAuthorization != nil
            ? .bearer : .cookie(csrf: AuthService.csrfToken(forSession: token))
    }
}

extension Request {
    /// The logged-in user as an actor, or 401.
    func actor() throws -> Actor {
        guard let user = auth.get(UserModel.self) else {
            throw ServiceError(.unauthorized, "Vui lòng đăng nhập.")
        }
        return Actor(user: user)
    }
}

import Foundation
import Vapor

/// `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`.
struct AccountAPI {
    func login(req: Request) async throws -> LoginResponse {
        let body = try req.content.decode(LoginRequest.self)
        let (user, token) = try await AuthService.login(
            username: body.username, password: body.password, kind: "api", on: req)
        return LoginResponse(token: token, user: UserView(user))
    }

    func logout(req: Request) async throws -> HTTPStatus {
        _ = try req.actor()
        if let token = AuthService.token(from: req) { try await AuthService.logout(token: token, on: req.db) }
        return .noContent
    }

    func me(req: Request) async throws -> UserView {
        _ = try req.actor()
        return UserView(req.auth.get(UserModel.self)!)
    }
}

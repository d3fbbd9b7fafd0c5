import Fluent
import Foundation
import MotCuaCore
import Vapor

/// Server-rendered pages in Vietnamese (Leaf templates in Resources/Views).
enum Page {
    struct ErrorContext: Encodable {
        let title: String
        let status: Int
        let detail: String
    }

    static func error(status: HTTPResponseStatus, detail: String, on req: Request) async throws -> Response {
        if status == .unauthorized { return req.redirect(to: "/dang-nhap") }
        let view = try await req.view.render("error", ErrorContext(title: "Có lỗi xảy ra", status: Int(status.code), detail: detail))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }
}

struct PageController {
    struct Layout: Encodable {
        let title: String
        let user: String?
    }

    func userName(_ req: Request) -> String? { req.auth.get(UserModel.self)?.fullName }

    func home(req: Request) async throws -> View {
        struct Context: Encodable { let layout: Layout }
        return try await req.view.render("home", Context(layout: Layout(title: "Cổng dịch vụ công trực tuyến", user: userName(req))))
    }

    func lookup(req: Request) async throws -> View {
        struct Context: Encodable { let layout: Layout; let result: PublicLookup?; let error: String?; let code: String; let secret: String }
        let code = req.query[String.self, at: "code"] ?? ""
        let secret = req.query[String.self, at: "secret"] ?? ""
        var result: PublicLookup?
        var error: String?
        if !code.isEmpty || !secret.isEmpty {
            do { result = try await APIController.publicLookup(code: code, secret: secret, on: req.db) }
            catch let e as ServiceError { error = e.reason }
        }
        return try await req.view.render("lookup", Context(layout: Layout(title: "Tra cứu hồ sơ", user: userName(req)), result: result, error: error, code: code, secret: secret))
    }

    struct LoginContext: Encodable { let layout: Layout; let error: String?; let username: String }

    func loginForm(req: Request) async throws -> View {
        try await req.view.render("login", LoginContext(layout: Layout(title: "Đăng nhập", user: nil), error: nil, username: ""))
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginRequest.self)
        do {
            let (_, token) = try await AuthService.login(username: form.username, password: form.password, kind: "cookie", on: req)
            let response = req.redirect(to: "/ho-so")
            response.cookies[AuthService.cookieName] = HTTPCookies.Value(
                string: token, maxAge: Int(AuthService.sessionLifetime), path: "/",
                isSecure: req.headers.first(name: "X-Forwarded-Proto") == "https" || req.url.scheme == "https",
                isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let e as ServiceError {
            let view = try await req.view.render("login", LoginContext(layout: Layout(title: "Đăng nhập", user: nil), error: e.reason, username: form.username))
            let response = try await view.encodeResponse(for: req)
            response.status = e.status
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        if let token = AuthService.token(from: req) { try await AuthService.logout(token: token, on: req.db) }
        let response = req.redirect(to: "/")
        response.cookies[AuthService.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    struct Row: Encodable {
        let code: String, applicant: String, summary: String, status: String, received: String, due: String, timeliness: String
    }

    func dossiers(req: Request) async throws -> View {
        struct Option: Encodable { let value: String; let name: String; let selected: Bool }
        struct Context: Encodable { let layout: Layout; let rows: [Row]; let total: Int; let q: String; let statuses: [Option] }
        let actor = try req.actor()
        let q = try req.query.decode(DossierQuery.self)
        let result = try await q.run(scope: actor.scope, on: req.db)
        let now = Date()
        let rows = result.items.map { d in
            Row(code: d.code, applicant: d.applicantName, summary: d.contentSummary, status: d.state.vietnameseName,
                received: d.receivedAt.map { VietnamTime.local($0).date.vietnamese } ?? "",
                due: d.dueAt.map(Self.shortTime) ?? "",
                timeliness: DossierSummary.timeliness(d, now: now)?.vietnameseName ?? "")
        }
        return try await req.view.render("dossiers", Context(
            layout: Layout(title: "Danh sách hồ sơ", user: actor.name), rows: rows, total: result.total, q: q.q ?? "",
            statuses: Status.allCases.map { Option(value: $0.rawValue, name: $0.manualName, selected: $0.rawValue == q.status) }))
    }

    func dossier(req: Request) async throws -> View {
        struct LogRow: Encodable { let seq: Int; let at: String; let actorName: String; let actionName: String; let opinion: String? }
        struct Context: Encodable { let layout: Layout; let d: DossierDetail; let log: [LogRow]; let state: String; let received: String; let due: String }
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let detail = try await APIController().detail(d, on: req.db)
        let log = detail.log.map { e in
            LogRow(seq: e.seq, at: VietnamTime.parseISO(e.at).map(Self.shortTime) ?? e.at, actorName: e.actorName, actionName: e.actionName, opinion: e.opinion)
        }
        return try await req.view.render("dossier", Context(layout: Layout(title: "Hồ sơ \(d.code)", user: actor.name), d: detail, log: log,
                                                            state: d.state.vietnameseName, received: d.receivedAt.map(Self.shortTime) ?? "",
                                                            due: d.dueAt.map(Self.shortTime) ?? ""))
    }

    static func shortTime(_ date: Date) -> String {
        let (day, second) = VietnamTime.local(date)
        return String(format: "%02d:%02d ", second / 3600, second / 60 % 60) + day.vietnamese
    }
}

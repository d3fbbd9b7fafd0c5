import Fluent
import Foundation
import MotCuaCore
import Vapor

/// Server-rendered pages in Vietnamese (Leaf templates in Resources/Views).
enum Page {
    struct ErrorContext: Encodable {
        let layout: PageController.Layout
        let title: String
        let status: Int
        let detail: String
    }

    static func error(status: HTTPResponseStatus, detail: String, on req: Request) async throws -> Response {
        if status == .unauthorized { return req.redirect(to: "/dang-nhap") }
        // The user stays logged in on an error page: the layout shows their name and menu.
        let view = try await req.view.render("error", ErrorContext(layout: .init("Có lỗi xảy ra", req), title: "Có lỗi xảy ra", status: Int(status.code), detail: detail))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }
}

struct PageController {
    /// What every page's frame needs: its title, the logged-in user, and the form token that
    /// every form changing something carries (CrossSiteGuard checks it).
    struct Layout: Encodable {
        let title: String
        let user: String?
        let csrf: String?

        init(_ title: String, _ req: Request) {
            self.title = title
            user = req.auth.get(UserModel.self)?.fullName
            csrf = req.csrfToken
        }
    }

    func home(req: Request) async throws -> View {
        struct Context: Encodable { let layout: Layout }
        return try await req.view.render("home", Context(layout: Layout("Cổng dịch vụ công trực tuyến", req)))
    }

    func lookup(req: Request) async throws -> Response {
        struct Context: Encodable { let layout: Layout; let result: PublicLookup?; let error: String?; let code: String; let secret: String }
        let code = req.query[String.self, at: "code"] ?? ""
        let secret = req.query[String.self, at: "secret"] ?? ""
        var result: PublicLookup?
        var failure: ServiceError?
        if !code.isEmpty || !secret.isEmpty {
            do { result = try await APIController.publicLookup(code: code, secret: secret, client: req.clientAddress, on: req.db) }
            catch let e as ServiceError { failure = e }
        }
        let response = try await req.view.render("lookup", Context(layout: Layout("Tra cứu hồ sơ", req), result: result, error: failure?.reason,
                                                                   code: code, secret: secret)).encodeResponse(for: req)
        if let failure {
            response.status = failure.status
            for (name, value) in failure.headers { response.headers.replaceOrAdd(name: name, value: value) }
        }
        return response
    }

    struct LoginContext: Encodable { let layout: Layout; let error: String?; let username: String }

    func loginForm(req: Request) async throws -> View {
        try await req.view.render("login", LoginContext(layout: Layout("Đăng nhập", req), error: nil, username: ""))
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginRequest.self)
        do {
            let (_, token) = try await AuthService.login(username: form.username, password: form.password, kind: "cookie", on: req)
            let response = req.redirect(to: "/ho-so")
            response.cookies[AuthService.cookieName] = HTTPCookies.Value(
                string: token, maxAge: Int(AuthService.sessionLifetime), path: "/",
                isSecure: req.motcua.settings.isHTTPS || req.headers.first(name: "X-Forwarded-Proto") == "https" || req.url.scheme == "https",
                isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let e as ServiceError {
            let view = try await req.view.render("login", LoginContext(layout: Layout("Đăng nhập", req), error: e.reason, username: form.username))
            let response = try await view.encodeResponse(for: req)
            response.status = e.status
            for (name, value) in e.headers { response.headers.replaceOrAdd(name: name, value: value) }
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
        struct Context: Encodable {
            let layout: Layout; let rows: [Row]; let total: Int; let q: String; let from: String; let to: String; let statuses: [Option]
            let page: Int; let pages: Int; let previous: String?; let next: String?
        }
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
        // Page links keep the filters of this page.
        let pages = max(1, (result.total + result.per - 1) / result.per)
        func link(_ page: Int) -> String {
            var items = [URLQueryItem]()
            for (name, value) in [("q", q.q), ("status", q.status), ("from", q.from), ("to", q.to), ("sort", q.sort)] {
                if let value, !value.isEmpty { items.append(URLQueryItem(name: name, value: value)) }
            }
            items.append(URLQueryItem(name: "page", value: String(page)))
            var components = URLComponents()
            components.path = "/ho-so"
            components.queryItems = items
            return components.string ?? "/ho-so"
        }
        return try await req.view.render("dossiers", Context(
            layout: Layout("Danh sách hồ sơ", req), rows: rows, total: result.total, q: q.q ?? "",
            from: q.from ?? "", to: q.to ?? "",
            statuses: Status.allCases.map { Option(value: $0.rawValue, name: $0.manualName, selected: $0.rawValue == q.status) },
            page: result.page, pages: pages,
            previous: result.page > 1 ? link(result.page - 1) : nil, next: result.page < pages ? link(result.page + 1) : nil))
    }

    /// One action the user may take, with the inputs its form asks for.
    struct ActionForm: Encodable {
        struct Officer: Encodable { let id: UUID; let name: String }
        let action: String
        let name: String
        let officers: [Officer]
        // The inputs the form asks for (the rule's required inputs); an opinion may always be given.
        let officer, proposal, amount, paymentReceipt, appointment, rating, reason, opinionRequired: Bool

        init(_ action: Action, officers: [Officer]) {
            let required = StateMachine.rules[action]!.required
            self.action = action.rawValue
            name = action.vietnameseName
            self.officers = officers
            officer = required.contains(.officer)
            proposal = required.contains(.proposal)
            amount = required.contains(.amount)
            paymentReceipt = required.contains(.paymentReceipt)
            appointment = required.contains(.appointment)
            rating = required.contains(.rating)
            reason = required.contains(.reason)
            opinionRequired = required.contains(.opinion)
        }
    }

    struct DossierPage: Encodable {
        struct LogRow: Encodable { let seq: Int; let at: String; let actorName: String; let actionName: String; let opinion: String? }
        let layout: Layout
        let d: DossierDetail
        let version: Int
        let log: [LogRow]
        let state: String
        let received: String
        let due: String
        let actions: [ActionForm]
        let hasActions: Bool
        let notice: String?
        let error: String?
    }

    func dossier(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let done = req.query[String.self, at: "da-thuc-hien"].flatMap(Action.init(rawValue:))
        return try await dossierPage(d, actor: actor, notice: done.map { "Đã thực hiện: \($0.vietnameseName)." }, error: nil, on: req)
    }

    /// The page of a dossier: its details, its log, and a form for each action the user may take now.
    func dossierPage(_ d: DossierModel, actor: Actor, notice: String?, error: String?, on req: Request) async throws -> View {
        let detail = try await APIController().detail(d, on: req.db)
        let log = detail.log.map { e in
            DossierPage.LogRow(seq: e.seq, at: VietnamTime.parseISO(e.at).map(Self.shortTime) ?? e.at, actorName: e.actorName,
                               actionName: e.actionName, opinion: e.opinion)
        }
        // Attaching files has its own form (the upload route), not an action form.
        let available = req.motcua.dossiers.availableActions(on: d, actor: actor).filter { $0 != .uploadFile }
        var officers: [ActionForm.Officer] = []
        if available.contains(.assign) || available.contains(.reassign) {
            // The head sees each officer's open workload before choosing (DOMAIN.md section 5).
            for u in try await UserModel.query(on: req.db).filter(\.$departmentID == d.departmentID).sort(\.$fullName).all()
            where u.roles.contains(.officer) {
                let open = try await DossierModel.query(on: req.db).filter(\.$assignedOfficerID == u.id)
                    .filter(\.$status == Status.processing.rawValue).count()
                officers.append(ActionForm.Officer(id: u.id!, name: "\(u.fullName) (đang thụ lý \(open) hồ sơ)"))
            }
        }
        let forms = available.map { ActionForm($0, officers: $0 == .assign || $0 == .reassign ? officers : []) }
        return try await req.view.render("dossier", DossierPage(
            layout: Layout("Hồ sơ \(d.code)", req), d: detail, version: d.version, log: log,
            state: d.state.vietnameseName, received: d.receivedAt.map(Self.shortTime) ?? "", due: d.dueAt.map(Self.shortTime) ?? "",
            actions: forms, hasActions: !forms.isEmpty, notice: notice, error: error))
    }

    /// An action from the dossier's page: the same service call as the API; on success back to the
    /// page with a notice, otherwise the page again with the reason and the error's status code.
    func act(req: Request) async throws -> Response {
        do {
            let (action, d) = try await APIController.performRequestedAction(req)
            return req.redirect(to: "/ho-so/\(d.code)?da-thuc-hien=\(action.rawValue)")
        } catch {
            let (status, detail) = ProblemMiddleware.explain(error)
            guard status != .notFound, status != .internalServerError else { throw error }
            let actor = try req.actor()
            let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
            let response = try await dossierPage(d, actor: actor, notice: nil, error: detail, on: req).encodeResponse(for: req)
            response.status = status
            return response
        }
    }

    static func shortTime(_ date: Date) -> String {
        let (day, second) = VietnamTime.local(date)
        return String(format: "%02d:%02d ", second / 3600, second / 60 % 60) + day.vietnamese
    }
}

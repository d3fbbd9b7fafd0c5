import Foundation
import MotCuaCore
import Vapor

/// What every page's frame needs: its title, the logged-in user, and the form token that every
/// form changing something carries (CrossSiteGuard checks it).
struct PageLayout: Encodable {
    let title: String
    let user: String?
    let csrf: String?

    /// `showingUser: false` for the login page, which is about who is logging in now; its form
    /// still carries the token of a session that may be open.
    init(_ title: String, _ req: Request, showingUser: Bool = true) {
        self.title = title
        user = showingUser ? req.auth.get(UserModel.self)?.fullName : nil
        csrf = req.csrfToken
    }
}

/// Dates and times on pages: dd/MM/yyyy and dd/MM/yyyy HH:mm in Vietnam time, in one place.
enum PageTime {
    static func date(_ instant: Date) -> String { VietnamTime.local(instant).date.vietnamese }

    static func dateTime(_ instant: Date) -> String {
        let (day, second) = VietnamTime.local(instant)
        return day.vietnamese + String(format: " %02d:%02d", second / 3600, second / 60 % 60)
    }
}

/// A page of a list, as the API returns it.
struct Paged<T: Content>: Content {
    var items: [T]
    var page: Int
    var per: Int
    var total: Int
}

/// The links of a list page to the pages around it, keeping the list's filters.
struct PageLinks {
    let page: Int
    let per: Int
    let total: Int

    var pages: Int { max(1, (total + per - 1) / per) }

    /// `path?<filters>&page=N` for the previous and next pages, nil where there is none.
    func around(_ path: String, filters: [(String, String?)]) -> (previous: String?, next: String?) {
        func link(_ page: Int) -> String {
            var components = URLComponents()
            components.path = path
            components.queryItems = filters.compactMap { name, value in
                value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
            } + [URLQueryItem(name: "page", value: String(page))]
            return components.string ?? path
        }
        return (page > 1 ? link(page - 1) : nil, page < pages ? link(page + 1) : nil)
    }
}

/// The error page: in Vietnamese, inside the layout, so the user stays logged in.
enum ErrorPage {
    struct Context: Encodable {
        let layout: PageLayout
        let title: String
        let status: Int
        let detail: String
    }

    static func response(status: HTTPResponseStatus, detail: String, on req: Request) async throws -> Response {
        if status == .unauthorized { return req.redirect(to: "/dang-nhap") }
        let view = try await req.view.render("error", Context(layout: PageLayout("Có lỗi xảy ra", req), title: "Có lỗi xảy ra",
                                                               status: Int(status.code), detail: detail))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }
}

extension Response {
    /// The headers an error asks for (`Retry-After`, `Allow`).
    func add(headersOf error: any Error) {
        guard let abort = error as? any AbortError else { return }
        for (name, value) in abort.headers where name.lowercased() != "content-type" { headers.replaceOrAdd(name: name, value: value) }
    }
}

import Foundation
import MotCuaCore
import Vapor

/// What every page's frame needs: its title, the logged-in user, and the form token that every
/// form changing something carries (CrossSiteGuard checks it).
struct PageLayout: Encodable {
    let title: String
    let user: String?
    /// The address of the user's picture, if they gave one.
    let avatar: String?
    let csrf: String?
    /// The left menu: only what the user's roles allow (Menu.items).
    let menu: [Menu.Item]
    /// Report figures on the page: the time they are as of (a replica's lags behind the primary).
    let figuresAsOf: String?

    /// `showingUser: false` for the login page, which is about who is logging in now; its form
    /// still carries the token of a session that may be open.
    init(_ title: String, _ req: Request, showingUser: Bool = true) {
        self.title = title
        let user = showingUser ? req.auth.get(UserModel.self) : nil
        self.user = user?.fullName
        avatar = user?.avatarSHA256.map { "/tai-khoan/anh-dai-dien?v=\($0.prefix(16))" }
        csrf = req.csrfToken
        menu =
            user.map { Menu.items(for: $0.roles, current: req.url.path + (req.url.query.map { "?" + $0 } ?? "")) } ?? []
        figuresAsOf = req.storage[FiguresAsOf.self].map { PageTime.dateTime($0) }
    }
}

/// When the report figures a request read are as of (`Request.reportSource` sets it).
struct FiguresAsOf: StorageKey {
    typealias Value = Date
}

/// The left menu of the back office, per role (the manual's menu names where it has them). A user
/// with several roles sees each role's entries once.
enum Menu {
    struct Item: Encodable, Equatable {
        let label: String
        let link: String
        var current = false
        /// Other addresses the entry stands for (a section's pages), when not under its link.
        var section: String?
    }

    static func items(for roles: Set<Role>, current: String) -> [Item] {
        var items = [Item(label: "Trang chủ", link: "/trang-chu")]
        func add(_ label: String, _ link: String) {
            if !items.contains(where: { $0.link == link }) { items.append(Item(label: label, link: link)) }
        }
        // A page's entry shows where the access table opens it; a role's queue where the role has one.
        func may(_ feature: Feature) -> Bool { Access.allows(roles, feature) }
        if may(.counter) {
            add("Tiếp nhận hồ sơ", "/tiep-nhan")
            for queue in WorkQueue.desk { add(queue.name, DeskQueueLink.of(queue.status)) }
        }
        if may(.logBook) { add("Sổ theo dõi hồ sơ", "/so-theo-doi") }
        if may(.assignment) {
            add("Phân công thụ lý", "/phan-cong")
            add("Xét duyệt hồ sơ", "/ho-so?step=awaiting_review&sort=due_at")
        }
        if roles.contains(.officer) { add("Hồ sơ đang thụ lý", "/ho-so?waiting=officer&sort=due_at") }
        if roles.contains(.leader) { add("Hồ sơ chờ ký duyệt", "/ho-so?waiting=leader&sort=due_at") }
        if may(.users) { add("Quản trị người dùng", "/quan-tri/nguoi-dung") }
        if may(.agencies) { add("Cơ quan, đơn vị", "/quan-tri/co-quan") }
        if may(.catalogueLists) {
            add("Phòng chuyên môn", "/quan-tri/phong-ban")
            add("Lĩnh vực", "/quan-tri/linh-vuc")
        }
        if may(.procedures) { add("Thủ tục hành chính", "/quan-tri/thu-tuc") }
        if may(.calendar) { add("Lịch làm việc", "/quan-tri/lich-lam-viec") }
        if may(.nationalSync) { add("Đồng bộ DVC quốc gia", NationalSyncPage.path) }
        if may(.auditLog) { add("Nhật ký quản trị", "/quan-tri/nhat-ky") }
        if may(.reports) {
            add("Thống kê báo cáo", "/thong-ke/bao-cao")
            items[items.count - 1].section = "/thong-ke"
        }
        if may(.myDossiers) {
            // The applicant's own pages of the portal.
            add("Hồ sơ của tôi", "/ho-so-cua-toi")
            add("Nộp hồ sơ trực tuyến", "/thu-tuc")
        } else if may(.dossierSearch) {
            add("Tra cứu hồ sơ", "/ho-so")
        }
        add("Thông tin tài khoản", "/tai-khoan")
        // The entry for the page shown: the longest link that the address starts with.
        func under(_ link: String) -> Bool {
            current == link || current.hasPrefix(link + "?") || current.hasPrefix(link + "/")
        }
        if let best = items.indices.filter({ under(items[$0].link) || items[$0].section.map(under) == true })
            .max(by: { items[$0].link.count < items[$1].link.count })
        {
            items[best].current = true
        }
        return items
    }
}

/// A desk queue's list: its dossiers by status, the online submissions in the order they came
/// (their codes count up), the others by receipt.
enum DeskQueueLink {
    static func of(_ status: Status) -> String {
        "/ho-so?status=\(status.rawValue)&sort=\(status == .submitted ? "code" : "received_at")"
    }
}

/// Text as pages and printed forms show it.
enum PageText {
    /// "GIẤY TIẾP NHẬN HỒ SƠ" as a link's text: "Giấy tiếp nhận hồ sơ".
    static func sentenceCase(_ title: String) -> String {
        let lower = title.lowercased()
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }
}

/// One choice of a page's `<select>` (or of a group of checkboxes).
struct SelectOption: Encodable { let value: String; let name: String; let selected: Bool }

/// Dates and times on pages: dd/MM/yyyy and dd/MM/yyyy HH:mm in Vietnam time, and numbers with
/// Vietnamese thousands dots (12.345), in one place.
enum PageTime {
    /// A date typed on a page: dd/MM/yyyy (d/M/yyyy too), or yyyy-MM-dd as a browser's date field sends it.
    static func parseDate(_ text: String) -> LocalDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let iso = LocalDate(iso: t) { return iso }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2])
        else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// A page's date field: ISO sent as the API wants it; anything else as typed, for the API's own message.
    static func isoDate(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return text }
        return parseDate(text)?.iso ?? text
    }

    /// How a date field shows a stored ISO date: dd/MM/yyyy.
    static func dateField(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        return LocalDate(iso: text)?.vietnamese ?? text
    }

    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func date(_ instant: Date) -> String { VietnamTime.local(instant).date.vietnamese }

    static func dateTime(_ instant: Date) -> String {
        let (day, second) = VietnamTime.local(instant)
        return day.vietnamese + " " + pad(second / 3600, 2) + ":" + pad(second / 60 % 60, 2)
    }
}

/// A page of a list, as the API returns it.
struct Paged<T: Content>: Content {
    var items: [T]
    var page: Int
    var per: Int
    /// How many match, counted up to a list's window; `totalIsExact` is false when more match.
    var total: Int
    var totalIsExact: Bool = true
}

/// The links of a list page to the pages around it, keeping the list's filters.
struct PageLinks {
    let page: Int
    let per: Int
    let total: Int

    var pages: Int { max(1, (total + per - 1) / per) }

    /// `path?<filters>&page=N` for the previous and next pages, nil where there is none.
    func around(_ path: String, filters: [(String, String?)]) -> (previous: String?, next: String?) {
        func link(_ page: Int) -> String { Self.link(path, filters: filters + [("page", String(page))]) }
        // The last page shown is the list's window (DossierQuery.window).
        return (page > 1 ? link(page - 1) : nil, page < pages ? link(page + 1) : nil)
    }

    /// `path?name=value&...` with the given (non-empty) values, escaped.
    static func link(_ path: String, filters: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = path
        let items = filters.compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }
}

extension View {
    /// A page under another status than 200: above all a form shown again after a refusal, with
    /// what was typed and the reason, under the refusal's status (422, 409, ...), so the user
    /// stays logged in, keeps their input and a script still sees the failure.
    func encodeResponse(status: HTTPResponseStatus, for req: Request) async throws -> Response {
        let response = try await encodeResponse(for: req)
        response.status = status
        return response
    }
}

/// "Xác nhận": an administrative action that changes what others rely on (closing an agency,
/// deleting a calendar day) is asked once more, saying what it will do; the form's fields travel
/// in hidden inputs with `xac-nhan=1`, so the second click sends the same request confirmed.
enum ConfirmPage {
    struct Field: Encodable { let name: String; let value: String }
    struct Context: Encodable {
        let layout: PageLayout
        let title: String
        let consequences: [String]
        let action: String
        let fields: [Field]
        let confirm: String
        let back: String
    }

    static func confirmed(_ req: Request) -> Bool { (try? req.content.get(String.self, at: "xac-nhan")) == "1" }

    static func response(
        _ title: String, consequences: [String], action: String, fields: [(String, String)], confirm: String,
        back: String, req: Request
    ) async throws -> Response {
        try await req.view.render(
            "confirm",
            Context(
                layout: PageLayout(title, req), title: title, consequences: consequences, action: action,
                fields: fields.map { Field(name: $0.0, value: $0.1) }, confirm: confirm, back: back)
        ).encodeResponse(for: req)
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
        let view = try await req.view.render(
            "error",
            Context(
                layout: PageLayout("Có lỗi xảy ra", req), title: "Có lỗi xảy ra",
                status: Int(status.code), detail: detail))
        return try await view.encodeResponse(status: status, for: req)
    }
}

extension Response {
    /// The headers an error asks for (`Retry-After`, `Allow`).
    func add(headersOf error: any Error) {
        guard let abort = error as? any AbortError else { return }
        for (name, value) in abort.headers where name.lowercased() != "content-type" {
            headers.replaceOrAdd(name: name, value: value)
        }
    }
}

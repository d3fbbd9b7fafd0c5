import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Quản trị người dùng" (role admin): the accounts with their roles, agency and department; create
/// one, edit its name, roles, agency and department (UserEditPage), disable or enable it, set a new
/// password. Every change goes to the audit log in the same
/// transaction; disabling or a new password ends the account's sessions.
struct UsersPage {
    struct Typed: Content {
        var username: String?
        var fullName: String?
        var roles: [String]?
        var agency: String?
        var department: String?
        var password: String?
    }

    typealias Option = SelectOption
    struct Row: Encodable {
        let id: UUID; let username: String; let fullName: String; let roles: String; let agency: String;
        let department: String
        let disabled: Bool; let isSelf: Bool
    }

    struct Context: Encodable {
        let layout: PageLayout
        let q: String
        let rows: [Row]
        let total: String
        let typed: Typed
        let roles: [Option]
        let agencies: [Option]
        let departments: [Option]
        let fieldErrors: [String: String]
        let notice: String?
        let error: String?
        let rule: String
        let page: Int; let pages: Int; let previous: String?; let next: String?
    }

    static let per = 50

    func show(req: Request) async throws -> View {
        _ = try req.actor()
        let notices = [
            "tao": "Đã tạo tài khoản.", "khoa": "Đã khoá tài khoản.", "mo-khoa": "Đã mở khoá tài khoản.",
            "mat-khau": "Đã đặt lại mật khẩu.", "sua": "Đã lưu thông tin tài khoản.",
        ]
        let notice = req.query[String.self, at: "da-luu"].flatMap { notices[$0] }
        return try await render(req, typed: Typed(), fieldErrors: [:], notice: notice, error: nil)
    }

    func render(_ req: Request, typed: Typed, fieldErrors: [String: String], notice: String?, error: String?)
        async throws -> View
    {
        let me = try req.actor()
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let query = UserModel.query(on: req.db)
        if !q.isEmpty {
            guard q.count <= 100, TextInput.isClean(q) else {
                throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm không hợp lệ.")
            }
            // A few thousand accounts: a plain filter is enough here.
            let text = q.filter { $0 != "%" && $0 != "_" && $0 != "\\" }
            query.group(.or) { $0.filter(\.$username ~~ text.lowercased()).filter(\.$fullName ~~ text) }
        }
        let total = try await query.count()
        let users = try await query.sort(\.$username).range(((page - 1) * Self.per)..<(page * Self.per)).all()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all()
        let departments = try await DepartmentModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let departmentNames = Dictionary(uniqueKeysWithValues: departments.map { ($0.id!, $0.name) })
        let rows = users.map { u in
            Row(
                id: u.id!, username: u.username, fullName: u.fullName,
                roles: Role.allCases.filter(u.roles.contains).map(\.vietnameseName).joined(separator: ", "),
                agency: u.agencyID.flatMap { agencyNames[$0] } ?? "",
                department: u.departmentID.flatMap { departmentNames[$0] } ?? "",
                disabled: u.disabledAt != nil, isSelf: u.id == me.id)
        }
        let paging = PageLinks(page: page, per: Self.per, total: total)
        let links = paging.around("/quan-tri/nguoi-dung", filters: [("q", q)])
        let choices = try await Self.choices(typed, on: req.db)
        return try await req.view.render(
            "Admin/users",
            Context(
                layout: PageLayout("Quản trị người dùng", req), q: q, rows: rows, total: PageTime.number(total),
                typed: typed,
                roles: choices.roles, agencies: choices.agencies, departments: choices.departments,
                fieldErrors: fieldErrors, notice: notice, error: error, rule: PasswordRule.explanation,
                page: page, pages: paging.pages, previous: links.previous, next: links.next))
    }

    func again(
        _ req: Request, typed: Typed, fieldErrors: [String: String] = [:], error: String?, status: HTTPResponseStatus
    ) async throws -> Response {
        var kept = typed
        kept.password = nil  // a password is never sent back
        return try await render(req, typed: kept, fieldErrors: fieldErrors, notice: nil, error: error).encodeResponse(
            status: status, for: req)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let typed = try req.content.decode(Typed.self)
        var errors: [String: String] = [:]
        let username = (typed.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if !(3...50).contains(username.count)
            || !username.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "_" })
        {
            errors["username"] = "Tên đăng nhập gồm 3 đến 50 chữ không dấu, số, dấu chấm hoặc gạch dưới."
        } else if try await UserModel.query(on: req.db).filter(\.$username == username).first() != nil {
            errors["username"] = "Tên đăng nhập này đã có."
        }
        let profile = try await Self.checkProfile(typed, except: nil, errors: &errors, on: req.db)
        let password = typed.password ?? ""
        if !TextInput.isClean(password) || password.utf8.count > 1000 {
            errors["password"] = "Mật khẩu chứa ký tự không hợp lệ."
        } else if let problem = PasswordRule.message(for: password, username: username) {
            errors["password"] = problem
        }
        guard errors.isEmpty else {
            return try await again(
                req, typed: typed, fieldErrors: errors,
                error: "Tài khoản chưa được tạo: kiểm tra các trường được đánh dấu.",
                status: .unprocessableEntity)
        }
        let hash = try await req.passwordHasher.hash(password).get()
        let (fullName, roles, agency, department) = (
            profile.fullName, profile.roles, profile.agency, profile.department
        )
        let user = UserModel(
            id: UUID(), username: username, passwordHash: hash, fullName: fullName, roles: roles,
            agencyID: agency?.id, departmentID: department?.id)
        try await req.db.transaction { tx in
            try await user.create(on: tx)
            try await Audit.record(
                "Tạo tài khoản", entity: "user", id: username,
                changes: [
                    .init(field: "Tên đăng nhập", old: nil, new: username),
                    .init(field: "Họ và tên", old: nil, new: fullName),
                    .init(
                        field: "Vai trò", old: nil,
                        new: Role.allCases.filter(roles.contains).map(\.vietnameseName).joined(separator: ", ")),
                    .init(field: "Cơ quan", old: nil, new: agency?.name),
                    .init(field: "Phòng chuyên môn", old: nil, new: department?.name),
                ].filter { $0.new != nil }, actor: actor, on: tx)
        }
        return req.redirect(to: "/quan-tri/nguoi-dung?da-luu=tao")
    }

    /// Disable or enable (`khoa`, `mo-khoa`) an account other than one's own.
    func setDisabled(req: Request) async throws -> Response {
        let actor = try req.actor()
        let disable = req.parameters.get("action") == "khoa"
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await UserModel.find(id, on: req.db)
        else {
            throw ServiceError(.notFound, "Không tìm thấy tài khoản.")
        }
        guard user.id != actor.id else {
            return try await again(
                req, typed: Typed(), error: "Không thể tự khoá tài khoản của mình.", status: .conflict)
        }
        guard (user.disabledAt != nil) != disable else {
            return try await again(
                req, typed: Typed(),
                error: disable
                    ? "Tài khoản \(user.username) đã bị khoá." : "Tài khoản \(user.username) đang hoạt động.",
                status: .conflict)
        }
        let now = Date()
        try await req.db.transaction { tx in
            try await UserModel.query(on: tx).filter(\.$id == id).set(
                \.$disabledAt, to: disable ? now.wholeSeconds : nil
            ).update()
            if disable { try await SessionModel.query(on: tx).filter(\.$userID == id).delete() }
            try await Audit.record(
                disable ? "Khoá tài khoản" : "Mở khoá tài khoản", entity: "user", id: user.username,
                changes: [
                    .init(
                        field: "Trạng thái", old: disable ? "Hoạt động" : "Đã khoá",
                        new: disable ? "Đã khoá" : "Hoạt động")
                ],
                actor: actor, at: now, on: tx)
        }
        return req.redirect(to: "/quan-tri/nguoi-dung?da-luu=\(disable ? "khoa" : "mo-khoa")")
    }

    /// "Đặt lại mật khẩu": the administrator sets a new password (meeting the rule) to hand over;
    /// the account's sessions end and its failed-login count is cleared.
    func resetPassword(req: Request) async throws -> Response {
        struct Form: Content { var password: String }
        let actor = try req.actor()
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await UserModel.find(id, on: req.db)
        else {
            throw ServiceError(.notFound, "Không tìm thấy tài khoản.")
        }
        let password = try req.content.decode(Form.self).password
        if !TextInput.isClean(password) || password.utf8.count > 1000 {
            return try await again(
                req, typed: Typed(), error: "Mật khẩu chứa ký tự không hợp lệ.", status: .unprocessableEntity)
        }
        if let problem = PasswordRule.message(for: password, username: user.username) {
            return try await again(
                req, typed: Typed(), error: "\(user.username): \(problem)", status: .unprocessableEntity)
        }
        let hash = try await req.passwordHasher.hash(password).get()
        try await req.db.transaction { tx in
            try await UserModel.query(on: tx).filter(\.$id == id).set(\.$passwordHash, to: hash).update()
            try await SessionModel.query(on: tx).filter(\.$userID == id).delete()
            try await Audit.record(
                "Đặt lại mật khẩu", entity: "user", id: user.username,
                changes: [.init(field: "Mật khẩu", old: nil, new: "(đã đặt mới)")],
                actor: actor, on: tx)
        }
        try await Throttle.login.reset(user.username.lowercased(), on: req.db)
        return req.redirect(to: "/quan-tri/nguoi-dung?da-luu=mat-khau")
    }
}

/// "Nhật ký quản trị": the audit log, newest first, 50 a page.
struct AuditLogPage {
    struct Row: Encodable {
        let at: String; let actor: String; let summary: String; let entity: String; let changes: [ChangeText.Line]
    }
    struct Context: Encodable {
        let layout: PageLayout; let rows: [Row]; let page: Int; let pages: Int; let previous: String?; let next: String?
    }

    func show(req: Request) async throws -> View {
        _ = try req.actor()
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let total = try await AuditEntryModel.query(on: req.db).count()
        let entries = try await AuditEntryModel.query(on: req.db).sort(\.$at, .descending).sort(\.$id, .descending)
            .range(((page - 1) * 50)..<(page * 50)).all()
        let rows = try entries.map { e in
            Row(
                at: PageTime.dateTime(e.at), actor: e.actorName, summary: e.summary, entity: e.entityID,
                changes: try JSON.decode([LogChain.Change].self, e.changesJSON).map {
                    ChangeText.Line(field: $0.field, old: $0.old ?? "—", new: $0.new ?? "—")
                })
        }
        let paging = PageLinks(page: page, per: 50, total: total)
        let links = paging.around("/quan-tri/nhat-ky", filters: [])
        return try await req.view.render(
            "Admin/audit",
            Context(
                layout: PageLayout("Nhật ký quản trị", req), rows: rows, page: page,
                pages: paging.pages, previous: links.previous, next: links.next))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

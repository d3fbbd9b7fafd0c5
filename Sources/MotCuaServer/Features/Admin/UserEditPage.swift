import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Sửa thông tin tài khoản": an existing account's name, roles, agency and department, checked as
/// when it was created. The form carries the values it showed: a change by someone else meanwhile is
/// a conflict, not a silent overwrite. The change is audited field by field in its transaction, and
/// a change of roles, agency or department ends the account's sessions (its menu and scope change).
extension UsersPage {
    /// A profile as checked: the trimmed name, the roles and where the account belongs.
    struct Profile {
        let fullName: String
        let roles: Set<Role>
        let agency: AgencyModel?
        let department: DepartmentModel?
    }

    /// Checks the name, roles, agency and department of a form (a new account or an edit of `id`);
    /// the problems go to `errors` by field.
    static func checkProfile(_ typed: Typed, except id: UUID?, errors: inout [String: String], on db: any Database)
        async throws -> Profile
    {
        let fullName = (typed.fullName ?? "").trimmingCharacters(in: .whitespaces)
        if fullName.isEmpty || fullName.count > 100 || !TextInput.isClean(fullName) {
            errors["fullName"] = "Nhập họ và tên (tối đa 100 ký tự)."
        }
        let roles = Set((typed.roles ?? []).compactMap(Role.init(rawValue:)))
        if roles.isEmpty || roles.count != (typed.roles ?? []).count { errors["roles"] = "Chọn ít nhất một vai trò." }
        var agency: AgencyModel?
        if let text = typed.agency, !text.isEmpty {
            agency = try await UUID(uuidString: text).asyncMap { try await AgencyModel.find($0, on: db) } ?? nil
            if agency == nil { errors["agency"] = "Không có cơ quan này." }
        }
        var department: DepartmentModel?
        if let text = typed.department, !text.isEmpty {
            department = try await UUID(uuidString: text).asyncMap { try await DepartmentModel.find($0, on: db) } ?? nil
            if department == nil { errors["department"] = "Không có phòng chuyên môn này." }
        }
        if errors["fullName"] == nil, try await UserModel.nameTaken(fullName, agency: agency?.id, except: id, on: db) {
            errors["fullName"] = UserModel.nameTakenMessage
        }
        let needsAgency = !roles.isDisjoint(with: [.reception, .officer, .head, .leader])
        if needsAgency && agency == nil && errors["agency"] == nil {
            errors["agency"] = "Vai trò này cần chọn cơ quan."
        }
        if !roles.isDisjoint(with: [.officer, .head]) && department == nil && errors["department"] == nil {
            errors["department"] = "Chuyên viên và lãnh đạo phòng cần chọn phòng chuyên môn."
        }
        if let department, department.agencyID != agency?.id {
            errors["department"] = "Phòng chuyên môn không thuộc cơ quan đã chọn."
        }
        return Profile(fullName: fullName, roles: roles, agency: agency, department: department)
    }

    /// The roles, agencies and departments to choose from, those typed selected (both forms).
    static func choices(_ typed: Typed, on db: any Database) async throws -> (
        roles: [Option], agencies: [Option], departments: [Option]
    ) {
        let agencies = try await AgencyModel.query(on: db).sort(\.$name).all()
        let departments = try await DepartmentModel.query(on: db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let chosenRoles = Set(typed.roles ?? [])
        return (
            Role.allCases.map {
                Option(value: $0.rawValue, name: $0.vietnameseName, selected: chosenRoles.contains($0.rawValue))
            },
            agencies.map {
                Option(
                    value: $0.id!.uuidString, name: "\($0.name) (\($0.code))",
                    selected: $0.id!.uuidString == typed.agency)
            },
            departments.map { d in
                Option(
                    value: d.id!.uuidString, name: "\(d.name) - \(agencyNames[d.agencyID] ?? "")",
                    selected: d.id!.uuidString == typed.department)
            }
        )
    }

    struct EditContext: Encodable {
        let layout: PageLayout
        let id: UUID
        let username: String
        let typed: Typed
        let shown: String
        let roles: [Option]
        let agencies: [Option]
        let departments: [Option]
        let fieldErrors: [String: String]
        let error: String?
    }

    /// What the form showed, to tell a concurrent change: the stored name, roles, agency, department.
    static func shown(_ u: UserModel) -> String {
        [
            u.fullName, u.roles.map(\.rawValue).sorted().joined(separator: ","), u.agencyID?.uuidString ?? "",
            u.departmentID?.uuidString ?? "",
        ].joined(separator: "|")
    }

    func account(_ req: Request) async throws -> UserModel {
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await UserModel.find(id, on: req.db)
        else { throw ServiceError(.notFound, "Không tìm thấy tài khoản.") }
        return user
    }

    func editForm(req: Request) async throws -> View {
        let user = try await account(req)
        let typed = Typed(
            username: user.username, fullName: user.fullName, roles: user.roles.map(\.rawValue),
            agency: user.agencyID?.uuidString, department: user.departmentID?.uuidString)
        return try await renderEdit(
            req, user: user, typed: typed, shown: Self.shown(user), fieldErrors: [:], error: nil)
    }

    func renderEdit(
        _ req: Request, user: UserModel, typed: Typed, shown: String, fieldErrors: [String: String], error: String?
    ) async throws -> View {
        let choices = try await Self.choices(typed, on: req.db)
        return try await req.view.render(
            "Admin/user-edit",
            EditContext(
                layout: PageLayout("Sửa thông tin tài khoản", req), id: user.id!,
                username: user.username, typed: typed, shown: shown,
                roles: choices.roles, agencies: choices.agencies, departments: choices.departments,
                fieldErrors: fieldErrors, error: error))
    }

    func update(req: Request) async throws -> Response {
        struct Form: Content {
            var fullName: String?
            var roles: [String]?
            var agency: String?
            var department: String?
            var shown: String?
        }
        let actor = try req.actor()
        let user = try await account(req)
        let form = try req.content.decode(Form.self)
        let typed = Typed(
            username: user.username, fullName: form.fullName, roles: form.roles, agency: form.agency,
            department: form.department)
        var errors: [String: String] = [:]
        let profile = try await Self.checkProfile(typed, except: user.id, errors: &errors, on: req.db)
        if user.id == actor.id, !profile.roles.contains(.admin) {
            errors["roles"] = "Không thể tự bỏ vai trò quản trị hệ thống của mình."
        }
        func again(_ error: String, _ status: HTTPResponseStatus, shown: String) async throws -> Response {
            try await renderEdit(req, user: user, typed: typed, shown: shown, fieldErrors: errors, error: error)
                .encodeResponse(status: status, for: req)
        }
        guard errors.isEmpty else {
            return try await again(
                "Chưa lưu được: kiểm tra các trường được đánh dấu.", .unprocessableEntity, shown: form.shown ?? "")
        }
        let names = { (roles: Set<Role>) in
            Role.allCases.filter(roles.contains).map(\.vietnameseName).joined(separator: ", ")
        }
        let oldAgency = try await user.agencyID.asyncMap { try await AgencyModel.find($0, on: req.db)?.name } ?? nil
        let oldDepartment =
            try await user.departmentID.asyncMap { try await DepartmentModel.find($0, on: req.db)?.name } ?? nil
        let changes: [LogChain.Change] = [
            .init(field: "Họ và tên", old: user.fullName, new: profile.fullName),
            .init(field: "Vai trò", old: names(user.roles), new: names(profile.roles)),
            .init(field: "Cơ quan", old: oldAgency, new: profile.agency?.name),
            .init(field: "Phòng chuyên môn", old: oldDepartment, new: profile.department?.name),
        ].filter { $0.old != $0.new }
        guard !changes.isEmpty else { return req.redirect(to: "/quan-tri/nguoi-dung?da-luu=sua") }
        let reach =
            profile.roles != user.roles || profile.agency?.id != user.agencyID
            || profile.department?.id != user.departmentID
        let saved = try await req.db.transaction { tx -> Bool in
            // Only from the values the form showed: someone else's change meanwhile is a conflict.
            guard let current = try await UserModel.find(user.id, on: tx), Self.shown(current) == form.shown else {
                return false
            }
            current.fullName = profile.fullName
            current.rolesText = profile.roles.map(\.rawValue).sorted().joined(separator: ",")
            current.agencyID = profile.agency?.id
            current.departmentID = profile.department?.id
            try await current.update(on: tx)
            if reach { try await SessionModel.query(on: tx).filter(\.$userID == user.id!).delete() }
            try await Audit.record(
                "Sửa thông tin tài khoản", entity: "user", id: user.username, changes: changes, actor: actor, on: tx)
            return true
        }
        guard saved else {
            let fresh = try await account(req)
            return try await again(
                """
                Tài khoản vừa được người khác thay đổi; thông tin mới nhất đã được nạp, bên dưới là những gì bạn \
                nhập.
                """,
                .conflict, shown: Self.shown(fresh))
        }
        return req.redirect(to: "/quan-tri/nguoi-dung?da-luu=sua")
    }
}

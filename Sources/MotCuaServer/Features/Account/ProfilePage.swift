import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Thông tin tài khoản" (the manual's section 4: click one's name, then update): the display
/// name, and the password with the current one required. Errors are shown beside their form,
/// keeping what was typed (but never a password).
struct ProfilePage {
    struct Context: Encodable {
        let layout: PageLayout
        let username: String
        let fullName: String
        let roles: String
        let agency: String?
        let department: String?
        let nameError: String?
        let passwordError: String?
        let notice: String?
        let rule: String
    }

    func show(req: Request) async throws -> View {
        let notice: String? = switch req.query[String.self, at: "da-luu"] {
        case "ho-ten": "Đã lưu họ tên."
        case "mat-khau": "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."
        default: nil
        }
        return try await render(req, fullName: nil, nameError: nil, passwordError: nil, notice: notice)
    }

    func render(_ req: Request, fullName typed: String?, nameError: String?, passwordError: String?, notice: String?) async throws -> View {
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        var agency: String?, department: String?
        if let id = user.agencyID { agency = try await AgencyModel.find(id, on: req.db)?.name }
        if let id = user.departmentID { department = try await DepartmentModel.find(id, on: req.db)?.name }
        return try await req.view.render("Account/profile", Context(
            layout: PageLayout("Thông tin tài khoản", req), username: user.username, fullName: typed ?? user.fullName,
            roles: Role.allCases.filter(user.roles.contains).map(\.vietnameseName).joined(separator: ", "),
            agency: agency, department: department, nameError: nameError, passwordError: passwordError, notice: notice,
            rule: PasswordRule.explanation))
    }

    func updateName(req: Request) async throws -> Response {
        struct Form: Content { var fullName: String }
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        let form = try req.content.decode(Form.self)
        let name = form.fullName.trimmingCharacters(in: .whitespaces)
        var problem: String?
        if name.isEmpty { problem = "Vui lòng nhập họ và tên." }
        else if name.count > 100 { problem = "Họ và tên dài quá 100 ký tự." }
        else if !TextInput.isClean(name) { problem = "Họ và tên chứa ký tự không hợp lệ." }
        if let problem {
            let response = try await render(req, fullName: form.fullName, nameError: problem, passwordError: nil, notice: nil).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        try await UserModel.query(on: req.db).filter(\.$id == user.id!).set(\.$fullName, to: name).update()
        return req.redirect(to: "/tai-khoan?da-luu=ho-ten")
    }

    func changePassword(req: Request) async throws -> Response {
        struct Form: Content { var current: String; var new: String; var repeated: String }
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        let form = try req.content.decode(Form.self)
        do {
            try await AuthService.changePassword(of: user, current: form.current, new: form.new, repeated: form.repeated,
                                                 keeping: AuthService.token(from: req), on: req)
            return req.redirect(to: "/tai-khoan?da-luu=mat-khau")
        } catch let e as ServiceError {
            let response = try await render(req, fullName: nil, nameError: nil, passwordError: e.reason, notice: nil).encodeResponse(for: req)
            response.status = e.status
            response.add(headersOf: e)
            return response
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Thông tin tài khoản" (the manual's section 4: click one's name, then update): the display
/// name, the picture shown in the header (a JPEG or PNG checked by its content, at most 1 MB),
/// and the password with the current one required. Errors are shown beside their form,
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
        let avatarError: String?
        let notice: String?
        let rule: String
        let portal: PortalAccountSection?
    }

    func show(req: Request) async throws -> View {
        let notice: String? =
            switch req.query[String.self, at: "da-luu"] {
            case "ho-ten": "Đã lưu họ tên."
            case "mat-khau": "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."
            case "anh": "Đã lưu ảnh đại diện."
            case "xoa-anh": "Đã bỏ ảnh đại diện."
            case "bat-thong-bao": "Đã bật thông báo qua thư điện tử."
            case "tat-thong-bao": "Đã tắt thông báo qua thư điện tử."
            case "kenh-thong-bao": "Đã lưu cách nhận thông báo qua điện thoại."
            case "thanh-vien": "Đã cập nhật thành viên của tổ chức."
            default: nil
            }
        return try await render(req, fullName: nil, nameError: nil, passwordError: nil, notice: notice)
    }

    func render(
        _ req: Request, fullName typed: String?, nameError: String?, passwordError: String?, avatarError: String? = nil,
        notice: String?
    ) async throws -> View {
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        var agency: String?, department: String?
        if let id = user.agencyID { agency = try await AgencyModel.find(id, on: req.db)?.name }
        if let id = user.departmentID { department = try await DepartmentModel.find(id, on: req.db)?.name }
        return try await req.view.render(
            "Account/profile",
            Context(
                layout: PageLayout("Thông tin tài khoản", req), username: user.username,
                fullName: typed ?? user.fullName,
                roles: Role.allCases.filter(user.roles.contains).map(\.vietnameseName).joined(separator: ", "),
                agency: agency, department: department, nameError: nameError, passwordError: passwordError,
                avatarError: avatarError, notice: notice,
                rule: PasswordRule.explanation, portal: try await PortalAccountSection.of(user, on: req.db)))
    }

    func updateName(req: Request) async throws -> Response {
        struct Form: Content { var fullName: String }
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        let form = try req.content.decode(Form.self)
        let name = form.fullName.trimmingCharacters(in: .whitespaces)
        var problem: String?
        if name.isEmpty {
            problem = "Vui lòng nhập họ và tên."
        } else if name.count > 100 {
            problem = "Họ và tên dài quá 100 ký tự."
        } else if !TextInput.isClean(name) {
            problem = "Họ và tên chứa ký tự không hợp lệ."
        } else if try await UserModel.nameTaken(name, agency: user.agencyID, except: user.id, on: req.db) {
            problem = UserModel.nameTakenMessage
        }
        if let problem {
            return try await render(
                req, fullName: form.fullName, nameError: problem, passwordError: nil, notice: nil
            ).encodeResponse(status: .unprocessableEntity, for: req)
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
            try await AuthService.changePassword(
                of: user, current: form.current, new: form.new, repeated: form.repeated,
                keeping: AuthService.token(from: req), on: req)
            return req.redirect(to: "/tai-khoan?da-luu=mat-khau")
        } catch let e as ServiceError {
            let response = try await render(req, fullName: nil, nameError: nil, passwordError: e.reason, notice: nil)
                .encodeResponse(status: e.status, for: req)
            response.add(headersOf: e)
            return response
        }
    }

    static let avatarLimit = 1_048_576

    /// "Ảnh đại diện": one file in a multipart form (the form token in the address, as for every
    /// upload), a JPEG or PNG by its content, at most 1 MB; kept in the file store by checksum.
    func uploadAvatar(req: Request) async throws -> Response {
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        func refuse(_ message: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await render(
                req, fullName: nil, nameError: nil, passwordError: nil, avatarError: message, notice: nil
            ).encodeResponse(status: status, for: req)
        }
        guard let upload = UploadForm.collected(req), upload.component == nil, !upload.data.isEmpty else {
            return try await refuse("Chọn một ảnh JPEG hoặc PNG.", .unprocessableEntity)
        }
        guard upload.data.count <= Self.avatarLimit else {
            return try await refuse("Ảnh đại diện tối đa 1 MB.", .payloadTooLarge)
        }
        guard let kind = FileStore.sniff(upload.data), kind == .jpeg || kind == .png else {
            return try await refuse(
                "Ảnh đại diện phải là ảnh JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).",
                .unsupportedMediaType)
        }
        let files = req.motcua.files, data = upload.data
        let stored = try await req.application.workPool.runIfActive { try files.put(data) }
        try await UserModel.query(on: req.db).filter(\.$id == user.id!).set(\.$avatarSHA256, to: stored.sha256).update()
        return req.redirect(to: "/tai-khoan?da-luu=anh")
    }

    func removeAvatar(req: Request) async throws -> Response {
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        try await UserModel.query(on: req.db).filter(\.$id == user.id!).set(\.$avatarSHA256, to: nil).update()
        return req.redirect(to: "/tai-khoan?da-luu=xoa-anh")
    }

    /// The user's own picture (the header shows only one's own); checked against its checksum.
    func avatar(req: Request) async throws -> Response {
        _ = try req.actor()
        guard let sha = req.auth.get(UserModel.self)?.avatarSHA256 else {
            throw ServiceError(.notFound, "Chưa có ảnh đại diện.")
        }
        let files = req.motcua.files
        let data = try await req.application.workPool.runIfActive { try files.get(sha) }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = FileStore.sniff(data) == .png ? .png : .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return response
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// The part of "Thông tin tài khoản" that only the portal's accounts have (issue 22, points 2 and
/// 8): their identity, the choice to receive e-mail, and for an organisation the citizens who act
/// for it (they see its dossiers; a citizen is a member of one organisation at most).
struct PortalAccountSection: Encodable {
    struct Member: Encodable {
        let id: UUID
        let name: String
        let email: String
    }

    let kind: String
    let idLabel: String
    let idNumber: String
    let email: String
    let phone: String
    let notifications: Bool
    /// The messages to the phone the applicant chose (NotificationChannel).
    let sms: Bool
    let zalo: Bool
    let isOrganisation: Bool
    let members: [Member]
    let memberOf: String?

    static func of(_ user: UserModel, on db: any Database) async throws -> PortalAccountSection? {
        guard let kind = user.accountKind else { return nil }
        let organisation = kind == "organisation"
        var members: [Member] = []
        if organisation {
            members = try await UserModel.query(on: db).filter(\.$organisationID == user.id!).sort(\.$fullName).all()
                .map { Member(id: $0.id!, name: $0.fullName, email: $0.email ?? $0.username) }
        }
        var memberOf: String?
        if let id = user.organisationID { memberOf = try await UserModel.find(id, on: db)?.fullName }
        return PortalAccountSection(
            kind: organisation ? "Tổ chức, doanh nghiệp" : "Công dân",
            idLabel: organisation ? "Mã số thuế" : "Số định danh",
            idNumber: user.idNumber ?? user.username, email: user.email ?? "", phone: user.phone ?? "",
            notifications: user.emailOptOutAt == nil,
            sms: NotificationChannel.parse(user.notificationChannels).contains(.sms),
            zalo: NotificationChannel.parse(user.notificationChannels).contains(.zalo), isOrganisation: organisation,
            members: members,
            memberOf: memberOf)
    }

    /// "Nhận thông báo qua thư điện tử": on or off.
    static func setNotifications(req: Request) async throws -> Response {
        struct Form: Content { var on: String? }
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        let on = (try? req.content.decode(Form.self))?.on == "1"
        try await UserModel.query(on: req.db).filter(\.$id == user.id!)
            .set(\.$emailOptOutAt, to: on ? nil : Date().wholeSeconds).update()
        return req.redirect(to: "/tai-khoan?da-luu=" + (on ? "bat-thong-bao" : "tat-thong-bao"))
    }

    /// "Nhận thông báo qua điện thoại": SMS, Zalo, both or neither, to the account's phone.
    static func setChannels(req: Request) async throws -> Response {
        struct Form: Content { var sms: String?; var zalo: String? }
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let chosen = Set(
            [form.sms == "1" ? NotificationChannel.sms : nil, form.zalo == "1" ? .zalo : nil].compactMap { $0 })
        try await UserModel.query(on: req.db).filter(\.$id == user.id!)
            .set(\.$notificationChannels, to: NotificationChannel.text(chosen)).update()
        return req.redirect(to: "/tai-khoan?da-luu=kenh-thong-bao")
    }

    /// An organisation adds a member by the e-mail of their verified citizen account.
    static func addMember(req: Request) async throws -> Response {
        struct Form: Content { var email: String? }
        let organisation = try Self.organisation(req)
        let email = ((try? req.content.decode(Form.self))?.email ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard ApplicantNotice.isAddress(email),
            let member = try await UserModel.query(on: req.db).filter(\.$email == email)
                .filter(\.$accountKind == "person").filter(\.$emailVerifiedAt != nil).first()
        else {
            throw ServiceError(
                .unprocessableEntity, "Không có tài khoản công dân đã xác minh với thư điện tử \"\(email)\".")
        }
        guard member.organisationID == nil || member.organisationID == organisation.id else {
            throw ServiceError(.conflict, "Tài khoản này đã là thành viên của một tổ chức khác.")
        }
        try await UserModel.query(on: req.db).filter(\.$id == member.id!).set(\.$organisationID, to: organisation.id)
            .update()
        return req.redirect(to: "/tai-khoan?da-luu=thanh-vien")
    }

    static func removeMember(req: Request) async throws -> Response {
        struct Form: Content { var member: UUID? }
        let organisation = try Self.organisation(req)
        guard let id = (try? req.content.decode(Form.self))?.member else {
            throw ServiceError(.unprocessableEntity, "Chọn thành viên cần bỏ.")
        }
        // Only a member of this organisation: another's id changes nothing.
        try await UserModel.query(on: req.db).filter(\.$id == id).filter(\.$organisationID == organisation.id)
            .set(\.$organisationID, to: nil).update()
        return req.redirect(to: "/tai-khoan?da-luu=thanh-vien")
    }

    static func organisation(_ req: Request) throws -> UserModel {
        _ = try req.actor()
        let user = req.auth.get(UserModel.self)!
        guard user.accountKind == "organisation" else {
            throw ServiceError(.forbidden, "Chỉ tài khoản tổ chức mới quản lý thành viên.")
        }
        return user
    }
}

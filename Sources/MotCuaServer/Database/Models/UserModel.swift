import Fluent
import Foundation
import MotCuaCore

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "full_name") var fullName: String
    /// Comma-separated role codes.
    @Field(key: "roles") var rolesText: String
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "department_id") var departmentID: UUID?
    /// Set when an administrator disables the account: it can no longer log in.
    @OptionalField(key: "disabled_at") var disabledAt: Date?
    /// The picture shown beside the name, a JPEG or PNG of the file store.
    @OptionalField(key: "avatar_sha256") var avatarSHA256: String?
    // A citizen's or organisation's account of the portal (AddCitizenAccounts).
    /// Lower case; unique.
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    /// A citizen's 12-digit identity number (CCCD); an organisation's tax code.
    @OptionalField(key: "id_number") var idNumber: String?
    @OptionalField(key: "phone") var phone: String?
    /// `person` or `organisation`; nil for staff.
    @OptionalField(key: "account_kind") var accountKind: String?
    /// The organisation account a citizen is a member of: they see its dossiers.
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    /// An external identity (the national portal's SSO): who vouches for it, and its id there.
    @OptionalField(key: "identity_issuer") var identityIssuer: String?
    @OptionalField(key: "identity_subject") var identitySubject: String?
    /// Set when the applicant turned e-mail notifications off.
    @OptionalField(key: "email_opt_out_at") var emailOptOutAt: Date?
    /// The applicant's choice of SMS and Zalo ("sms,zalo"; nil: SMS).
    @OptionalField(key: "notification_channels") var notificationChannels: String?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $username, $passwordHash, $fullName, $rolesText, $agencyID, $departmentID, $disabledAt, $avatarSHA256,
            $email, $emailVerifiedAt, $idNumber, $phone, $accountKind, $organisationID, $identityIssuer,
            $identitySubject, $emailOptOutAt, $notificationChannels,
        ]
    }

    init() {}
    init(
        id: UUID? = nil, username: String, passwordHash: String, fullName: String, roles: Set<Role>, agencyID: UUID?,
        departmentID: UUID?
    ) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.fullName = fullName
        self.rolesText = roles.map(\.rawValue).sorted().joined(separator: ",")
        self.agencyID = agencyID
        self.departmentID = departmentID
    }

    var roles: Set<Role> { Set(rolesText.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
    var scope: Scope {
        Scope.of(roles: roles, userID: id!, agency: agencyID, department: departmentID, organisation: organisationID)
    }
}

extension UserModel {
    /// Whether another account of the same agency (or, for accounts of no agency, another such
    /// account) already goes by this display name, letter case and spacing aside: two accounts of
    /// one agency may not share a name, so a name on a page or in the log points at one person.
    static func nameTaken(_ name: String, agency: UUID?, except id: UUID?, on db: any Database) async throws -> Bool {
        func key(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased() }
        let wanted = key(name)
        let others = try await UserModel.query(on: db).filter(\.$agencyID == agency).field(\.$id).field(\.$fullName)
            .all()
        return others.contains { $0.id != id && key($0.fullName) == wanted }
    }

    static let nameTakenMessage =
        "Tên này đã được một tài khoản khác của cùng cơ quan sử dụng; thêm chữ đệm hoặc chức danh để phân biệt."
}

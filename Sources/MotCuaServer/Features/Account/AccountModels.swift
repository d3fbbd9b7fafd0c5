import Foundation
import Vapor

struct LoginRequest: Content {
    var username: String
    var password: String
}

struct LoginResponse: Content {
    var token: String
    var user: UserView
}

struct UserView: Content {
    var id: UUID
    var username: String
    var fullName: String
    var roles: [String]
    var agencyId: UUID?
    var departmentId: UUID?

    init(_ u: UserModel) {
        id = u.id!
        username = u.username
        fullName = u.fullName
        roles = u.roles.map(\.rawValue).sorted()
        agencyId = u.agencyID
        departmentId = u.departmentID
    }
}

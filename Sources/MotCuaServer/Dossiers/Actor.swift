import Foundation
import MotCuaCore

/// Who performs a service call: a logged-in user, or the system (payment callback, demo loader).
struct Actor: Sendable {
    let id: UUID?
    let name: String
    /// The account's username (nil for the system): recorded in the log beside the display name.
    var username: String? = nil
    let roles: Set<Role>
    let scope: Scope
    let agencyID: UUID?
    let departmentID: UUID?
    /// The payment platform's signed notice (Features/Payments): the only actor that may record an
    /// online payment.
    private(set) var isPaymentPlatform = false
    /// The post's signed delivery notice (Features/Postal): the only actor that returns a result
    /// sent by post.
    private(set) var isPostalService = false

    init(user: UserModel) {
        id = user.id
        name = user.fullName
        username = user.username
        roles = user.roles
        scope = user.scope
        agencyID = user.agencyID
        departmentID = user.departmentID
    }

    init(id: UUID?, name: String, roles: Set<Role>, scope: Scope, agencyID: UUID? = nil, departmentID: UUID? = nil) {
        self.id = id
        self.name = name
        self.roles = roles
        self.scope = scope
        self.agencyID = agencyID
        self.departmentID = departmentID
    }

    /// The applicant, proven by the dossier's code and lookup secret (the portal's rating, the
    /// receipt's QR code): a citizen for the state machine, reaching only that dossier's agency.
    static func applicant(named name: String, agency: UUID) -> Actor {
        Actor(id: nil, name: name, roles: [.citizen], scope: .agency(agency), agencyID: agency)
    }

    /// The payment platform confirming a payment of a dossier of `agency`.
    static func paymentPlatform(agency: UUID) -> Actor {
        var a = Actor(
            id: nil, name: "Nền tảng thanh toán trực tuyến", roles: [.reception], scope: .agency(agency),
            agencyID: agency)
        a.isPaymentPlatform = true
        return a
    }

    /// The public postal service confirming it delivered a result of a dossier of `agency`.
    static func postalService(agency: UUID) -> Actor {
        var a = Actor(
            id: nil, name: "Bưu điện (dịch vụ bưu chính công ích)", roles: [.reception], scope: .agency(agency),
            agencyID: agency)
        a.isPostalService = true
        return a
    }
}

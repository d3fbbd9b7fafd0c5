/// Who may open what: one table, read by the route guards, the left menu and the report scopes
/// (DOMAIN.md section 2). A row is a feature (a page or a group of API routes), the
/// roles that may open it, and for each of them the dossiers it reaches. What a user may do to one
/// dossier is the action table's (StateMachine); this table only opens the doors.
public enum Feature: String, CaseIterable, Sendable {
    // Open to anyone.
    case portal, lookup, publicFiles, login, registration, catalogue, blankForms, paymentNotices
    /// Not a page: the national portal's messages to us (its dossiers), signed by it.
    case nationalInbox
    /// Not a page: the post's delivery notices, signed by it.
    case postalNotices
    /// Not a page: `/healthz`, `/readyz` and `/metrics`, for the load balancer and monitoring.
    case health
    // Any signed-in account.
    case account, home
    // Dossiers.
    case dossierSearch, dossierDetail, intake, printedForms
    // The applicant's own pages of the portal.
    case onlineSubmission, myDossiers
    /// Not a page: the home page's counts of dossiers due today and overdue.
    case deadlines
    case counter, handOver, logBook, assignment
    // Statistics.
    case reports, evaluationScores
    // Administration.
    case users, auditLog, agencies, catalogueLists, procedures, calendar, nationalSync

    /// The page's name as the menu and the manual say it, for refusals.
    public var pageName: String {
        switch self {
        case .portal: "Cổng dịch vụ công"
        case .lookup: "Tra cứu kết quả"
        case .publicFiles: "Chứng thư số công khai"
        case .login: "Đăng nhập"
        case .registration: "Đăng ký tài khoản"
        case .catalogue: "Danh mục thủ tục hành chính"
        case .blankForms: "Mẫu đơn, tờ khai"
        case .paymentNotices: "Thông báo thanh toán trực tuyến"
        case .health: "Tình trạng hoạt động của hệ thống"
        case .account: "Thông tin tài khoản"
        case .home: "Trang chủ"
        case .dossierSearch: "Tra cứu hồ sơ"
        case .dossierDetail: "Xem chi tiết hồ sơ"
        case .intake: "Nộp hồ sơ"
        case .printedForms: "In biểu mẫu"
        case .onlineSubmission: "Nộp hồ sơ trực tuyến"
        case .myDossiers: "Hồ sơ của tôi"
        case .deadlines: "Hồ sơ đến hạn, quá hạn"
        case .counter: "Tiếp nhận hồ sơ"
        case .handOver: "Bàn giao hồ sơ"
        case .logBook: "Sổ theo dõi hồ sơ"
        case .assignment: "Phân công thụ lý"
        case .reports: "Thống kê báo cáo"
        case .evaluationScores: "Điểm đánh giá chỉ số 5 đến 8"
        case .users: "Quản trị người dùng"
        case .auditLog: "Nhật ký quản trị"
        case .agencies: "Cơ quan, đơn vị"
        case .catalogueLists: "Phòng chuyên môn, lĩnh vực"
        case .procedures: "Thủ tục hành chính"
        case .calendar: "Lịch làm việc"
        case .nationalInbox: "Hồ sơ từ Cổng Dịch vụ công quốc gia"
        case .postalNotices: "Thông báo phát kết quả của bưu điện"
        case .nationalSync: "Đồng bộ Cổng Dịch vụ công quốc gia"
        }
    }
}

/// How far a role reaches within a feature.
public enum Reach: String, Sendable, Equatable {
    /// The account's own dossiers (a citizen's, an organisation's).
    case own
    case department
    case agency
    case province
    /// Not about dossiers (an account page, the administration of the province's lists).
    case notDossiers
}

public enum Access {
    public struct Rule: Sendable {
        public let feature: Feature
        /// nil: open to anyone, signed in or not.
        public let reach: [Role: Reach]?

        public var isPublic: Bool { reach == nil }
        public var roles: Set<Role> { Set(reach?.keys ?? [:].keys) }
    }

    /// Each role's usual reach over dossiers: what it sees in "Tra cứu hồ sơ".
    static let dossierReach: [Role: Reach] = [
        .citizen: .own, .reception: .agency, .officer: .department, .head: .department,
        .leader: .agency, .monitor: .province, .admin: .province,
    ]
    static let everyone: [Role: Reach] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, .notDossiers) })
    static let adminOnly: [Role: Reach] = [.admin: .notDossiers]

    /// The table.
    public static let rules: [Feature: Rule] = Dictionary(
        uniqueKeysWithValues: [
            Rule(feature: .portal, reach: nil),
            Rule(feature: .lookup, reach: nil),
            Rule(feature: .publicFiles, reach: nil),
            Rule(feature: .login, reach: nil),
            Rule(feature: .registration, reach: nil),
            Rule(feature: .catalogue, reach: nil),
            Rule(feature: .blankForms, reach: nil),
            // Authenticated by the platform's signature over the body, not by an account.
            Rule(feature: .paymentNotices, reach: nil),
            Rule(feature: .nationalInbox, reach: nil),
            Rule(feature: .postalNotices, reach: nil),
            // The load balancer's and monitoring's; /metrics answers only MOTCUA_METRICS_FROM.
            Rule(feature: .health, reach: nil),
            Rule(feature: .account, reach: everyone),
            Rule(feature: .home, reach: everyone),
            Rule(feature: .dossierSearch, reach: dossierReach),
            Rule(feature: .dossierDetail, reach: dossierReach),
            Rule(feature: .intake, reach: [.citizen: .own, .reception: .agency]),
            Rule(feature: .printedForms, reach: dossierReach),
            // A citizen's or organisation's own dossiers and drafts, never anyone else's.
            Rule(feature: .onlineSubmission, reach: [.citizen: .own]),
            Rule(feature: .myDossiers, reach: [.citizen: .own]),
            // The staff who answer for deadlines; not the administrator, not an applicant.
            Rule(
                feature: .deadlines,
                reach: [
                    .reception: .agency, .officer: .department, .head: .department, .leader: .agency,
                    .monitor: .province,
                ]),
            Rule(feature: .counter, reach: [.reception: .agency]),
            Rule(feature: .handOver, reach: [.reception: .agency]),
            Rule(feature: .logBook, reach: [.reception: .agency, .leader: .agency]),
            Rule(feature: .assignment, reach: [.head: .department]),
            Rule(
                feature: .reports,
                reach: [.head: .department, .leader: .agency, .monitor: .province, .admin: .province]),
            Rule(feature: .evaluationScores, reach: [.leader: .agency, .monitor: .province]),
            Rule(feature: .users, reach: adminOnly),
            Rule(feature: .auditLog, reach: adminOnly),
            Rule(feature: .agencies, reach: adminOnly),
            Rule(feature: .catalogueLists, reach: adminOnly),
            Rule(feature: .procedures, reach: adminOnly),
            Rule(feature: .calendar, reach: adminOnly),
            Rule(feature: .nationalSync, reach: adminOnly),
        ].map { ($0.feature, $0) })

    public static func rule(_ feature: Feature) -> Rule { rules[feature]! }

    /// Whether an account with these roles may open the feature (a public one: anyone).
    public static func allows(_ roles: Set<Role>, _ feature: Feature) -> Bool {
        let rule = rule(feature)
        return rule.isPublic || !rule.roles.isDisjoint(with: roles)
    }

    /// The widest reach of the roles within the feature; nil when none may open it.
    public static func reach(of roles: Set<Role>, in feature: Feature) -> Reach? {
        let order: [Reach] = [.province, .agency, .department, .own, .notDossiers]
        let reaches = roles.compactMap { rule(feature).reach?[$0] }
        return order.first(where: reaches.contains)
    }

    /// The refusal, in Vietnamese: which page, and which roles may open it.
    public static func refusal(_ feature: Feature) -> String {
        let roles = Role.allCases.filter(rule(feature).roles.contains).map(\.vietnameseName)
        return "Trang “\(feature.pageName)” chỉ dành cho: \(roles.joined(separator: ", "))."
    }
}

import Foundation

/// The level of an agency in the administrative tree.
public enum AgencyKind: String, Sendable, Codable, CaseIterable, Hashable {
    case province  // UBND tỉnh / thành phố trực thuộc trung ương
    case provincialDepartment = "provincial_department"  // Sở, ban, ngành
    case district  // UBND huyện / thị xã / thành phố thuộc tỉnh (abolished 1 July 2025)
    case commune  // UBND xã / phường / thị trấn
    /// Trung tâm Phục vụ hành chính công tỉnh / thành phố: receives for every agency of the province
    /// (Nghị định 118/2025/NĐ-CP) and processes nothing itself.
    case serviceCentre = "service_centre"
}

/// What a staff user may see and act on.
public enum Scope: Hashable, Sendable {
    case department(agency: UUID, department: UUID)
    case agency(UUID)
    case everything
    /// A citizen sees only their own dossiers, and those of the organisation account they are a member of.
    case own(UUID, organisation: UUID? = nil)

    /// The scope given by a user's roles (DOMAIN.md section 2): monitors and admins everything;
    /// leaders and reception their agency; heads and officers their department.
    public static func of(
        roles: Set<Role>, userID: UUID, agency: UUID?, department: UUID?, organisation: UUID? = nil
    ) -> Scope {
        if roles.contains(.monitor) || roles.contains(.admin) { return .everything }
        if let agency {
            if roles.contains(.leader) || roles.contains(.reception) { return .agency(agency) }
            if let department, roles.contains(.head) || roles.contains(.officer) {
                return .department(agency: agency, department: department)
            }
            if roles.contains(.head) || roles.contains(.officer) { return .agency(agency) }
        }
        return .own(userID, organisation: organisation)
    }

    /// The accounts whose dossiers an applicant's scope reaches (their own, their organisation's);
    /// none for staff scopes, which reach dossiers by agency or department.
    public var owners: [UUID] {
        guard case .own(let user, let organisation) = self else { return [] }
        return [user] + (organisation.map { [$0] } ?? [])
    }

    /// Whether a dossier of `agency`, processed by `department`, owned by `owner`, is visible; a desk's
    /// agency also sees what its centre received for another agency (`receivedBy`, Nghị định 118/2025).
    public func contains(agency: UUID, department: UUID?, owner: UUID?, receivedBy: UUID? = nil) -> Bool {
        switch self {
        case .everything: true
        case .agency(let a): a == agency || a == receivedBy
        case .department(let a, let d): a == agency && d == department
        case .own(let u, let o): owner != nil && (owner == u || owner == o)
        }
    }
}

/// How a procedure may be done online.
public enum OnlineLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case full = "full"  // toàn trình
    case partial = "partial"  // một phần
    case none = "none"

    public var vietnameseName: String {
        switch self {
        case .full: "Toàn trình"
        case .partial: "Một phần"
        case .none: "Không trực tuyến"
        }
    }
}

/// When fees are collected.
public enum FeeTiming: String, Sendable, Codable, CaseIterable, Hashable {
    case before  // thu trước
    case after  // thu sau
    case exempt  // miễn

    public var vietnameseName: String {
        switch self {
        case .before: "Thu trước khi giải quyết"
        case .after: "Thu khi trả kết quả"
        case .exempt: "Miễn phí"
        }
    }
}

/// A unit of processing time, as stored with a procedure.
public enum TimeUnit: String, Sendable, Codable, CaseIterable, Hashable {
    case workingDays = "working_days"
    case calendarDays = "calendar_days"
    case workingHours = "working_hours"

    public func time(_ amount: Double) -> ProcessingTime {
        switch self {
        case .workingDays: .workingDays(amount)
        case .calendarDays: .calendarDays(Int(amount.rounded()))
        case .workingHours: .workingHours(amount)
        }
    }

    public var vietnameseName: String {
        switch self {
        case .workingDays: "ngày làm việc"
        case .calendarDays: "ngày"
        case .workingHours: "giờ làm việc"
        }
    }
}

/// A required component of a procedure's dossier (thành phần hồ sơ).
public struct ComponentRequirement: Hashable, Sendable, Codable {
    public enum Form: String, Sendable, Codable, CaseIterable, Hashable {
        case original  // bản chính
        case copy  // bản sao
        case certifiedCopy = "certified_copy"  // bản sao chứng thực

        public var vietnameseName: String {
            switch self {
            case .original: "Bản chính"
            case .copy: "Bản sao"
            case .certifiedCopy: "Bản sao chứng thực"
            }
        }
    }

    public var name: String
    public var form: Form
    public var count: Int
    public var mandatory: Bool
    /// The blank form to download, if any: its file name, and the checksum of the file uploaded by
    /// the administrator (kept in the file store; no checksum: a name only, nothing to download yet).
    public var blankForm: String?
    public var blankFormSHA256: String?

    public init(
        name: String, form: Form, count: Int = 1, mandatory: Bool = true, blankForm: String? = nil,
        blankFormSHA256: String? = nil
    ) {
        self.name = name
        self.form = form
        self.count = count
        self.mandatory = mandatory
        self.blankForm = blankForm
        self.blankFormSHA256 = blankFormSHA256
    }
}

/// A step of a procedure's internal process with its share of the time (quy trình nội bộ).
public struct ProcessStep: Hashable, Sendable, Codable {
    public var name: String
    /// The step's share in working days (or in the procedure's unit).
    public var share: Double

    public init(name: String, share: Double) {
        self.name = name
        self.share = share
    }
}

/// The terms of a procedure that a dossier keeps from its receipt (DOMAIN.md section 3: later
/// catalogue edits do not change open dossiers).
public struct ProcedureTerms: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var timeAmount: Double
    public var timeUnit: TimeUnit
    /// The time for online submissions, when it differs.
    public var onlineTimeAmount: Double?
    public var feeVND: Int
    public var feeTiming: FeeTiming
    public var onlineLevel: OnlineLevel
    public var components: [ComponentRequirement]
    public var steps: [ProcessStep]
    public var resultType: String
    /// The declaration as an e-form the applicant fills online (EForm); nil when it is a paper to upload.
    public var declaration: EForm?

    public init(
        code: String, name: String, timeAmount: Double, timeUnit: TimeUnit, onlineTimeAmount: Double? = nil,
        feeVND: Int,
        feeTiming: FeeTiming, onlineLevel: OnlineLevel, components: [ComponentRequirement], steps: [ProcessStep],
        resultType: String, declaration: EForm? = nil
    ) {
        self.code = code
        self.name = name
        self.timeAmount = timeAmount
        self.timeUnit = timeUnit
        self.onlineTimeAmount = onlineTimeAmount
        self.feeVND = feeVND
        self.feeTiming = feeTiming
        self.onlineLevel = onlineLevel
        self.components = components
        self.steps = steps
        self.resultType = resultType
        self.declaration = declaration
    }

    /// The legal processing time for a channel.
    public func processingTime(channel: DossierChannel) -> ProcessingTime {
        timeUnit.time(channel == .online ? (onlineTimeAmount ?? timeAmount) : timeAmount)
    }

    /// A default internal process for a time in working days: reception, assignment, processing,
    /// review, signing, returning, with the processing step taking what the others leave.
    public static func defaultSteps(totalDays: Double) -> [ProcessStep] {
        let small = totalDays >= 3 ? 0.5 : totalDays / 8
        return [
            ProcessStep(name: "Tiếp nhận hồ sơ", share: small),
            ProcessStep(name: "Phân công thụ lý", share: small),
            ProcessStep(name: "Thụ lý hồ sơ", share: totalDays - 4 * small),
            ProcessStep(name: "Xét duyệt", share: small),
            ProcessStep(name: "Ký duyệt", share: small),
            ProcessStep(name: "Trả kết quả", share: 0),
        ]
    }
}

/// Who may be assigned a dossier (DOMAIN.md section 5, "Phân công thụ lý"): an officer of the
/// agency that handles it, in its department (or attached to the agency as a whole).
public enum Assignment {
    public static func mayBeAssigned(
        roles: Set<Role>, agency: UUID?, department: UUID?,
        toDossierOf dossierAgency: UUID, department dossierDepartment: UUID
    ) -> Bool {
        roles.contains(.officer) && agency == dossierAgency && (department == nil || department == dossierDepartment)
    }
}

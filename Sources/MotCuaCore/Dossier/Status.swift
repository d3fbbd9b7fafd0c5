import Foundation
/// The ten statuses of the National Public Service Portal (DOMAIN.md section 5).
public enum Status: String, Sendable, Codable, CaseIterable, Hashable {
    case submitted = "submitted"
    case received = "received"
    case rejected = "rejected"
    case processing = "processing"
    case awaitingSupplement = "awaiting_supplement"
    case awaitingPayment = "awaiting_payment"
    case withdrawn = "withdrawn"
    case refused = "refused"
    case completed = "completed"
    case returned = "returned"

    /// The national code, 1-10.
    public var code: Int {
        switch self {
        case .submitted: 1
        case .received: 2
        case .rejected: 3
        case .processing: 4
        case .awaitingSupplement: 5
        case .awaitingPayment: 6
        case .withdrawn: 7
        case .refused: 8
        case .completed: 9
        case .returned: 10
        }
    }

    public init?(code: Int) {
        guard let s = Status.allCases.first(where: { $0.code == code }) else { return nil }
        self = s
    }

    /// The national portal's name.
    public var nationalName: String {
        switch self {
        case .submitted: "Mới đăng ký"
        case .received: "Được tiếp nhận"
        case .rejected: "Không được tiếp nhận"
        case .processing: "Đang xử lý"
        case .awaitingSupplement: "Yêu cầu bổ sung giấy tờ"
        case .awaitingPayment: "Yêu cầu thực hiện nghĩa vụ tài chính"
        case .withdrawn: "Công dân yêu cầu rút hồ sơ"
        case .refused: "Dừng xử lý"
        case .completed: "Đã xử lý xong"
        case .returned: "Đã trả kết quả"
        }
    }

    /// The name the manual (and so the UI) uses.
    public var manualName: String {
        switch self {
        case .submitted: "Chờ tiếp nhận trực tuyến"
        case .received: "Chờ bàn giao"
        case .rejected: "Từ chối tiếp nhận"
        case .processing: "Đang thụ lý"
        case .awaitingSupplement: "Chờ bổ sung điều kiện"
        case .awaitingPayment: "Chờ hoàn thành thanh toán"
        case .withdrawn: "Rút hồ sơ"
        case .refused: "Từ chối giải quyết"
        case .completed: "Chờ trả kết quả"
        case .returned: "Đã trả kết quả"
        }
    }

    /// The status as the applicant reads it in "Hồ sơ của tôi": what it means for them.
    public var applicantName: String {
        switch self {
        case .submitted: "Đã nộp, chờ Bộ phận Một cửa tiếp nhận"
        case .received: "Đã tiếp nhận"
        case .rejected: "Không được tiếp nhận"
        case .processing: "Đang giải quyết"
        case .awaitingSupplement: "Cần bổ sung hồ sơ"
        case .awaitingPayment: "Chờ nộp phí, lệ phí"
        case .withdrawn: "Đã rút hồ sơ"
        case .refused: "Từ chối giải quyết"
        case .completed: "Đã có kết quả, chờ trả"
        case .returned: "Đã trả kết quả"
        }
    }

    /// Still being handled by the agency (withdrawal is possible).
    public var isOpen: Bool {
        switch self {
        case .submitted, .received, .processing, .awaitingSupplement, .awaitingPayment: true
        default: false
        }
    }

    /// The open statuses' stored values, for a query's `IN (...)`.
    public static let openValues = allCases.filter(\.isOpen).map(\.rawValue)

    /// The clock stands still.
    public var isPaused: Bool { self == .awaitingSupplement || self == .awaitingPayment }

    /// The statuses whose legal clock runs: received and being handled, neither paused nor finished
    /// (an online submission's clock starts at its reception).
    public static let clockRunning: [Status] = [.received, .processing]

    public var clockRuns: Bool { Self.clockRunning.contains(self) }
}

/// How urgent a dossier is for the one who holds it (the lists' row colours, the head's queue):
/// overdue past its due date, due soon within 24 hours, and only while its clock runs.
public enum Urgency: String, Sendable {
    case none = ""
    case dueSoon = "due-soon"
    case overdue

    public static let soon: Double = 24 * 3600

    public static func of(status: Status, due: Date?, at now: Date) -> Urgency {
        guard let due, status.clockRuns else { return .none }
        return due < now ? .overdue : due.timeIntervalSince(now) < soon ? .dueSoon : .none
    }
}

/// Where a dossier stands inside `processing`.
public enum Step: String, Sendable, Codable, CaseIterable, Hashable {
    case awaitingAssignment = "awaiting_assignment"
    case inProgress = "in_progress"
    case awaitingReview = "awaiting_review"
    case awaitingSignature = "awaiting_signature"

    public var vietnameseName: String {
        switch self {
        case .awaitingAssignment: "Chờ phân công"
        case .inProgress: "Đang thụ lý"
        case .awaitingReview: "Chờ xét duyệt"
        case .awaitingSignature: "Chờ ký duyệt"
        }
    }
}

/// Status plus step; the step is set exactly when the status is `processing`.
public struct DossierState: Hashable, Sendable, CustomStringConvertible {
    public let status: Status
    public let step: Step?

    public init(_ status: Status, _ step: Step? = nil) {
        precondition((status == .processing) == (step != nil), "a step belongs to processing only")
        self.status = status
        self.step = step
    }

    /// Every state a dossier can be in.
    public static let all: [DossierState] = Status.allCases.flatMap { status in
        status == .processing ? Step.allCases.map { DossierState(.processing, $0) } : [DossierState(status)]
    }

    public var description: String { step.map { "\(status.rawValue)/\($0.rawValue)" } ?? status.rawValue }

    /// A state from its stored text (`description`): `received`, `processing/in_progress`...; nil
    /// for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let status = Status(rawValue: parts[0]) else { return nil }
        let step = parts.count > 1 ? Step(rawValue: parts[1]) : nil
        guard parts.count == 1 || step != nil, (status == .processing) == (step != nil) else { return nil }
        self.init(status, step)
    }

    /// The step of the procedure's internal process (ProcedureTerms.steps) that a dossier in this
    /// state is in, for the step deadlines: receipt, assignment, processing, review, signature,
    /// return of the result. nil where no step runs (submitted, paused, finished).
    public var processStepIndex: Int? {
        switch (status, step) {
        case (.received, _): 0
        case (.processing, .awaitingAssignment?): 1
        case (.processing, .inProgress?): 2
        case (.processing, .awaitingReview?): 3
        case (.processing, .awaitingSignature?): 4
        case (.completed, _): 5
        default: nil
        }
    }

    /// "Đang thụ lý - Chờ phân công"; a step named as its status is said once ("Đang thụ lý").
    public var vietnameseName: String {
        guard let step, step.vietnameseName != status.manualName else { return status.manualName }
        return "\(status.manualName) - \(step.vietnameseName)"
    }
}

/// Roles (DOMAIN.md section 2).
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case citizen, reception, officer, head, leader, admin, monitor

    public var vietnameseName: String {
        switch self {
        case .citizen: "Công dân / Tổ chức"
        case .reception: "Cán bộ tiếp nhận"
        case .officer: "Chuyên viên thụ lý"
        case .head: "Lãnh đạo phòng chuyên môn"
        case .leader: "Lãnh đạo đơn vị"
        case .admin: "Quản trị hệ thống"
        case .monitor: "Lãnh đạo tỉnh / Văn phòng UBND"
        }
    }
}

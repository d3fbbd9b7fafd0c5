import Foundation

/// How a fee was paid (DOMAIN.md section 11). Cash and transfer are recorded by the desk; an
/// online payment only by the payment platform's signed notice, so the 766 index's "Tỷ lệ thanh
/// toán trực tuyến" counts what the platform confirmed, never what someone typed.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable, Hashable {
    case cash, transfer, online

    public var vietnameseName: String {
        switch self {
        case .cash: "Tiền mặt tại Bộ phận Một cửa"
        case .transfer: "Chuyển khoản"
        case .online: "Thanh toán trực tuyến"
        }
    }

    /// What the desk may choose when it confirms a payment.
    public static let recordedAtDesk: [PaymentMethod] = [.cash, .transfer]
}

/// Where a dossier's payment stands (DOMAIN.md section 11).
public enum PaymentStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Requested ("Yêu cầu thực hiện nghĩa vụ tài chính"), the clock paused.
    case awaiting
    case paid
    /// The dossier left "Chờ thanh toán" another way (withdrawn).
    case cancelled
}

/// What an action does to a dossier's payment: pure, so the service and the demo loader record
/// the same thing.
public enum PaymentEffect: Equatable, Sendable {
    /// A payment is requested for this amount.
    case request(amountVND: Int?)
    /// The requested payment (or, for a dossier paused before payments were recorded, a new one) is paid.
    case pay(method: PaymentMethod, receipt: String, amountVND: Int?)
    /// The dossier left "Chờ thanh toán" without paying.
    case cancel

    /// The effect of `action` taken from `from` to `to`, or nil when the payment is untouched.
    public static func of(_ action: Action, from: DossierState, to: DossierState, inputs: ActionInputs)
        -> PaymentEffect?
    {
        switch action {
        case .requestPayment: return .request(amountVND: inputs.amount)
        case .confirmPayment:
            return .pay(
                method: inputs.paymentMethod ?? .cash, receipt: inputs.paymentReceipt ?? "", amountVND: inputs.amount)
        default: return from.status == .awaitingPayment && to.status != .awaitingPayment ? .cancel : nil
        }
    }
}

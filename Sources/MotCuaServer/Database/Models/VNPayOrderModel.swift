import Fluent
import Foundation

/// An order sent to VNPay for a dossier's requested fee (migration 024). `pending` until VNPay
/// answers by its IPN (or by `querydr` when no IPN came): `paid` once the payment is recorded,
/// `failed` when VNPay says the citizen did not pay.
final class VNPayOrderModel: Model, @unchecked Sendable {
    static let schema = "vnpay_orders"
    enum Status: String { case pending, paid, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "txn_ref") var txnRef: String
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "payment_id") var paymentID: UUID
    @Field(key: "amount_vnd") var amountVND: Int
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "response_code") var responseCode: String?
    @OptionalField(key: "bank_transaction_no") var bankTransactionNo: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $txnRef, $dossierID, $paymentID, $amountVND, $status, $createdAt, $expiresAt, $responseCode,
            $bankTransactionNo, $answeredAt,
        ]
    }

    init() {}
}

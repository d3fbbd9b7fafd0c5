import Fluent
import Foundation
import MotCuaCore

/// A dossier's payment of a fee (DOMAIN.md section 11): requested, then paid or cancelled. The
/// log keeps every step; this row is what the 766 index counts. `transaction_id` is the payment
/// platform's own reference, unique, so a notice delivered twice records one payment.
final class PaymentModel: Model, @unchecked Sendable {
    static let schema = "payments"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "department_id") var departmentID: UUID
    @Field(key: "procedure_id") var procedureID: UUID
    /// `PaymentStatus`.
    @Field(key: "status") var status: String
    @OptionalField(key: "amount_vnd") var amountVND: Int?
    /// `PaymentMethod`, once paid.
    @OptionalField(key: "method") var method: String?
    @OptionalField(key: "receipt") var receipt: String?
    @OptionalField(key: "transaction_id") var transactionID: String?
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "paid_at") var paidAt: Date?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $agencyID, $departmentID, $procedureID, $status, $amountVND, $method, $receipt,
            $transactionID, $requestedAt, $paidAt,
        ]
    }

    init() {}

    init(of d: DossierModel, at now: Date) {
        dossierID = d.id!
        agencyID = d.agencyID
        departmentID = d.departmentID
        procedureID = d.procedureID
        status = PaymentStatus.awaiting.rawValue
        requestedAt = now
    }

    /// Carries out an action's effect on the dossier's payment: `awaiting` is its open request, if
    /// any. Returns the row to save (new or changed), nil when there is none.
    static func apply(
        _ effect: PaymentEffect, of d: DossierModel, awaiting: PaymentModel?, transactionID: String? = nil, at now: Date
    ) -> PaymentModel? {
        switch effect {
        case .request(let amount):
            let p = PaymentModel(of: d, at: now)
            p.amountVND = amount
            return p
        case .pay(let method, let receipt, let amount):
            let p = awaiting ?? PaymentModel(of: d, at: now)
            p.status = PaymentStatus.paid.rawValue
            p.method = method.rawValue
            p.receipt = receipt
            p.transactionID = transactionID
            if let amount { p.amountVND = amount }
            p.paidAt = now
            return p
        case .cancel:
            awaiting?.status = PaymentStatus.cancelled.rawValue
            return awaiting
        }
    }

    /// The dossier's open request, if any.
    static func awaiting(of dossierID: UUID, on db: any Database) async throws -> PaymentModel? {
        try await query(on: db).filter(\.$dossierID == dossierID).filter(\.$status == PaymentStatus.awaiting.rawValue)
            .first()
    }
}

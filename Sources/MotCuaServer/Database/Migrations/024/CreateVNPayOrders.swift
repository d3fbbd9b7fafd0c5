import Fluent
import SQLKit

/// The orders sent to VNPay (issue 22): one per "Thanh toán qua VNPay", its own unique reference
/// (`vnp_TxnRef`), the amount asked, and what VNPay's IPN said. The payment itself is the
/// `payments` row the IPN confirms.
struct CreateVNPayOrders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VNPayOrderModel.schema)
            .id()
            .field("txn_ref", .string, .required)
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("payment_id", .uuid, .required, .references("payments", "id"))
            .field("amount_vnd", .int, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("response_code", .string)
            .field("bank_transaction_no", .string)
            .field("answered_at", .datetime)
            .unique(on: "txn_ref")
            .create()
        // The reconciliation asks VNPay about the orders still waiting, oldest first.
        try await SecondaryIndex(
            "idx_vnpay_orders_waiting", on: VNPayOrderModel.schema, ["created_at"],
            where: "status = 'pending'"
        ).create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VNPayOrderModel.schema).delete()
    }
}

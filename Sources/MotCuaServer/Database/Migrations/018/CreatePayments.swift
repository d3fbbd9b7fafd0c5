import Fluent
import SQLKit

/// Dossiers' payments (DOMAIN.md section 11), the facts behind the 766 index's "Tỷ lệ thanh toán
/// trực tuyến": counted per month from the partial index of paid rows.
struct CreatePayments: AsyncMigration {
    static let indexes: [SecondaryIndex] = [
        .init("idx_payments_dossier", on: "payments", ["dossier_id"]),
        .init(
            "idx_payments_paid", on: "payments", ["paid_at", "agency_id", "department_id", "method"],
            where: "status = 'paid'"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("payments")
            .id()
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("agency_id", .uuid, .required)
            .field("department_id", .uuid, .required)
            .field("procedure_id", .uuid, .required)
            .field("status", .string, .required)
            .field("amount_vnd", .int)
            .field("method", .string)
            .field("receipt", .string)
            .field("transaction_id", .string)
            .field("requested_at", .datetime, .required)
            .field("paid_at", .datetime)
            .unique(on: "transaction_id")
            .create()
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("payments").delete()
    }
}

import Fluent

/// Results sent by post (issue 25, point 4): one shipment per dossier, its tracking number, and
/// what the post said of it last (in transit, delivered on a date, sent back).
struct CreatePostalShipments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PostalShipments.table)
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("tracking_number", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .field("receiver", .string)
            .field("note", .string)
            .unique(on: "dossier_id")
            .unique(on: "tracking_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PostalShipments.table).delete()
    }
}

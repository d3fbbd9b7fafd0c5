import Fluent
import SQLKit

/// Custom reports saved under a name, private or shared within the agency.
struct CreateSavedReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("saved_reports")
            .id()
            .field("name", .string, .required)
            .field("owner_id", .uuid, .required, .references("users", "id"))
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("shared", .bool, .required)
            .field("query", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "idx_saved_reports_owner").on("saved_reports").column(
            "owner_id"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("saved_reports").delete()
    }
}

import Fluent
import SQLKit

/// The yearly official schedules (DOMAIN.md section 6): a row per stored year, a row per entry.
struct CreateCalendar: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_years")
            .id()
            .field("year", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "year")
            .create()
        try await database.schema("calendar_entries")
            .id()
            .field("year", .int, .required)
            .field("date", .string, .required)
            .field("kind", .string, .required)
            .field("description", .string, .required)
            .unique(on: "date")
            .create()
        try await (database as! any SQLDatabase).create(index: "idx_calendar_entries_year").on("calendar_entries")
            .column("year").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("calendar_entries").delete()
        try await database.schema("calendar_years").delete()
    }
}

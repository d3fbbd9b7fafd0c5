import Fluent
import MotCuaCore
import SQLKit

/// Statistics (DOMAIN.md section 9) without reading the dossiers: the tallies of every dossier by
/// day, month and year and by agency, department, procedure and field, written in the transaction
/// of each action (`ReportTallyStore`); and on the dossier when and how it ended, so that a report's
/// numbers can be listed. Existing dossiers are counted once here.
struct CountReports: AsyncMigration {
    /// The table and its count columns as released (frozen: a later change to `Tally` or to the
    /// tally store must not change what this migration makes).
    static let table = "report_tallies"
    static let columns = [
        "received_online", "received_direct", "resolved_early", "resolved_on_time", "resolved_late",
        "withdrawn", "overdue_from", "overdue_until",
    ]

    /// In one transaction: counting a large database takes minutes, and a migration cut short must
    /// leave nothing behind to trip the next attempt.
    func prepare(on database: any Database) async throws {
        try await database.transaction { try await self.prepareInTransaction(on: $0) }
    }

    private func prepareInTransaction(on database: any Database) async throws {
        try await database.schema("dossiers").field("finished_at", .datetime).update()
        try await database.schema("dossiers").field("resolution", .string).update()
        var table = database.schema(Self.table)
            .field("level", .int, .required)
            .field("bucket", .string, .required)
            .field("agency_id", .uuid, .required)
            .field("department_id", .uuid, .required)
            .field("procedure_id", .uuid, .required)
            .field("field_id", .uuid, .required)
        for column in Self.columns { table = table.field(FieldKey(stringLiteral: column), .int, .required) }
        try await table.unique(on: "level", "bucket", "agency_id", "department_id", "procedure_id", "field_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_dossiers_finished").on("dossiers").column("finished_at").run()
        // The dossiers are counted by migration 019 (CountListReports), which adds the list tallies
        // and rebuilds the table: counting here would write columns the table does not have yet.
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.table).delete()
        try await (database as! any SQLDatabase).drop(index: "idx_dossiers_finished").run()
        try await database.schema("dossiers").deleteField("resolution").update()
        try await database.schema("dossiers").deleteField("finished_at").update()
    }
}

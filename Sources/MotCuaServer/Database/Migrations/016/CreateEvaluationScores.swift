import Fluent

/// The scores an evaluator gives an agency for a year on the indicators of Thông tư 01/2018 that
/// the dossiers cannot tell (5 to 8: reception at the desk, publicity, attitude, feedback).
struct CreateEvaluationScores: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evaluation_scores")
            .id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("year", .int, .required)
            .field("indicator_5", .int)
            .field("indicator_6", .int)
            .field("indicator_7", .int)
            .field("indicator_8", .int)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evaluation_scores").delete()
    }
}

import Fluent
import SQLKit

/// The results issued electronically (signed at "Ký duyệt", `result_json`) by completion date and
/// agency, partial: the 766 index's "Tỷ lệ kết quả điện tử" counts them per month from this index
/// alone, next to the completions of `idx_dossiers_completed`.
struct IndexSignedResults: AsyncMigration {
    static let indexes: [SecondaryIndex] = [
        .init(
            "idx_dossiers_signed_results", on: "dossiers", ["completed_at", "agency_id", "department_id"],
            where: "result_json IS NOT NULL")
    ]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    func revert(on database: any Database) async throws {
        for index in Self.indexes { try await index.drop(on: database as! any SQLDatabase) }
    }
}

import Fluent
import SQLKit

/// The dates the reports select by: the finish (resolved, refused, withdrawn, the officers'
/// evaluation), the return of the result, the completion and the satisfaction answer. Partial
/// where the date is mostly empty (a range on the date implies it is not null, so both planners
/// use them), and covering what the reports count by (status, the answer, the groups), so that a
/// count per group of a period reads the index only.
struct IndexReportDates: AsyncMigration {
    static let groups = ["agency_id", "department_id", "procedure_id", "field_id"]
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_finished", on: "dossiers", ["finished_at"]),
        .init(
            "idx_dossiers_returned", on: "dossiers", ["returned_at", "status"] + groups,
            where: "returned_at IS NOT NULL"),
        .init(
            "idx_dossiers_completed", on: "dossiers", ["completed_at", "status"] + groups,
            where: "completed_at IS NOT NULL"),
        .init("idx_dossiers_rated", on: "dossiers", ["rated_at", "rating"] + groups, where: "rated_at IS NOT NULL"),
    ]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    func revert(on database: any Database) async throws {
        for index in Self.indexes.dropFirst() { try await index.drop(on: database as! any SQLDatabase) }
    }
}

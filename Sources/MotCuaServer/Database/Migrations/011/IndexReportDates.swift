import Fluent
import SQLKit

/// The dates the reports select by: the finish (resolved, refused, withdrawn, the officers'
/// evaluation), the return of the result, the completion and the satisfaction answer. Partial
/// where the date is mostly empty; a range on the date implies it is not null, so both planners
/// use them.
struct IndexReportDates: AsyncMigration {
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_finished", on: "dossiers", ["finished_at"]),
        .init("idx_dossiers_returned", on: "dossiers", ["returned_at"], where: "returned_at IS NOT NULL"),
        .init("idx_dossiers_completed", on: "dossiers", ["completed_at"], where: "completed_at IS NOT NULL"),
        .init("idx_dossiers_rated", on: "dossiers", ["rated_at"], where: "rated_at IS NOT NULL"),
    ]

    func prepare(on database: any Database) async throws {
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    func revert(on database: any Database) async throws {
        for index in Self.indexes.dropFirst() { try await index.drop(on: database as! any SQLDatabase) }
    }
}

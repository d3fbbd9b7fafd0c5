import Fluent
import SQLKit

/// A name searched within an agency or a department is counted from these indexes alone: the
/// scope's column, then the applicant's searchable name and the id (Fluent counts ids), so "the
/// first 10,000 matches" reads index entries and never the rows. A common word ("nguyen", "van", a given name) matches
/// tens of
/// thousands of dossiers of a province; through the full-text index the count cost 100-350 ms at a
/// million dossiers in an agency of 100,000, from these 20-25 ms (DossierQuery.nameCondition).
struct IndexScopedNames: AsyncMigration {
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_agency_name", on: "dossiers", ["agency_id", "applicant_search", "id"]),
        .init("idx_dossiers_department_name", on: "dossiers", ["department_id", "applicant_search", "id"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes { try await index.create(on: sql) }
        try await sql.raw(sql.dialect.name == "postgresql" ? "ANALYZE dossiers" : "ANALYZE").run()
    }

    func revert(on database: any Database) async throws {
        for index in Self.indexes { try await index.drop(on: database as! any SQLDatabase) }
    }
}

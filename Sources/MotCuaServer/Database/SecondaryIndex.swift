import SQLKit

/// A secondary index (not a key or a unique constraint): made by the migrations, and dropped and
/// rebuilt around a bulk load, since building an index once over a million sorted rows is far
/// cheaper than inserting the rows into it one by one at random places.
struct SecondaryIndex: Sendable {
    let name: String
    let table: String
    let columns: [String]
    /// A partial index's condition (both databases know `CREATE INDEX ... WHERE`); our own constant SQL.
    let condition: String?

    init(_ name: String, on table: String, _ columns: [String], where condition: String? = nil) {
        self.name = name
        self.table = table
        self.columns = columns
        self.condition = condition
    }

    /// Creates the index unless it exists (both databases know `IF NOT EXISTS`; SQLKit's builder does not).
    func create(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            CREATE INDEX IF NOT EXISTS \(ident: name) ON \(ident: table) \
            (\(idents: columns, joinedBy: ", "))\(unsafeRaw: condition.map { " WHERE " + $0 } ?? "")
            """
        ).run()
    }

    func drop(on sql: any SQLDatabase) async throws {
        try await sql.drop(index: name).ifExists().run()
    }

    /// The indexes of the tables a demo load fills.
    static var bulkLoaded: [SecondaryIndex] {
        (CreateDossier.indexes + IndexListSorts.indexes + IndexDossierText.indexes + IndexReportDates.indexes
            + IndexDrillDowns.indexes + IndexSignedResults.indexes + IndexScopedNames.indexes).filter {
                $0.table == "dossiers" || $0.table == "dossier_components"
            }
    }
}

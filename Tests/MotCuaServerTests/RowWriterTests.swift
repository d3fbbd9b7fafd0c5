import Fluent
import MotCuaTestSupport
import SQLKit
import Testing
@testable import MotCuaServer

/// The rows written with SQLKit list exactly the columns of the Fluent models that read them.
@Suite struct RowWriterTests {
    func keys<M: Model>(_ model: M.Type) -> [String] { M.keys.map(\.description) }

    @Test func columnsAreTheModelsFields() {
        #expect(Set(DossierModel.columns) == Set(keys(DossierModel.self)))
        #expect(DossierModel.columns.count == keys(DossierModel.self).count)
        #expect(Set(DossierComponentModel.columns) == Set(keys(DossierComponentModel.self)))
        #expect(Set(LogChain.Entry.columns) == Set(keys(LogEntryModel.self)))
        #expect(LogChain.Entry.schema == LogEntryModel.schema)
    }
}

/// `update(changedSince:guards:)`: the columns changed since the read and nothing else, only while
/// every guard still holds; on both databases.
@Suite(.serialized) struct RowUpdateTests {
    @Test(arguments: TestDatabase.available)
    func onlyChangedColumnsAreWrittenAndOnlyWhileTheGuardsHold(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 3) { t in
            let d = try await DossierModel.query(on: t.app.db).sort(\.$code).first()!
            let read = d.values
            let version = d.version
            // Another writer changes a column this one does not touch, and one it does.
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("UPDATE dossiers SET applicant_phone = '0900000002' WHERE id = \(bind: d.id!)").run()
            d.contentSummary = "Nội dung đã sửa"
            d.version = version + 1
            #expect(try await d.update(changedSince: read, guards: [("version", Cell(version))], on: t.app.db))
            var stored = try await DossierModel.find(d.id, on: t.app.db)!
            #expect(stored.contentSummary == "Nội dung đã sửa" && stored.version == version + 1)
            #expect(stored.applicantPhone == "0900000002")
            // The guard no longer holds: nothing is written.
            d.contentSummary = "Lần sửa thứ hai"
            #expect(try await !d.update(changedSince: read, guards: [("version", Cell(version))], on: t.app.db))
            stored = try await DossierModel.find(d.id, on: t.app.db)!
            #expect(stored.contentSummary == "Nội dung đã sửa")
            // Nothing changed since the read: nothing to write.
            #expect(try await !stored.update(changedSince: stored.values, guards: [], on: t.app.db))
        }
    }
}

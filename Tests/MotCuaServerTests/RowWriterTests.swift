import Fluent
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

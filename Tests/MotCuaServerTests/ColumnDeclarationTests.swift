import Fluent
import MotCuaCore
import Foundation
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// A dossier column is declared in several places that must not drift: the migrations (what the
/// database has), the Fluent model, the row writer's column list, and the API's summary with its
/// description in openapi.yaml. Same for the log entry and the components.
@Suite(.serialized) struct ColumnDeclarationTests {
    func keys<M: Model>(_ model: M.Type) -> Set<String> { Set(M.keys.map(\.description)) }

    @Test(arguments: TestDatabase.available)
    func migrationsModelsAndRowWriterDeclareTheSameColumns(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let sql = t.app.db as! any SQLDatabase
            func columns(_ table: String) async throws -> Set<String> {
                let query: SQLQueryString = db == .sqlite
                    ? "SELECT name FROM pragma_table_info(\(bind: table))"
                    : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table)"
                return Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
            }
            let dossiers = try await columns(DossierModel.schema)
            #expect(dossiers == keys(DossierModel.self), "database \(dossiers.symmetricDifference(keys(DossierModel.self)))")
            #expect(dossiers == Set(DossierModel.columns), "row writer \(dossiers.symmetricDifference(Set(DossierModel.columns)))")
            let log = try await columns(LogEntryModel.schema)
            #expect(log == keys(LogEntryModel.self))
            #expect(log == Set(LogChain.Entry.columns))
            let components = try await columns(DossierComponentModel.schema)
            #expect(components == keys(DossierComponentModel.self))
            #expect(components == Set(DossierComponentModel.columns))
            #expect(try await columns(UserModel.schema) == keys(UserModel.self))
            #expect(try await columns(AuditEntryModel.schema) == keys(AuditEntryModel.self))
        }
    }

    /// The summary the API returns has exactly the properties openapi.yaml describes.
    /// The released tally migrations (008, 019) declare their own columns; the count itself runs
    /// after every migration, by today's code, whenever the tallies are empty beside dossiers.
    @Test(arguments: TestDatabase.available)
    func emptiedTalliesAreCountedAgainAfterTheMigrations(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 40) { t in
            #expect(CountReports.columns + CountListReports.added == Tally.allCases.map(\.column))
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM report_tallies").run()
            #expect(try await !Launch.checkReports(t.app).isEmpty, "the emptied table disagrees with a recount")
            try await Launch.migrate(t.app)
            #expect(try await Launch.checkReports(t.app).isEmpty)
        }
    }

    @Test func theAPISummaryIsDescribed() async throws {
        try await TestApp.with(.sqlite) { t in
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            let summary = try #require(created.json["dossier"] as? [String: Any])
            let yaml = try String(contentsOfFile: "openapi.yaml", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(yaml.firstIndex(of: "    DossierSummary:"))
            var described = Set<String>()
            var inProperties = false
            for line in yaml[(start + 1)...] {
                if !line.hasPrefix("      ") { break }
                if line == "      properties:" { inProperties = true; continue }
                if inProperties, line.hasPrefix("        "), !line.hasPrefix("         "), let colon = line.firstIndex(of: ":") {
                    described.insert(line[..<colon].trimmingCharacters(in: .whitespaces))
                }
            }
            // Optional fields that are nil are left out of the JSON; all that are there are described.
            #expect(Set(summary.keys).isSubset(of: described), "\(Set(summary.keys).subtracting(described))")
            let swiftFields = Set(Mirror(reflecting: DossierSummary(try await t.dossier(summary["code"] as! String))).children.compactMap(\.label))
            #expect(swiftFields == described, "\(swiftFields.symmetricDifference(described))")
        }
    }

    /// Every model lists its properties (`properties`) instead of Fluent finding them by reflection
    /// on each row (a fifth of a transition's CPU): the list must be exactly the wrappers declared,
    /// in order, the same objects, and every model in Database/Models must be checked here.
    @Test func everyModelListsExactlyTheFieldsItDeclares() throws {
        let models: [any Model] = [
            AccountTokenModel(), AgencyModel(), AuditEntryModel(), CalendarEntryModel(), CalendarYearModel(),
            DepartmentModel(), DossierComponentModel(), DossierCounterModel(), DossierFileModel(), DossierModel(),
            DraftModel(), DraftFileModel(), EvaluationScoreModel(), FieldModel(), LogEntryModel(), OutboxMailModel(),
            PaymentModel(), ProcedureModel(), SavedReportModel(), SessionModel(), UserModel(), VNPayOrderModel(),
        ]
        for model in models {
            let declared = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
            #expect(
                model.properties.map(ObjectIdentifier.init) == declared.map(ObjectIdentifier.init),
                "\(type(of: model)): \(model.properties.count) listed, \(declared.count) declared")
        }
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/MotCuaServer/Database/Models")
        var declaredTypes = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("final class ") && line.contains(": Model") {
                declaredTypes.insert(String(line.dropFirst(12).prefix { $0 != ":" }))
            }
        }
        #expect(declaredTypes == Set(models.map { "\(type(of: $0))" }))
    }
}

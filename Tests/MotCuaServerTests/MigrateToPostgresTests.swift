import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// `motcua migrate-to` (issue 23, point 7): the demo on SQLite copied into an empty PostgreSQL
/// database, checked table by table, its log chains and reports verified, served from PostgreSQL.
@Suite(.serialized) struct MigrateToPostgresTests {
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func theDemoMovesToPostgresWhole() async throws {
        try await TestApp.with(.sqlite, dossiers: 120) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                .decode(DossierDetail.self).dossier.code
            let pdf = minimalPDF("chuyển sang PostgreSQL")
            let file = try await t.upload(pdf, name: "to-khai.pdf", component: 1, to: code, token: reception)
                .decode(FileView.self)
            let source = t.app.db as! any SQLDatabase
            let dossiers = try await source.count("SELECT count(*) AS n FROM dossiers")
            let entries = try await source.count("SELECT count(*) AS n FROM log_entries")

            let database = try await TestDatabase.postgres.make(in: t.directory)
            // `drop` also removes a folder: TestApp removes its own, so none here.
            let nowhere = t.directory.appendingPathComponent("nothing-to-remove")
            do {
                let settings = try Settings(database: database, dataDirectory: t.directory.path, environment: [:])
                try await Launch.withApplication(settings: settings, logLevel: .error) { target in
                    #expect(try await MigrateToPostgres.targetIsEmpty(target))
                    try await Launch.migrate(target)
                    let seen = NIOLockedValueBox<Set<String>>([])
                    let report = try await MigrateToPostgres.copy(from: t.app, to: target) { table, _, _ in
                        seen.withLockedValue { _ = $0.insert(table) }
                    }
                    #expect(report.problems.isEmpty, "\(report.problems)")
                    #expect(seen.withLockedValue { $0.isSuperset(of: ["dossiers", "log_entries", "users"]) })
                    let copied = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0.rows) })
                    #expect(copied["dossiers"] == dossiers && copied["log_entries"] == entries)
                    #expect(!(try await MigrateToPostgres.targetIsEmpty(target)))
                    // Served from PostgreSQL: the same dossier, its file by its checksum, a search by name.
                    let served = TestApp(app: target, directory: t.directory, database: database)
                    let token = try await served.login("stp.tiepnhan")
                    let detail = try await served.request(.GET, "/api/v1/dossiers/\(code)", token: token)
                    #expect(detail.status == .ok)
                    let got = try await served.request(.GET, "/api/v1/dossiers/\(code)/files/\(file.id)", token: token)
                    #expect(got.status == .ok && FileStore.sha256(got.body) == FileStore.sha256(pdf))
                    // A new reception numbers after the copied ones.
                    let next = try await served.request(.POST, "/api/v1/dossiers", token: token, json: criminalRecordRequest())
                    #expect(next.status == .created || next.status == .ok, "\(next.text)")
                    #expect(try next.decode(DossierDetail.self).dossier.code != code)
                }
            } catch {
                await TestDatabase.postgres.drop(database, directory: nowhere)
                throw error
            }
            await TestDatabase.postgres.drop(database, directory: nowhere)
        }
    }
}

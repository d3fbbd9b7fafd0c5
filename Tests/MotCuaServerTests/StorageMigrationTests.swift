import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// Migrations 034 and 035 (issue 23, point 10) on a database that has dossiers: taken back to the
/// copies of the terms in every dossier and the hashes as hex text, then forward again, the
/// dossiers keep their terms, their log chains verify and the lookup still names the procedure.
@Suite(.serialized) struct StorageMigrationTests {
    @Test(arguments: TestDatabase.available)
    func termsAndHashesSurviveTheMigrationBothWays(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 30) { t in
            let sql = t.app.db as! any SQLDatabase
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                .decode(DossierDetail.self)
            let code = created.dossier.code, secret = created.lookupSecret
            let versions = try await sql.raw("SELECT count(*) AS n FROM procedure_term_versions").first()?
                .decode(column: "n", as: Int.self)
            #expect((versions ?? 0) > 0)

            try await StoreLogHashesAsBytes().revert(on: t.app.db)
            try await StoreProcedureTermsOnce().revert(on: t.app.db)
            // Back where they were: each dossier's own copy of the terms, hashes as 64 hex digits.
            let hex = try await sql.raw(
                "SELECT hash, procedure_terms FROM log_entries l JOIN dossiers d ON d.id = l.dossier_id"
            ).first()
            #expect(try hex?.decode(column: "hash", as: String.self).count == 64)
            #expect(try hex?.decode(column: "procedure_terms", as: String.self).contains("\"components\"") == true)

            try await StoreProcedureTermsOnce().prepare(on: t.app.db)
            try await StoreLogHashesAsBytes().prepare(on: t.app.db)
            let report = try await LogChain.verify(on: t.app.db)
            #expect(report.dossiers == 31 && report.breaks.isEmpty)
            let bytes = try await sql.raw(
                "SELECT hash, log_hash FROM log_entries l JOIN dossiers d ON d.id = l.dossier_id"
            ).first()
            #expect(try bytes?.decode(column: "hash", as: Data.self).count == 32)
            let missing = try await sql.raw(
                """
                SELECT count(*) AS n FROM dossiers d LEFT JOIN procedure_term_versions v \
                ON v.sha256 = d.procedure_terms_sha256 WHERE v.sha256 IS NULL
                """
            ).first()?.decode(column: "n", as: Int.self)
            #expect(missing == 0)

            // The dossier still works: its page, an action, the lookup by code and secret.
            let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception)
            #expect(detail.status == .ok)
            let looked = try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(secret)")
            #expect(try looked.decode(PublicLookup.self).procedureName.isEmpty == false)
            #expect(try await LogChain.verify(on: t.app.db).breaks.isEmpty)
        }
    }
}

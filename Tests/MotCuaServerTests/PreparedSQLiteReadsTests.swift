import Foundation
import SQLKit
import Testing
import Vapor

@testable import MotCuaServer

/// The public lookup's statements kept prepared on SQLite (issue 22, point 9).
@Suite struct PreparedSQLiteReadsTests {
    /// Every column of the dossiers (text identifiers, hashes as blobs, integers, dates, NULLs) reads
    /// through a kept statement as through the pool, and a statement kept across reads sees what was
    /// committed since it last ran.
    @Test func rowsReadAsThePoolReadsThemAndSeeLaterCommits() async throws {
        try await TestApp.with(.sqlite, dossiers: 40) { t in
            let reads = try #require(t.app.motcua.preparedReads)
            let sql = t.app.db as! any SQLDatabase
            let query: SQLQueryString = "SELECT * FROM dossiers WHERE status <> \(bind: "none") ORDER BY code"
            let (text, binds) = sql.serialize(query)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let pool = try await sql.raw(query).all().map { try encoder.encode($0.decode(fluentModel: DossierModel.self)) }
            let kept = try #require(reads.rows(text, binds.compactMap { $0 as? String }))
                .map { try encoder.encode($0.decode(fluentModel: DossierModel.self)) }
            #expect(pool.count == 40 && kept == pool)

            let code = try #require(try await DossierModel.query(on: t.app.db).first()).code
            let version: SQLQueryString = "SELECT version FROM dossiers WHERE code = \(bind: code)"
            let versionText = sql.serialize(version).sql
            let before = try #require(reads.rows(versionText, [code])?.first).decode(column: "version", as: Int.self)
            try await sql.raw("UPDATE dossiers SET version = version + 1 WHERE code = \(bind: code)").run()
            let after = try #require(reads.rows(versionText, [code])?.first).decode(column: "version", as: Int.self)
            #expect(after == before + 1)
            #expect(try reads.rows(versionText, ["no such code"])?.isEmpty == true)
            // Two columns with one name: the first, as SQLiteNIO's rows.
            let twice = try #require(reads.rows("SELECT 1 AS a, 2 AS a, NULL AS b", [])?.first)
            #expect(try twice.decode(column: "a", as: Int.self) == 1 && twice.decodeNil(column: "b"))
        }
    }

    /// The lookup reads through them on SQLite; a database SQLite cannot open read-only answers nil,
    /// so the caller reads through the pool.
    @Test func theLookupUsesThemAndFallsBackWhenTheyCannotAnswer() async throws {
        try await TestApp.with(.sqlite) { t in
            let reads = try #require(t.app.motcua.preparedReads)
            let reception = try await t.login("stp.tiepnhan")
            let d = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                .decode(DossierDetail.self)
            let answered = reads.answered
            for _ in 0..<3 {
                let page = try await t.request(.GET, "/tra-cuu?code=\(d.dossier.code)&secret=\(d.lookupSecret)")
                #expect(page.status == .ok && page.text.contains("Chờ bàn giao"))
            }
            #expect(reads.answered == answered + 3)
        }
        #expect(PreparedSQLiteReads(path: "/nonexistent/motcua.sqlite").rows("SELECT 1", []) == nil)
    }
}

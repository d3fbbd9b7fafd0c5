import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// `motcua backup` → `motcua restore` (issue 23, point 6) on both databases: the restored copy's log
/// chains verify, its reports equal a recount, and a file downloaded from it has its SHA-256.
@Suite(.serialized) struct BackupTests {
    @Test(arguments: TestDatabase.available)
    func backupThenRestoreGivesTheSameDossiersLogAndFiles(db: TestDatabase) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = minimalPDF("bản sao lưu")
        var code = "", fileID = UUID()
        var made: Backup.Summary?
        try await TestApp.with(db, dossiers: 40) { t in
            let reception = try await t.login("stp.tiepnhan")
            code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                .decode(DossierDetail.self).dossier.code
            fileID = try await t.upload(pdf, name: "to-khai.pdf", component: 1, to: code, token: reception)
                .decode(FileView.self).id
            made = try await Backup.make(t.app, into: folder)
            // A backup never writes over another.
            await #expect(throws: BackupError.self) { try await Backup.make(t.app, into: folder) }
        }
        let summary = try #require(made)
        #expect(summary.dossiers == 41 && summary.files == 1 && summary.fileBytes == pdf.count)
        #expect(summary.logEntries > 41)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try await db.make(in: directory)
        do {
            let settings = try Settings(database: database, dataDirectory: directory.path, environment: [:])
            let restored = try await Backup.restore(from: folder, into: settings)
            #expect(restored.files == 1)
            try await Launch.withApplication(settings: settings, logLevel: .error) { app in
                try await Launch.migrate(app)
                #expect(try await Backup.verify(app, against: restored).isEmpty)
                #expect(try await Launch.verifyLog(app).ok)
                #expect(try await Launch.checkReports(app).isEmpty)
                let t = TestApp(app: app, directory: directory, database: database)
                let token = try await t.login("stp.tiepnhan")
                let got = try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(fileID)", token: token)
                #expect(got.status == .ok && FileStore.sha256(got.body) == FileStore.sha256(pdf))
                // A copy whose file was damaged is reported, not served.
                let stored = app.motcua.files.path(for: FileStore.sha256(pdf))
                try Data("hỏng".utf8).write(to: stored)
                #expect(try await Backup.verify(app, against: restored).count == 1)
            }
            // Restoring again into an installation that has data is refused, nothing changed.
            await #expect(throws: BackupError.self) { try await Backup.restore(from: folder, into: settings) }
            if db == .postgres {
                // Its database alone not empty (a new, empty file store): refused as well.
                var other = settings
                other.filesDirectory = directory.appendingPathComponent("other-files")
                await #expect(throws: BackupError.self) { try await Backup.restore(from: folder, into: other) }
                #expect(try FileManager.default.contentsOfDirectory(atPath: other.filesDirectory.path).isEmpty)
            }
        } catch {
            await db.drop(database, directory: directory)
            throw error
        }
        await db.drop(database, directory: directory)
    }

    @Test func aDamagedBackupIsRefusedFileByFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.with(.sqlite) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                .decode(DossierDetail.self).dossier.code
            _ = try await t.upload(minimalPDF(), name: "a.pdf", component: 1, to: code, token: reception)
            _ = try await Backup.make(t.app, into: folder)
        }
        let sha = FileStore.sha256(minimalPDF())
        try Data("sửa".utf8).write(to: folder.appendingPathComponent("files/\(sha.prefix(2))/\(sha)"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = try Settings(database: nil, dataDirectory: directory.path, environment: [:])
        await #expect(throws: BackupError.self) { try await Backup.restore(from: folder, into: settings) }
        // Nothing was restored: no database, an empty store.
        #expect(!FileManager.default.fileExists(atPath: settings.database))
        #expect(try FileManager.default.contentsOfDirectory(atPath: settings.filesDirectory.path).isEmpty)
        #expect(throws: BackupError.self) { try Backup.manifest(of: directory) }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// `motcua backup` and `motcua restore`: the database and the file store, consistent with each
/// other, in one folder that another machine can bring back.
///
/// The database is copied first, as one snapshot (SQLite's `VACUUM INTO`, PostgreSQL's `pg_dump`,
/// which reads in one transaction), then the file store and the CA. A file is written to the store
/// before the row that names it commits, and the store never changes a file: every file the snapshot
/// names is in the store when it is copied (the garbage collector removes only files no row names
/// for an hour). Each file's name is its SHA-256, which the restore checks.
public enum Backup {
    /// What a backup folder holds, beside its `manifest.json`.
    struct Manifest: Codable {
        var format = 1
        var createdAt: Date
        /// `sqlite` (database.sqlite) or `postgresql` (database.dump, pg_dump's custom format).
        var database: String
        var dossiers: Int
        var logEntries: Int
        var files: Int
        var fileBytes: Int
    }

    public struct Summary: Sendable {
        public let database: String
        public let dossiers: Int
        public let logEntries: Int
        public let files: Int
        public let fileBytes: Int
    }

    static let manifestName = "manifest.json", sqliteName = "database.sqlite", dumpName = "database.dump"

    /// Copies the application's database, file store and CA into `folder` (new or empty).
    public static func make(_ app: Application, into folder: URL) async throws -> Summary {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path),
            !((try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? false)
        {
            throw BackupError("Thư mục \(folder.path) đã có dữ liệu: chọn một thư mục mới hoặc trống.")
        }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let settings = app.motcua.settings
        let sql = app.db as! any SQLDatabase
        // The snapshot first: the counts are read beside it (the manifest's, to compare on restore).
        let (dossiers, entries) = try await counts(sql)
        if settings.isPostgres {
            let target = folder.appendingPathComponent(dumpName)
            try await Subprocess.run(
                "pg_dump", ["--format=custom", "--no-owner", "--file=\(target.path)"],
                environment: try PostgresURL(settings.database).libpqEnvironment)
        } else {
            try await sql.raw("VACUUM INTO \(bind: folder.appendingPathComponent(sqliteName).path)").run()
        }
        let (files, bytes) = try copyTree(settings.filesDirectory, to: folder.appendingPathComponent("files"))
        let ca = settings.dataDirectory.appendingPathComponent("ca")
        if fm.fileExists(atPath: ca.path) { _ = try copyTree(ca, to: folder.appendingPathComponent("ca")) }
        let manifest = Manifest(
            createdAt: Date(), database: settings.isPostgres ? "postgresql" : "sqlite", dossiers: dossiers,
            logEntries: entries, files: files, fileBytes: bytes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: folder.appendingPathComponent(manifestName))
        return Summary(
            database: manifest.database, dossiers: dossiers, logEntries: entries, files: files, fileBytes: bytes)
    }

    /// Reads and checks a backup folder's manifest.
    static func manifest(of folder: URL) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(manifestName).path) else {
            throw BackupError("\(folder.path) không phải bản sao lưu của MotCua (thiếu \(manifestName)).")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(Manifest.self, from: data), manifest.format == 1 else {
            throw BackupError("\(manifestName) của bản sao lưu không đọc được.")
        }
        return manifest
    }

    /// Brings a backup back into the installation `settings` names, whose database and file store
    /// must be empty: the database (before any application opens it, for SQLite), the files (each
    /// checked against its name) and the CA. The caller then opens it and runs `verify`.
    public static func restore(from folder: URL, into settings: Settings) async throws -> Summary {
        let manifest = try manifest(of: folder)
        guard manifest.database == (settings.isPostgres ? "postgresql" : "sqlite") else {
            throw BackupError(
                """
                Bản sao lưu là của \(manifest.database), nơi khôi phục là \
                \(settings.isPostgres ? "postgresql" : "sqlite"): chuyển SQLite sang PostgreSQL bằng \
                "motcua migrate-to".
                """
            )
        }
        let fm = FileManager.default
        let store = settings.filesDirectory
        if let present = try? fm.contentsOfDirectory(atPath: store.path), !present.isEmpty {
            throw BackupError("Kho tệp \(store.path) đã có dữ liệu; chỉ khôi phục vào một cài đặt trống.")
        }
        // The files first, each checked against its name, into the empty store: a damaged backup is
        // refused before the database is touched, and leaves the store empty again.
        let files: Int, bytes: Int
        do {
            (files, bytes) = try copyTree(folder.appendingPathComponent("files"), to: store, checkingHashes: true)
            if settings.isPostgres {
                let target = try PostgresURL(settings.database)
                let tables = try await Subprocess.run(
                    "psql", ["-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"],
                    environment: target.libpqEnvironment)
                guard tables.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                    throw BackupError("Cơ sở dữ liệu đích đã có bảng; chỉ khôi phục vào một cơ sở dữ liệu trống.")
                }
                // In one transaction: all of it or nothing.
                try await Subprocess.run(
                    "pg_restore",
                    [
                        "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                        "--dbname=\(target.database)", folder.appendingPathComponent(dumpName).path,
                    ],
                    environment: target.libpqEnvironment)
            } else {
                let target = URL(fileURLWithPath: settings.database)
                if let size = (try? fm.attributesOfItem(atPath: target.path))?[.size] as? Int, size > 0 {
                    throw BackupError("Tệp cơ sở dữ liệu \(target.path) đã có; chỉ khôi phục vào một cài đặt trống.")
                }
                try? fm.removeItem(at: target)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: folder.appendingPathComponent(sqliteName), to: target)
            }
        } catch {
            for item in (try? fm.contentsOfDirectory(at: store, includingPropertiesForKeys: nil)) ?? [] {
                try? fm.removeItem(at: item)
            }
            throw error
        }
        let ca = folder.appendingPathComponent("ca"), caTarget = settings.dataDirectory.appendingPathComponent("ca")
        if fm.fileExists(atPath: ca.path), !fm.fileExists(atPath: caTarget.appendingPathComponent("ca.pem").path) {
            try? fm.removeItem(at: caTarget)
            _ = try copyTree(ca, to: caTarget)
        }
        return Summary(
            database: manifest.database, dossiers: manifest.dossiers, logEntries: manifest.logEntries, files: files,
            fileBytes: bytes)
    }

    /// After a restore: the counts against the manifest's, and every file a row names present with
    /// its checksum. Returns the problems, none if the copy is whole.
    public static func verify(_ app: Application, against summary: Summary) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        var problems: [String] = []
        let (dossiers, entries) = try await counts(sql)
        if dossiers != summary.dossiers {
            problems.append("Số hồ sơ \(dossiers), bản sao lưu ghi \(summary.dossiers).")
        }
        if entries != summary.logEntries {
            problems.append("Số mục nhật ký \(entries), bản sao lưu ghi \(summary.logEntries).")
        }
        let files = app.motcua.files
        for sha in try await FileService.referencedHashes(on: app.db).sorted() {
            do { _ = try files.get(sha) } catch { problems.append("Tệp \(sha): \(String(describing: error))") }
            if problems.count > 50 { break }
        }
        return problems
    }

    /// The dossiers and log entries a backup's manifest counts, and its restore checks.
    static func counts(_ sql: any SQLDatabase) async throws -> (dossiers: Int, logEntries: Int) {
        (
            try await sql.count("SELECT count(*) AS n FROM dossiers"),
            try await sql.count("SELECT count(*) AS n FROM log_entries")
        )
    }

    /// Copies a folder's files (two levels, as the store and the CA keep them), skipping temporary
    /// files; with `checkingHashes` every file's content must hash to its name.
    static func copyTree(_ source: URL, to target: URL, checkingHashes: Bool = false) throws -> (files: Int, bytes: Int)
    {
        let fm = FileManager.default
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        var files = 0, bytes = 0
        guard let walker = fm.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return (0, 0)
        }
        for case let url as URL in walker {
            let name = url.lastPathComponent
            guard !name.hasPrefix("."), (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
            else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(source.standardizedFileURL.path.count + 1))
            let destination = target.appendingPathComponent(relative)
            try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = try Data(contentsOf: url)
            if checkingHashes, FileStore.sha256(data) != name {
                throw BackupError("Tệp \(relative) trong bản sao lưu bị hỏng: mã kiểm tra không khớp tên.")
            }
            try data.write(to: destination, options: .withoutOverwriting)
            if let permissions = try? fm.attributesOfItem(atPath: url.path)[.posixPermissions] {
                try? fm.setAttributes([.posixPermissions: permissions], ofItemAtPath: destination.path)
            }
            files += 1
            bytes += data.count
        }
        return (files, bytes)
    }
}

/// A backup or restore refused or failed, with what to do (exit code 2 on the command line).
public struct BackupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A `postgres://` URL of MotCua's settings, as libpq's tools (pg_dump, pg_restore, psql) take it:
/// in their environment variables, so that the password is never on a command line.
struct PostgresURL {
    let host: String, port: Int, user: String, password: String?, database: String, sslMode: String

    init(_ url: String) throws {
        guard let c = URLComponents(string: url), let host = c.host, let user = c.user else {
            throw BackupError("Địa chỉ PostgreSQL không hợp lệ.")
        }
        self.host = host
        port = c.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = c.password.map { $0.removingPercentEncoding ?? $0 }
        database = String(c.path.dropFirst())
        let tls = c.queryItems?.first { $0.name == "tlsmode" || $0.name == "sslmode" }?.value ?? "prefer"
        sslMode = ["disable", "prefer", "require"].contains(tls) ? tls : "require"
    }

    var libpqEnvironment: [String: String] {
        var environment = [
            "PGHOST": host, "PGPORT": String(port), "PGUSER": user, "PGDATABASE": database, "PGSSLMODE": sslMode,
        ]
        environment["PGPASSWORD"] = password
        return environment
    }
}

/// Runs a program found on PATH and waits for it; its standard output is returned, and a failure
/// throws with its standard error.
enum Subprocess {
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment extra: [String: String] = [:]) async throws
        -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let finished = AsyncStream<Int32> { continuation in
            process.terminationHandler = {
                continuation.yield($0.terminationStatus)
                continuation.finish()
            }
        }
        try process.run()
        // Read while it runs: a full pipe would stop it.
        async let out = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let err = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        var status: Int32 = -1
        for await s in finished { status = s }
        let (stdout, stderr) = await (out, err)
        guard status == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BackupError(
                status == 127
                    ? "Không tìm thấy chương trình \(program) (gói postgresql-client của Debian)."
                    : "\(program) kết thúc với mã \(status): \(message)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}

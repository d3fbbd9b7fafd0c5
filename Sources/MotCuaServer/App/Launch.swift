import Fluent
import NIOCore
import PostgresNIO
import SQLKit
import Foundation
import Vapor

/// Builds a configured application for the command line and the tests.
public enum Launch {
    /// What PostgreSQL or the connection said, for the console: PostgresNIO describes its errors
    /// generically (so that they never reach a page) and gives the details only when reflected.
    public static func consoleDetails(of error: any Error) -> String? {
        error is PSQLError ? String(reflecting: error) : nil
    }

    public static func application(settings: Settings, logLevel: Logger.Level = .notice) async throws -> Application {
        DataPermissions.restrictNewFiles()
        try DataPermissions.prepare(settings)
        // Our own arguments, so that Vapor does not parse the command line it was not given.
        let env = Environment(name: "production", arguments: ["motcua"])
        let app = try await Application.make(env)
        app.logger.logLevel = logLevel
        do {
            try await configure(app, settings: settings)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Runs `body` with an application on the given settings, and shuts it down whatever happens.
    public static func withApplication<T>(
        settings: Settings, logLevel: Logger.Level = .notice,
        _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await application(settings: settings, logLevel: logLevel)
        return try await withCleanup({ try await body(app) }) { try await app.asyncShutdown() }
    }

    /// A user's full name and whether they sign results (the leader role), for `motcua ca issue`.
    public static func signingUser(_ app: Application, username: String) async throws -> (
        fullName: String, signs: Bool
    )? {
        guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first() else {
            return nil
        }
        return (user.fullName, user.roles.contains(.leader))
    }

    /// Creates or updates the schema, then loads the stored working calendar. Several processes may start
    /// on a fresh database at once (a server and a command, or parallel commands), so migrations run under
    /// a lock that spans processes: a lock file beside the SQLite file, an advisory lock on PostgreSQL.
    public static func migrate(_ app: Application) async throws {
        try await underMigrationLock(app) {
            try await app.autoMigrate()
            // A migration that changes what is counted empties the tallies; they are counted here,
            // by the code of today, once the schema is whole.
            if let sql = app.db as? any SQLDatabase,
                try await sql.raw("SELECT 1 AS one FROM \(unsafeRaw: ReportTallyStore.table) LIMIT 1").all().isEmpty,
                try await !sql.raw("SELECT 1 AS one FROM dossiers LIMIT 1").all().isEmpty
            {
                app.logger.notice("Đang đếm lại số liệu thống kê từ hồ sơ...")
                _ = try await ReportTallyStore.rebuild(on: app.db)
            }
            // A bulk load builds its indexes at the end; if it was cut short, they are made here.
            if let sql = app.db as? any SQLDatabase {
                let before = try await indexCount(on: sql)
                for index in SecondaryIndex.bulkLoaded { try await index.create(on: sql) }
                try await NameSearchIndex.ensure(on: sql)
                // New indexes have no statistics yet: gather them again.
                try await updatePlannerStatistics(on: sql, onlyIfMissing: try await indexCount(on: sql) == before)
            }
        }
        app.motcua = MotCuaContext(
            settings: app.motcua.settings, calendar: try await app.loadCalendar(), metrics: app.motcua.metrics)
    }

    /// SQLite plans without statistics as if an equality on any index left ten rows: a department's
    /// sixty thousand dossiers would look as narrow as a search's hundred. ANALYZE (a million dossiers
    /// take about two seconds) gives it the real proportions; PostgreSQL keeps its own.
    static func indexCount(on sql: any SQLDatabase) async throws -> Int {
        try await sql.count(
            sql.dialect.name == "sqlite"
                ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index'"
                : "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = current_schema()")
    }

    static func updatePlannerStatistics(on sql: any SQLDatabase, onlyIfMissing: Bool) async throws {
        guard sql.dialect.name == "sqlite" else {
            // PostgreSQL's autovacuum analyses and vacuums a table a while after large changes; a bulk
            // load should not leave the first queries to plan without statistics, nor to read every
            // row that an index-only count skips once the visibility map marks its page (NameSearchIndex).
            if !onlyIfMissing { try await sql.raw("VACUUM (ANALYZE)").run() }
            return
        }
        if onlyIfMissing {
            let stats = try await sql.raw("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").all()
            if !stats.isEmpty { return }
        }
        try await sql.raw("ANALYZE").run()
    }

    static func underMigrationLock(_ app: Application, _ body: @escaping @Sendable () async throws -> Void) async throws
    {
        let settings = app.motcua.settings
        if settings.isPostgres {
            try await app.db.withConnection { connection in
                guard let sql = connection as? any SQLDatabase else { return try await body() }
                try await sql.raw("SELECT pg_advisory_lock(\(unsafeRaw: String(migrationLockKey)))").run()
                try await withCleanup(body) {
                    try await sql.raw("SELECT pg_advisory_unlock(\(unsafeRaw: String(migrationLockKey)))").run()
                }
            }
        } else {
            let lock = try FileLock(path: settings.database + ".migrate-lock")
            defer { lock.release() }
            try await body()
        }
    }

    /// An arbitrary constant that names MotCua's migration lock among PostgreSQL's advisory locks.
    static let migrationLockKey = 7_146_862_218

    /// Verifies every log chain; returns the report's lines and whether all chains are intact.
    public static func verifyLog(_ app: Application) async throws -> (lines: [String], ok: Bool) {
        let report = try await LogChain.verify(on: app.db)
        var lines = ["Đã kiểm tra \(report.dossiers) hồ sơ, \(report.entries) mục nhật ký."]
        for b in report.breaks.prefix(50) {
            lines.append("HỎNG: hồ sơ \(b.dossierCode), mục \(b.seq): \(b.reason)")
        }
        if report.breaks.count > 50 { lines.append("... và \(report.breaks.count - 50) hồ sơ hỏng khác.") }
        lines.append(
            report.breaks.isEmpty
                ? "Toàn bộ chuỗi nhật ký nguyên vẹn." : "Có \(report.breaks.count) hồ sơ có nhật ký bị sửa đổi.")
        return (lines, report.breaks.isEmpty)
    }

    /// `motcua files gc`: removes stored files no row references, older than the grace period.
    /// `motcua reports rebuild`: the statistics' tallies written again from the dossiers.
    public static func rebuildReports(_ app: Application) async throws -> Int {
        try await ReportTallyStore.rebuild(on: app.db)
    }

    /// `motcua reports check`: the stored tallies against a recount; the differences, none if equal.
    public static func checkReports(_ app: Application) async throws -> [String] {
        try await ReportTallyStore.check(on: app.snapshotReads)
    }

    public static func collectFileGarbage(_ app: Application, graceMinutes: Int) async throws -> (
        removed: Int, removedBytes: Int, kept: Int
    ) {
        let r = try await FileService.collectGarbage(
            context: app.motcua, grace: TimeInterval(graceMinutes * 60), on: app.db)
        return (r.removed, r.removedBytes, r.kept)
    }

    /// Runs `job` on a timer of one event loop while the server runs; an error is logged under `name`
    /// and the next turn comes as planned.
    @discardableResult
    static func repeatedly(
        _ app: Application, _ name: String, after initial: TimeAmount, every delay: TimeAmount,
        _ job: @escaping @Sendable () async throws -> Void
    ) -> RepeatedTask {
        let loop = app.eventLoopGroup.next()
        return loop.scheduleRepeatedAsyncTask(initialDelay: initial, delay: delay) { _ in
            loop.makeFutureWithTask {
                do { try await job() } catch { app.logger.error("\(name): \(String(describing: error))") }
            }
        }
    }

    /// Serves until the process is told to stop: Vapor's HTTP/1 server on the address itself (SwiftNIO
    /// parses every request; a head past its limit closes the connection, and in production nginx
    /// answers 414/431 before that).
    public static func serve(_ app: Application, hostname: String, port: Int) async throws {
        for warning in DataPermissions.warnings(app.motcua.settings) { app.logger.warning("\(warning)") }
        app.http.server.configuration.address = .hostname(hostname, port: port)
        app.http.server.configuration.shutdownTimeout = .seconds(30)
        // The scheduled jobs (payment reconciliation, the file store's clean-up, the tallies' check):
        // every instance offers and claims them; each slot runs once (JobQueue).
        let jobs = ScheduledJob.all(app.motcua.settings)
        var timers = [
            repeatedly(app, "Việc định kỳ", after: .seconds(10), every: .seconds(30)) {
                let turn = try await JobRunner.tick(app, jobs: jobs, at: Date())
                if turn.done + turn.failed > 0 { app.logger.notice("Việc định kỳ: \(turn)") }
            }
        ]
        if app.motcua.settings.replica != nil {
            await app.motcua.replica.measure(app)
            timers.append(
                repeatedly(app, "Bản sao đọc", after: .seconds(5), every: .seconds(5)) {
                    await app.motcua.replica.measure(app)
                })
        }
        if !NotificationWorker.Gateways(app.motcua.settings).channels.isEmpty {
            timers.append(
                repeatedly(app, "Thông báo", after: .seconds(5), every: .seconds(15)) {
                    try await NotificationWorker.drain(app)
                })
        }
        if let national = app.motcua.settings.nationalPortal {
            timers.append(
                repeatedly(app, "Đồng bộ Cổng DVC quốc gia", after: .seconds(5), every: .seconds(10)) {
                    try await NationalSyncWorker.drain(app, settings: national)
                })
        }
        try await app.execute()
        // SIGTERM or SIGINT: the server stops accepting connections and finishes the requests in
        // flight (up to 30 s) before the timers stop and the databases close; Vapor alone closed
        // the databases first, and a request still running then crashed the process.
        await app.server.shutdown()
        for timer in timers { timer.cancel() }
    }
}

import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import MotCuaCore
import SQLKit
import Vapor

/// Sets up the database, migrations, templates, middleware and routes.
public func configure(_ app: Application, settings: Settings) async throws {
    // The application's own blocking pool, before the databases take it: sqlite-nio runs SQLite on
    // it and its busy handler retries without end, so a writer waiting for the lock holds a thread.
    // With more threads than connections the holder always finds one; on the process-wide pool
    // (as many threads as cores) several applications' waiters, as in the tests, starved it.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))
    if settings.isPostgres {
        // Several connections per event loop: requests in flight on one loop need not queue, and the
        // migration lock (Launch.migrate) holds one while the migrations run on another. About 8 in
        // all, not 4 per core: on a 16-core machine the tests' servers ran out of PostgreSQL's slots.
        let perLoop = max(2, 8 / System.coreCount)
        var configuration = try SQLPostgresConfiguration(url: settings.database)
        // A full-text search's bitmap of a common name (tens of thousands of rows) fits in 16 MB
        // exactly; in the default 4 MB it turns lossy and every row of its pages is checked again.
        configuration.coreConfiguration.options.additionalStartupParameters.append(("work_mem", "16MB"))
        // A burst of writes on the same rows queues for connections behind the row locks; 120 s (not
        // the default 10) lets such a queue drain on a loaded machine instead of failing: 20 receptions
        // at once timed out at 30 s while the whole test suite loaded demos beside them on two cores.
        // A request is answered by its deadline (MOTCUA_REQUEST_TIMEOUT, 60 s) before that anyway.
        app.databases.use(
            .postgres(
                configuration: configuration, maxConnectionsPerEventLoop: perLoop,
                connectionPoolTimeout: .seconds(120)),
            as: .psql)
        if let replica = settings.replica {
            var configuration = try SQLPostgresConfiguration(url: replica.url)
            configuration.coreConfiguration.options.additionalStartupParameters.append(("work_mem", "16MB"))
            app.databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: max(1, perLoop / 2),
                    connectionPoolTimeout: .seconds(10)),
                as: .replica, isDefault: false)
        }
    } else {
        let path = settings.database
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        // SQLite has one writer at a time and a connection per event loop: a burst of writes queues
        // for them. 20 concurrent receptions timed out at the default 10 s, and at 30 s while the
        // whole test suite ran beside them on two cores; a queue that drains is waited for.
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(120)), as: .sqlite)
        // A long read in one snapshot (`reports check`) holds its connection for the whole read: on a
        // pool of its own it keeps none of the requests' connections (a connection per event loop).
        app.databases.use(
            .sqlite(.file(path), connectionPoolTimeout: .seconds(120)), as: .snapshotReads, isDefault: false)
    }
    app.migrations.add(schemaMigrations)
    if !settings.isPostgres, let sql = app.db as? any SQLDatabase {
        // WAL lets readers run beside the writer; the busy handler of sqlite-nio waits for locks.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }

    // The stored schedules are read once the schema exists (Launch.migrate); until then the rules.
    app.motcua = try MotCuaContext(settings: settings, calendar: WorkingCalendar(officeHours: settings.officeHours))

    // A connection silent this long is closed (a client that opens connections and sends nothing
    // would otherwise hold them for ever).
    app.http.server.configuration.idleTimeout = .seconds(Int64(settings.idleTimeoutSeconds))
    app.directory = DirectoryConfiguration(workingDirectory: settings.resourceDirectory.path + "/")
    app.views.use(.leaf)
    // Leaf's defaults, stored once: unset, its getters build a new configuration and template source
    // for every page rendered (a tenth of the public lookup's CPU).
    app.leaf.configuration = app.leaf.configuration
    app.leaf.sources = app.leaf.sources
    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware())
    app.middleware.use(
        SecurityHeadersMiddleware(
            https: settings.isHTTPS,
            signOnOrigin: settings.sso.flatMap { SecurityHeadersMiddleware.origin($0.logoutURL) }))
    app.middleware.use(ProblemMiddleware())
    if settings.requestTimeoutSeconds > 0 {
        app.middleware.use(RequestDeadlineMiddleware(seconds: settings.requestTimeoutSeconds))
    }
    app.middleware.use(RequestLimitsMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(SessionTokenAuthenticator())
    app.middleware.use(CrossSiteGuard(publicURL: settings.publicURL))
    app.passwords.use(.bcrypt(cost: 10))
    // JSON and form bodies: room for every field at its documented maximum length, even escaped.
    app.routes.defaultMaxBodySize = "256kb"
    await app.startWorkPool()
    try routes(app)
}

/// The schema's migrations in order; `/readyz` reports the instance not ready while one is not applied.
let schemaMigrations: [any Migration] = [
    CreateOrganisation(),
    CreateDossier(),
    CreateCalendar(),
    IndexListSorts(),
    AnchorLogAndThrottle(),
    UpdateUserDropLoginCounters(),
    IndexDossierText(),
    CreateAuditLogAndDisableUsers(),
    CountReports(),
    CreateSavedReports(),
    RecordRatings(),
    IndexReportDates(),
    AddUserAvatar(),
    IndexCodePrefix(),
    IndexNameTokens(),
    IndexDrillDowns(),
    CreateEvaluationScores(),
    IndexSignedResults(),
    CreatePayments(),
    CountListReports(),
    RecordLogUsernames(),
    CountSupplementRounds(),
    IndexScopedNames(),
    IndexNamePrefixes(),
    CreateVNPayOrders(),
    CreateNotificationOutbox(),
    AddCitizenAccounts(),
    CreateOnlineDrafts(),
    CreateJobs(),
    RecordReceivingCentre(),
    CreateNationalSync(),
    CreateSSOLogins(),
    AddNotificationChannels(),
    CreatePostalShipments(),
    StoreProcedureTermsOnce(),
    StoreLogHashesAsBytes(),
]

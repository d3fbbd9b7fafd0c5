import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// MOTCUA_REPLICA_URL (issue 23, point 2): the reports read the replica while its lag is under the
/// limit, the primary otherwise, and the page says when its figures are as of. Here the "replica" is
/// the test database itself (a streaming replica is exercised by Tests/cluster).
@Suite(.serialized) struct ReplicaReadsTests {
    @Test func settingsAreChecked() throws {
        #expect(throws: (any Error).self) {
            try Settings(database: "/tmp/x.sqlite", dataDirectory: "/tmp", environment: ["MOTCUA_REPLICA_URL": "postgres://a@b/c"])
        }
        #expect(throws: (any Error).self) {
            try Settings(database: "postgres://a@b/c", dataDirectory: "/tmp",
                         environment: ["MOTCUA_REPLICA_URL": "postgres://a@b/d", "MOTCUA_REPLICA_MAX_LAG": "0"])
        }
        let s = try Settings(database: "postgres://a@b/c", dataDirectory: "/tmp",
                             environment: ["MOTCUA_REPLICA_URL": "postgres://a@b/d", "MOTCUA_REPLICA_MAX_LAG": "5"])
        #expect(s.replica?.maxLagSeconds == 5)
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func reportsReadTheReplicaWhileItKeepsUp() async throws {
        // A database name TestApp will create, known in advance: the replica setting names it too.
        try await TestApp.with(.postgres, dossiers: 30) { t in
            var settings = t.app.motcua.settings
            settings.replica = try Settings(
                database: t.database, dataDirectory: t.directory.path, environment: ["MOTCUA_REPLICA_URL": t.database]
            ).replica
            try await Launch.withApplication(settings: settings, logLevel: .error) { app in
                try await Launch.migrate(app)
                let served = TestApp(app: app, directory: t.directory, database: t.database)
                let session = try await served.pageSession("lanhdaotinh")
                let path = "/thong-ke?nhom=thu-tuc&tu-ngay=01/01/2026&den-ngay=31/12/2026"
                // Not measured yet: the primary, and the page still says when its figures are as of.
                let before = try await served.request(.GET, path, headers: session.headers)
                #expect(before.status == .ok && before.text.contains("Số liệu tính đến"))
                #expect(!app.motcua.metrics.registry.emitToString().contains("motcua_replica_reads_total 1"))
                await app.motcua.replica.measure(app)
                #expect(app.motcua.replica.last?.lag == 0)
                let ready = try await served.request(.GET, "/readyz")
                #expect(ready.status == .ok && ready.json["replica"] as? String == "ok", "\(ready.text)")
                let page = try await served.request(.GET, path, headers: session.headers)
                #expect(page.status == .ok && page.text.contains("Số liệu tính đến"))
                let metrics = app.motcua.metrics.registry.emitToString()
                #expect(metrics.contains("motcua_replica_reads_total 1"), "\(metrics)")
                #expect(metrics.contains("motcua_replica_lag_seconds 0.0"))
            }
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func aReplicaThatDoesNotAnswerLeavesTheReportsOnThePrimary() async throws {
        try await TestApp.with(.postgres) { t in
            var settings = t.app.motcua.settings
            settings.replica = try Settings(
                database: t.database, dataDirectory: t.directory.path,
                environment: ["MOTCUA_REPLICA_URL": "postgres://motcua:motcua@127.0.0.1:9/none?tlsmode=disable"]
            ).replica
            try await Launch.withApplication(settings: settings, logLevel: .critical) { app in
                await app.motcua.replica.measure(app)
                #expect(app.motcua.replica.last != nil && app.motcua.replica.last?.lag == nil)
                let served = TestApp(app: app, directory: t.directory, database: t.database)
                // Still ready: the reports read the primary meanwhile.
                let ready = try await served.request(.GET, "/readyz")
                #expect(ready.status == .ok && ready.json["replica"] as? String == "unreachable", "\(ready.text)")
                let session = try await served.pageSession("lanhdaotinh")
                let page = try await served.request(
                    .GET, "/thong-ke?nhom=thu-tuc&tu-ngay=01/01/2026&den-ngay=31/12/2026", headers: session.headers)
                #expect(page.status == .ok)
                #expect(app.motcua.metrics.registry.emitToString().contains("motcua_replica_lag_seconds -1.0"))
            }
        }
    }
}

import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// What a load balancer and monitoring read (issue 23, point 5): health, readiness, metrics and the
/// request id, on both databases.
@Suite(.serialized) struct OperationsTests {

    @Test(arguments: TestDatabase.available)
    func healthAndReadiness(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let alive = try await t.request(.GET, "/healthz")
            #expect(alive.status == .ok && alive.json["status"] as? String == "ok")
            let ready = try await t.request(.GET, "/readyz")
            #expect(ready.status == .ok, "\(ready.text)")
            #expect(ready.json["migrations"] as? String == "current")
            // A schema one migration behind this version: not ready, and which one is said.
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: schemaMigrations.last!.name)").run()
            let behind = try await t.request(.GET, "/readyz")
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.headers.first(name: .retryAfter) == "5")
            #expect(behind.json["missingMigrations"] as? [String] == [schemaMigrations.last!.name])
        }
    }

    @Test(arguments: TestDatabase.available)
    func metricsCountRequestsAndActionsForThisMachineOnly(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(
                .POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            #expect(created.status == .ok || created.status == .created)
            _ = try await t.request(.GET, "/ho-so/khong-co")
            try await t.serving { port in
                let answer = try await RawHTTP.exchange(
                    port: port, Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(answer.contains("text/plain; version=0.0.4"))
                #expect(answer.contains(#"motcua_dossier_actions_total{action="receive"} 1"#), "\(answer)")
                #expect(answer.contains(#"motcua_http_requests_total{route="/api/v1/dossiers",method="POST",status="#))
                // An address is never a label: an unknown one counts under its route's pattern.
                #expect(!answer.contains("khong-co"))
                #expect(answer.contains(#"motcua_http_request_duration_seconds_bucket{route="/api/v1/login",method="POST",le="+Inf"} 1"#))
                #expect(answer.contains("motcua_outbox_pending_messages"))
                // Relayed by a reverse proxy: not for the public.
                let relayed = try await RawHTTP.exchange(
                    port: port,
                    Array("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n".utf8))
                #expect(relayed.hasPrefix("HTTP/1.1 404"))
            }
        }
        // Another machine (here: an empty list of scrapers) is answered "not found".
        try await TestApp.with(db, environment: ["MOTCUA_METRICS_FROM": ""]) { t in
            try await t.serving { port in
                let answer = try await RawHTTP.exchange(
                    port: port, Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                #expect(answer.hasPrefix("HTTP/1.1 404"))
            }
        }
    }

    @Test func requestIdFromTheProxyOrANewOne() async throws {
        try await TestApp.with(.sqlite) { t in
            let passed = try await t.request(.GET, "/healthz", headers: ["X-Request-Id": "nginx-5f2a.1"])
            #expect(passed.headers.first(name: .xRequestId) == "nginx-5f2a.1")
            let forged = try await t.request(.GET, "/healthz", headers: ["X-Request-Id": "x\" level=error <b>"])
            let id = try #require(forged.headers.first(name: .xRequestId))
            #expect(UUID(uuidString: id) != nil)
        }
        #expect(throws: (any Error).self) { try Launch.bootstrapLogging(environment: ["MOTCUA_LOG_FORMAT": "xml"]) }
    }
}

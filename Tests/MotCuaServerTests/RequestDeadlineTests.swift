import Foundation
import Testing
import Vapor
@testable import MotCuaServer

/// MOTCUA_REQUEST_TIMEOUT (issue 23): a request whose handler does not answer in time (a query on a
/// database server that died in flight) is answered 503 with `Retry-After`, as a problem document;
/// a request that answers in time is untouched; the setting is checked.
@Suite struct RequestDeadlineTests {
    @Test func aRequestWithoutAnAnswerInTimeGets503() async throws {
        try await TestApp.with(.sqlite, environment: ["MOTCUA_REQUEST_TIMEOUT": "1"]) { t in
            // A stand-in for a handler stuck on a dead connection: it would answer after 30 s.
            t.app.get("api", "v1", "kiem-thu-cham") { _ async throws -> String in
                try await Task.sleep(for: .seconds(30))
                return "muộn"
            }
            let started = Date()
            let slow = try await t.request(.GET, "/api/v1/kiem-thu-cham")
            let waited = Date().timeIntervalSince(started)
            #expect(slow.status == .serviceUnavailable)
            #expect(slow.headers.first(name: "Retry-After") == "5")
            #expect(slow.detail == RequestDeadlineMiddleware.message)
            // Answered by the deadline, long before the handler (bounds wide: the whole suite runs beside it).
            #expect(waited >= 1 && waited < 20, "\(waited)")
        }
    }

    @Test func theSettingIsChecked() throws {
        for bad in ["-1", "abc", "3601"] {
            #expect(throws: (any Error).self) {
                try Settings(database: "/tmp/x.sqlite", dataDirectory: "/tmp", environment: ["MOTCUA_REQUEST_TIMEOUT": bad])
            }
        }
        let s = try Settings(database: "/tmp/x.sqlite", dataDirectory: "/tmp", environment: [:])
        #expect(s.requestTimeoutSeconds == 60)
    }
}

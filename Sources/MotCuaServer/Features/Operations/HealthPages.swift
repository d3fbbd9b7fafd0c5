import Fluent
import Foundation
import SQLKit
import Vapor

/// What a load balancer, systemd and Prometheus ask of an instance: `/healthz` (the process
/// answers), `/readyz` (it can serve: the database answers and its schema is this version's), and
/// `/metrics` (ServerMetrics), the latter only to the addresses of MOTCUA_METRICS_FROM and never
/// through the reverse proxy.
struct HealthPages {
    struct Health: Content {
        var status: String
        var database: String?
        var migrations: String?
        var missingMigrations: [String]?
        /// With MOTCUA_REPLICA_URL: "ok", "lagging" or "unreachable", and its lag in seconds. A replica
        /// behind leaves the instance ready: its reads go to the primary meanwhile.
        var replica: String?
        var replicaLagSeconds: Double?
    }

    func alive(req: Request) async throws -> Health { Health(status: "ok") }

    func ready(req: Request) async throws -> Response {
        var health = Health(status: "ready", database: "ok", migrations: "current")
        do {
            let sql = req.db as! any SQLDatabase
            let applied = Set(
                try await sql.raw("SELECT name FROM _fluent_migrations").all().map {
                    try $0.decode(column: "name", as: String.self)
                })
            let missing = schemaMigrations.map(\.name).filter { !applied.contains($0) }
            if !missing.isEmpty {
                health.status = "not ready"
                health.migrations = "behind"
                health.missingMigrations = missing
            }
        } catch {
            req.logger.warning("readyz: \(String(describing: error))")
            health = Health(status: "not ready", database: "unreachable")
        }
        if let replica = req.motcua.settings.replica {
            let measure = req.motcua.replica.last
            health.replicaLagSeconds = measure?.lag
            health.replica =
                measure?.lag.map { $0 <= replica.maxLagSeconds ? "ok" : "lagging" }
                ?? (measure == nil ? nil : "unreachable")
        }
        let response = try await health.encodeResponse(
            status: health.status == "ready" ? .ok : .serviceUnavailable, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if health.status != "ready" { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
        return response
    }

    func metrics(req: Request) async throws -> Response {
        let peer = req.remoteAddress?.ipAddress ?? ""
        guard req.application.motcua.settings.metricsFrom.contains(peer), req.headers["X-Forwarded-For"].isEmpty
        else { throw ServiceError.notFound }
        let outbox = try await OutboxMailModel.counts(on: req.db)
        let response = Response(
            status: .ok, body: .init(string: req.motcua.metrics.exposition(outbox: outbox, at: Date())))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

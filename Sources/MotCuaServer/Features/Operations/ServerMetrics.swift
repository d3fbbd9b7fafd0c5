import Foundation
import MotCuaCore
import Prometheus
import Vapor

/// This instance's figures in Prometheus's text format (`/metrics`): requests by route and status
/// with their latency, actions by kind, and, read from the database when scraped, the e-mail
/// outbox's depth and age. Counters belong to the instance; Prometheus sums the instances.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Latency buckets from a cached page (5 ms) to a large export (30 s).
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30),
    ]

    /// A request answered: `route` is its pattern (`/ho-so/:code`), never its address, so that the
    /// number of series stays that of the routes.
    func request(route: String, method: String, status: UInt, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.latency, labels: [("route", route), ("method", method)], buckets: Self.buckets
        ).record(duration)
    }

    /// An action carried out and committed.
    func action(_ action: Action) {
        registry.makeCounter(descriptor: Self.actions, labels: [("action", action.rawValue)]).increment()
    }

    /// The replica's lag as last measured (-1: it did not answer).
    func replicaLag(_ seconds: Double?) {
        registry.makeGauge(descriptor: Self.lag).set(seconds ?? -1)
    }

    /// A report or export read from the replica.
    func replicaRead() {
        registry.makeCounter(descriptor: Self.replicaReads).increment()
    }

    static var lag: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "replica_lag", unitName: "seconds",
            helpText: "How far the read replica is behind the primary (-1: not answering).")
    }
    static var replicaReads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "replica_reads", unitName: "total",
            helpText: "Reports and exports read from the replica.")
    }

    /// The text Prometheus scrapes, with the outbox's state as read just before.
    func exposition(outbox: OutboxMailModel.Counts, at now: Date) -> String {
        registry.makeGauge(descriptor: Self.outboxDepth).set(Double(outbox.pending))
        registry.makeGauge(descriptor: Self.outboxAge).set(
            outbox.oldestPending.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        registry.makeGauge(descriptor: Self.outboxDead).set(Double(outbox.dead))
        return registry.emitToString()
    }

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "http_requests", unitName: "total",
            helpText: "Requests answered, by route pattern, method and status.")
    }
    static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time from the request's head to its response, by route pattern and method.")
    }
    static var actions: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "dossier_actions", unitName: "total",
            helpText: "Actions on dossiers committed by this instance (receptions included), by action.")
    }
    static var outboxDepth: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "outbox_pending", unitName: "messages",
            helpText: "E-mails to applicants waiting to be sent (all instances).")
    }
    static var outboxAge: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "outbox_oldest_pending_age", unitName: "seconds",
            helpText: "Age of the oldest e-mail waiting to be sent (0 if none).")
    }
    static var outboxDead: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", metricName: "outbox_failed", unitName: "messages",
            helpText: "E-mails given up after their retries (dead letters).")
    }
}

/// Counts every request in `ServerMetrics` and answers with its request id (`X-Request-Id`, taken
/// from nginx when it sends one, as Vapor does for the log's `request-id`; one that is not a short
/// token is replaced, so that a client cannot write what it likes into the logs).
struct MetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        if !Self.isToken(request.id) { request.logger[metadataKey: "request-id"] = .string(UUID().uuidString) }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let status = (error as? any AbortError)?.status ?? .internalServerError
            record(request, status: status.code, since: start)
            throw error
        }
        record(request, status: response.status.code, since: start)
        if case .string(let id)? = request.logger[metadataKey: "request-id"] {
            response.headers.replaceOrAdd(name: .xRequestId, value: id)
        }
        return response
    }

    static func isToken(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0))
            }
    }

    private func record(_ request: Request, status: UInt, since start: ContinuousClock.Instant) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(không có)"
        request.application.motcua.metrics.request(
            route: route, method: request.method.rawValue, status: status, duration: ContinuousClock.now - start)
    }
}

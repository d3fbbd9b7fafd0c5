import Fluent
import FluentPostgresDriver
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A PostgreSQL streaming replica that takes the reads that may be a few seconds old: the report
/// pages, the report API and the exports (MOTCUA_REPLICA_URL). Writes, and every read that decides a
/// write or follows one, stay on the primary. The replica is used while its lag, measured every five
/// seconds, is under MOTCUA_REPLICA_MAX_LAG (30 s by default); beyond, or while it does not answer,
/// those reads go to the primary. The pages say the time their figures are as of.
public struct ReplicaSettings: Sendable {
    public let url: String
    public let maxLagSeconds: Double

    init?(environment: [String: String], primary: String) throws {
        guard let url = environment["MOTCUA_REPLICA_URL"], !url.isEmpty else { return nil }
        guard Settings.isPostgres(url), Settings.isPostgres(primary) else {
            throw CalendarError.invalidDuration(
                "MOTCUA_REPLICA_URL: bản sao đọc là PostgreSQL (postgres://...), khi cơ sở dữ liệu chính là PostgreSQL")
        }
        let lag = environment["MOTCUA_REPLICA_MAX_LAG"] ?? "30"
        guard let seconds = Double(lag), (1...3600).contains(seconds) else {
            throw CalendarError.invalidDuration("MOTCUA_REPLICA_MAX_LAG=\"\(lag)\" phải là số giây từ 1 đến 3600")
        }
        self.url = url
        maxLagSeconds = seconds
    }
}

extension DatabaseID {
    static let replica = DatabaseID(string: "replica")
}

/// The replica's last measured lag, shared by this instance's requests.
final class ReplicaState: Sendable {
    struct Measure: Sendable {
        /// Seconds behind the primary; nil when the replica did not answer.
        var lag: Double?
        var at: Date
    }

    private let box = NIOLockedValueBox<Measure?>(nil)

    var last: Measure? { box.withLockedValue { $0 } }

    /// How far behind the replica is: 0 when it has replayed all it received, else the age of the last
    /// transaction it replayed.
    func measure(_ app: Application, at now: Date = Date()) async {
        var lag: Double?
        do {
            struct Row: Decodable { let lag: Double? }
            lag =
                try await (app.db(.replica) as! any SQLDatabase).raw(
                    """
                    SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() \
                    THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END::float8 AS lag
                    """
                ).first(decoding: Row.self)?.lag ?? 0
        } catch {
            app.logger.warning("Bản sao đọc không trả lời: \(String(describing: error))")
        }
        box.withLockedValue { $0 = Measure(lag: lag, at: now) }
        app.motcua.metrics.replicaLag(lag)
    }
}

extension Request {
    /// Where the reports and exports read, and the time their figures are as of.
    var reportSource: (db: any Database, asOf: Date) {
        let now = Date()
        var source: (db: any Database, asOf: Date) = (db, now)
        if let settings = application.motcua.settings.replica, let measure = application.motcua.replica.last,
            let lag = measure.lag, lag <= settings.maxLagSeconds, now.timeIntervalSince(measure.at) < 30
        {
            application.motcua.metrics.replicaRead()
            source = (db(.replica), now.addingTimeInterval(-lag))
        }
        // The page says when its figures are as of: the oldest source it read.
        storage[FiguresAsOf.self] = min(storage[FiguresAsOf.self] ?? source.asOf, source.asOf)
        return source
    }

    var reportDB: any Database { reportSource.db }
}

import AsyncKit
import NIOCore
import NIOPosix
import PostgresNIO
import Vapor

/// A database that cannot take the request for now: its server is gone or restarting, the standby
/// it fails over to is not promoted yet (a write is refused as "read-only transaction"), or no
/// connection frees up in time. The client is answered 503 with `Retry-After` instead of 500, and
/// nothing was written (the transaction did not commit). The connection pool opens new connections
/// by itself once the database (or the promoted standby behind the same address) answers again.
enum DatabaseOutage {
    /// PostgreSQL's SQLSTATEs of a server that cannot take this now: read-only transaction (a standby),
    /// shutdowns and restarts, too many connections; and class 08, connection exceptions.
    static let sqlStates: Set<String> = ["25006", "57P01", "57P02", "57P03", "53300"]

    /// Also a message out of turn: what a connection pooler (PgBouncer) sends when the server it
    /// relayed to is gone ("server conn crashed?", 08P01).
    static let clientCodes: [PSQLError.Code] = [
        .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed,
        .unexpectedBackendMessage,
    ]

    static func isOutage(_ error: any Error) -> Bool {
        switch error {
        case let e as PSQLError:
            if e.code == .server {
                guard let state = e.serverInfo?[.sqlState] else { return false }
                return sqlStates.contains(state) || state.hasPrefix("08")
            }
            return clientCodes.contains(e.code)
        case is ConnectionPoolTimeoutError, is NIOConnectionError, is ChannelError:
            return true
        case let e as IOError:
            return [ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT].contains(e.errnoCode)
        default:
            return false
        }
    }

    static let message = "Hệ thống đang chuyển sang máy chủ cơ sở dữ liệu dự phòng. Vui lòng thử lại sau ít giây."

    /// The error as the client is told it: an outage becomes 503 with `Retry-After: 5`.
    static func translate(_ error: any Error) -> any Error {
        isOutage(error) ? ServiceError(.serviceUnavailable, message, retryAfter: 5) : error
    }
}

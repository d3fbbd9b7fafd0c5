import Fluent
import Foundation
import SQLKit

/// Limits attempts that guess a secret (a password, a lookup code's secret). Counts live in the
/// database, so every server instance shares them, and each count moves in one atomic statement,
/// so concurrent guesses cannot slip through between a check and an update.
///
/// A login reserves an attempt before the password is compared: at most `limit` comparisons happen
/// per window whatever the concurrency, and from the `limit`-th on the key is locked for `lockout`,
/// a correct secret included; a successful login forgets the key's count (`reset`). The public
/// lookup reserves only after a wrong secret (LookupQuery, with LookupGuesses for bursts). An
/// attempt that starts a new window removes the rows whose window and lock have passed, so the
/// table stays small.
struct Throttle: Sendable {
    let name: String
    let limit: Int
    let window: Int
    let lockout: Int

    /// 5 failed logins lock a username, known or not, for 15 minutes (DOMAIN.md section 14).
    static let login = Throttle(name: "login", limit: 5, window: 15 * 60, lockout: 15 * 60)
    /// 5 wrong secrets for one dossier code in 15 minutes lock that code's lookup for 15 minutes.
    static let lookupCode = Throttle(name: "lookup-code", limit: 5, window: 15 * 60, lockout: 15 * 60)
    /// 20 wrong lookups from one address in 15 minutes lock that address for 15 minutes.
    static let lookupAddress = Throttle(name: "lookup-address", limit: 20, window: 15 * 60, lockout: 15 * 60)

    /// The stored key: the throttle's name and a hash of the value (usernames and codes of any
    /// length and content fit, and the table holds no personal data).
    func key(_ value: String) -> String { name + ":" + Checksum.sha256(value) }

    enum Outcome: Equatable {
        case allowed
        /// Refused: try again after this many seconds.
        case locked(retryAfter: Int)
    }

    /// Whether a key's count has passed: its window is over and no lock holds (the rule `reserve`
    /// writes in SQL), for a reader of the row.
    func hasExpired(windowStart: Int64?, lockedUntil: Int64?, at t: Int64) -> Bool {
        (windowStart ?? t) <= t - Int64(window) && (lockedUntil ?? 0) <= t
    }

    /// Reserves an attempt for `value`.
    func reserve(_ value: String, at now: Date, on db: any Database) async throws -> Outcome {
        let sql = db as! any SQLDatabase
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let stale = t - Int64(window)
        // The window has passed and no lock holds: counting starts again.
        let expired: SQLQueryString =
            "(throttles.window_start <= \(bind: stale) AND COALESCE(throttles.locked_until, 0) <= \(bind: t))"
        let failures: SQLQueryString = "(CASE WHEN \(expired) THEN 1 ELSE throttles.failures + 1 END)"
        let row = try await sql.raw(
            """
            INSERT INTO throttles (throttle_key, failures, window_start, locked_until)
            VALUES (\(bind: key(value)), 1, \(bind: t), \(bind: limit <= 1 ? t + Int64(lockout) : nil))
            ON CONFLICT (throttle_key) DO UPDATE SET
              failures = \(failures),
              window_start = CASE WHEN \(expired) THEN \(bind: t) ELSE throttles.window_start END,
              locked_until = CASE
                WHEN \(failures) >= \(bind: limit) AND COALESCE(throttles.locked_until, 0) <= \(bind: t) THEN \
                \(bind: t + Int64(lockout))
                WHEN \(expired) THEN NULL
                ELSE throttles.locked_until END
            RETURNING failures, locked_until
            """
        ).first()
        guard let row else { throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau.") }
        let count = try row.decode(column: "failures", as: Int.self)
        let until = try row.optional("locked_until", as: Int64.self)
        if count == 1 { try await Self.purge(at: now, on: db) }
        if count <= limit { return .allowed }
        return .locked(retryAfter: max(1, Int((until ?? t + Int64(lockout)) - t)))
    }

    /// Forgets the key's count (a successful login).
    func reset(_ value: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("DELETE FROM throttles WHERE throttle_key = \(bind: key(value))").run()
    }

    /// Removes the rows whose window and lock have passed.
    static func purge(at now: Date, on db: any Database) async throws {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let oldest = t - Int64([login, lookupCode, lookupAddress].map(\.window).max()!)
        try await (db as! any SQLDatabase).raw(
            """
            DELETE FROM throttles WHERE window_start <= \(bind: oldest) AND COALESCE(locked_until, 0) <= \(bind: t)
            """
        ).run()
    }
}

extension ServiceError {
    /// 429 with the Vietnamese reason; the handlers add `Retry-After`.
    static func tooManyAttempts(_ what: String, retryAfter: Int) -> ServiceError {
        let minutes = max(1, (retryAfter + 59) / 60)
        return ServiceError(.tooManyRequests, "\(what) Vui lòng thử lại sau \(minutes) phút.", retryAfter: retryAfter)
    }
}

import Fluent
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Sends the outbox's e-mails (issue 22, point 8). A run claims the due rows in one statement that
/// moves their next attempt past a lease, so no other worker (another thread, another server
/// instance) takes them meanwhile: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so concurrent
/// workers take different rows without waiting; on SQLite the database's single writer does the
/// same. A row is then marked sent, given another try later (a 4xx or a connection failure, with a
/// growing delay), or dead (a 5xx, too many tries, or too old to be worth sending).
///
/// A process killed between the relay's acceptance and the mark would send that one e-mail again
/// after the lease: SMTP has no way to ask whether a message arrived, and a lost notice is worse.
enum NotificationWorker {
    static let batchSize = 20
    /// Longer than a whole SMTP conversation at its time-outs.
    static let lease: TimeInterval = 10 * 60
    static let maxAttempts = 8
    /// A notice not sent in three days tells of something the applicant has seen elsewhere.
    static let maxAge: TimeInterval = 3 * 86400
    /// Bodies that carry a one-time link are emptied once sent.
    static let secretEvents: Set<String> = [AccountMail.verifyEvent, AccountMail.resetEvent]

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var retried = 0
        var dead = 0
    }

    /// The delay before try `attempt + 1`: one minute, doubling, at most six hours.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        Backoff.delay(afterAttempt: attempt, cap: 6 * 3600)
    }

    struct Claimed: Decodable {
        let id: UUID
        let event: String
        let to_address: String
        let subject: String
        let body: String
        let attempts: Int
        let created_at: Date
    }

    /// Takes up to `limit` due rows for this worker.
    static func claim(at now: Date, limit: Int = batchSize, on db: any Database) async throws -> [Claimed] {
        let sql = db as! any SQLDatabase
        let skipLocked: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        return try await sql.raw(
            """
            UPDATE notification_outbox SET attempts = attempts + 1, \
            next_attempt_at = \(bind: now.addingTimeInterval(lease).wholeSeconds)
            WHERE id IN (SELECT id FROM notification_outbox WHERE status = 'pending' \
            AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at LIMIT \(bind: limit)\(skipLocked))
            RETURNING id, event, to_address, subject, body, attempts, created_at
            """
        ).all(decoding: Claimed.self)
    }

    /// One run: claims the due e-mails and sends them one after another.
    static func run(
        smtp: SMTPSettings, site: URL, group: any EventLoopGroup, at now: Date, on db: any Database
    ) async throws -> Outcome {
        var outcome = Outcome()
        for mail in try await claim(at: now, on: db) {
            if mail.created_at < now.addingTimeInterval(-maxAge) {
                try await mark(mail, .dead, error: "Quá hạn gửi", on: db)
                outcome.dead += 1
                continue
            }
            let message = EmailMessage(
                to: mail.to_address, subject: mail.subject, body: mail.body,
                messageID: "\(mail.id.uuidString.lowercased())@\(site.host ?? "motcua.local")")
            do {
                try await SMTPClient.send(message, with: smtp, on: group)
                try await mark(mail, .sent, error: nil, at: now, on: db)
                outcome.sent += 1
            } catch {
                let transient = (error as? SMTPError)?.isTransient ?? true
                if transient && mail.attempts < maxAttempts {
                    let reason = String(String(describing: error).prefix(500))
                    try await (db as! any SQLDatabase).raw(
                        """
                        UPDATE notification_outbox SET last_error = \(bind: reason), \
                        next_attempt_at = \(bind: now.addingTimeInterval(backoff(afterAttempt: mail.attempts)))
                        WHERE id = \(bind: mail.id)
                        """
                    ).run()
                    outcome.retried += 1
                } else {
                    try await mark(mail, .dead, error: String(describing: error), on: db)
                    outcome.dead += 1
                }
            }
        }
        return outcome
    }

    static func mark(
        _ mail: Claimed, _ status: OutboxMailModel.Status, error: String?, at now: Date? = nil, on db: any Database
    ) async throws {
        let body: SQLQueryString = secretEvents.contains(mail.event) ? ", body = ''" : ""
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE notification_outbox SET status = \(bind: status.rawValue), sent_at = \(bind: now), \
            last_error = \(bind: error.map { String($0.prefix(500)) })\(body) WHERE id = \(bind: mail.id)
            """
        ).run()
    }

    /// A turn of `motcua serve`'s timer: batch after batch while e-mails are due (at most 50 batches),
    /// so a backlog drains at the relay's pace rather than 20 every 15 seconds. Logs each batch.
    static func drain(_ app: Application, smtp: SMTPSettings) async throws {
        for _ in 0..<50 {
            let r = try await run(
                smtp: smtp, site: app.motcua.settings.siteURL, group: app.eventLoopGroup, at: Date(), on: app.db)
            if r == Outcome() { break }
            app.logger.notice("Thư điện tử: \(r)")
        }
    }
}

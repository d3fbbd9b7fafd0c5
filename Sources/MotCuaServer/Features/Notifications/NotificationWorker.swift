import Fluent
import Foundation
import MotCuaCore
import NIOCore
import SQLKit
import Vapor

/// Sends the outbox's messages: e-mails (issue 22, point 8), SMS and Zalo (issue 25, point 3), each
/// row by its own channel and retried on its own. A run claims the due rows in one statement that
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
        let channel: String?
    }

    /// The configured channels' settings: a channel without its gateway waits in the outbox.
    struct Gateways: Sendable {
        var smtp: SMTPSettings?
        var sms: SMSSettings?
        var zalo: ZaloSettings?

        init(smtp: SMTPSettings? = nil, sms: SMSSettings? = nil, zalo: ZaloSettings? = nil) {
            self.smtp = smtp
            self.sms = sms
            self.zalo = zalo
        }

        init(_ settings: Settings) { self.init(smtp: settings.smtp, sms: settings.sms, zalo: settings.zalo) }

        var channels: [NotificationChannel] {
            [smtp.map { _ in .email }, sms.map { _ in .sms }, zalo.map { _ in .zalo }].compactMap { $0 }
        }
    }

    /// Takes up to `limit` due rows of these channels for this worker.
    static func claim(
        at now: Date, limit: Int = batchSize, channels: [NotificationChannel] = [.email], on db: any Database
    ) async throws -> [Claimed] {
        let sql = db as! any SQLDatabase
        let skipLocked: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let names = channels.map(\.rawValue)
        return try await sql.raw(
            """
            UPDATE notification_outbox SET attempts = attempts + 1, \
            next_attempt_at = \(bind: now.addingTimeInterval(lease).wholeSeconds)
            WHERE id IN (SELECT id FROM notification_outbox WHERE status = 'pending' \
            AND next_attempt_at <= \(bind: now) AND coalesce(channel, 'email') IN (\(binds: names)) \
            ORDER BY next_attempt_at LIMIT \(bind: limit)\(skipLocked))
            RETURNING id, event, to_address, subject, body, attempts, created_at, channel
            """
        ).all(decoding: Claimed.self)
    }

    /// One run: claims the due messages and sends them one after another, each by its channel.
    static func run(
        _ gateways: Gateways, site: URL, group: any EventLoopGroup, client: any Client, at now: Date,
        on db: any Database
    ) async throws -> Outcome {
        var outcome = Outcome()
        for message in try await claim(at: now, channels: gateways.channels, on: db) {
            if message.created_at < now.addingTimeInterval(-maxAge) {
                try await mark(message, .dead, error: "Quá hạn gửi", on: db)
                outcome.dead += 1
                continue
            }
            let result: MessagingGateways.Outcome
            switch (message.channel.flatMap(NotificationChannel.init(rawValue:)) ?? .email, gateways) {
            case (.email, let g) where g.smtp != nil:
                result = await email(message, smtp: g.smtp!, site: site, group: group)
            case (.sms, let g) where g.sms != nil:
                result = await MessagingGateways.sms(
                    to: message.to_address, text: message.body, id: message.id, g.sms!, client: client)
            case (.zalo, let g) where g.zalo != nil:
                if let template = g.zalo!.templates[message.event],
                    let data = try? JSON.decode([String: String].self, message.body)
                {
                    result = await MessagingGateways.zalo(
                        to: message.to_address, template: template, data: data, id: message.id, g.zalo!,
                        client: client)
                } else {
                    result = .refused("Chưa có mẫu Zalo cho loại thông báo \(message.event)")
                }
            default:
                result = .retry("Chưa cấu hình kênh gửi")
            }
            switch result {
            case .delivered(let id):
                try await mark(message, .sent, error: nil, at: now, providerID: id, on: db)
                outcome.sent += 1
            case .retry(let reason) where message.attempts < maxAttempts:
                try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE notification_outbox SET last_error = \(bind: String(reason.prefix(500))), \
                    next_attempt_at = \(bind: now.addingTimeInterval(backoff(afterAttempt: message.attempts)))
                    WHERE id = \(bind: message.id)
                    """
                ).run()
                outcome.retried += 1
            case .retry(let reason), .refused(let reason):
                try await mark(message, .dead, error: reason, on: db)
                outcome.dead += 1
            }
        }
        return outcome
    }

    /// An e-mail through the relay: a 4xx or a lost connection is tried again, a 5xx refused.
    static func email(_ mail: Claimed, smtp: SMTPSettings, site: URL, group: any EventLoopGroup) async
        -> MessagingGateways.Outcome
    {
        let message = EmailMessage(
            to: mail.to_address, subject: mail.subject, body: mail.body,
            messageID: "\(mail.id.uuidString.lowercased())@\(site.host ?? "motcua.local")")
        do {
            try await SMTPClient.send(message, with: smtp, on: group)
            return .delivered(id: nil)
        } catch {
            let reason = String(String(describing: error).prefix(500))
            return (error as? SMTPError)?.isTransient ?? true ? .retry(reason) : .refused(reason)
        }
    }

    static func mark(
        _ mail: Claimed, _ status: OutboxMailModel.Status, error: String?, at now: Date? = nil,
        providerID: String? = nil, on db: any Database
    ) async throws {
        let body: SQLQueryString = secretEvents.contains(mail.event) ? ", body = ''" : ""
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE notification_outbox SET status = \(bind: status.rawValue), sent_at = \(bind: now), \
            provider_id = \(bind: providerID.map { String($0.prefix(100)) }), \
            last_error = \(bind: error.map { String($0.prefix(500)) })\(body) WHERE id = \(bind: mail.id)
            """
        ).run()
    }

    /// A turn of `motcua serve`'s timer: batch after batch while messages are due (at most 50 batches),
    /// so a backlog drains at the gateways' pace rather than 20 every 15 seconds. Logs each batch.
    static func drain(_ app: Application) async throws {
        let gateways = Gateways(app.motcua.settings)
        for _ in 0..<50 {
            let r = try await run(
                gateways, site: app.motcua.settings.siteURL, group: app.eventLoopGroup, client: app.client, at: Date(),
                on: app.db)
            if r == Outcome() { break }
            app.logger.notice("Thông báo (thư điện tử, SMS, Zalo): \(r)")
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The jobs that run on a schedule, whatever the number of instances: payment reconciliation, the
/// file store's garbage collection, the nightly check of the reports' tallies. (The applicant's
/// e-mails are a queue of their own, `notification_outbox`, claimed the same way.)
///
/// Every instance, every `tick`, offers each schedule's current slot (`offer`: one insert per slot,
/// the unique key (kind, slot) keeps the first) and then claims due rows (`claim`): one statement
/// that moves their next run past a lease, with `FOR UPDATE SKIP LOCKED` on PostgreSQL (concurrent
/// workers take different rows) and SQLite's single writer otherwise. So a slot's job runs once,
/// not once per instance, and a row is never run by two workers at once; a worker that dies leaves
/// its row to be claimed again after the lease. A failure is retried after a growing delay, and
/// after `maxAttempts` the row is dead: `motcua jobs` shows it and `motcua jobs retry` revives it.
enum JobQueue {
    static let table = "jobs"
    static let lease: TimeInterval = 30 * 60
    static let maxAttempts = 5

    enum Status: String { case pending, done, dead }

    /// The delay before try `attempt + 1`: one minute, doubling, at most one hour.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        Backoff.delay(afterAttempt: attempt, cap: 3600)
    }

    /// Inserts the job of `kind` for `slot` unless some instance already did; true if this call made it.
    @discardableResult
    static func offer(kind: String, slot: String, at now: Date, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw(
            """
            INSERT INTO jobs (id, kind, slot, status, attempts, created_at, run_at) \
            VALUES (\(bind: UUID()), \(bind: kind), \(bind: slot), 'pending', 0, \(bind: now), \(bind: now)) \
            ON CONFLICT (kind, slot) DO NOTHING RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    struct Claimed: Decodable, Sendable {
        let id: UUID
        let kind: String
        let slot: String
        let attempts: Int
    }

    /// Takes up to `limit` due rows for this worker.
    static func claim(at now: Date, limit: Int = 5, on db: any Database) async throws -> [Claimed] {
        let sql = db as! any SQLDatabase
        let skipLocked: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        return try await sql.raw(
            """
            UPDATE jobs SET attempts = attempts + 1, run_at = \(bind: now.addingTimeInterval(lease).wholeSeconds) \
            WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= \(bind: now) \
            ORDER BY run_at LIMIT \(bind: limit)\(skipLocked)) RETURNING id, kind, slot, attempts
            """
        ).all(decoding: Claimed.self)
    }

    /// Records a run: done with its result, or failed (retried later, or dead after the last try).
    static func finish(_ job: Claimed, result: Result<String, any Error>, at now: Date, on db: any Database)
        async throws
    {
        let sql = db as! any SQLDatabase
        switch result {
        case .success(let summary):
            try await sql.raw(
                """
                UPDATE jobs SET status = 'done', finished_at = \(bind: now), result = \(bind: summary), \
                last_error = NULL WHERE id = \(bind: job.id)
                """
            ).run()
        case .failure(let error):
            let dead = job.attempts >= maxAttempts
            let next = now.addingTimeInterval(backoff(afterAttempt: job.attempts)).wholeSeconds
            try await sql.raw(
                """
                UPDATE jobs SET status = \(bind: dead ? Status.dead.rawValue : Status.pending.rawValue), \
                run_at = \(bind: next), last_error = \(bind: String(String(describing: error).prefix(500))), \
                finished_at = \(bind: dead ? now : nil) WHERE id = \(bind: job.id)
                """
            ).run()
        }
    }

    /// `motcua jobs retry`: a dead job, or a dead e-mail of the outbox, pending again now.
    static func retry(id: UUID, at now: Date, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let job = try await sql.raw(
            """
            UPDATE jobs SET status = 'pending', attempts = 0, run_at = \(bind: now), finished_at = NULL \
            WHERE id = \(bind: id) AND status = 'dead' RETURNING id
            """
        ).all()
        if !job.isEmpty { return true }
        return
            !(try await sql.raw(
                """
                UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now) \
                WHERE id = \(bind: id) AND status = 'dead' RETURNING id
                """
            ).all()).isEmpty
    }
}

extension Launch {
    /// `motcua jobs`: each scheduled job's last run and next one, the dead jobs and e-mails with
    /// their ids (for `motcua jobs retry`), and the outbox's counts.
    public static func jobsReport(_ app: Application, at now: Date = Date()) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        struct Row: Decodable {
            let id: UUID, kind: String, slot: String, status: String, attempts: Int
            let finished_at: Date?, run_at: Date, last_error: String?, result: String?
        }
        let time = { (d: Date) in PageTime.dateTime(d) }
        var lines: [String] = []
        for job in ScheduledJob.all(app.motcua.settings) {
            lines.append("\(job.kind): \(job.name)")
            let last = try await sql.raw(
                """
                SELECT id, kind, slot, status, attempts, finished_at, run_at, last_error, result FROM jobs \
                WHERE kind = \(bind: job.kind) ORDER BY slot DESC LIMIT 1
                """
            ).first(decoding: Row.self)
            if let last {
                let state =
                    switch last.status {
                    case JobQueue.Status.done.rawValue:
                        "xong lúc \(last.finished_at.map(time) ?? "?"): \(last.result ?? "")"
                    case JobQueue.Status.dead.rawValue: "HỎNG sau \(last.attempts) lần: \(last.last_error ?? "")"
                    default:
                        "chờ chạy lúc \(time(last.run_at))"
                            + (last.last_error.map { " (lần \(last.attempts) lỗi: \($0))" } ?? "")
                    }
                lines.append("  lượt \(last.slot): \(state)")
            } else {
                lines.append("  chưa chạy lần nào")
            }
        }
        let dead = try await sql.raw(
            "SELECT id, kind, slot, status, attempts, finished_at, run_at, last_error, result FROM jobs "
                + "WHERE status = 'dead' ORDER BY slot DESC LIMIT 20"
        ).all(decoding: Row.self)
        for row in dead {
            lines.append(
                "Việc hỏng \(row.id.uuidString.lowercased()) (\(row.kind) \(row.slot)): \(row.last_error ?? "")")
        }
        let outbox = try await OutboxMailModel.counts(on: app.db)
        lines.append(
            "Thư điện tử: \(outbox.pending) chờ gửi, \(outbox.sent) đã gửi, \(outbox.dead) không gửi được.")
        struct DeadMail: Decodable { let id: UUID; let to_address: String; let last_error: String? }
        for mail in try await sql.raw(
            "SELECT id, to_address, last_error FROM notification_outbox WHERE status = 'dead' "
                + "ORDER BY created_at DESC LIMIT 20"
        ).all(decoding: DeadMail.self) {
            lines.append("Thư hỏng \(mail.id.uuidString.lowercased()) tới \(mail.to_address): \(mail.last_error ?? "")")
        }
        return lines
    }

    /// `motcua jobs retry ID`: false if no dead job or e-mail has this id.
    public static func retryJob(_ app: Application, id: UUID) async throws -> Bool {
        try await JobQueue.retry(id: id, at: Date(), on: app.db)
    }
}

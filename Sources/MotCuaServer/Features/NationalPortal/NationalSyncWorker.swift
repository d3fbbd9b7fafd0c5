import Fluent
import Foundation
import MotCuaCore
import NIOCore
import SQLKit
import Vapor

/// Sends the national outbox (NationalSync) to the portal. A run claims the due messages whose
/// earlier messages of the same dossier were all acknowledged (so the portal gets each dossier's
/// steps in order), in one statement that moves their next attempt past a lease: `FOR UPDATE SKIP
/// LOCKED` on PostgreSQL, SQLite's single writer otherwise, as the other queues. The portal
/// acknowledges with `error_code` "0"; any other answer, an HTTP error or no answer in time leaves
/// the message pending with the answer kept, tried again after a growing delay (at most an hour)
/// until acknowledged; the sync page lists these and can try them again at once.
enum NationalSyncWorker {
    static let batchSize = 50
    static let lease: TimeInterval = 5 * 60

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var failed = 0
    }

    struct Claimed: Decodable {
        let id: UUID
        let dossier_id: UUID
        let seq: Int
        let service: String
        let payload: String
        let attempts: Int
    }

    static func claim(at now: Date, limit: Int = batchSize, on db: any Database) async throws -> [Claimed] {
        let sql = db as! any SQLDatabase
        let skipLocked: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let table = NationalSync.table
        return try await sql.raw(
            """
            UPDATE \(unsafeRaw: table) SET attempts = attempts + 1, \
            next_attempt_at = \(bind: now.addingTimeInterval(lease).wholeSeconds)
            WHERE id IN (SELECT o.id FROM \(unsafeRaw: table) o WHERE o.status = 'pending' \
            AND o.next_attempt_at <= \(bind: now) AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: table) p \
            WHERE p.dossier_id = o.dossier_id AND p.seq < o.seq AND p.status <> 'sent') \
            ORDER BY o.next_attempt_at, o.seq LIMIT \(bind: limit)\(skipLocked))
            RETURNING id, dossier_id, seq, service, payload, attempts
            """
        ).all(decoding: Claimed.self)
    }

    /// One run: claims the due messages and sends them one after another. A dossier whose message
    /// failed is not sent further in this run.
    static func run(_ settings: NationalPortalSettings, client: any Client, at now: Date, on db: any Database)
        async throws -> Outcome
    {
        var outcome = Outcome()
        var stopped = Set<UUID>()
        for message in try await claim(at: now, on: db).sorted(by: { $0.seq < $1.seq }) {
            if stopped.contains(message.dossier_id) {
                try await release(message, at: now, on: db)
                continue
            }
            let answer = await send(message.payload, settings, client: client)
            let sql = db as! any SQLDatabase
            if answer.acknowledged {
                try await sql.raw(
                    """
                    UPDATE \(unsafeRaw: NationalSync.table) SET status = 'sent', sent_at = \(bind: now), \
                    answer = \(bind: answer.text), last_error = NULL WHERE id = \(bind: message.id)
                    """
                ).run()
                outcome.sent += 1
            } else {
                stopped.insert(message.dossier_id)
                let next = now.addingTimeInterval(Backoff.delay(afterAttempt: message.attempts, cap: 3600))
                try await sql.raw(
                    """
                    UPDATE \(unsafeRaw: NationalSync.table) SET answer = \(bind: answer.text), \
                    last_error = \(bind: answer.error), next_attempt_at = \(bind: next.wholeSeconds) \
                    WHERE id = \(bind: message.id)
                    """
                ).run()
                outcome.failed += 1
            }
        }
        return outcome
    }

    /// A message claimed but not tried (an earlier one of its dossier failed in this run).
    static func release(_ message: Claimed, at now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE \(unsafeRaw: NationalSync.table) SET attempts = attempts - 1, next_attempt_at = \
            \(bind: now.wholeSeconds) WHERE id = \(bind: message.id)
            """
        ).run()
    }

    struct Answer {
        var acknowledged: Bool
        /// The portal's answer as it came (at most 2,000 characters).
        var text: String?
        /// Why it is not an acknowledgement, in Vietnamese.
        var error: String?
    }

    static func send(_ payload: String, _ settings: NationalPortalSettings, client: any Client) async -> Answer {
        let body = Data(payload.utf8)
        do {
            let response = try await settings.post(body, client: client)
            let text = response.body.map { String(String(buffer: $0).prefix(2000)) }
            guard response.status == .ok else {
                return Answer(acknowledged: false, text: text, error: "Cổng trả lời HTTP \(response.status.code)")
            }
            let object = text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let code = object?["error_code"].map { "\($0)" }
            guard code == "0" else {
                let message = object?["message"] as? String ?? "câu trả lời không có error_code"
                return Answer(
                    acknowledged: false, text: text, error: "Cổng từ chối (error_code \(code ?? "?")): \(message)")
            }
            return Answer(acknowledged: true, text: text, error: nil)
        } catch {
            return Answer(
                acknowledged: false, text: nil,
                error: "Không kết nối được Cổng DVC quốc gia: \(String(String(describing: error).prefix(300)))")
        }
    }

    /// A turn of `motcua serve`'s timer: batch after batch while messages are due (at most 20).
    static func drain(_ app: Application, settings: NationalPortalSettings) async throws {
        for _ in 0..<20 {
            let r = try await run(settings, client: app.client, at: Date(), on: app.db)
            if r == Outcome() { break }
            app.logger.notice("Đồng bộ Cổng DVC quốc gia: \(r)")
            if r.sent == 0 { break }
        }
    }

    /// "Gửi lại": the failing messages are due now (all, or one dossier's).
    @discardableResult
    static func retry(dossier: UUID? = nil, at now: Date, on db: any Database) async throws -> Int {
        let only: SQLQueryString = dossier.map { " AND dossier_id = \(bind: $0)" } ?? ""
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE \(unsafeRaw: NationalSync.table) SET next_attempt_at = \(bind: now.wholeSeconds) \
            WHERE status = 'pending' AND last_error IS NOT NULL\(only) RETURNING id
            """
        ).all()
        return rows.count
    }
}

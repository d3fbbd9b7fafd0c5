import Fluent
import SQLKit
import Foundation
import MotCuaCore

/// One e-mail of the notification outbox (CreateNotificationOutbox).
final class OutboxMailModel: Model, @unchecked Sendable {
    static let schema = "notification_outbox"

    enum Status: String {
        case pending, sent
        /// Refused for good by the relay, or out of tries: not sent, kept to be seen.
        case dead
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "event") var event: String
    @OptionalField(key: "dossier_id") var dossierID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "to_address") var toAddress: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// nil: e-mail (every row written before SMS and Zalo).
    @OptionalField(key: "channel") var channel: String?
    @OptionalField(key: "provider_id") var providerID: String?

    var notificationChannel: NotificationChannel { channel.flatMap(NotificationChannel.init(rawValue:)) ?? .email }

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $event, $dossierID, $userID, $toAddress, $subject, $body, $status, $attempts, $createdAt,
            $nextAttemptAt, $sentAt, $lastError, $channel, $providerID,
        ]
    }

    init() {}

    init(
        event: String, dossierID: UUID?, userID: UUID?, to: String, subject: String, body: String, at now: Date,
        channel: NotificationChannel = .email
    ) {
        self.id = UUID.timeOrdered()
        self.event = event
        self.dossierID = dossierID
        self.userID = userID
        self.toAddress = to
        self.subject = subject
        self.body = body
        self.status = Status.pending.rawValue
        self.attempts = 0
        self.createdAt = now.wholeSeconds
        self.nextAttemptAt = now.wholeSeconds
        self.channel = channel == .email ? nil : channel.rawValue
    }
}

extension OutboxMailModel {
    /// The outbox's rows by status, and when the oldest pending one was written (`/metrics`,
    /// `motcua jobs`).
    struct Counts: Sendable {
        var pending = 0, sent = 0, dead = 0
        var oldestPending: Date?
    }

    static func counts(on db: any Database) async throws -> Counts {
        struct Row: Decodable { let status: String, n: Int, oldest: Date? }
        var counts = Counts()
        for row in try await (db as! any SQLDatabase).raw(
            "SELECT status, count(*) AS n, MIN(created_at) AS oldest FROM notification_outbox GROUP BY status"
        ).all(decoding: Row.self) {
            switch Status(rawValue: row.status) {
            case .pending:
                counts.pending = row.n
                counts.oldestPending = row.oldest
            case .sent: counts.sent = row.n
            case .dead: counts.dead = row.n
            case nil: break
            }
        }
        return counts
    }
}

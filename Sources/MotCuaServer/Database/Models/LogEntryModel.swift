import Fluent
import Foundation
import MotCuaCore

/// An entry of the append-only processing log (nhật ký xử lý), chained by SHA-256.
final class LogEntryModel: Model, @unchecked Sendable {
    static let schema = "log_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    /// The account's username (migration 020); nil on older entries and for the system.
    @OptionalField(key: "actor_username") var actorUsername: String?
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "opinion") var opinion: String?
    /// Changed fields with old and new values, as JSON.
    @Field(key: "changes") var changesJSON: String
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    /// The chain's hashes, as bytes (StoredHash).
    @Field(key: "prev_hash") var prevHashBytes: Data
    @Field(key: "hash") var hashBytes: Data
    var hash: String { hashBytes.hex }

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $seq, $at, $actorID, $actorName, $actorUsername, $action, $fromState, $toState, $opinion,
            $changesJSON, $stepDueAt, $prevHashBytes, $hashBytes,
        ]
    }

    init() {}
}

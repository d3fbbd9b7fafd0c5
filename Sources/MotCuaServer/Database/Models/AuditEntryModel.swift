import Fluent
import Foundation

/// One change made in administration: written in the transaction of the change, never updated.
final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_log"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    /// What was changed: `user`, `agency`, ...
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    /// The change in Vietnamese ("Tạo tài khoản", "Khoá tài khoản", ...).
    @Field(key: "summary") var summary: String
    /// JSON of [LogChain.Change]: each field's old and new value.
    @Field(key: "changes") var changesJSON: String

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $at, $actorID, $actorName, $entity, $entityID, $summary, $changesJSON] }

    init() {}
}

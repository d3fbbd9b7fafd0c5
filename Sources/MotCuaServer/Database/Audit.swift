import Fluent
import Foundation

/// The audit log of administration: one entry per change, written in the change's transaction.
enum Audit {
    static func record(
        _ summary: String, entity: String, id: String, changes: [LogChain.Change], actor: Actor, at now: Date = Date(),
        on db: any Database
    ) async throws {
        let entry = AuditEntryModel()
        entry.id = UUID.timeOrdered()
        entry.at = now.wholeSeconds
        entry.actorID = actor.id
        entry.actorName = actor.name
        entry.entity = entity
        entry.entityID = id
        entry.summary = summary
        entry.changesJSON = LogChain.Change.json(changes)
        try await entry.create(on: db)
    }
}

import Fluent

/// The processing log names the account that acted by its username too, beside its id and the
/// display name it had at that instant: a display name can be changed by its owner (an officer once
/// renamed themself to their head's name before proposing a result). Older entries have none.
struct RecordLogUsernames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LogEntryModel.schema).field("actor_username", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LogEntryModel.schema).deleteField("actor_username").update()
    }
}

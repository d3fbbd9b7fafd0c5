import Fluent

/// SMS and Zalo beside e-mail (issue 25, point 3): each outbox row's channel (none: e-mail, as every
/// row written before) and the gateway's id of the message; each account's choice of channels.
struct AddNotificationChannels: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(OutboxMailModel.schema).field("channel", .string).update()
        try await database.schema(OutboxMailModel.schema).field("provider_id", .string).update()
        try await database.schema(UserModel.schema).field("notification_channels", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).deleteField("notification_channels").update()
        try await database.schema(OutboxMailModel.schema).deleteField("provider_id").update()
        try await database.schema(OutboxMailModel.schema).deleteField("channel").update()
    }
}

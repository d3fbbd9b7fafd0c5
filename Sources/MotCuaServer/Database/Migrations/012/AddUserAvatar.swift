import Fluent

/// A user's picture ("ảnh đại diện"), a file of the store by its checksum.
struct AddUserAvatar: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("avatar_sha256", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("avatar_sha256").update()
    }
}

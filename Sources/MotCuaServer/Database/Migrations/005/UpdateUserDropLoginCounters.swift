import Fluent
import SQLKit

/// Failed logins are counted in `throttles` (per username, known or not, atomically) since
/// migration 004; the users' own counters are no longer read or written.
struct UpdateUserDropLoginCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // One column per statement: SQLite drops one at a time.
        try await sql.raw("ALTER TABLE users DROP COLUMN failed_logins").run()
        try await sql.raw("ALTER TABLE users DROP COLUMN locked_until").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0").run()
        try await sql.raw(
            """
            ALTER TABLE users ADD COLUMN locked_until \
            \(unsafeRaw: sql.dialect.name == "sqlite" ? "REAL" : "TIMESTAMPTZ")
            """
        ).run()
    }
}

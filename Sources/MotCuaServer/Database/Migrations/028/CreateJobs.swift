import Fluent
import SQLKit

/// The scheduled jobs (issue 23, point 4): one row per job and time slot, so that every instance may
/// offer the slot's job and only the first insert makes it (the unique key), and workers on every
/// instance claim due rows without ever taking the same one twice (`JobQueue`).
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobQueue.table)
            .id()
            .field("kind", .string, .required)
            .field("slot", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("run_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("last_error", .string)
            .field("result", .string)
            .unique(on: "kind", "slot")
            .create()
        try await SecondaryIndex("idx_jobs_due", on: JobQueue.table, ["run_at"], where: "status = 'pending'")
            .create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobQueue.table).delete()
    }
}

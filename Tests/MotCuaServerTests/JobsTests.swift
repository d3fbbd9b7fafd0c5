import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// The scheduled jobs (issue 23, point 4) on both databases: a slot's job runs once however many
/// instances offer it, a row is never claimed twice by concurrent workers, failures are retried
/// with backoff and die, and `motcua jobs retry` revives them.
@Suite(.serialized) struct JobsTests {
    /// 14:07:30 in Việt Nam on 3 December 2026.
    let now = VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 3)!, secondOfDay: 14 * 3600 + 7 * 60 + 30)

    @Test func slots() {
        let every = ScheduledJob(kind: "x", name: "x", schedule: .every(300)) { _, _ in "" }
        #expect(every.slot(at: now) == "2026-12-03T14:05:00")
        let nightly = ScheduledJob(kind: "y", name: "y", schedule: .daily(hour: 2, minute: 0)) { _, _ in "" }
        #expect(nightly.slot(at: now) == "2026-12-03")
        let early = VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 3)!, secondOfDay: 3600)
        #expect(nightly.slot(at: early) == "2026-12-02")
    }

    @Test(arguments: TestDatabase.available)
    func aSlotRunsOnceWhateverTheNumberOfInstances(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let runs = NIOLockedValueBox(0)
            let job = ScheduledJob(kind: "dem", name: "Đếm", schedule: .every(300)) { _, _ in
                runs.withLockedValue { $0 += 1 }
                return "một lần"
            }
            // Eight instances' timers at the same moment.
            try await withThrowingTaskGroup(of: JobRunner.Turn.self) { group in
                for _ in 0..<8 { group.addTask { try await JobRunner.tick(t.app, jobs: [job], at: now) } }
                let turns = try await group.reduce(into: [JobRunner.Turn]()) { $0.append($1) }
                #expect(turns.map(\.offered).reduce(0, +) == 1)
            }
            #expect(runs.withLockedValue { $0 } == 1)
            // The same slot later: nothing; the next slot: once more.
            _ = try await JobRunner.tick(t.app, jobs: [job], at: now.addingTimeInterval(60))
            _ = try await JobRunner.tick(t.app, jobs: [job], at: now.addingTimeInterval(300))
            #expect(runs.withLockedValue { $0 } == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWorkersNeverClaimARowTwice(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            for n in 0..<60 { try await JobQueue.offer(kind: "k", slot: "s\(n)", at: now, on: t.app.db) }
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await JobQueue.claim(at: now, limit: 3, on: t.app.db)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(claimed.count == 60 && Set(claimed).count == 60)
            // Claimed rows are leased: nobody takes them again before the lease ends.
            #expect(try await JobQueue.claim(at: now.addingTimeInterval(60), on: t.app.db).isEmpty)
            #expect(try await JobQueue.claim(at: now.addingTimeInterval(JobQueue.lease + 1), on: t.app.db).count == 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFailingJobIsRetriedWithBackoffThenDiesAndCanBeRetried(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let job = ScheduledJob(kind: "hong", name: "Luôn lỗi", schedule: .daily(hour: 2, minute: 0)) { _, _ in
                throw ScheduledJob.Failure(description: "máy chủ ngoài không trả lời")
            }
            let sql = t.app.db as! any SQLDatabase
            struct Row: Decodable { let id: UUID; let status: String; let attempts: Int; let run_at: Date }
            func row() async throws -> Row {
                try #require(try await sql.raw("SELECT id, status, attempts, run_at FROM jobs").first(decoding: Row.self))
            }
            var at = now
            for attempt in 1...JobQueue.maxAttempts {
                let turn = try await JobRunner.tick(t.app, jobs: [job], at: at)
                #expect(turn.failed == 1)
                let r = try await row()
                #expect(r.attempts == attempt)
                if attempt < JobQueue.maxAttempts {
                    #expect(r.status == "pending")
                    // Not before its backoff.
                    #expect(r.run_at > at.addingTimeInterval(JobQueue.backoff(afterAttempt: attempt) - 60))
                    #expect(try await JobRunner.tick(t.app, jobs: [job], at: at.addingTimeInterval(1)).failed == 0)
                    at = r.run_at
                } else {
                    #expect(r.status == "dead")
                }
            }
            let report = try await Launch.jobsReport(t.app).joined(separator: "\n")
            let dead = try await row()
            #expect(report.contains("Việc hỏng \(dead.id.uuidString.lowercased())"))
            #expect(report.contains("máy chủ ngoài không trả lời"))
            #expect(try await Launch.retryJob(t.app, id: dead.id))
            #expect(try await row().status == "pending")
            #expect(try await !Launch.retryJob(t.app, id: dead.id))  // no longer dead
            #expect(try await !Launch.retryJob(t.app, id: UUID()))
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// A job that runs on a schedule (`JobQueue`): what it is called, when it runs, what it does.
struct ScheduledJob: Sendable {
    enum Schedule: Sendable {
        /// Every so many seconds, in slots counted from 1970.
        case every(Int)
        /// Once a day at this time, Việt Nam's: a day whose time passed while no instance ran still
        /// gets its run, once, when one starts.
        case daily(hour: Int, minute: Int)
    }

    let kind: String
    /// What `motcua jobs` calls it.
    let name: String
    let schedule: Schedule
    /// Runs the job; returns what it did, in a line. A thrown error is retried later.
    let run: @Sendable (Application, Date) async throws -> String

    /// The slot `now` falls in: its key in the `jobs` table.
    func slot(at now: Date) -> String {
        switch schedule {
        case .every(let seconds):
            let start = Int(now.timeIntervalSince1970) / seconds * seconds
            let (date, second) = VietnamTime.local(Date(timeIntervalSince1970: TimeInterval(start)))
            return date.iso + String(format: "T%02d:%02d:%02d", second / 3600, second % 3600 / 60, second % 60)
        case .daily(let hour, let minute):
            let (date, second) = VietnamTime.local(now)
            return (second >= hour * 3600 + minute * 60 ? date : date.adding(days: -1)).iso
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The province's jobs with these settings.
    static func all(_ settings: Settings) -> [ScheduledJob] {
        var jobs = [
            ScheduledJob(
                kind: "files-gc", name: "Dọn kho tệp (tệp không thuộc hồ sơ nào, cũ hơn 1 giờ)",
                schedule: .daily(hour: 2, minute: 0)
            ) { app, now in
                let r = try await FileService.collectGarbage(context: app.motcua, grace: 3600, now: now, on: app.db)
                return "Đã xoá \(r.removed) tệp (\(r.removedBytes) byte), giữ \(r.kept) tệp."
            },
            ScheduledJob(
                kind: "agency-transfer",
                name: "Chuyển hồ sơ đang giải quyết của cơ quan đã sáp nhập sang cơ quan kế thừa",
                schedule: .daily(hour: 0, minute: 5)
            ) { app, now in
                let moved = try await AgencyTransfer.carryDue(
                    actor: Actor(id: nil, name: "Hệ thống MotCua", roles: [], scope: .everything), at: now, on: app.db)
                return "Đã chuyển \(moved) hồ sơ."
            },
            ScheduledJob(
                kind: "reports-check", name: "Đối chiếu số liệu thống kê với hồ sơ",
                schedule: .daily(hour: 3, minute: 0)
            ) { app, _ in
                let differences = try await ReportTallyStore.check(on: app.snapshotReads)
                guard differences.isEmpty else {
                    throw Failure(
                        description: """
                            Có \(differences.count) dòng số liệu tổng hợp khác với hồ sơ (đầu tiên: \
                            \(differences[0])): chạy "motcua reports rebuild".
                            """)
                }
                return "Số liệu tổng hợp khớp với hồ sơ."
            },
        ]
        if settings.vnpay != nil {
            jobs.append(
                ScheduledJob(
                    kind: "vnpay-querydr", name: "Hỏi VNPay về giao dịch chưa có kết quả (querydr)",
                    schedule: .every(300)
                ) { app, now in
                    String(describing: try await VNPayReconciliation.run(app, at: now))
                })
        }
        return jobs
    }
}

/// One turn of every instance's job timer: offer each schedule's current slot, then run the due jobs.
enum JobRunner {
    struct Turn: Equatable, Sendable {
        var offered = 0
        var done = 0
        var failed = 0
    }

    static func tick(_ app: Application, jobs: [ScheduledJob], at now: Date) async throws -> Turn {
        var turn = Turn()
        for job in jobs where try await JobQueue.offer(kind: job.kind, slot: job.slot(at: now), at: now, on: app.db) {
            turn.offered += 1
        }
        let byKind = Dictionary(uniqueKeysWithValues: jobs.map { ($0.kind, $0) })
        for claimed in try await JobQueue.claim(at: now, on: app.db) {
            let started = Date()
            let result: Result<String, any Error>
            if let job = byKind[claimed.kind] {
                do { result = .success(try await job.run(app, now)) } catch { result = .failure(error) }
            } else {
                result = .failure(ScheduledJob.Failure(description: "Việc \(claimed.kind) không còn được cấu hình."))
            }
            if case .failure(let error) = result {
                turn.failed += 1
                app.logger.error("Việc \(claimed.kind) \(claimed.slot), lần \(claimed.attempts): \(error)")
            } else {
                turn.done += 1
            }
            // Finished `now` plus the run's duration: its retry counts from then.
            try await JobQueue.finish(
                claimed, result: result, at: now.addingTimeInterval(Date().timeIntervalSince(started)), on: app.db)
        }
        return turn
    }
}

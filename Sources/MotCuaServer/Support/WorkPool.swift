import Vapor

private struct WorkPoolKey: StorageKey { typealias Value = NIOThreadPool }
private struct UploadLimiterKey: StorageKey { typealias Value = AsyncLimiter }
private struct ExportLimiterKey: StorageKey { typealias Value = AsyncLimiter }

extension Application {

    /// Threads for CPU-heavy work: password hashing, reading and checking uploads. Vapor's own pool
    /// also runs every SQLite query (sqlite-nio), so a burst of Bcrypt checks there made the
    /// queries wait past the connection timeout (500 on concurrent logins).
    var workPool: NIOThreadPool {
        guard let pool = storage[WorkPoolKey.self] else {
            fatalError("MotCua is not configured: call configure(_:settings:)")
        }
        return pool
    }

    func startWorkPool() async {
        let pool = NIOThreadPool(numberOfThreads: max(2, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        await storage.setWithAsyncShutdown(WorkPoolKey.self, to: pool) { try await $0.shutdownGracefully() }
        storage[UploadLimiterKey.self] = AsyncLimiter(running: 4, waiting: 64)
        storage[ExportLimiterKey.self] = AsyncLimiter(running: 2, waiting: 0)
    }
}

extension Request {
    /// Bcrypt on the work pool.
    var passwordHasher: AsyncPasswordHasher {
        application.password.sync.async(on: application.workPool, hopTo: eventLoop)
    }
}

/// At most `running` holders at once, `waiting` more queued in arrival order; beyond that a caller
/// is turned away at once ("busy, try again"). Bounds what slow work (uploads) may hold at a time:
/// temporary files, memory, the work pool's queue.
actor AsyncLimiter {
    let running: Int
    let waiting: Int
    private var active = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(running: Int, waiting: Int) {
        self.running = running
        self.waiting = waiting
    }

    /// Runs `body` holding a place; throws `busy` when every place and the queue are taken.
    func run<T: Sendable>(busy: @autoclosure () -> any Error, _ body: @Sendable () async throws -> T) async throws -> T
    {
        if active >= running {
            guard queue.count < waiting else { throw busy() }
            await withCheckedContinuation { queue.append($0) }  // woken holding the place of the one leaving
        } else {
            active += 1
        }
        defer { leave() }
        return try await body()
    }

    private func leave() {
        if queue.isEmpty { active -= 1 } else { queue.removeFirst().resume() }
    }
}

extension Application {

    /// Uploads in progress at once (streaming, checking, storing): 4 running, 64 waiting.
    var uploadLimiter: AsyncLimiter {
        guard let limiter = storage[UploadLimiterKey.self] else {
            fatalError("MotCua is not configured: call configure(_:settings:)")
        }
        return limiter
    }
}

extension Request {
    static let exportBusy = ServiceError(
        .serviceUnavailable,
        "Máy chủ đang xuất nhiều tệp báo cáo cùng lúc; vui lòng thử lại sau ít giây.", retryAfter: 10)

    /// Makes an Excel or CSV file holding one of the instance's two places for exports: a
    /// province-wide export reads the database hard, and twenty at once slowed every page (the
    /// login page from 7 ms to 0.3 s). A third export at once is a 503 with `Retry-After`.
    func export<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard let limiter = application.storage[ExportLimiterKey.self] else { fatalError("MotCua is not configured") }
        return try await limiter.run(busy: Self.exportBusy, body)
    }
}

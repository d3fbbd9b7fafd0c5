import Vapor

extension Application {
    private struct WorkPoolKey: StorageKey { typealias Value = NIOThreadPool }

    /// Threads for CPU-heavy work: password hashing, reading and checking uploads. Vapor's own pool
    /// also runs every SQLite query (sqlite-nio), so a burst of Bcrypt checks there made the
    /// queries wait past the connection timeout (500 on concurrent logins).
    var workPool: NIOThreadPool {
        guard let pool = storage[WorkPoolKey.self] else { fatalError("MotCua is not configured: call configure(_:settings:)") }
        return pool
    }

    func startWorkPool() async {
        let pool = NIOThreadPool(numberOfThreads: max(2, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        await storage.setWithAsyncShutdown(WorkPoolKey.self, to: pool) { try await $0.shutdownGracefully() }
    }
}

extension Request {
    /// Bcrypt on the work pool.
    var passwordHasher: AsyncPasswordHasher { application.password.sync.async(on: application.workPool, hopTo: eventLoop) }
}

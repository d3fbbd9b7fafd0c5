/// Runs `body`, then `cleanup` whether `body` succeeded or not. After a failed `body` a failing
/// cleanup is ignored, so that the error reported is the one that mattered.
public func withCleanup<T>(_ body: () async throws -> T, cleanup: () async throws -> Void) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
    return result
}

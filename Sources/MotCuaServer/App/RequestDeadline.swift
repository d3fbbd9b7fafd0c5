import NIOConcurrencyHelpers
import Vapor

/// A request still without an answer after MOTCUA_REQUEST_TIMEOUT seconds is answered 503 with
/// `Retry-After`, like a database outage (DatabaseOutage): a query sent to a PostgreSQL server that
/// died in flight otherwise waits until the TCP connection fails, minutes later, since PostgresNIO has
/// no per-query deadline. The work goes on in the background (and is cancelled); if it ever commits,
/// the client was never told so, and an action sent again meets the dossier's version check.
/// Multipart uploads are exempt: a large file on a slow line takes long, bounded by its size.
struct RequestDeadlineMiddleware: AsyncMiddleware {
    let seconds: Int

    static let message = "Hệ thống chưa trả lời kịp (cơ sở dữ liệu không phản hồi). Vui lòng thử lại sau ít giây."

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.headers.contentType?.type == "multipart" { return try await next.respond(to: request) }
        let answered = NIOLockedValueBox(false)
        let seconds = self.seconds
        return try await withCheckedThrowingContinuation { continuation in
            @Sendable func answer(_ result: Result<Response, any Error>) -> Bool {
                let first = answered.withLockedValue { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
                return first
            }
            let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
            // A timer on the event loop, cheaper than a sleeping task per request; cancelled on the answer.
            let timer = request.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                if answer(.failure(ServiceError(.serviceUnavailable, Self.message, retryAfter: 5))) {
                    request.logger.warning(
                        "Quá \(seconds) giây không trả lời được: \(request.method) \(request.url.path)")
                    work.withLockedValue { $0 }?.cancel()
                }
            }
            let task = Task {
                let result: Result<Response, any Error>
                do { result = .success(try await next.respond(to: request)) } catch { result = .failure(error) }
                timer.cancel()
                _ = answer(result)
            }
            work.withLockedValue { $0 = task }
        }
    }
}

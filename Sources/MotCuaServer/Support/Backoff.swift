import Foundation

/// The delay before a queue's next try: one minute after the first failure, doubling, at most `cap`
/// (the e-mail outbox and the scheduled jobs).
enum Backoff {
    static func delay(afterAttempt attempt: Int, cap: TimeInterval) -> TimeInterval {
        min(60 * pow(2, Double(max(0, attempt - 1))), cap)
    }
}

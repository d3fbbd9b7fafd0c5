import Foundation
import NIOConcurrencyHelpers

/// This server's wrong lookup secrets per dossier code, while the database may not show them yet.
/// A lookup reads the code's count of wrong secrets with the dossier, then compares under one lock:
/// the count it read, plus the wrong secrets this server compared whose count was not yet written
/// when it read, must stay under the limit, else it reads the count again once they are written
/// (then a count at the limit is a lock, 429). So a burst of guesses that all read "no failure"
/// still gets exactly five comparisons. A guess is forgotten a
/// minute after its count is written (a lookup's read is older than that only if the server hangs).
/// The lock is held for a comparison of a few bytes, never across a read or a write.
final class LookupGuesses: Sendable {
    enum Decision: Equatable {
        case right
        case wrong(id: UInt64)
        /// The count read and this server's guesses not yet seen by that read reach the limit, while
        /// some of those may already be in the count: read the count again once they are written.
        case readAgain
    }

    private struct Guess {
        let id: UInt64
        var written: Date?
    }

    private struct State {
        var next: UInt64 = 0
        var byCode: [String: [Guess]] = [:]
    }

    private let state = NIOLockedValueBox(State())

    func compare(code: String, read: Date, failuresRead: Int, at now: Date, _ isRight: () -> Bool) -> Decision {
        let throttle = Throttle.lookupCode
        let forgotten = now.addingTimeInterval(-60)
        return state.withLockedValue { state in
            let guesses = (state.byCode[code] ?? []).filter { $0.written.map { $0 > forgotten } ?? true }
            let unseen = guesses.filter { $0.written.map { $0 > read } ?? true }.count
            state.byCode[code] = guesses.isEmpty ? nil : guesses
            if unseen > 0, failuresRead + unseen >= throttle.limit { return .readAgain }
            if isRight() { return .right }
            state.next += 1
            state.byCode[code, default: []].append(Guess(id: state.next, written: nil))
            return .wrong(id: state.next)
        }
    }

    /// The wrong guess's count is in the database (or its write failed): lookups that read after
    /// this see it there.
    func written(code: String, id: UInt64, at now: Date) {
        state.withLockedValue { state in
            guard let i = state.byCode[code]?.firstIndex(where: { $0.id == id }) else { return }
            state.byCode[code]![i].written = now
            // Codes whose guesses are all forgotten are dropped now and then.
            if state.byCode.count > 10_000 {
                let forgotten = now.addingTimeInterval(-60)
                state.byCode = state.byCode.filter { $0.value.contains { $0.written.map { $0 > forgotten } ?? true } }
            }
        }
    }
}

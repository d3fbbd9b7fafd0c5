import Foundation

extension UUID {
    /// A version 7 UUID: the first 48 bits are the Unix time in milliseconds, the rest random.
    /// Rows keyed by it are appended at the end of their indexes instead of scattered through them,
    /// which keeps inserts fast when the log grows to millions of entries.
    static func timeOrdered(now: Date = Date()) -> UUID {
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var rng = SystemRandomNumberGenerator()
        let r1 = rng.next() as UInt64, r2 = rng.next() as UInt64
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: ms >> 40), UInt8(truncatingIfNeeded: ms >> 32),
                UInt8(truncatingIfNeeded: ms >> 24),
                UInt8(truncatingIfNeeded: ms >> 16), UInt8(truncatingIfNeeded: ms >> 8), UInt8(truncatingIfNeeded: ms),
                0x70 | UInt8(truncatingIfNeeded: r1 & 0x0F), UInt8(truncatingIfNeeded: r1 >> 8),
                0x80 | UInt8(truncatingIfNeeded: (r1 >> 16) & 0x3F), UInt8(truncatingIfNeeded: r1 >> 24),
                UInt8(truncatingIfNeeded: r1 >> 32), UInt8(truncatingIfNeeded: r1 >> 40), UInt8(truncatingIfNeeded: r2),
                UInt8(truncatingIfNeeded: r2 >> 8), UInt8(truncatingIfNeeded: r2 >> 16),
                UInt8(truncatingIfNeeded: r2 >> 24)
            ))
    }
}

import Foundation

/// Finding a run of bytes: in uploads (multipart delimiters, file trailers) and request heads.
extension UnsafeBufferPointer where Element == UInt8 {
    /// The first position of `needle` at or after `from` (memchr for its first byte).
    func firstIndex(of needle: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, count >= needle.count, let base = baseAddress else { return nil }
        var i = from
        let last = count - needle.count
        while i <= last {
            guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if (1..<needle.count).allSatisfy({ self[i + $0] == needle[$0] }) { return i }
            i += 1
        }
        return nil
    }

    /// The last position of `needle` at or after `from`.
    func lastIndex(of needle: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty else { return nil }
        var i = count - needle.count
        while i >= Swift.max(from, 0) {
            if self[i] == needle[0], (1..<needle.count).allSatisfy({ self[i + $0] == needle[$0] }) { return i }
            i -= 1
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    func firstIndex(of needle: [UInt8], from: Int) -> Int? {
        withUnsafeBufferPointer { $0.firstIndex(of: needle, from: from) }
    }
}

import Crypto
import Foundation
import MotCuaCore

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal (`Hex.string`); used for every SHA-256 the project stores.
    var hex: String { Hex.string(self) }
}

/// A SHA-256 kept as its 32 bytes in the database (issue 23, point 10: half the room of its hex
/// text) and handled as hex everywhere else (`.hex` reads it back), as the log chain hashes it.
enum StoredHash {
    static func bytes(_ hex: String) -> Data { Data(Hex.bytes(hex) ?? []) }
}

enum Checksum {
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }
    static func sha256(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).hex }
}

import Crypto
import Foundation
import MotCuaCore

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal (`Hex.string`); used for every SHA-256 the project stores.
    var hex: String { Hex.string(self) }
}

enum Checksum {
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }
    static func sha256(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).hex }
}

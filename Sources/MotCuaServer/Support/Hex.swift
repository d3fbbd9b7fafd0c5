import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal; used for every SHA-256 the project stores (String(format:) per byte
    /// was a tenth of the demo loader's time).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for b in self {
            bytes.append(digits[Int(b >> 4)])
            bytes.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

enum Checksum {
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).hex }
    static func sha256(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).hex }
}

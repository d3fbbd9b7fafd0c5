import Foundation
import MotCuaCore

/// JSON text columns: sorted keys so equal values give equal text (the log hashes depend on it).
enum JSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

enum SearchText {
    /// Lower case, diacritics removed, đ -> d: "Nguyễn Văn Ánh" -> "nguyen van anh".
    static func normalise(_ text: String) -> String {
        VietnameseText.unaccented(text.lowercased()).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

extension Date {
    /// Whole seconds: instants stored in the log are hashed, and both databases keep whole seconds exactly.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}

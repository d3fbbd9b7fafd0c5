import Foundation

/// Writing JSON text by hand where the shape is fixed and speed or key order matters (the log's
/// canonical form, schedule exports); JSONEncoder is ten times slower.
public enum JSONText {
    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends a JSON string literal; the hot path of the log's canonical form.
    public static func appendQuoted(_ text: String, to out: inout String) {
        // Most texts need no escaping: check the bytes first.
        var text = text
        let plain = text.withUTF8 { bytes in !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) }
        out += "\""
        if plain {
            out += text
        } else {
            // Byte by byte: quotes, backslashes and control characters are ASCII and never part of
            // a multi-byte UTF-8 sequence.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count + 16)
            func escaped(_ c: UInt8) {
                bytes.append(0x5C)
                bytes.append(c)
            }
            for b in text.utf8 {
                switch b {
                case 0x22, 0x5C: escaped(b)
                case 0x0A: escaped(0x6E)
                case 0x0D: escaped(0x72)
                case 0x09: escaped(0x74)
                case ..<0x20:
                    escaped(0x75)
                    bytes.append(0x30)
                    bytes.append(0x30)
                    bytes.append(b < 0x10 ? 0x30 : 0x31)
                    let low = b & 0xF
                    bytes.append(low < 10 ? 0x30 + low : 0x61 + low - 10)
                default: bytes.append(b)
                }
            }
            out += String(decoding: bytes, as: UTF8.self)
        }
        out += "\""
    }

    /// A JSON array of strings.
    public static func array(_ items: [String]) -> String {
        var out = "["
        out.reserveCapacity(items.reduce(2) { $0 + $1.utf8.count + 3 })
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            appendQuoted(item, to: &out)
        }
        return out + "]"
    }

    /// A JSON object with the given keys in the given order; nil values are written as null.
    public static func object(_ pairs: [(String, String?)]) -> String {
        var out = "{"
        for (i, (key, value)) in pairs.enumerated() {
            if i > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            if let value { appendQuoted(value, to: &out) } else { out += "null" }
        }
        return out + "}"
    }

    /// A JSON object of values that are JSON already; pairs with a nil value are left out.
    public static func object(raw pairs: [(String, String?)]) -> String {
        "{" + pairs.compactMap { key, value in value.map { quote(key) + ":" + $0 } }.joined(separator: ",") + "}"
    }

    /// An instant as seconds since 1970, as JSONEncoder's `.secondsSince1970` writes it.
    public static func seconds(_ instant: Date) -> String {
        let t = instant.timeIntervalSince1970
        return t.rounded() == t && abs(t) < 1e15 ? String(Int64(t)) : String(t)
    }
}

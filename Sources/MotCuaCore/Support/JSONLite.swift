import Foundation
/// A small JSON reader that remembers the line of every value, so that an import can name the
/// line of its first error (Foundation's JSONSerialization does not say where).
enum JSONLite {
    struct ParseError: Error {
        let line: Int
        let reason: String
    }

    indirect enum Value {
        case string(String, line: Int)
        case number(Double, line: Int)
        case bool(Bool, line: Int)
        case null(line: Int)
        case array([Value], line: Int)
        case object([String: Value], line: Int)

        var line: Int {
            switch self {
            case .string(_, let l), .number(_, let l), .bool(_, let l), .null(let l), .array(_, let l), .object(_, let l): l
            }
        }
    }

    static func parse(_ text: String) throws(ParseError) -> Value {
        var reader = Reader(chars: Array(text.unicodeScalars))
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.atEnd else { throw reader.error("nội dung thừa sau giá trị JSON") }
        return value
    }

    struct Reader {
        let chars: [Unicode.Scalar]
        var i = 0
        var line = 1

        var atEnd: Bool { i >= chars.count }

        func error(_ reason: String) -> ParseError { ParseError(line: line, reason: "JSON không hợp lệ: \(reason)") }

        mutating func skipSpace() {
            if i == 0, !atEnd, chars[0] == "\u{FEFF}" { i = 1 }
            while !atEnd {
                switch chars[i] {
                case "\n": line += 1; i += 1
                case " ", "\t", "\r": i += 1
                default: return
                }
            }
        }

        mutating func expect(_ c: Unicode.Scalar) throws(ParseError) {
            guard !atEnd, chars[i] == c else { throw error("thiếu '\(c)'") }
            i += 1
        }

        mutating func value() throws(ParseError) -> Value {
            guard !atEnd else { throw error("tệp kết thúc giữa chừng") }
            let start = line
            switch chars[i] {
            case "[":
                i += 1
                var items: [Value] = []
                skipSpace()
                if !atEnd, chars[i] == "]" { i += 1; return .array(items, line: start) }
                while true {
                    skipSpace()
                    items.append(try value())
                    skipSpace()
                    guard !atEnd else { throw error("thiếu ']'") }
                    if chars[i] == "," { i += 1; continue }
                    try expect("]")
                    return .array(items, line: start)
                }
            case "{":
                i += 1
                var fields: [String: Value] = [:]
                skipSpace()
                if !atEnd, chars[i] == "}" { i += 1; return .object(fields, line: start) }
                while true {
                    skipSpace()
                    guard case .string(let key, _) = try value() else { throw error("khoá phải là chuỗi") }
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    guard fields[key] == nil else { throw error("khoá \"\(key)\" lặp lại") }
                    fields[key] = try value()
                    skipSpace()
                    guard !atEnd else { throw error("thiếu '}'") }
                    if chars[i] == "," { i += 1; continue }
                    try expect("}")
                    return .object(fields, line: start)
                }
            case "\"":
                i += 1
                var s = String.UnicodeScalarView()
                while true {
                    guard !atEnd else { throw error("chuỗi chưa đóng") }
                    let c = chars[i]
                    i += 1
                    if c == "\"" { break }
                    if c == "\n" { throw error("xuống dòng trong chuỗi") }
                    if c != "\\" { s.append(c); continue }
                    guard !atEnd else { throw error("chuỗi chưa đóng") }
                    let e = chars[i]
                    i += 1
                    switch e {
                    case "\"": s.append("\"")
                    case "\\": s.append("\\")
                    case "/": s.append("/")
                    case "b": s.append("\u{8}")
                    case "f": s.append("\u{C}")
                    case "n": s.append("\n")
                    case "r": s.append("\r")
                    case "t": s.append("\t")
                    case "u":
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard i + 1 < chars.count, chars[i] == "\\", chars[i + 1] == "u" else { throw error("cặp UTF-16 không hợp lệ") }
                            i += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("mã \\u không hợp lệ") }
                        s.append(scalar)
                    default: throw error("ký tự thoát không hợp lệ")
                    }
                }
                return .string(String(s), line: start)
            case "t": try literal("true"); return .bool(true, line: start)
            case "f": try literal("false"); return .bool(false, line: start)
            case "n": try literal("null"); return .null(line: start)
            default:
                let begin = i
                while !atEnd, "+-.eE0123456789".unicodeScalars.contains(chars[i]) { i += 1 }
                guard i > begin, let d = Double(String(String.UnicodeScalarView(chars[begin..<i]))) else {
                    throw error("giá trị không hợp lệ")
                }
                return .number(d, line: start)
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= chars.count, let v = UInt32(String(String.UnicodeScalarView(chars[i..<(i + 4)])), radix: 16) else {
                throw error("mã \\u không hợp lệ")
            }
            i += 4
            return v
        }

        mutating func literal(_ word: String) throws(ParseError) {
            for c in word.unicodeScalars {
                guard !atEnd, chars[i] == c else { throw error("giá trị không hợp lệ") }
                i += 1
            }
        }
    }
}

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

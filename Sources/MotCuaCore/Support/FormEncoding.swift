/// `application/x-www-form-urlencoded` text as browsers and VNPay write it: `+` for a space, `%XX`
/// for a byte of UTF-8. Decoded and encoded over the bytes: Foundation's percent coding goes
/// through NSString and, with Vapor's form decoder, was a tenth of a public lookup's own work.
public enum FormEncoding {
    /// The name-value pairs of a query string in their order (`a&b=` gives two empty values); nil
    /// when a `%` is not followed by two hexadecimal digits or the bytes are not UTF-8.
    public static func pairs(_ query: String?) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in (query ?? "").utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let empty = parts[0][parts[0].endIndex...]
            guard let name = decoded(parts[0]), let value = decoded(parts.count > 1 ? parts[1] : empty) else {
                return nil
            }
            pairs.append((name, value))
        }
        return pairs
    }

    /// The parameters by name; nil when the query is malformed or names one of `names` twice (which
    /// of two values was meant cannot be told). Names outside `names` are left out.
    public static func parameters(_ query: String?, named names: (String) -> Bool) -> [String: String]? {
        guard let pairs = pairs(query) else { return nil }
        var result: [String: String] = [:]
        for (name, value) in pairs where names(name) {
            guard result.updateValue(value, forKey: name) == nil else { return nil }
        }
        return result
    }

    /// One name or value: `+` is a space, `%XX` a byte.
    private static func decoded(_ text: Substring.UTF8View) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var i = text.startIndex
        while i != text.endIndex {
            let byte = text[i]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = text.index(after: i)
                guard high != text.endIndex, text.index(after: high) != text.endIndex,
                    let h = Hex.digit(text[high]), let l = Hex.digit(text[text.index(after: high)])
                else { return nil }
                bytes.append(h << 4 | l)
                i = text.index(after: high)
            default:
                bytes.append(byte)
            }
            i = text.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Every byte of the UTF-8 text as `%XX` but RFC 3986's unreserved characters (ASCII letters and
    /// digits, `-`, `.`, `_`, `~`): safe in a query's value and in RFC 5987's `filename*`.
    public static func encoded(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

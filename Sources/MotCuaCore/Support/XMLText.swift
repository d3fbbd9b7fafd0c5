/// Text inside XML (the Excel workbooks' sheets, the QR codes' SVG): the five entities escaped, and
/// what XML 1.0 forbids dropped (control characters but tab, line feed and carriage return, and the
/// non-characters U+FFFE and U+FFFF), so that no stored name can make a file invalid for everyone.
public enum XMLText {
    public static func escape(_ s: String) -> String {
        // Most text needs nothing: checked on the bytes first (0xEF leads U+FFFE and U+FFFF in UTF-8).
        if !s.utf8.contains(where: {
            $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF
        }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// XML 1.0's Char production (Swift strings hold no surrogates).
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

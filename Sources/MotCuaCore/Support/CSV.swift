/// RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks quoted with `"`.
public enum CSV {
    public struct ParseError: Error, Equatable {
        public let line: Int
        public let reason: String
    }

    /// What starts a formula in Excel or LibreOffice (OWASP "CSV injection"): `=`, `+`, `-`, `@`,
    /// a tab, a carriage return.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell as a spreadsheet must read it: one that starts like a formula gets a leading `'`,
    /// so an applicant named `=HYPERLINK(...)` is shown, never run. Numbers and dates are written
    /// without it; every text cell of every CSV file goes through here. Text that already starts
    /// with `'` before a formula character gets one more, so that `fromTextCell` gives it back.
    public static func textCell(_ text: String) -> String {
        marked(text) ? "'" + text : text
    }

    /// The text behind a cell written by `textCell` (a file exported here and imported again).
    public static func fromTextCell(_ cell: String) -> String {
        guard cell.unicodeScalars.first == "'", marked(String(cell.unicodeScalars.dropFirst())) else { return cell }
        return String(cell.unicodeScalars.dropFirst())
    }

    /// Starts with a formula character, after any number of `'`.
    static func marked(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(first)
    }

    public static func quote(_ field: String) -> String {
        // On scalars: "\r\n" is one Character, equal to neither "\r" nor "\n", so a multi-line
        // address went out unquoted and broke its row (found by scripts/fuzz).
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records with the 1-based line on which each starts. Blank lines are skipped.
    public static func parse(_ text: String) throws(ParseError) -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }  // byte-order mark written by Excel
        var i = 0

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { records.append((fields, recordLine)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"":
                    guard field.isEmpty else { throw ParseError(line: line, reason: "dấu ngoặc kép đặt sai chỗ") }
                    inQuotes = true
                    fieldWasQuoted = true
                case ",":
                    fields.append(field)
                    field = ""
                    fieldWasQuoted = false
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted { throw ParseError(line: line, reason: "ký tự thừa sau dấu ngoặc kép đóng") }
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: recordLine, reason: "thiếu dấu ngoặc kép đóng") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}

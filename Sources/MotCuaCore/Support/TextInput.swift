/// What text a user may type into a field: no NUL and no control characters (C0, DEL, C1), which
/// no form needs and which break logs, exports and printed forms; tab, line feed and carriage
/// return only in multi-line fields (opinions, reasons, addresses); no Unicode non-character
/// (U+FFFE, U+FFFF, U+FDD0-U+FDEF, the last two of every plane), which XML may not carry and which
/// made every exported workbook invalid.
public enum TextInput {
    public static func isClean(_ text: String, multiline: Bool = false) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: multiline
            case 0x00...0x1F, 0x7F...0x9F, 0xFDD0...0xFDEF: false
            case let v where v & 0xFFFE == 0xFFFE: false
            default: true
            }
        }
    }
}

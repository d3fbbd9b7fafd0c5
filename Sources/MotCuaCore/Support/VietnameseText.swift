/// Vietnamese without its diacritics ("Hồ sơ Đã tiếp nhận" -> "Ho so Da tiep nhan"): for search
/// keys, field names and SMS, which brand-name gateways send in plain ASCII.
public enum VietnameseText {
    public static func unaccented(_ text: String) -> String {
        let plain = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
        let scalars = plain.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            !(0x0300...0x036F).contains($0.value)
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

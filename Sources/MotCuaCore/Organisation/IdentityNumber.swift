/// The numbers an applicant is known by: a citizen's 12-digit personal identification number
/// (số định danh cá nhân, on the CCCD: Nghị định 137/2015/NĐ-CP, Thông tư 59/2021/TT-BCA) and an
/// organisation's tax code (mã số thuế: 10 digits, a branch adds "-" and 3 digits).
public enum IdentityNumber {
    /// The codes of the place of birth registration that open a personal number: the 63 provinces
    /// as they were numbered before the 2025 mergers (numbers already issued keep them).
    static let provinceCodes: Set<Int> = [
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44,
        45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89,
        91, 92, 93, 94, 95, 96,
    ]

    /// What is wrong with a personal number, in Vietnamese; nil when it is well formed. `thisYear`
    /// bounds the year of birth it encodes.
    public static func personalNumberProblem(_ text: String, thisYear: Int) -> String? {
        let digits = text.compactMap(\.wholeNumberValue)
        guard text.count == 12, digits.count == 12, text.allSatisfy(\.isASCII) else {
            return "Số định danh cá nhân phải gồm đúng 12 chữ số."
        }
        let province = digits[0] * 100 + digits[1] * 10 + digits[2]
        guard provinceCodes.contains(province) else {
            return "Ba chữ số đầu của số định danh (mã nơi đăng ký khai sinh) không đúng: \(text.prefix(3))."
        }
        // The fourth digit is the century and sex: 0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s,
        // 6/7 the 2200s, 8/9 the 1800s; the fifth and sixth the year within the century.
        let century = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800][digits[3]]
        let year = century + digits[4] * 10 + digits[5]
        guard year <= thisYear, year >= thisYear - 130 else {
            return "Số định danh có năm sinh \(year) không hợp lệ (chữ số thứ 4 đến 6)."
        }
        return nil
    }

    /// What is wrong with a tax code, in Vietnamese; nil when it is well formed.
    public static func taxCodeProblem(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let allDigits = parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard allDigits, parts[0].count == 10, parts.count == 1 || (parts.count == 2 && parts[1].count == 3) else {
            return "Mã số thuế phải gồm 10 chữ số (đơn vị phụ thuộc: 10 chữ số, dấu gạch ngang và 3 chữ số)."
        }
        return nil
    }
}

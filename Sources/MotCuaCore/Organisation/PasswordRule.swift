/// The strength a new password must have, explained in Vietnamese (DOMAIN.md section 14: accounts).
public enum PasswordRule {
    public static let minimumLength = 8
    public static let explanation =
        """
        Mật khẩu phải có ít nhất \(minimumLength) ký tự, gồm chữ hoa, chữ thường, chữ số và ký tự đặc biệt, và \
        không chứa tên đăng nhập.
        """

    /// What the password lacks, in Vietnamese; empty when it is strong enough.
    public static func problems(_ password: String, username: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength { problems.append("có ít nhất \(minimumLength) ký tự") }
        if !password.contains(where: \.isUppercase) { problems.append("có chữ hoa") }
        if !password.contains(where: \.isLowercase) { problems.append("có chữ thường") }
        if !password.contains(where: \.isNumber) { problems.append("có chữ số") }
        if !password.contains(where: { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }) {
            problems.append("có ký tự đặc biệt (ví dụ @, #, !)")
        }
        if !username.isEmpty, password.lowercased().contains(username.lowercased()) {
            problems.append("không chứa tên đăng nhập")
        }
        if password.count > 200 { problems.append("không dài quá 200 ký tự") }
        return problems
    }

    /// The message for a password that is not strong enough, or nil.
    public static func message(for password: String, username: String) -> String? {
        let missing = problems(password, username: username)
        return missing.isEmpty ? nil : "Mật khẩu mới chưa đạt yêu cầu: cần " + missing.joined(separator: ", ") + "."
    }
}

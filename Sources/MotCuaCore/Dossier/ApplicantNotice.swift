/// The e-mail an applicant receives when something happens to their dossier that concerns them
/// (issue 22, point 8): received, refused, supplement or payment asked, completed, returned,
/// withdrawn, and the answer to an online submission. Internal steps (hand-over, assignment,
/// proposal, review) send nothing: the applicant follows them in "Hồ sơ của tôi".
public struct ApplicantNotice: Sendable, Equatable {
    /// What happened, for the outbox and the statistics of what was sent.
    public let event: String
    public let subject: String
    public let body: String
    /// What happened, in a few words ("Hồ sơ đã được tiếp nhận").
    public var headline = ""
    /// The short message (SMS): without diacritics, at most two segments of 160 characters.
    public var sms = ""
    /// The parameters of the Zalo ZNS template of this kind of notice.
    public var templateData: [String: String] = [:]

    /// The facts a notice may state; all of them are what the applicant may see.
    public struct Facts: Sendable {
        public var code: String
        public var lookupSecret: String
        public var procedureName: String
        public var applicantName: String
        /// dd/MM/yyyy HH:mm, already formatted.
        public var appointment: String?
        public var reason: String?
        /// The names of the components asked for.
        public var components: [String]
        /// The amount asked, already formatted ("150.000 đồng").
        public var amount: String?
        /// The public lookup's address, with the code.
        public var lookupURL: String
        /// The result sent by post: its tracking number (mã bưu gửi).
        public var trackingNumber: String?

        public init(
            code: String, lookupSecret: String, procedureName: String, applicantName: String, appointment: String?,
            reason: String?, components: [String], amount: String?, lookupURL: String
        ) {
            self.code = code
            self.lookupSecret = lookupSecret
            self.procedureName = procedureName
            self.applicantName = applicantName
            self.appointment = appointment
            self.reason = reason
            self.components = components
            self.amount = amount
            self.lookupURL = lookupURL
        }
    }

    /// The notice of an action, nil for the actions the applicant is not told of.
    public static func of(_ action: Action, _ f: Facts) -> ApplicantNotice? {
        let (event, headline): (String, String)
        var lines: [String] = []
        switch action {
        case .submit:
            (event, headline) = ("submitted", "Đã nộp hồ sơ trực tuyến")
            lines.append("Hồ sơ đang chờ Bộ phận Một cửa xem xét tiếp nhận.")
        case .receive, .accept:
            (event, headline) = ("received", "Hồ sơ đã được tiếp nhận")
            if let a = f.appointment { lines.append("Ngày hẹn trả kết quả: \(a).") }
        case .reject:
            (event, headline) = ("rejected", "Hồ sơ không được tiếp nhận")
        case .requestSupplement:
            (event, headline) = ("supplement_requested", "Yêu cầu bổ sung hồ sơ")
            lines.append("Các thành phần cần bổ sung:")
            lines += f.components.map { "- \($0)" }
        case .requestPayment:
            (event, headline) = ("payment_requested", "Yêu cầu thực hiện nghĩa vụ tài chính")
            if let amount = f.amount { lines.append("Số tiền phải nộp: \(amount).") }
        case .approve:
            (event, headline) = ("completed", "Hồ sơ đã có kết quả")
            lines.append("Kết quả đã được ký duyệt và sẵn sàng trả.")
        case .refuse:
            (event, headline) = ("refused", "Hồ sơ bị từ chối giải quyết")
        case .apologise:
            (event, headline) = ("apologised", "Thư xin lỗi và hẹn lại ngày trả kết quả")
            if let a = f.appointment { lines.append("Ngày hẹn trả kết quả mới: \(a).") }
        case .dispatchResult:
            (event, headline) = ("dispatched", "Kết quả đã được gửi qua bưu chính")
            if let t = f.trackingNumber {
                lines.append("Mã bưu gửi: \(t) (tra cứu hành trình trên trang của Bưu điện).")
            }
        case .returnResult:
            (event, headline) = ("returned", "Đã trả kết quả")
            lines.append("Xin mời ông/bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ.")
        case .withdraw:
            (event, headline) = ("withdrawn", "Hồ sơ đã được rút")
        default:
            return nil
        }
        if let reason = f.reason, !reason.isEmpty { lines.append("Lý do: \(reason)") }
        let body =
            [
                "Kính gửi \(f.applicantName),", "",
                "\(headline): hồ sơ \(f.code) - \(f.procedureName).",
            ] + lines + [
                "",
                "Tra cứu hồ sơ: \(f.lookupURL) (mã tra cứu \(f.lookupSecret)).",
                "",
                "Thư này được gửi tự động; không trả lời thư này. Ông/bà có thể tắt thông báo qua thư điện tử "
                    + "trong trang Thông tin tài khoản.",
            ]
        var notice = ApplicantNotice(
            event: event, subject: "\(headline) - hồ sơ \(f.code)", body: body.joined(separator: "\n"))
        notice.headline = headline
        let detail = [
            f.appointment.map { "hen tra \($0)" }, f.amount.map { "so tien \($0)" },
            f.trackingNumber.map { "ma buu gui \($0)" },
        ].compactMap { $0 }
        let sms = VietnameseText.unaccented(
            "\(headline): ho so \(f.code)" + (detail.isEmpty ? "" : ", " + detail.joined(separator: ", "))
                + ". Tra cuu \(f.lookupURL) ma \(f.lookupSecret)")
        notice.sms = String(sms.prefix(320))
        notice.templateData = [
            "ma_ho_so": f.code, "ten_thu_tuc": String(f.procedureName.prefix(200)),
            "ten_nguoi_nop": String(f.applicantName.prefix(100)), "noi_dung": headline,
            "ma_tra_cuu": f.lookupSecret,
        ].merging(
            [
                ("ngay_hen_tra", f.appointment), ("so_tien", f.amount),
                ("ly_do", f.reason.map { String($0.prefix(200)) }),
                ("ma_buu_gui", f.trackingNumber),
            ]
            .compactMap { k, v in v.map { (k, $0) } }
        ) { a, _ in a }
        return notice
    }

    /// A Vietnamese mobile number in international form (`84` and nine digits), as the SMS and
    /// Zalo gateways take it; nil for anything else. Spaces, dots and dashes are ignored.
    public static func internationalPhone(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+") { digits.removeFirst() }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.hasPrefix("0"), digits.count == 10 { digits = "84" + digits.dropFirst() }
        guard digits.count == 11, digits.hasPrefix("84"),
            "35789".contains(digits[digits.index(digits.startIndex, offsetBy: 2)])
        else { return nil }
        return digits
    }

    /// Whether the text looks like one deliverable address (no header can be smuggled through it).
    public static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value > 32 && !"<>(),;:\"[]\\".unicodeScalars.contains($0)
        }
    }
}

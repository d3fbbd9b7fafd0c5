/// The printed forms of the one-stop desk (DOMAIN.md section 8) and the two circulars that number
/// them. A form is printed from a dossier (or, for the log book, from the desk's book) once what it
/// records has happened: a supplement request prints the components asked for, a refusal its
/// reason, and so on.
public enum PrintedForm: String, Sendable, CaseIterable, Hashable {
    case receipt
    case supplementRequest
    case refusal
    case apology
    case stopNotice
    case controlSlip
    case logBook

    /// The logged action a form records; nil for the receipt (the dossier's reception), the control
    /// slip (the whole log) and the log book.
    public var recordedAction: Action? {
        switch self {
        case .supplementRequest: .requestSupplement
        case .refusal: .reject
        case .apology: .apologise
        case .stopNotice: .withdraw
        case .receipt, .controlSlip, .logBook: nil
        }
    }

    /// Whether a dossier has this form to print: received (for the receipt and the book), or with
    /// the action the form records in its log. The control slip always has at least its first row.
    public func isAvailable(received: Bool, logged: Set<Action>) -> Bool {
        if let action = recordedAction { return logged.contains(action) }
        return self == .controlSlip || received
    }

    /// Why a dossier has no such form yet, in the words a clerk understands.
    public var missingEventMessage: String {
        switch self {
        case .supplementRequest: "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nên chưa in được phiếu này."
        case .refusal: "Hồ sơ không bị từ chối tiếp nhận nên không có phiếu từ chối."
        case .apology: "Hồ sơ chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả."
        case .stopNotice: "Hồ sơ không dừng giải quyết (chưa rút hồ sơ) nên không có thông báo này."
        case .receipt: "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."
        case .controlSlip, .logBook: ""
        }
    }
}

/// A set of form templates: the circular it follows, its folder of templates and its numbering.
public enum FormSet: String, Sendable, CaseIterable, Hashable {
    /// Thông tư 03/2025/TT-VPCP (guiding Nghị định 118/2025): seven forms, the default.
    case circular03of2025 = "tt03-2025"
    /// Thông tư 01/2018/TT-VPCP: six forms.
    case circular01of2018 = "tt01-2018"

    public static let `default` = FormSet.circular03of2025

    public var circular: String {
        switch self {
        case .circular03of2025: "Thông tư số 03/2025/TT-VPCP"
        case .circular01of2018: "Thông tư số 01/2018/TT-VPCP"
        }
    }

    /// The forms in the circular's order: Mẫu số 01 is the first.
    public var forms: [PrintedForm] {
        switch self {
        case .circular03of2025: [.receipt, .supplementRequest, .refusal, .apology, .stopNotice, .controlSlip, .logBook]
        case .circular01of2018: [.receipt, .supplementRequest, .refusal, .apology, .controlSlip, .logBook]
        }
    }

    /// The form of a number as printed ("01", "1"), nil when the set has none.
    public func form(number: String) -> PrintedForm? {
        guard number.count <= 2, let n = Int(number), n >= 1, n <= forms.count else { return nil }
        return forms[n - 1]
    }

    /// The number a form carries in this set ("Mẫu số 05"), nil when the set has no such form.
    public func number(of form: PrintedForm) -> String? {
        forms.firstIndex(of: form).map { $0 + 1 < 10 ? "0\($0 + 1)" : "\($0 + 1)" }
    }

    /// The form's title as the circular prints it.
    public func title(of form: PrintedForm) -> String {
        switch form {
        case .receipt: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
        case .supplementRequest: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
        case .refusal: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
        case .apology:
            self == .circular03of2025
                ? "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ"
                : "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
        case .stopNotice: "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ"
        case .controlSlip: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
        case .logBook: "SỔ THEO DÕI HỒ SƠ"
        }
    }

    /// The form's template, `Resources/Views/Forms/<name>.leaf`, one per form for both sets; nil
    /// when the set has no such form.
    public func template(of form: PrintedForm) -> String? {
        number(of: form).map { _ in "Forms/\(form.templateName)" }
    }

    /// The few sentences a circular words differently, by name, for the form's template
    /// (`#(phrases.promise)`). Both sets share everything else.
    public func phrases(of form: PrintedForm) -> [String: String] {
        switch (form, self) {
        case (.apology, .circular03of2025):
            [
                "lateness": " đúng hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                "promise": "và đề nghị gia hạn thời gian giải quyết hồ sơ; kết quả sẽ được trả cho Ông/Bà vào",
            ]
        case (.apology, .circular01of2018):
            ["lateness": "", "promise": "và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào"]
        default: [:]
        }
    }
}

extension PrintedForm {
    /// The template's file name: what the form is, the same in both sets.
    public var templateName: String {
        switch self {
        case .receipt: "receipt"
        case .supplementRequest: "supplement-request"
        case .refusal: "refusal"
        case .apology: "apology"
        case .stopNotice: "stop-notice"
        case .controlSlip: "control-slip"
        case .logBook: "log-book"
        }
    }
}

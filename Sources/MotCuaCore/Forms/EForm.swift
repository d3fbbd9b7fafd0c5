import Foundation

/// A procedure's declaration (tờ khai) as fields the applicant fills online instead of uploading a
/// signed scan (issue 22, point 3). Defined by the administrator in the catalogue, kept in the
/// procedure's terms (so a dossier keeps the form it was filled on), validated here, stored as data
/// (field name to value) and printed with the dossier.
public struct EForm: Hashable, Sendable, Codable {
    public var title: String
    public var fields: [EFormField]

    public init(title: String, fields: [EFormField]) {
        self.title = title
        self.fields = fields
    }

    /// The values a submission keeps: each typed value made canonical (a date as YYYY-MM-DD, a
    /// number without spaces), and what is wrong with each field, in Vietnamese, by field name.
    public func check(_ values: [String: String], thisYear: Int) -> (
        values: [String: String], problems: [String: String]
    ) {
        var kept: [String: String] = [:], problems: [String: String] = [:]
        for field in fields {
            let typed = (values[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if typed.isEmpty {
                if field.required { problems[field.name] = "Vui lòng nhập “\(field.label)”." }
                continue
            }
            switch field.canonical(typed, thisYear: thisYear) {
            case .success(let value): kept[field.name] = value
            case .failure(let problem): problems[field.name] = problem.message
            }
        }
        return (kept, problems)
    }

    /// The value as the printed form shows it (a date as dd/MM/yyyy).
    public func display(_ field: EFormField, _ value: String?) -> String {
        guard let value, !value.isEmpty else { return "" }
        if field.kind == .date, let d = LocalDate(iso: value) { return d.vietnamese }
        return value
    }

    // MARK: The administrator's text: a field a line, "label | kind | bắt buộc | choice; choice"

    /// The definition as the administrator edits it.
    public var text: String {
        fields.map { f in
            ([f.label, f.kind.vietnameseName, f.required ? "bắt buộc" : "không bắt buộc"]
                + (f.choices.isEmpty ? [] : [f.choices.joined(separator: "; ")])).joined(separator: " | ")
        }.joined(separator: "\n")
    }

    /// Reads the administrator's text; the error names the line. Field names come from the labels
    /// (without diacritics), so values stay attached to their field when lines move.
    public static func parse(title: String, text: String) throws(EFormError) -> EForm? {
        var fields: [EFormField] = []
        for (i, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count >= 2, !parts[0].isEmpty, parts[0].count <= 200 else {
                throw .invalidLine(i + 1, "cần có ít nhất “tên trường | loại”")
            }
            guard let kind = EFormField.Kind.named(parts[1]) else {
                throw .invalidLine(
                    i + 1,
                    "loại “\(parts[1])” không có; chọn một trong: "
                        + EFormField.Kind.allCases.map(\.vietnameseName).joined(separator: ", "))
            }
            let requiredText = parts.count > 2 ? parts[2].lowercased() : "bắt buộc"
            guard ["bắt buộc", "không bắt buộc", "", "required", "optional"].contains(requiredText) else {
                throw .invalidLine(i + 1, "cột thứ ba phải là “bắt buộc” hoặc “không bắt buộc”")
            }
            let choices =
                parts.count > 3
                ? parts[3].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                : []
            if kind == .choice, choices.count < 2 {
                throw .invalidLine(i + 1, "trường lựa chọn cần ít nhất hai lựa chọn, cách nhau bởi dấu chấm phẩy")
            }
            var name = EFormField.slug(parts[0])
            if name.isEmpty { name = "truong" }
            let base = name
            var n = 2
            while fields.contains(where: { $0.name == name }) {
                name = "\(base)-\(n)"
                n += 1
            }
            fields.append(
                EFormField(
                    name: name, label: parts[0], kind: kind,
                    required: requiredText == "bắt buộc" || requiredText == "required" || requiredText.isEmpty,
                    choices: kind == .choice ? choices : []))
        }
        guard fields.count <= 60 else { throw .tooManyFields }
        return fields.isEmpty ? nil : EForm(title: title, fields: fields)
    }
}

public enum EFormError: Error, Equatable, Sendable {
    case invalidLine(Int, String)
    case tooManyFields

    public var message: String {
        switch self {
        case .invalidLine(let line, let why): "Tờ khai điện tử, dòng \(line): \(why)."
        case .tooManyFields: "Tờ khai điện tử có tối đa 60 trường."
        }
    }
}

public struct EFormField: Hashable, Sendable, Codable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case text, number, date, choice
        case idNumber = "id_number"
        case address

        public var vietnameseName: String {
            switch self {
            case .text: "văn bản"
            case .number: "số"
            case .date: "ngày"
            case .choice: "lựa chọn"
            case .idNumber: "số định danh"
            case .address: "địa chỉ"
            }
        }

        static func named(_ text: String) -> Kind? {
            let t = text.lowercased()
            return allCases.first { $0.rawValue == t || $0.vietnameseName == t }
        }
    }

    public var name: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    public var choices: [String]

    public init(name: String, label: String, kind: Kind, required: Bool, choices: [String] = []) {
        self.name = name
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
    }

    struct Problem: Error { let message: String }

    func canonical(_ typed: String, thisYear: Int) -> Result<String, Problem> {
        func fail(_ why: String) -> Result<String, Problem> { .failure(Problem(message: "“\(label)” \(why)")) }
        let clean = typed.unicodeScalars.allSatisfy {
            $0.value >= 32 && $0.value != 127 || (kind == .address && ($0 == "\n" || $0 == "\r"))
        }
        guard clean else { return fail("chứa ký tự không hợp lệ.") }
        switch kind {
        case .text, .address:
            return typed.count <= 500 ? .success(typed) : fail("dài tối đa 500 ký tự.")
        case .number:
            let compact = typed.filter { $0 != " " && $0 != "." }
            let parts = compact.split(separator: ",", omittingEmptySubsequences: false)
            guard compact.count <= 20, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
                parts.allSatisfy({ $0.allSatisfy(\.isNumber) })
            else { return fail("phải là một số (ví dụ 1.500 hoặc 2,5).") }
            return .success(compact)
        case .date:
            let parts = typed.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
                parts[2].count == 4, let date = LocalDate(year: y, month: m, day: d)
            else {
                if let iso = LocalDate(iso: typed) { return .success(iso.iso) }
                return fail("phải là ngày có dạng ngày/tháng/năm (ví dụ 05/09/1990).")
            }
            return .success(date.iso)
        case .choice:
            return choices.contains(typed) ? .success(typed) : fail("phải là một trong các lựa chọn đã cho.")
        case .idNumber:
            if let problem = IdentityNumber.personalNumberProblem(typed, thisYear: thisYear) {
                return fail("không đúng: " + problem.prefix(1).lowercased() + problem.dropFirst())
            }
            return .success(typed)
        }
    }

    /// "Họ và tên người yêu cầu" -> "ho-va-ten-nguoi-yeu-cau".
    static func slug(_ label: String) -> String {
        let ascii = VietnameseText.unaccented(label.lowercased()).map {
            $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-"
        }
        return String(ascii).split(separator: "-").joined(separator: "-").prefix(60).description
    }
}

extension ProcedureTerms {
    /// The component an e-form stands for: the first whose name says it is the declaration (a
    /// "Tờ khai", "Đơn" or "Giấy / Văn bản đề nghị"). Filled online, it needs no scan.
    public var declarationComponent: Int? {
        guard declaration != nil else { return nil }
        let openings = ["tờ khai", "đơn ", "giấy đề nghị", "văn bản đề nghị", "phiếu đề nghị"]
        return components.firstIndex { c in openings.contains { c.name.lowercased().hasPrefix($0) } }.map { $0 + 1 }
    }
}

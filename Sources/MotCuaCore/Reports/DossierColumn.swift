/// The 24 columns of the custom report (DOMAIN.md section 9, "Tuỳ chọn"), numbered as the form
/// ticks them, with their headings: declared once, for the page, the files and the saved reports.
/// The server reads them from the dossiers a page at a time (DossierExport).
public enum DossierColumn: Int, CaseIterable, Sendable {
    case code = 1, procedureCode, procedureName, field, agency, department, applicant, idNumber, address, phone, email,
        contentSummary, channel, submittedAt, receivedAt, dueAt, completedAt, returnedAt, resultDelivery, status,
        receivingOfficer, processingOfficer, fee, timeliness

    public var heading: String {
        switch self {
        case .code: "Mã hồ sơ"
        case .procedureCode: "Mã thủ tục"
        case .procedureName: "Tên thủ tục"
        case .field: "Lĩnh vực"
        case .agency: "Cơ quan"
        case .department: "Phòng ban xử lý"
        case .applicant: "Chủ hồ sơ"
        case .idNumber: "Số giấy tờ tùy thân"
        case .address: "Địa chỉ"
        case .phone: "Số điện thoại"
        case .email: "Thư điện tử"
        case .contentSummary: "Trích yếu nội dung"
        case .channel: "Kênh tiếp nhận"
        case .submittedAt: "Ngày nộp"
        case .receivedAt: "Ngày tiếp nhận"
        case .dueAt: "Ngày hẹn trả"
        case .completedAt: "Ngày có kết quả"
        case .returnedAt: "Ngày trả kết quả"
        case .resultDelivery: "Hình thức nhận kết quả"
        case .status: "Trạng thái"
        case .receivingOfficer: "Cán bộ tiếp nhận"
        case .processingOfficer: "Cán bộ thụ lý"
        case .fee: "Phí, lệ phí (đồng)"
        case .timeliness: "Tình trạng hạn xử lý"
        }
    }

    /// The dossiers' column a report may be sorted by (a stored value, not a name looked up from an
    /// id); nil for the others.
    public var sortColumn: String? {
        switch self {
        case .code: "code"
        case .procedureCode: "procedure_code"
        case .applicant: "applicant_name"
        case .idNumber: "applicant_id_number"
        case .channel: "channel"
        case .submittedAt: "submitted_at"
        case .receivedAt: "received_at"
        case .dueAt: "due_at"
        case .completedAt: "completed_at"
        case .returnedAt: "returned_at"
        case .status: "status"
        case .fee: "fee_vnd"
        default: nil
        }
    }

    /// A report's order from its text: a column's number, negative for descending ("-16"); the
    /// receipt time, oldest first, when absent. nil when the text names no sortable column.
    public static func order(_ text: String?) -> (column: DossierColumn, descending: Bool)? {
        guard let text, !text.isEmpty else { return (.receivedAt, false) }
        let descending = text.hasPrefix("-")
        guard let n = Int(descending ? String(text.dropFirst()) : text), let column = DossierColumn(rawValue: n),
            column.sortColumn != nil
        else { return nil }
        return (column, descending)
    }

    /// Its width in an Excel sheet, in characters.
    public var width: Double {
        switch self {
        case .procedureName, .agency, .address, .contentSummary: 40
        case .applicant, .field, .department, .status, .receivingOfficer, .processingOfficer: 24
        default: 18
        }
    }
}

import Fluent
import Foundation
import MotCuaCore

/// "Nhật ký sửa đổi": a logged change of a field as a user reads it: the field's Vietnamese name,
/// and old and new values as names, dd/MM/yyyy HH:mm and Vietnamese words instead of ids, ISO
/// instants and codes.
enum ChangeText {
    struct Line: Encodable {
        let field: String
        let old: String
        let new: String
        /// Whether the change replaced a value; a first value is shown alone ("Mức độ hài lòng: Hài
        /// lòng"), not as "— → Hài lòng".
        let replaced: Bool

        init(field: String, old: String, new: String) {
            self.field = field
            self.old = old
            self.new = new
            replaced = old != "—"
        }
    }

    /// The names behind the ids a dossier's page shows: its agency and department, and the users
    /// its log and assignment name.
    struct Names {
        var agencies: [UUID: String] = [:]
        var departments: [UUID: String] = [:]
        var users: [UUID: String] = [:]
        var components: [Int: String] = [:]

        static func load(for r: DossierRecord, on db: any Database) async throws -> Names {
            var names = Names()
            let d = r.dossier
            for c in r.components { names.components[c.position] = c.name }
            func logged(_ fields: Set<String>) -> Set<UUID> {
                Set(
                    r.log.flatMap { $0.changes.filter { fields.contains($0.field) }.flatMap { [$0.old, $0.new] } }
                        .compactMap { $0.flatMap(UUID.init(uuidString:)) })
            }
            // The agency, the centre that received it for the agency (the forwarding entry names both),
            // and those it was carried from when its agency merged (the transfer entry).
            let agencies = logged(["agency_id", "receiving_agency_id"]).union([d.agencyID])
            names.agencies = try await AgencyModel.names(
                of: agencies.union(d.receivingAgencyID.map { [$0] } ?? []), on: db)
            let departments = logged(["department_id"]).union([d.departmentID])
            for dep in try await DepartmentModel.query(on: db).filter(\.$id ~~ departments).all() {
                names.departments[dep.id!] = dep.name
            }
            var ids = logged(["assigned_officer_id"])
            if let officer = d.assignedOfficerID { ids.insert(officer) }
            if !ids.isEmpty {
                for u in try await UserModel.query(on: db).filter(\.$id ~~ Array(ids)).all() {
                    names.users[u.id!] = u.fullName
                }
            }
            return names
        }
    }

    static let labels: [String: String] = [
        "status": "Trạng thái", "step": "Bước xử lý", "due_at": "Hạn xử lý", "appointment_at": "Ngày hẹn trả",
        "assigned_officer_id": "Cán bộ thụ lý", "completed_at": "Ngày hoàn thành", "returned_at": "Ngày trả kết quả",
        "amount_vnd": "Số tiền", "payment_receipt": "Số biên lai", "payment_method": "Hình thức thanh toán",
        "proposal": "Đề xuất", "rating": "Mức độ hài lòng", "reason": "Lý do",
        "result_delivery": "Hình thức trả kết quả", "result_recipient": "Người nhận kết quả",
        "supplement_components": "Thành phần cần bổ sung", "code": "Mã hồ sơ", "file": "Tệp đính kèm",
        "result_file": "Tệp kết quả", "result_signature": "Chữ ký số", "signer_certificate": "Chứng thư số",
        "receiving_agency_id": "Nơi tiếp nhận", "agency_id": "Cơ quan giải quyết",
        "department_id": "Phòng ban giải quyết",
    ]

    /// "don.pdf (v2, sha256 ab12…)" as the log stores a file (the checksum kept for the chain and
    /// the API): "don.pdf (phiên bản 2)".
    static func file(_ text: String) -> String {
        guard let open = text.range(of: " (", options: .backwards), text.hasSuffix(")") else { return text }
        let name = String(text[..<open.lowerBound])
        let details = text[open.upperBound..<text.index(before: text.endIndex)].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard details.allSatisfy({ $0.hasPrefix("sha256 ") || ($0.hasPrefix("v") && Int($0.dropFirst()) != nil) })
        else { return text }
        let version = details.first { $0.hasPrefix("v") }.map { " (phiên bản \($0.dropFirst()))" } ?? ""
        return name + version
    }

    static func line(_ change: LogChain.Change, names: Names) -> Line? {
        func value(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "—" }
            switch change.field {
            case "status": return Status(rawValue: text)?.manualName ?? text
            case "step": return Step(rawValue: text)?.vietnameseName ?? text
            case "due_at", "appointment_at", "completed_at", "returned_at":
                return VietnamTime.parseISO(text).map(PageTime.dateTime) ?? text
            case "assigned_officer_id":
                return UUID(uuidString: text).flatMap { names.users[$0] } ?? "(tài khoản đã xoá)"
            case "receiving_agency_id", "agency_id":
                return UUID(uuidString: text).flatMap { names.agencies[$0] } ?? text
            case "department_id": return UUID(uuidString: text).flatMap { names.departments[$0] } ?? text
            case "amount_vnd": return Int(text).map { PageTime.number($0) + " đồng" } ?? text
            case "payment_method": return PaymentMethod(rawValue: text)?.vietnameseName ?? text
            case "proposal":
                return text == "approve" ? "Đề nghị giải quyết" : text == "refuse" ? "Đề nghị từ chối" : text
            case "rating": return Satisfaction(rawValue: text)?.vietnameseName ?? text
            case "file", "result_file", "result_signature": return file(text)
            case "result_delivery": return ResultDelivery(rawValue: text)?.vietnameseName ?? text
            case "supplement_components":
                return text.split(separator: ",").map { p in
                    Int(p).map { "\($0). " + (names.components[$0] ?? "") } ?? String(p)
                }.joined(separator: "; ")
            default: return text
            }
        }
        return Line(field: labels[change.field] ?? change.field, old: value(change.old), new: value(change.new))
    }

    /// A file's size: "12,3 KB", "2,0 MB".
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) byte" }
        let kb = Double(bytes) / 1024
        let text = kb < 1024 ? String(format: "%.1f KB", kb) : String(format: "%.1f MB", kb / 1024)
        return text.replacingOccurrences(of: ".", with: ",")
    }
}

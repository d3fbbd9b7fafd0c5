import Fluent
import Foundation
import MotCuaCore

/// The public catalogue of administrative procedures (`/thu-tuc`): what a citizen searches before
/// submitting. A province has a few thousand procedures at most, so the catalogue is read whole
/// and filtered here. Procedures of an agency that no longer receives (merged, dissolved) are left
/// out: nobody can submit to it.
struct CatalogueQuery {
    var q: String?
    var agency: String?
    var field: String?
    var level: String?
    var online: String?

    /// The government level a procedure is performed at, from its agency's kind.
    enum Level: String, CaseIterable {
        case province = "tinh", district = "huyen", commune = "xa"

        init(_ kind: AgencyKind) {
            switch kind {
            case .province, .provincialDepartment, .serviceCentre: self = .province
            case .district: self = .district
            case .commune: self = .commune
            }
        }

        var vietnameseName: String {
            switch self {
            case .province: "Cấp tỉnh"
            case .district: "Cấp huyện"
            case .commune: "Cấp xã"
            }
        }
    }

    /// A procedure as the catalogue shows it, with the names behind its ids.
    struct Entry {
        let procedure: ProcedureModel
        let terms: ProcedureTerms
        let agency: AgencyModel
        let fieldName: String
        let departmentName: String
        let level: Level
        /// Words of the name, lower case without diacritics, to search.
        let searchable: [Substring]
        let searchableCode: String
    }

    /// Every procedure of an agency that receives today, sorted by name.
    static func entries(at now: Date, on db: any Database) async throws -> [Entry] {
        let agencies = Dictionary(
            uniqueKeysWithValues: try await AgencyModel.query(on: db).all().map { ($0.id!, $0) })
        let fields = Dictionary(
            uniqueKeysWithValues: try await FieldModel.query(on: db).all().map { ($0.id!, $0.name) })
        let departments = Dictionary(
            uniqueKeysWithValues: try await DepartmentModel.query(on: db).all().map { ($0.id!, $0.name) })
        var entries: [Entry] = []
        for p in try await ProcedureModel.query(on: db).all() {
            guard let agency = agencies[p.agencyID], agency.closedMessage(at: now) == nil,
                let kind = AgencyKind(rawValue: agency.kind)
            else { continue }
            let normalised = SearchText.normalise(p.name)
            entries.append(
                Entry(
                    procedure: p, terms: try p.terms, agency: agency, fieldName: fields[p.fieldID] ?? "",
                    departmentName: departments[p.departmentID] ?? "", level: Level(kind),
                    searchable: normalised.split(separator: " "), searchableCode: p.code.lowercased()))
        }
        return entries.sorted {
            ($0.searchable.joined(separator: " "), $0.agency.name) < (
                $1.searchable.joined(separator: " "), $1.agency.name
            )
        }
    }

    /// The entries that match every criterion given. A criterion that names nothing of the catalogue
    /// (an unknown agency or field, a level or online level that does not exist) is refused.
    func filter(_ entries: [Entry]) throws -> [Entry] {
        func given(_ s: String?) -> String? {
            s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        let agency = given(agency), field = given(field)
        let level = try given(level).map { text in
            guard let l = Level(rawValue: text) else {
                throw ServiceError(.unprocessableEntity, "Cấp thực hiện không hợp lệ.")
            }
            return l
        }
        let online = try given(online).map { text in
            guard let o = OnlineLevel(rawValue: text) else {
                throw ServiceError(.unprocessableEntity, "Mức độ dịch vụ công trực tuyến không hợp lệ.")
            }
            return o
        }
        if let agency, !entries.contains(where: { $0.agency.id?.uuidString == agency }) {
            throw ServiceError(.unprocessableEntity, "Cơ quan thực hiện đã chọn không có trong danh mục.")
        }
        if let field, !entries.contains(where: { $0.procedure.fieldID.uuidString == field }) {
            throw ServiceError(.unprocessableEntity, "Lĩnh vực đã chọn không có trong danh mục.")
        }
        var words: [String] = []
        var code = ""
        if let q = given(q) {
            guard q.count <= 200, TextInput.isClean(q) else {
                throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm quá dài hoặc chứa ký tự không hợp lệ.")
            }
            words = IndexDossierText.words(q)
            code = q.trimmingCharacters(in: .whitespaces).lowercased()
        }
        return entries.filter { e in
            (agency.map { e.agency.id?.uuidString == $0 } ?? true)
                && (field.map { e.procedure.fieldID.uuidString == $0 } ?? true)
                && (level.map { e.level == $0 } ?? true) && (online.map { e.terms.onlineLevel == $0 } ?? true)
                && (code.isEmpty || Self.matches(e, words: words, code: code))
        }
    }

    /// A procedure matches typed text when its code contains the text, or when every word typed
    /// begins a word of its name ("ly lich" and "lý lịch" both find "Cấp Phiếu lý lịch tư pháp").
    static func matches(_ e: Entry, words: [String], code: String) -> Bool {
        if e.searchableCode.contains(code) { return true }
        return !words.isEmpty && words.allSatisfy { w in e.searchable.contains { $0.hasPrefix(w) } }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Phòng chuyên môn" and "Lĩnh vực" (role admin): the two short lists of the catalogue. A
/// department belongs to one agency and is created or renamed; a field has a code and a name.
/// Neither is deleted: dossiers and reports keep pointing at them.
struct CatalogueListsPage {
    /// Rows per value of a column (staff or procedures per department or field), counted by the database.
    static func counts(_ table: String, by column: String, on db: any Database) async throws -> [UUID: Int] {
        struct Count: Decodable { let key: UUID?; let n: Int }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT \(ident: column) AS key, count(*) AS n FROM \(ident: table) WHERE \(ident: column) IS NOT NULL \
            GROUP BY \(ident: column)
            """
        ).all(decoding: Count.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { r in r.key.map { ($0, r.n) } })
    }

    enum List: String { case departments = "phong-ban", fields = "linh-vuc" }
    struct Row: Encodable {
        let id: UUID; let code: String; let name: String; let agency: String; let users: Int; let procedures: Int
    }
    typealias Option = SelectOption
    struct Typed: Content { var code: String?; var name: String?; var agency: String? }
    struct Context: Encodable {
        let layout: PageLayout; let list: String; let rows: [Row]; let agencies: [Option]; let agency: String
        let typed: Typed; let fieldErrors: [String: String]; let notice: String?; let error: String?
    }

    static func list(_ req: Request) throws -> List {
        guard let list = req.parameters.get("list").flatMap(List.init(rawValue:)) else {
            throw ServiceError(.notFound, "Không tìm thấy trang.")
        }
        return list
    }

    func show(req: Request) async throws -> View {
        let notices = ["tao": "Đã thêm.", "sua": "Đã lưu thay đổi."]
        return try await render(
            req, list: try Self.list(req), typed: Typed(), fieldErrors: [:],
            notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] }, error: nil)
    }

    func render(
        _ req: Request, list: List, typed: Typed, fieldErrors: [String: String], notice: String?, error: String?
    ) async throws -> View {
        _ = try req.actor()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let chosen = req.query[UUID.self, at: "co-quan"]
        var rows: [Row] = []
        switch list {
        case .departments:
            let query = DepartmentModel.query(on: req.db)
            if let chosen { query.filter(\.$agencyID == chosen) }
            let departments = try await query.all()
            let users = try await Self.counts(UserModel.schema, by: "department_id", on: req.db)
            let procedures = try await Self.counts(ProcedureModel.schema, by: "department_id", on: req.db)
            rows = departments.map { d in
                Row(
                    id: d.id!, code: "", name: d.name, agency: agencyNames[d.agencyID] ?? "", users: users[d.id!] ?? 0,
                    procedures: procedures[d.id!] ?? 0)
            }.sorted { ($0.agency, $0.name) < ($1.agency, $1.name) }
        case .fields:
            let procedures = try await Self.counts(ProcedureModel.schema, by: "field_id", on: req.db)
            rows = try await FieldModel.query(on: req.db).sort(\.$code).all().map { f in
                Row(id: f.id!, code: f.code, name: f.name, agency: "", users: 0, procedures: procedures[f.id!] ?? 0)
            }
        }
        let typedAgency = typed.agency ?? chosen?.uuidString ?? ""
        return try await req.view.render(
            "Admin/catalogue-list",
            Context(
                layout: PageLayout(list == .departments ? "Phòng chuyên môn" : "Lĩnh vực", req), list: list.rawValue,
                rows: rows,
                agencies: agencies.filter { $0.effectiveTo == nil }.map {
                    Option(
                        value: $0.id!.uuidString, name: "\($0.name) (\($0.code))",
                        selected: $0.id!.uuidString == typedAgency)
                },
                agency: chosen?.uuidString ?? "", typed: typed, fieldErrors: fieldErrors, notice: notice, error: error))
    }

    func again(
        _ req: Request, list: List, typed: Typed, fieldErrors: [String: String], error: String,
        status: HTTPResponseStatus
    ) async throws -> Response {
        return try await render(
            req, list: list, typed: typed, fieldErrors: fieldErrors, notice: nil, error: error
        ).encodeResponse(status: status, for: req)
    }

    /// Checks a department's or a field's form; the trimmed name and code, or the problems by field.
    func check(_ req: Request, list: List, typed: Typed, except id: UUID?) async throws -> (
        name: String, code: String, problems: [String: String]
    ) {
        let name = (typed.name ?? "").trimmingCharacters(in: .whitespaces)
        let code = (typed.code ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        var problems: [String: String] = [:]
        if name.isEmpty || name.count > 200 || !TextInput.isClean(name) {
            problems["name"] = "Nhập tên (tối đa 200 ký tự)."
        }
        if list == .fields {
            if !(1...30).contains(code.count)
                || !code.allSatisfy({
                    $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-")
                })
            {
                problems["code"] = "Mã lĩnh vực gồm 1 đến 30 chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới."
            } else if let other = try await FieldModel.query(on: req.db).filter(\.$code == code).first(), other.id != id
            {
                problems["code"] = "Mã \(code) đã thuộc lĩnh vực \(other.name)."
            }
        }
        return (name, code, problems)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let list = try Self.list(req)
        let typed = try req.content.decode(Typed.self)
        var (name, code, problems) = try await check(req, list: list, typed: typed, except: nil)
        var agency: AgencyModel?
        if list == .departments {
            agency =
                try await typed.agency.flatMap(UUID.init(uuidString:)).asyncMap {
                    try await AgencyModel.find($0, on: req.db)
                } ?? nil
            if agency == nil || agency?.effectiveTo != nil {
                problems["agency"] = "Chọn cơ quan đang hoạt động."
            } else if try await DepartmentModel.query(on: req.db).filter(\.$agencyID == agency!.id!).filter(
                \.$name == name
            ).first() != nil {
                problems["name"] = "\(agency!.name) đã có phòng \(name)."
            }
        }
        guard problems.isEmpty else {
            return try await again(
                req, list: list, typed: typed, fieldErrors: problems,
                error: "Chưa thêm được: kiểm tra các trường được đánh dấu.", status: .unprocessableEntity)
        }
        let (agencyID, agencyName) = (agency?.id, agency?.name)
        let (checkedName, checkedCode) = (name, code)
        do {
            try await req.db.transaction { tx in
                let (name, code) = (checkedName, checkedCode)
                switch list {
                case .departments:
                    try await DepartmentModel(id: UUID(), agencyID: agencyID!, name: name).create(on: tx)
                    try await Audit.record(
                        "Thêm phòng chuyên môn", entity: "department", id: name,
                        changes: [
                            .init(field: "Cơ quan", old: nil, new: agencyName),
                            .init(field: "Tên phòng", old: nil, new: name),
                        ], actor: actor, on: tx)
                case .fields:
                    try await FieldModel(id: UUID(), code: code, name: name).create(on: tx)
                    try await Audit.record(
                        "Thêm lĩnh vực", entity: "field", id: code,
                        changes: [
                            .init(field: "Mã lĩnh vực", old: nil, new: code),
                            .init(field: "Tên lĩnh vực", old: nil, new: name),
                        ], actor: actor, on: tx)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another administrator added the same code a moment before.
            return try await again(
                req, list: list, typed: typed, fieldErrors: ["code": "Mã \(code) vừa được thêm."],
                error: "Chưa thêm được.", status: .conflict)
        }
        return req.redirect(to: "/quan-tri/\(list.rawValue)?da-luu=tao")
    }

    /// Renames a department, or changes a field's code and name. The form carries the values it was
    /// made from: a change made meanwhile by someone else is a conflict, not overwritten.
    func update(req: Request) async throws -> Response {
        struct Shown: Content { var shownCode: String?; var shownName: String }
        let actor = try req.actor()
        let list = try Self.list(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw ServiceError(.notFound, "Không tìm thấy.") }
        let typed = try req.content.decode(Typed.self)
        let shown = try req.content.decode(Shown.self)
        let (name, code, problems) = try await check(req, list: list, typed: typed, except: id)
        guard problems.isEmpty else {
            return try await again(
                req, list: list, typed: Typed(), fieldErrors: [:],
                error: problems.values.sorted().joined(separator: " "), status: .unprocessableEntity)
        }
        let conflict = "Mục này vừa được người khác thay đổi; danh sách dưới đây là dữ liệu mới nhất."
        let changed: Bool = try await req.db.transaction { tx in
            switch list {
            case .departments:
                guard let d = try await DepartmentModel.find(id, on: tx) else {
                    throw ServiceError(.notFound, "Không tìm thấy phòng chuyên môn.")
                }
                guard d.name != name else { return false }
                let rows = try await (tx as! any SQLDatabase).raw(
                    """
                    UPDATE departments SET name = \(bind: name) WHERE id = \(bind: id) AND name = \
                    \(bind: shown.shownName) RETURNING id
                    """
                ).all()
                guard rows.count == 1 else { throw ServiceError(.conflict, conflict) }
                try await Audit.record(
                    "Đổi tên phòng chuyên môn", entity: "department", id: name,
                    changes: [.init(field: "Tên phòng", old: d.name, new: name)], actor: actor, on: tx)
            case .fields:
                guard let f = try await FieldModel.find(id, on: tx) else {
                    throw ServiceError(.notFound, "Không tìm thấy lĩnh vực.")
                }
                guard f.name != name || f.code != code else { return false }
                let rows = try await (tx as! any SQLDatabase).raw(
                    """
                    UPDATE fields SET name = \(bind: name), code = \(bind: code) WHERE id = \(bind: id) AND name = \
                    \(bind: shown.shownName) AND code = \(bind: shown.shownCode ?? "") RETURNING id
                    """
                ).all()
                guard rows.count == 1 else { throw ServiceError(.conflict, conflict) }
                try await Audit.record(
                    "Sửa lĩnh vực", entity: "field", id: code,
                    changes: [
                        .init(field: "Mã lĩnh vực", old: f.code, new: code),
                        .init(field: "Tên lĩnh vực", old: f.name, new: name),
                    ].filter { $0.old != $0.new }, actor: actor, on: tx)
            }
            return true
        }
        return req.redirect(to: "/quan-tri/\(list.rawValue)" + (changed ? "?da-luu=sua" : ""))
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Cơ quan, đơn vị" (role admin): the agency tree with its codes; add one; rename an agency (name and code),
/// or close it from a date, merged into a successor or not (DOMAIN.md section 0: the 2025
/// reorganisation). History is kept: dossiers keep the agency that received them, and codes already
/// given keep the old agency code; a closed agency receives no new dossier from its closing date.
struct AgenciesPage {
    struct Row: Encodable {
        let id: UUID; let code: String; let name: String; let kind: String; let depth: Int; let indent: String
        let departments: Int; let closed: String?; let successor: String?
    }
    struct Option: Encodable { let value: String; let name: String }
    struct Context: Encodable {
        let layout: PageLayout; let rows: [Row]; let successors: [Option]; let notice: String?; let error: String?
        let kinds: [Option]
    }

    static func kindName(_ kind: String) -> String {
        switch AgencyKind(rawValue: kind) {
        case .province?: "UBND tỉnh"
        case .provincialDepartment?: "Sở, ban, ngành"
        case .district?: "UBND huyện"
        case .commune?: "UBND xã, phường"
        case .serviceCentre?: "Trung tâm Phục vụ hành chính công"
        case nil: kind
        }
    }

    func show(req: Request) async throws -> View {
        let notices = [
            "doi-ten": "Đã đổi tên cơ quan.", "giai-the": "Đã ghi nhận sáp nhập / giải thể cơ quan.",
            "them": "Đã thêm cơ quan.",
        ]
        return try await render(req, notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] }, error: nil)
    }

    func render(_ req: Request, notice: String?, error: String?) async throws -> View {
        _ = try req.actor()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$code).all()
        let departments = try await DepartmentModel.query(on: req.db).all()
        let counts = Dictionary(grouping: departments, by: \.agencyID).mapValues(\.count)
        let names = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let children = Dictionary(grouping: agencies, by: \.parentID)
        var rows: [Row] = []
        // Depth-first from the roots: each agency under its parent.
        func walk(_ parent: UUID?, depth: Int) {
            for a in children[parent] ?? [] {
                rows.append(
                    Row(
                        id: a.id!, code: a.code, name: a.name, kind: Self.kindName(a.kind), depth: depth,
                        indent: String(repeating: "— ", count: depth), departments: counts[a.id!] ?? 0,
                        closed: a.effectiveTo.flatMap { LocalDate(iso: $0)?.vietnamese },
                        successor: a.successorID.flatMap { names[$0] }))
                if depth < 10 { walk(a.id, depth: depth + 1) }
            }
        }
        walk(nil, depth: 0)
        return try await req.view.render(
            "Admin/agencies",
            Context(
                layout: PageLayout("Cơ quan, đơn vị", req), rows: rows,
                successors: agencies.filter { $0.effectiveTo == nil }.map {
                    Option(value: $0.id!.uuidString, name: "\($0.name) (\($0.code))")
                },
                notice: notice, error: error,
                kinds: AgencyKind.allCases.map { Option(value: $0.rawValue, name: Self.kindName($0.rawValue)) }))
    }

    func again(_ req: Request, _ error: String, status: HTTPResponseStatus) async throws -> Response {
        return try await render(req, notice: nil, error: error).encodeResponse(status: status, for: req)
    }

    func agency(_ req: Request) async throws -> AgencyModel {
        guard let id = req.parameters.get("id", as: UUID.self), let a = try await AgencyModel.find(id, on: req.db)
        else {
            throw ServiceError(.notFound, "Không tìm thấy cơ quan.")
        }
        return a
    }

    func rename(req: Request) async throws -> Response {
        struct Form: Content { var name: String; var code: String }
        let actor = try req.actor()
        let a = try await agency(req)
        let form = try req.content.decode(Form.self)
        let name = form.name.trimmingCharacters(in: .whitespaces),
            code = form.code.trimmingCharacters(in: .whitespaces).uppercased()
        if let (problem, status) = try await Self.problem(name: name, code: code, except: a, on: req.db) {
            return try await again(req, problem, status: status)
        }
        let changes = [
            LogChain.Change(field: "Tên", old: a.name, new: name), .init(field: "Mã định danh", old: a.code, new: code),
        ].filter { $0.old != $0.new }
        guard !changes.isEmpty else { return req.redirect(to: "/quan-tri/co-quan") }
        try await req.db.transaction { tx in
            try await AgencyModel.query(on: tx).filter(\.$id == a.id!).set(\.$name, to: name).set(\.$code, to: code)
                .update()
            try await Audit.record(
                "Đổi tên cơ quan", entity: "agency", id: a.code, changes: changes, actor: actor, on: tx)
        }
        return req.redirect(to: "/quan-tri/co-quan?da-luu=doi-ten")
    }

    /// What is wrong with an agency's name and code (the code unique among agencies), with its status.
    static func problem(name: String, code: String, except current: AgencyModel?, on db: any Database) async throws
        -> (String, HTTPResponseStatus)?
    {
        guard !name.isEmpty, name.count <= 200, TextInput.isClean(name) else {
            return ("Nhập tên cơ quan (tối đa 200 ký tự).", .unprocessableEntity)
        }
        guard (3...30).contains(code.count),
            code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") })
        else {
            return ("Mã định danh gồm chữ, số và dấu chấm, ví dụ 000.00.12.H28.", .unprocessableEntity)
        }
        if code != current?.code, try await AgencyModel.query(on: db).filter(\.$code == code).first() != nil {
            return ("Mã định danh \(code) đã thuộc cơ quan khác.", .conflict)
        }
        return nil
    }

    /// "Thêm cơ quan": a new agency under a parent (or at the top), of a kind, in operation from a date
    /// (today by default); audited.
    func create(req: Request) async throws -> Response {
        struct Form: Content {
            var name: String; var code: String; var kind: String; var parent: String?; var effectiveFrom: String?
        }
        let actor = try req.actor()
        let form = try req.content.decode(Form.self)
        let name = form.name.trimmingCharacters(in: .whitespaces),
            code = form.code.trimmingCharacters(in: .whitespaces).uppercased()
        if let (problem, status) = try await Self.problem(name: name, code: code, except: nil, on: req.db) {
            return try await again(req, problem, status: status)
        }
        guard let kind = AgencyKind(rawValue: form.kind) else {
            return try await again(req, "Chọn cấp của cơ quan.", status: .unprocessableEntity)
        }
        var parent: AgencyModel?
        if let text = form.parent, !text.isEmpty {
            guard let id = UUID(uuidString: text), let p = try await AgencyModel.find(id, on: req.db),
                p.effectiveTo == nil
            else {
                return try await again(
                    req, "Cơ quan cấp trên không hợp lệ (phải đang hoạt động).", status: .unprocessableEntity)
            }
            parent = p
        }
        let fromText = (form.effectiveFrom ?? "").trimmingCharacters(in: .whitespaces)
        guard let from = fromText.isEmpty ? VietnamTime.local(Date()).date : PageTime.parseDate(fromText) else {
            return try await again(
                req, "Ngày bắt đầu hoạt động không hợp lệ (dd/mm/yyyy).", status: .unprocessableEntity)
        }
        // Local government has two levels from 1 July 2025 (DOMAIN.md section 0): no new district.
        if kind == .district, from.iso >= "2025-07-01" {
            return try await again(
                req, "Cấp huyện không còn từ ngày 01/07/2025: chọn UBND xã, phường hoặc sở, ban, ngành.",
                status: .unprocessableEntity)
        }
        let agency = AgencyModel(
            id: UUID(), code: code, name: name, kind: kind, parentID: parent?.id, effectiveFrom: from.iso)
        let parentName = parent?.name
        try await req.db.transaction { tx in
            try await agency.create(on: tx)
            try await Audit.record(
                "Thêm cơ quan", entity: "agency", id: code,
                changes: [
                    .init(field: "Tên", old: nil, new: name), .init(field: "Mã định danh", old: nil, new: code),
                    .init(field: "Cấp", old: nil, new: Self.kindName(kind.rawValue)),
                    .init(field: "Cơ quan cấp trên", old: nil, new: parentName),
                    .init(field: "Hoạt động từ", old: nil, new: from.vietnamese),
                ].filter { $0.new != nil }, actor: actor, on: tx)
        }
        return req.redirect(to: "/quan-tri/co-quan?da-luu=them")
    }

    /// Closes an agency from a date (dd/MM/yyyy or yyyy-MM-dd), merged into a successor if one is chosen.
    func close(req: Request) async throws -> Response {
        struct Form: Content { var effectiveTo: String; var successor: String? }
        let actor = try req.actor()
        let a = try await agency(req)
        let form = try req.content.decode(Form.self)
        guard a.effectiveTo == nil else {
            return try await again(req, "\(a.name) đã được giải thể hoặc sáp nhập.", status: .conflict)
        }
        guard let date = PageTime.parseDate(form.effectiveTo), date.iso >= a.effectiveFrom else {
            return try await again(
                req,
                """
                Ngày hiệu lực không hợp lệ (phải sau ngày thành lập \
                \(LocalDate(iso: a.effectiveFrom)?.vietnamese ?? a.effectiveFrom)).
                """,
                status: .unprocessableEntity)
        }
        var successor: AgencyModel?
        if let text = form.successor, !text.isEmpty {
            guard let id = UUID(uuidString: text), id != a.id, let s = try await AgencyModel.find(id, on: req.db),
                s.effectiveTo == nil
            else {
                return try await again(
                    req, "Cơ quan kế thừa không hợp lệ (phải là cơ quan khác, đang hoạt động).",
                    status: .unprocessableEntity)
            }
            successor = s
        }
        let merged = successor
        guard ConfirmPage.confirmed(req) else {
            let open = try await DossierModel.query(on: req.db).filter(\.$agencyID == a.id!)
                .filter(\.$status ~~ Status.openValues).count()
            let accounts = try await UserModel.query(on: req.db).filter(\.$agencyID == a.id!).count()
            return try await ConfirmPage.response(
                merged == nil ? "Giải thể \(a.name)?" : "Sáp nhập \(a.name) vào \(merged!.name)?",
                consequences: [
                    """
                    \(a.name) ngừng tiếp nhận hồ sơ mới từ ngày \(date.vietnamese); quầy tiếp nhận của cơ quan \
                    được báo ngay khi mở.
                    """,
                    merged.map {
                        """
                        \(PageTime.number(open)) hồ sơ đang giải quyết chuyển sang \($0.name) \
                        từ ngày \(date.vietnamese) \
                        (phòng ban cùng tên, nếu không có thì phòng ban đầu tiên), ghi vào nhật ký của từng hồ sơ; \
                        hồ sơ đã giải quyết xong giữ cơ quan đã tiếp nhận.
                        """
                    }
                        ?? """
                        \(PageTime.number(open)) hồ sơ đang xử lý vẫn do \(a.name) giải quyết tiếp đến khi trả kết \
                        quả (hồ sơ giữ cơ quan đã tiếp nhận).
                        """,
                    """
                    \(PageTime.number(accounts)) tài khoản thuộc cơ quan vẫn đăng nhập được; chuyển từng tài \
                    khoản sang cơ quan mới ở “Quản trị người dùng” nếu cần.
                    """,
                    "Ghi vào nhật ký quản trị; không hoàn tác được trên trang.",
                ],
                action: "/quan-tri/co-quan/\(a.id!.uuidString)/giai-the",
                fields: [("effectiveTo", date.vietnamese), ("successor", merged?.id?.uuidString ?? "")],
                confirm: merged == nil ? "Xác nhận giải thể" : "Xác nhận sáp nhập", back: "/quan-tri/co-quan", req: req)
        }
        // Merged from today or earlier: its open dossiers move now; from a later day, the daily job moves them.
        let carryNow = merged != nil && date <= VietnamTime.local(Date()).date
        do {
            try await req.db.transaction { tx in
                try await a.close(from: date, into: merged, actor: actor, on: tx)
                if carryNow { _ = try await AgencyTransfer.carryOpenDossiers(of: a, actor: actor, at: Date(), on: tx) }
            }
        } catch let error as ServiceError {
            return try await again(req, error.reason, status: error.status)
        }
        return req.redirect(to: "/quan-tri/co-quan?da-luu=giai-the")
    }
}

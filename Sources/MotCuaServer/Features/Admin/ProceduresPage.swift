import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Thủ tục hành chính" (role admin): the procedure catalogue, searchable, 50 a page; a procedure's
/// form with its field, agency and department, processing time (and the online one), fee and when
/// it is collected, online level, result type, required components (name, original or copy, count,
/// mandatory, blank form) and internal process steps. The terms are checked by the core
/// (`ProcedureTerms.problems`); an edit is made from the version the form showed (a change by
/// someone else meanwhile is a conflict) and audited field by field. Dossiers already received keep
/// the terms they were received under (DOMAIN.md section 3).
struct ProceduresPage {
    static let path = "/quan-tri/thu-tuc"
    static let per = 50

    // MARK: List

    func list(req: Request) async throws -> View {
        _ = try req.actor()
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        guard q.count <= 100, TextInput.isClean(q) else {
            throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm không hợp lệ.")
        }
        let agency = req.query[UUID.self, at: "co-quan"], field = req.query[UUID.self, at: "linh-vuc"]
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let query = ProcedureModel.query(on: req.db)
        if let agency { query.filter(\.$agencyID == agency) }
        if let field { query.filter(\.$fieldID == field) }
        if !q.isEmpty {
            // A catalogue of a few thousand procedures: a plain filter is enough here.
            let text = q.filter { $0 != "%" && $0 != "_" && $0 != "\\" }
            query.group(.or) { $0.filter(\.$code ~~ text).filter(\.$name ~~ text) }
        }
        let total = try await query.count()
        let procedures = try await query.sort(\.$code).range(((page - 1) * Self.per)..<(page * Self.per)).all()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all(),
            fields = try await FieldModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }),
            fieldNames = Dictionary(uniqueKeysWithValues: fields.map { ($0.id!, $0.name) })
        let rows = try procedures.map { p in
            let t = try p.terms
            return Row(
                id: p.id!, code: p.code, name: p.name, field: fieldNames[p.fieldID] ?? "",
                agency: agencyNames[p.agencyID] ?? "",
                time: "\(ProcedureTerms.amountText(t.timeAmount)) \(t.timeUnit.vietnameseName)",
                fee: t.feeVND == 0 ? "Miễn phí" : PageTime.number(t.feeVND) + " đ", online: t.onlineLevel.vietnameseName
            )
        }
        let paging = PageLinks(page: page, per: Self.per, total: total)
        let links = paging.around(
            Self.path, filters: [("q", q), ("co-quan", agency?.uuidString), ("linh-vuc", field?.uuidString)])
        let notices = ["tao": "Đã thêm thủ tục.", "sua": "Đã lưu thủ tục."]
        return try await req.view.render(
            "Admin/procedures",
            ListContext(
                layout: PageLayout("Thủ tục hành chính", req), q: q,
                agencies: agencies.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id == agency) },
                fields: fields.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id == field) },
                rows: rows, total: PageTime.number(total),
                notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] },
                page: page, pages: paging.pages, previous: links.previous, next: links.next))
    }

    func newForm(req: Request) async throws -> View {
        let steps = ProcedureTerms.defaultSteps(totalDays: 5)
        return try await render(
            req, id: nil,
            typed: Typed(
                timeUnit: TimeUnit.workingDays.rawValue, feeTiming: FeeTiming.exempt.rawValue,
                onlineLevel: OnlineLevel.partial.rawValue, stepName: steps.map(\.name),
                stepShare: steps.map { ProcedureTerms.amountText($0.share) }),
            fieldErrors: [:], notice: nil, error: nil)
    }

    func editForm(req: Request) async throws -> View {
        let p = try await procedure(req)
        let notices = ["sua": "Đã lưu thủ tục.", "mau-don": "Đã tải lên mẫu đơn, tờ khai."]
        return try await render(
            req, id: p.id, typed: try Self.typed(p), fieldErrors: [:],
            notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] }, error: nil)
    }

    func procedure(_ req: Request) async throws -> ProcedureModel {
        guard let id = req.parameters.get("id", as: UUID.self), let p = try await ProcedureModel.find(id, on: req.db)
        else {
            throw ServiceError(.notFound, "Không tìm thấy thủ tục.")
        }
        return p
    }

    func render(_ req: Request, id: UUID?, typed: Typed, fieldErrors: [String: String], notice: String?, error: String?)
        async throws -> View
    {
        _ = try req.actor()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let departments = try await DepartmentModel.query(on: req.db).all().sorted {
            (agencyNames[$0.agencyID] ?? "", $0.name) < (agencyNames[$1.agencyID] ?? "", $1.name)
        }
        let fields = try await FieldModel.query(on: req.db).sort(\.$name).all()
        func options<T: RawRepresentable & CaseIterable>(_: T.Type, _ chosen: String?, _ name: (T) -> String)
            -> [Option] where T.RawValue == String
        {
            T.allCases.map { Option(value: $0.rawValue, name: name($0), selected: $0.rawValue == chosen) }
        }
        // The rows typed, then blank rows to add more.
        let names = typed.componentName ?? []
        let at = Self.item
        let components = (0..<(names.count + 3)).map { i in
            ComponentRow(
                position: i + 1, name: at(typed.componentName, i),
                forms: options(
                    ComponentRequirement.Form.self,
                    at(typed.componentForm, i).isEmpty ? "copy" : at(typed.componentForm, i), \.vietnameseName),
                count: at(typed.componentCount, i).isEmpty ? "1" : at(typed.componentCount, i),
                mandatory: at(typed.componentMandatory, i) != "0", blank: at(typed.componentBlank, i),
                file: at(typed.componentBlankFile, i),
                download: at(typed.componentBlankFile, i).isEmpty || id == nil
                    ? nil : "/mau-don/\(typed.code ?? "")/\(i + 1)")
        }
        let steps = (0..<((typed.stepName ?? []).count + 2)).map {
            StepRow(name: at(typed.stepName, $0), share: at(typed.stepShare, $0))
        }
        return try await req.view.render(
            "Admin/procedure",
            FormContext(
                layout: PageLayout(id == nil ? "Thêm thủ tục hành chính" : "Sửa thủ tục hành chính", req),
                action: id.map { "\(Self.path)/\($0)" } ?? "\(Self.path)/moi", isNew: id == nil, typed: typed,
                uploadAction: id.map {
                    PageLinks.link(
                        "\(Self.path)/\($0)/mau-don",
                        filters: [("_csrf", req.csrfToken), ("fingerprint", typed.fingerprint)])
                },
                fields: fields.map {
                    Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id!.uuidString == typed.field)
                },
                agencies: agencies.filter { $0.effectiveTo == nil || $0.id!.uuidString == typed.agency }.map {
                    Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id!.uuidString == typed.agency)
                },
                departments: departments.map {
                    Option(
                        value: $0.id!.uuidString, name: "\($0.name) - \(agencyNames[$0.agencyID] ?? "")",
                        selected: $0.id!.uuidString == typed.department)
                },
                units: options(TimeUnit.self, typed.timeUnit, \.vietnameseName),
                feeTimings: options(FeeTiming.self, typed.feeTiming, \.vietnameseName),
                onlineLevels: options(OnlineLevel.self, typed.onlineLevel, \.vietnameseName), components: components,
                steps: steps,
                fieldErrors: fieldErrors, notice: notice, error: error))
    }

    func again(
        _ req: Request, id: UUID?, typed: Typed, fieldErrors: [String: String], error: String,
        status: HTTPResponseStatus
    ) async throws -> Response {
        return try await render(req, id: id, typed: typed, fieldErrors: fieldErrors, notice: nil, error: error)
            .encodeResponse(status: status, for: req)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let typed = try req.content.decode(Typed.self)
        let (checked, problems) = try await parse(typed, except: nil, on: req.db)
        guard let parsed = checked else {
            return try await again(
                req, id: nil, typed: typed, fieldErrors: problems,
                error: "Chưa thêm được thủ tục: kiểm tra các trường được đánh dấu.", status: .unprocessableEntity)
        }
        let model = ProcedureModel(
            id: UUID(), terms: parsed.terms, fieldID: parsed.field.id!, agencyID: parsed.agency.id!,
            departmentID: parsed.department.id!)
        do {
            try await req.db.transaction { tx in
                try await model.create(on: tx)
                try await Audit.record(
                    "Thêm thủ tục hành chính", entity: "procedure", id: parsed.terms.code,
                    changes: Self.changes(from: (nil, nil, nil, nil), to: parsed), actor: actor, on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await again(
                req, id: nil, typed: typed,
                fieldErrors: ["code": "Mã \(parsed.terms.code) vừa được dùng cho thủ tục khác."],
                error: "Chưa thêm được thủ tục.", status: .conflict)
        }
        return req.redirect(to: "\(Self.path)?da-luu=tao")
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.actor()
        let current = try await procedure(req)
        let typed = try req.content.decode(Typed.self)
        let files = Set(try current.terms.components.compactMap(\.blankFormSHA256))
        let (checked, problems) = try await parse(typed, except: current.id, files: files, on: req.db)
        guard let parsed = checked else {
            return try await again(
                req, id: current.id, typed: typed, fieldErrors: problems,
                error: "Chưa lưu được thủ tục: kiểm tra các trường được đánh dấu.",
                status: .unprocessableEntity)
        }
        let fieldNames = Dictionary(
            uniqueKeysWithValues: try await FieldModel.query(on: req.db).all().map { ($0.id!, $0.name) })
        let shown = typed.fingerprint ?? ""
        let conflict = ServiceError(
            .conflict,
            "Thủ tục vừa được người khác thay đổi; biểu mẫu dưới đây là dữ liệu mới nhất. Kiểm tra rồi lưu lại.")
        let json = JSON.encode(parsed.terms)
        do {
            try await req.db.transaction { tx in
                let now = try await Self.claim(current.id!, shown: shown, on: tx, orElse: conflict)
                let old = try now.terms
                let oldAgency = try await AgencyModel.find(now.agencyID, on: tx)?.name,
                    oldDepartment = try await DepartmentModel.find(now.departmentID, on: tx)?.name
                let changes = Self.changes(from: (old, fieldNames[now.fieldID], oldAgency, oldDepartment), to: parsed)
                guard !changes.isEmpty else { return }
                try await ProcedureModel.query(on: tx).filter(\.$id == current.id!)
                    .set(\.$code, to: parsed.terms.code).set(\.$name, to: parsed.terms.name).set(
                        \.$fieldID, to: parsed.field.id!
                    )
                    .set(\.$agencyID, to: parsed.agency.id!).set(\.$departmentID, to: parsed.department.id!).set(
                        \.$termsJSON, to: json
                    ).update()
                try await Audit.record(
                    "Sửa thủ tục hành chính", entity: "procedure", id: parsed.terms.code, changes: changes,
                    actor: actor, on: tx)
            }
        } catch let e as ServiceError where e.status == .conflict {
            let latest = try await procedure(req)
            return try await again(
                req, id: latest.id, typed: try Self.typed(latest), fieldErrors: [:], error: e.reason, status: .conflict)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await again(
                req, id: current.id, typed: typed,
                fieldErrors: ["code": "Mã \(parsed.terms.code) vừa được dùng cho thủ tục khác."],
                error: "Chưa lưu được thủ tục.", status: .conflict)
        }
        return req.redirect(to: "\(Self.path)/\(current.id!)?da-luu=sua")
    }
}

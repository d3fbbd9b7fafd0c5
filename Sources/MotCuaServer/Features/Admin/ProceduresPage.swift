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
    struct Typed: Content {
        var code: String?; var name: String?; var field: String?; var agency: String?; var department: String?
        var timeAmount: String?; var timeUnit: String?; var onlineTimeAmount: String?
        var feeVND: String?; var feeTiming: String?; var onlineLevel: String?; var resultType: String?
        var componentName: [String]?; var componentForm: [String]?; var componentCount: [String]?
        var componentMandatory: [String]?; var componentBlank: [String]?; var componentBlankFile: [String]?
        var stepName: [String]?; var stepShare: [String]?
        var fingerprint: String?
    }
    typealias Option = SelectOption
    struct ComponentRow: Encodable {
        let position: Int; let name: String; let forms: [Option]; let count: String; let mandatory: Bool; let blank: String
        /// The uploaded blank form's checksum (kept through a save) and its download address.
        let file: String; let download: String?
    }
    struct StepRow: Encodable { let name: String; let share: String }
    struct Row: Encodable { let id: UUID; let code: String; let name: String; let field: String; let agency: String; let time: String; let fee: String; let online: String }
    struct ListContext: Encodable {
        let layout: PageLayout; let q: String; let agencies: [Option]; let fields: [Option]; let rows: [Row]; let total: String
        let notice: String?; let page: Int; let pages: Int; let previous: String?; let next: String?
    }
    struct FormContext: Encodable {
        let layout: PageLayout; let action: String; let isNew: Bool; let typed: Typed
        /// Where a blank form's file is sent (an existing procedure only), the form token and version in the address.
        let uploadAction: String?
        let fields: [Option]; let agencies: [Option]; let departments: [Option]
        let units: [Option]; let feeTimings: [Option]; let onlineLevels: [Option]
        let components: [ComponentRow]; let steps: [StepRow]
        let fieldErrors: [String: String]; let notice: String?; let error: String?
    }

    static let path = "/quan-tri/thu-tuc"
    static let per = 50

    // MARK: List

    func list(req: Request) async throws -> View {
        _ = try req.actor()
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        guard q.count <= 100, TextInput.isClean(q) else { throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm không hợp lệ.") }
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
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all(), fields = try await FieldModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) }), fieldNames = Dictionary(uniqueKeysWithValues: fields.map { ($0.id!, $0.name) })
        let rows = try procedures.map { p in
            let t = try p.terms
            return Row(id: p.id!, code: p.code, name: p.name, field: fieldNames[p.fieldID] ?? "", agency: agencyNames[p.agencyID] ?? "",
                       time: "\(ProcedureTerms.amountText(t.timeAmount)) \(t.timeUnit.vietnameseName)",
                       fee: t.feeVND == 0 ? "Miễn phí" : PageTime.number(t.feeVND) + " đ", online: t.onlineLevel.vietnameseName)
        }
        let paging = PageLinks(page: page, per: Self.per, total: total)
        let links = paging.around(Self.path, filters: [("q", q), ("co-quan", agency?.uuidString), ("linh-vuc", field?.uuidString)])
        let notices = ["tao": "Đã thêm thủ tục.", "sua": "Đã lưu thủ tục."]
        return try await req.view.render("Admin/procedures", ListContext(
            layout: PageLayout("Thủ tục hành chính", req), q: q,
            agencies: agencies.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id == agency) },
            fields: fields.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id == field) },
            rows: rows, total: PageTime.number(total), notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] },
            page: page, pages: paging.pages, previous: links.previous, next: links.next))
    }

    // MARK: Form

    static func typed(_ p: ProcedureModel) throws -> Typed {
        let t = try p.terms
        return Typed(code: t.code, name: t.name, field: p.fieldID.uuidString, agency: p.agencyID.uuidString, department: p.departmentID.uuidString,
                     timeAmount: ProcedureTerms.amountText(t.timeAmount), timeUnit: t.timeUnit.rawValue, onlineTimeAmount: t.onlineTimeAmount.map(ProcedureTerms.amountText),
                     feeVND: String(t.feeVND), feeTiming: t.feeTiming.rawValue, onlineLevel: t.onlineLevel.rawValue, resultType: t.resultType,
                     componentName: t.components.map(\.name), componentForm: t.components.map(\.form.rawValue), componentCount: t.components.map { String($0.count) },
                     componentMandatory: t.components.map { $0.mandatory ? "1" : "0" }, componentBlank: t.components.map { $0.blankForm ?? "" }, componentBlankFile: t.components.map { $0.blankFormSHA256 ?? "" },
                     stepName: t.steps.map(\.name), stepShare: t.steps.map { ProcedureTerms.amountText($0.share) }, fingerprint: fingerprint(p))
    }

    /// The version of a procedure a form was made from.
    static func fingerprint(_ p: ProcedureModel) -> String {
        Checksum.sha256(Data([p.code, p.name, p.fieldID.uuidString, p.agencyID.uuidString, p.departmentID.uuidString, p.termsJSON].joined(separator: "\n").utf8))
    }

    func newForm(req: Request) async throws -> View {
        let steps = ProcedureTerms.defaultSteps(totalDays: 5)
        return try await render(req, id: nil, typed: Typed(timeUnit: TimeUnit.workingDays.rawValue, feeTiming: FeeTiming.exempt.rawValue,
                                                            onlineLevel: OnlineLevel.partial.rawValue, stepName: steps.map(\.name), stepShare: steps.map { ProcedureTerms.amountText($0.share) }),
                                fieldErrors: [:], notice: nil, error: nil)
    }

    func editForm(req: Request) async throws -> View {
        let p = try await procedure(req)
        let notices = ["sua": "Đã lưu thủ tục.", "mau-don": "Đã tải lên mẫu đơn, tờ khai."]
        return try await render(req, id: p.id, typed: try Self.typed(p), fieldErrors: [:], notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] }, error: nil)
    }

    func procedure(_ req: Request) async throws -> ProcedureModel {
        guard let id = req.parameters.get("id", as: UUID.self), let p = try await ProcedureModel.find(id, on: req.db) else {
            throw ServiceError(.notFound, "Không tìm thấy thủ tục.")
        }
        return p
    }

    func render(_ req: Request, id: UUID?, typed: Typed, fieldErrors: [String: String], notice: String?, error: String?) async throws -> View {
        _ = try req.actor()
        let agencies = try await AgencyModel.query(on: req.db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        let departments = try await DepartmentModel.query(on: req.db).all().sorted { (agencyNames[$0.agencyID] ?? "", $0.name) < (agencyNames[$1.agencyID] ?? "", $1.name) }
        let fields = try await FieldModel.query(on: req.db).sort(\.$name).all()
        func options<T: RawRepresentable & CaseIterable>(_: T.Type, _ chosen: String?, _ name: (T) -> String) -> [Option] where T.RawValue == String {
            T.allCases.map { Option(value: $0.rawValue, name: name($0), selected: $0.rawValue == chosen) }
        }
        // The rows typed, then blank rows to add more.
        let names = typed.componentName ?? []
        let at = Self.item
        let components = (0..<(names.count + 3)).map { i in
            ComponentRow(position: i + 1, name: at(typed.componentName, i), forms: options(ComponentRequirement.Form.self, at(typed.componentForm, i).isEmpty ? "copy" : at(typed.componentForm, i), \.vietnameseName),
                         count: at(typed.componentCount, i).isEmpty ? "1" : at(typed.componentCount, i), mandatory: at(typed.componentMandatory, i) != "0", blank: at(typed.componentBlank, i),
                         file: at(typed.componentBlankFile, i),
                         download: at(typed.componentBlankFile, i).isEmpty || id == nil ? nil : "/mau-don/\(typed.code ?? "")/\(i + 1)")
        }
        let steps = (0..<((typed.stepName ?? []).count + 2)).map { StepRow(name: at(typed.stepName, $0), share: at(typed.stepShare, $0)) }
        return try await req.view.render("Admin/procedure", FormContext(
            layout: PageLayout(id == nil ? "Thêm thủ tục hành chính" : "Sửa thủ tục hành chính", req),
            action: id.map { "\(Self.path)/\($0)" } ?? "\(Self.path)/moi", isNew: id == nil, typed: typed,
            uploadAction: id.map { PageLinks.link("\(Self.path)/\($0)/mau-don", filters: [("_csrf", req.csrfToken), ("fingerprint", typed.fingerprint)]) },
            fields: fields.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id!.uuidString == typed.field) },
            agencies: agencies.filter { $0.effectiveTo == nil || $0.id!.uuidString == typed.agency }.map { Option(value: $0.id!.uuidString, name: $0.name, selected: $0.id!.uuidString == typed.agency) },
            departments: departments.map { Option(value: $0.id!.uuidString, name: "\($0.name) - \(agencyNames[$0.agencyID] ?? "")", selected: $0.id!.uuidString == typed.department) },
            units: options(TimeUnit.self, typed.timeUnit, \.vietnameseName), feeTimings: options(FeeTiming.self, typed.feeTiming, \.vietnameseName),
            onlineLevels: options(OnlineLevel.self, typed.onlineLevel, \.vietnameseName), components: components, steps: steps,
            fieldErrors: fieldErrors, notice: notice, error: error))
    }

    func again(_ req: Request, id: UUID?, typed: Typed, fieldErrors: [String: String], error: String, status: HTTPResponseStatus) async throws -> Response {
        let response = try await render(req, id: id, typed: typed, fieldErrors: fieldErrors, notice: nil, error: error).encodeResponse(for: req)
        response.status = status
        return response
    }

    // MARK: Saving

    /// A number as typed on a Vietnamese page: "2,5" or "2.5"; fees may have thousands dots ("200.000").
    static func decimal(_ text: String?) -> Double? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard !t.isEmpty, t.count <= 12, t.allSatisfy({ $0.isNumber || $0 == "." }), t.filter({ $0 == "." }).count <= 1 else { return nil }
        return Double(t)
    }

    static func money(_ text: String?) -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
        guard !t.isEmpty, t.count <= 12, t.allSatisfy(\.isASCII) else { return nil }
        return Int(t)
    }

    /// The i-th value of one of the form's parallel lists (a component's or step's column), "" past its end.
    static func item(_ list: [String]?, _ i: Int) -> String { i < (list?.count ?? 0) ? list![i] : "" }

    struct Parsed { let terms: ProcedureTerms; let field: FieldModel; let agency: AgencyModel; let department: DepartmentModel }

    /// The form read into terms and checked; the problems by form field otherwise.
    func parse(_ typed: Typed, except id: UUID?, files: Set<String> = [], on db: any Database) async throws -> (parsed: Parsed?, problems: [String: String]) {
        var problems: [String: String] = [:]
        let field = try await typed.field.flatMap(UUID.init(uuidString:)).asyncMap { try await FieldModel.find($0, on: db) } ?? nil
        if field == nil { problems["field"] = "Chọn lĩnh vực." }
        let agency = try await typed.agency.flatMap(UUID.init(uuidString:)).asyncMap { try await AgencyModel.find($0, on: db) } ?? nil
        if agency == nil { problems["agency"] = "Chọn cơ quan thực hiện." }
        let department = try await typed.department.flatMap(UUID.init(uuidString:)).asyncMap { try await DepartmentModel.find($0, on: db) } ?? nil
        if department == nil { problems["department"] = "Chọn phòng chuyên môn giải quyết." }
        else if let agency, department?.agencyID != agency.id { problems["department"] = "Phòng chuyên môn không thuộc cơ quan đã chọn." }
        let unit = TimeUnit(rawValue: typed.timeUnit ?? ""), feeTiming = FeeTiming(rawValue: typed.feeTiming ?? ""), level = OnlineLevel(rawValue: typed.onlineLevel ?? "")
        if unit == nil { problems["timeAmount"] = "Chọn đơn vị thời hạn." }
        if feeTiming == nil { problems["feeVND"] = "Chọn hình thức thu phí." }
        if level == nil { problems["onlineLevel"] = "Chọn mức độ trực tuyến." }
        let amount = Self.decimal(typed.timeAmount)
        if amount == nil { problems["timeAmount"] = "Nhập thời hạn giải quyết bằng số, ví dụ 10 hoặc 2,5." }
        let onlineText = (typed.onlineTimeAmount ?? "").trimmingCharacters(in: .whitespaces)
        let online = onlineText.isEmpty ? nil : Self.decimal(onlineText)
        if !onlineText.isEmpty, online == nil { problems["onlineTimeAmount"] = "Nhập thời hạn bằng số, hoặc để trống nếu như thời hạn chung." }
        let fee = Self.money(typed.feeVND?.isEmpty == false ? typed.feeVND : "0")
        if fee == nil { problems["feeVND"] = "Nhập phí, lệ phí bằng số đồng, ví dụ 200.000." }
        // Components: the rows with a name; steps: the rows with a name or a time.
        var components: [ComponentRequirement] = []
        for (i, name) in (typed.componentName ?? []).enumerated() where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            func at(_ list: [String]?) -> String { Self.item(list, i) }
            guard let form = ComponentRequirement.Form(rawValue: at(typed.componentForm)), let count = Int(at(typed.componentCount).trimmingCharacters(in: .whitespaces)) else {
                problems["components"] = "Thành phần \"\(name)\": chọn loại bản và nhập số lượng."
                continue
            }
            let blank = at(typed.componentBlank).trimmingCharacters(in: .whitespaces)
            // A blank form's file stays only if it is one this procedure already had (never another file of the store).
            let file = at(typed.componentBlankFile)
            components.append(ComponentRequirement(name: name.trimmingCharacters(in: .whitespaces), form: form, count: count, mandatory: at(typed.componentMandatory) != "0",
                                                   blankForm: blank.isEmpty ? nil : blank, blankFormSHA256: files.contains(file) && !blank.isEmpty ? file : nil))
        }
        var steps: [ProcessStep] = []
        for (i, name) in (typed.stepName ?? []).enumerated() {
            let shareText = Self.item(typed.stepShare, i)
            if name.trimmingCharacters(in: .whitespaces).isEmpty && shareText.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let share = Self.decimal(shareText.isEmpty ? "0" : shareText) else {
                problems["steps"] = "Bước \"\(name)\": nhập thời gian bằng số, ví dụ 0,5."
                continue
            }
            steps.append(ProcessStep(name: name.trimmingCharacters(in: .whitespaces), share: share))
        }
        let terms = ProcedureTerms(code: (typed.code ?? "").trimmingCharacters(in: .whitespaces), name: (typed.name ?? "").trimmingCharacters(in: .whitespaces),
                                   timeAmount: amount ?? 0, timeUnit: unit ?? .workingDays, onlineTimeAmount: online, feeVND: fee ?? 0,
                                   feeTiming: feeTiming ?? .exempt, onlineLevel: level ?? .none, components: components, steps: steps,
                                   resultType: (typed.resultType ?? "").trimmingCharacters(in: .whitespaces))
        for (term, message) in terms.problems where problems[term.rawValue] == nil { problems[term.rawValue] = message }
        if problems["code"] == nil, let other = try await ProcedureModel.query(on: db).filter(\.$code == terms.code).first(), other.id != id {
            problems["code"] = "Mã \(terms.code) đã thuộc thủ tục khác."
        }
        guard problems.isEmpty, let field, let agency, let department else { return (nil, problems) }
        return (Parsed(terms: terms, field: field, agency: agency, department: department), [:])
    }

    /// The audit lines of a change: each term that differs, before and after, in words.
    static func changes(from old: (terms: ProcedureTerms?, field: String?, agency: String?, department: String?), to new: Parsed) -> [LogChain.Change] {
        func time(_ t: ProcedureTerms) -> String { "\(ProcedureTerms.amountText(t.timeAmount)) \(t.timeUnit.vietnameseName)" }
        func components(_ t: ProcedureTerms) -> String {
            t.components.map { "\($0.name) (\($0.form.vietnameseName), \($0.count)\($0.mandatory ? "" : ", không bắt buộc")\($0.blankForm.map { ", mẫu \($0)" } ?? "")\($0.blankFormSHA256.map { " (tệp \($0.prefix(8)))" } ?? ""))" }.joined(separator: "; ")
        }
        func steps(_ t: ProcedureTerms) -> String { t.steps.map { "\($0.name) \(ProcedureTerms.amountText($0.share))" }.joined(separator: "; ") }
        let o = old.terms, n = new.terms
        return [
            LogChain.Change(field: "Mã thủ tục", old: o?.code, new: n.code), .init(field: "Tên thủ tục", old: o?.name, new: n.name),
            .init(field: "Lĩnh vực", old: old.field, new: new.field.name), .init(field: "Cơ quan thực hiện", old: old.agency, new: new.agency.name),
            .init(field: "Phòng chuyên môn", old: old.department, new: new.department.name),
            .init(field: "Thời hạn giải quyết", old: o.map(time), new: time(n)),
            .init(field: "Thời hạn nộp trực tuyến", old: o?.onlineTimeAmount.map(ProcedureTerms.amountText), new: n.onlineTimeAmount.map(ProcedureTerms.amountText)),
            .init(field: "Phí, lệ phí", old: o.map { PageTime.number($0.feeVND) }, new: PageTime.number(n.feeVND)),
            .init(field: "Hình thức thu phí", old: o?.feeTiming.vietnameseName, new: n.feeTiming.vietnameseName),
            .init(field: "Mức độ trực tuyến", old: o?.onlineLevel.vietnameseName, new: n.onlineLevel.vietnameseName),
            .init(field: "Loại kết quả", old: o?.resultType, new: n.resultType),
            .init(field: "Thành phần hồ sơ", old: o.map(components), new: components(n)),
            .init(field: "Quy trình nội bộ", old: o.map(steps), new: steps(n)),
        ].filter { $0.old != $0.new }
    }

    /// In a transaction: takes the procedure's row (a second writer waits here), then answers it if it
    /// is still the version a form showed, else throws `conflict`.
    static func claim(_ id: UUID, shown: String, on tx: any Database, orElse conflict: ServiceError) async throws -> ProcedureModel {
        let claimed = try await (tx as! any SQLDatabase).raw("UPDATE procedures SET terms = terms WHERE id = \(bind: id) RETURNING id").all()
        guard claimed.count == 1, let now = try await ProcedureModel.find(id, on: tx), fingerprint(now) == shown else { throw conflict }
        return now
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let typed = try req.content.decode(Typed.self)
        let (checked, problems) = try await parse(typed, except: nil, on: req.db)
        guard let parsed = checked else {
            return try await again(req, id: nil, typed: typed, fieldErrors: problems, error: "Chưa thêm được thủ tục: kiểm tra các trường được đánh dấu.", status: .unprocessableEntity)
        }
        let model = ProcedureModel(id: UUID(), terms: parsed.terms, fieldID: parsed.field.id!, agencyID: parsed.agency.id!, departmentID: parsed.department.id!)
        do {
            try await req.db.transaction { tx in
                try await model.create(on: tx)
                try await Audit.record("Thêm thủ tục hành chính", entity: "procedure", id: parsed.terms.code,
                                       changes: Self.changes(from: (nil, nil, nil, nil), to: parsed), actor: actor, on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await again(req, id: nil, typed: typed, fieldErrors: ["code": "Mã \(parsed.terms.code) vừa được dùng cho thủ tục khác."],
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
            return try await again(req, id: current.id, typed: typed, fieldErrors: problems, error: "Chưa lưu được thủ tục: kiểm tra các trường được đánh dấu.",
                                   status: .unprocessableEntity)
        }
        let fieldNames = Dictionary(uniqueKeysWithValues: try await FieldModel.query(on: req.db).all().map { ($0.id!, $0.name) })
        let shown = typed.fingerprint ?? ""
        let conflict = ServiceError(.conflict, "Thủ tục vừa được người khác thay đổi; biểu mẫu dưới đây là dữ liệu mới nhất. Kiểm tra rồi lưu lại.")
        let json = JSON.encode(parsed.terms)
        do {
            try await req.db.transaction { tx in
                let now = try await Self.claim(current.id!, shown: shown, on: tx, orElse: conflict)
                let old = try now.terms
                let oldAgency = try await AgencyModel.find(now.agencyID, on: tx)?.name, oldDepartment = try await DepartmentModel.find(now.departmentID, on: tx)?.name
                let changes = Self.changes(from: (old, fieldNames[now.fieldID], oldAgency, oldDepartment), to: parsed)
                guard !changes.isEmpty else { return }
                try await ProcedureModel.query(on: tx).filter(\.$id == current.id!)
                    .set(\.$code, to: parsed.terms.code).set(\.$name, to: parsed.terms.name).set(\.$fieldID, to: parsed.field.id!)
                    .set(\.$agencyID, to: parsed.agency.id!).set(\.$departmentID, to: parsed.department.id!).set(\.$termsJSON, to: json).update()
                try await Audit.record("Sửa thủ tục hành chính", entity: "procedure", id: parsed.terms.code, changes: changes, actor: actor, on: tx)
            }
        } catch let e as ServiceError where e.status == .conflict {
            let latest = try await procedure(req)
            return try await again(req, id: latest.id, typed: try Self.typed(latest), fieldErrors: [:], error: e.reason, status: .conflict)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await again(req, id: current.id, typed: typed, fieldErrors: ["code": "Mã \(parsed.terms.code) vừa được dùng cho thủ tục khác."],
                                   error: "Chưa lưu được thủ tục.", status: .conflict)
        }
        return req.redirect(to: "\(Self.path)/\(current.id!)?da-luu=sua")
    }

    // MARK: Blank forms

    /// "Tải lên mẫu đơn, tờ khai": the file of a component's blank form (PDF, Word or Excel by its
    /// content), stored by checksum, named by its file name; made from the version of the procedure
    /// the page showed (its fingerprint in the form's address, with the form token) and audited.
    func uploadBlankForm(req: Request) async throws -> Response {
        let actor = try req.actor()
        let current = try await procedure(req)
        func refuse(_ message: String, _ status: HTTPResponseStatus) async throws -> Response {
            let latest = try await procedure(req)
            return try await again(req, id: latest.id, typed: try Self.typed(latest), fieldErrors: [:], error: message, status: status)
        }
        let count = try current.terms.components.count
        guard let upload = UploadForm.collected(req), !upload.data.isEmpty, let position = upload.component, position >= 1, position <= count else {
            return try await refuse("Chọn thành phần hồ sơ và tệp mẫu đơn để tải lên.", .unprocessableEntity)
        }
        let files = req.motcua.files
        guard upload.data.count <= files.maxBytes else { return try await refuse("Tệp vượt quá dung lượng cho phép (\(files.maxBytes / 1_048_576) MB).", .payloadTooLarge) }
        guard let kind = FileStore.sniff(upload.data), [.pdf, .doc, .docx, .xls, .xlsx].contains(kind) else {
            return try await refuse("Mẫu đơn, tờ khai phải là tệp PDF, Word hoặc Excel (kiểm tra theo nội dung tệp, không theo tên tệp).", .unsupportedMediaType)
        }
        let name = String(upload.fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200, TextInput.isClean(name) else { return try await refuse("Tên tệp không hợp lệ (tối đa 200 ký tự).", .unprocessableEntity) }
        let data = upload.data
        let stored = try await req.application.workPool.runIfActive { try files.put(data) }
        let shown = req.query[String.self, at: "fingerprint"] ?? ""
        do {
            try await req.db.transaction { tx in
                let now = try await Self.claim(current.id!, shown: shown, on: tx,
                    orElse: ServiceError(.conflict, "Thủ tục vừa được người khác thay đổi; biểu mẫu dưới đây là dữ liệu mới nhất. Tải lại tệp nếu vẫn cần."))
                var terms = try now.terms
                guard position <= terms.components.count else { throw ServiceError(.conflict, "Thành phần hồ sơ không còn trong thủ tục.") }
                let old = terms.components[position - 1].blankForm
                terms.components[position - 1].blankForm = name
                terms.components[position - 1].blankFormSHA256 = stored.sha256
                try await ProcedureModel.query(on: tx).filter(\.$id == current.id!).set(\.$termsJSON, to: JSON.encode(terms)).update()
                try await Audit.record("Tải lên mẫu đơn, tờ khai", entity: "procedure", id: terms.code, changes: [
                    .init(field: "Thành phần \(position): \(terms.components[position - 1].name)", old: old, new: "\(name) (tệp \(stored.sha256.prefix(8)))"),
                ], actor: actor, on: tx)
            }
        } catch let e as ServiceError where e.status == .conflict {
            return try await refuse(e.reason, .conflict)
        }
        return req.redirect(to: "\(Self.path)/\(current.id!)?da-luu=mau-don")
    }

    /// `/mau-don/{procedure code}/{component position}`: a blank form, for anyone (citizens fill it in
    /// before coming to the counter); checked against its checksum.
    func downloadBlankForm(req: Request) async throws -> Response {
        guard let code = req.parameters.get("code"), code.count <= 60, let position = req.parameters.get("position", as: Int.self),
              let procedure = try await ProcedureModel.query(on: req.db).filter(\.$code == code).first() else {
            throw ServiceError(.notFound, "Không có mẫu đơn, tờ khai này.")
        }
        let components = try procedure.terms.components
        guard components.indices.contains(position - 1), let sha = components[position - 1].blankFormSHA256 else {
            throw ServiceError(.notFound, "Không có mẫu đơn, tờ khai này.")
        }
        let files = req.motcua.files
        let data = try await req.application.workPool.runIfActive { try files.get(sha) }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: FileStore.sniff(data)?.contentType ?? "application/octet-stream")
        response.headers.contentDisposition = .init(.attachment, filename: components[position - 1].blankForm ?? "mau-don")
        return response
    }
}

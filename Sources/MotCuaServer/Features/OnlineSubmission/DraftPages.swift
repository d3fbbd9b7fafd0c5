import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Nộp hồ sơ trực tuyến" (issue 22, point 3): the draft page (the applicant taken from the account,
/// the e-form, the files of each component), the review page, and the submission. Every save and
/// every upload is kept on the server at once; a refused save shows the page again with what was
/// typed and why.
struct DraftPages {
    struct FieldView: Encodable {
        let name: String
        let label: String
        let kind: String
        let required: Bool
        let value: String
        let choices: [SelectOption]
        let error: String?
    }

    struct FileView: Encodable {
        let id: UUID
        let name: String
        let size: String
    }

    struct ComponentView: Encodable {
        let position: Int
        let name: String
        let mandatory: Bool
        let byEForm: Bool
        let files: [FileView]
    }

    struct Context: Encodable {
        let layout: PageLayout
        let id: UUID
        let version: Int
        let procedureName: String
        let procedureCode: String
        let savedAt: String
        let notice: String?
        let error: String?
        let applicant: DossierService.Applicant
        let birthDate: String
        let isOrganisation: Bool
        let deliveries: [SelectOption]
        let delivery: String
        let formTitle: String?
        let fields: [FieldView]
        let components: [ComponentView]
        let problems: [String]
        let maxMB: Int
        /// The applicant's earlier files (Kho dữ liệu), to attach without uploading again.
        let store: [ReuseStore.Item]
    }

    static func context(
        _ req: Request, _ l: DraftService.Loaded, notice: String? = nil, error: String? = nil, review: Bool = false
    ) async throws -> Context {
        let store = review ? [] : try await ReuseStore.items(owners: try req.actor().scope.owners, on: req.db)
        let now = Date()
        let problems = DraftService.problems(l, at: now)
        let form = l.terms.declaration
        let fields = (form?.fields ?? []).map { f in
            FieldView(
                name: f.name, label: f.label, kind: f.kind.rawValue, required: f.required,
                value: review ? form!.display(f, l.values[f.name]) : l.values[f.name] ?? "",
                choices: f.choices.map { SelectOption(value: $0, name: $0, selected: l.values[f.name] == $0) },
                error: problems.form[f.name])
        }
        let components = l.terms.components.enumerated().map { i, c in
            ComponentView(
                position: i + 1, name: c.name, mandatory: c.mandatory, byEForm: l.terms.declarationComponent == i + 1,
                files: l.files.filter { $0.position == i + 1 }.map {
                    FileView(id: $0.id!, name: $0.fileName, size: ChangeText.size($0.size))
                })
        }
        let birth = l.applicant.birthDate ?? ""
        return Context(
            layout: PageLayout(review ? "Xem lại hồ sơ trước khi nộp" : "Nộp hồ sơ trực tuyến", req),
            id: l.draft.id!, version: l.draft.version, procedureName: l.terms.name, procedureCode: l.terms.code,
            savedAt: PageTime.dateTime(l.draft.updatedAt), notice: notice, error: error, applicant: l.applicant,
            birthDate: LocalDate(iso: birth)?.vietnamese ?? birth, isOrganisation: l.applicant.kind == "organisation",
            deliveries: ResultDelivery.allCases.map {
                SelectOption(
                    value: $0.rawValue, name: $0.vietnameseName, selected: l.draft.resultDelivery == $0.rawValue)
            },
            delivery: ResultDelivery(rawValue: l.draft.resultDelivery)?.vietnameseName ?? "",
            formTitle: form?.title, fields: fields, components: components,
            problems: problems.applicant + (form?.fields.compactMap { problems.form[$0.name] } ?? []) + problems.files,
            maxMB: req.motcua.settings.maxUploadBytes / 1_048_576, store: store)
    }

    /// From a procedure's "Nộp hồ sơ trực tuyến": the account's open draft of it, or a new one.
    func start(req: Request) async throws -> Response {
        let actor = try req.actor()
        let user = req.auth.get(UserModel.self)!
        guard
            let procedure = try await ProcedureModel.query(on: req.db)
                .filter(\.$code == (req.parameters.get("code") ?? "")).first()
        else { throw ServiceError(.notFound, "Không có thủ tục này trong danh mục.") }
        guard try procedure.terms.onlineLevel != .none else {
            throw ServiceError(
                .unprocessableEntity, "Thủ tục “\(procedure.name)” chưa cung cấp dịch vụ công trực tuyến.")
        }
        guard actor.roles.contains(.citizen) else { throw ServiceError(.forbidden, Access.refusal(.onlineSubmission)) }
        let draft = try await DraftService.open(procedure, for: user, at: Date(), on: req.db)
        return req.redirect(to: "/nop-truc-tuyen/ban-nhap/\(draft.id!)")
    }

    func show(req: Request) async throws -> View {
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: try req.actor(), on: req.db)
        if l.draft.dossierID != nil { throw ServiceError(.conflict, "Bản nháp này đã được nộp thành hồ sơ.") }
        let notice: String? =
            switch req.query[String.self, at: "da-luu"] {
            case "1": "Đã lưu bản nháp."
            case "tep": "Đã tải tệp lên và lưu vào bản nháp."
            case "xoa-tep": "Đã bỏ tệp khỏi bản nháp."
            case "tai-su-dung": "Đã đính kèm tệp từ kho dữ liệu, không cần tải lên lại."
            default: nil
            }
        return try await req.view.render("OnlineSubmission/draft", try await Self.context(req, l, notice: notice))
    }

    func save(req: Request) async throws -> Response {
        let actor = try req.actor()
        var l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: actor, on: req.db)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        func typed(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespaces) }
        let birth = typed("a_birthDate")
        l.applicant = DossierService.Applicant(
            kind: l.applicant.kind, name: typed("a_name"), idNumber: typed("a_idNumber"),
            birthDate: birth.isEmpty ? nil : (PageTime.parseDate(birth)?.iso ?? birth),
            address: (form["a_address"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            phone: typed("a_phone"), email: typed("a_email"))
        var values: [String: String] = [:]
        for f in l.terms.declaration?.fields ?? [] { values[f.name] = form["f_" + f.name] ?? "" }
        l.values = values
        do {
            _ = try await DraftService.save(
                l, applicant: l.applicant, values: values, delivery: form["delivery"] ?? ResultDelivery.online.rawValue,
                expectedVersion: Int(form["version"] ?? "") ?? -1, at: Date(), on: req.db)
        } catch let e as ServiceError {
            return try await req.view.render("OnlineSubmission/draft", try await Self.context(req, l, error: e.reason))
                .encodeResponse(status: e.status, for: req)
        }
        let next = form["next"] == "xem-lai" ? "/xem-lai" : "?da-luu=1"
        return req.redirect(to: "/nop-truc-tuyen/ban-nhap/\(l.draft.id!)\(next)")
    }

    func upload(req: Request) async throws -> Response {
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: try req.actor(), on: req.db)
        do {
            guard let upload = UploadForm.collected(req) else { throw UploadForm.invalid }
            try await DraftService.addFile(
                upload.data, name: upload.fileName, position: upload.component, to: l, context: req.motcua,
                pool: req.application.workPool, at: Date(), on: req.db)
        } catch let e as ServiceError {
            return try await req.view.render("OnlineSubmission/draft", try await Self.context(req, l, error: e.reason))
                .encodeResponse(status: e.status, for: req)
        }
        return req.redirect(to: "/nop-truc-tuyen/ban-nhap/\(l.draft.id!)?da-luu=tep")
    }

    /// "Dùng lại từ kho dữ liệu": a file of the applicant's store attached to a component.
    func reuse(req: Request) async throws -> Response {
        struct Form: Content { var file: UUID?; var component: Int? }
        let actor = try req.actor()
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: actor, on: req.db)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        do {
            try await ReuseStore.reuse(
                form.file, position: form.component, in: l, owners: actor.scope.owners, at: Date(), on: req.db)
        } catch let e as ServiceError {
            return try await req.view.render("OnlineSubmission/draft", try await Self.context(req, l, error: e.reason))
                .encodeResponse(status: e.status, for: req)
        }
        return req.redirect(to: "/nop-truc-tuyen/ban-nhap/\(l.draft.id!)?da-luu=tai-su-dung")
    }

    func removeFile(req: Request) async throws -> Response {
        struct Form: Content { var file: UUID? }
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: try req.actor(), on: req.db)
        guard l.draft.dossierID == nil else { throw ServiceError(.conflict, "Hồ sơ đã được nộp.") }
        if let file = (try? req.content.decode(Form.self))?.file {
            try await DraftFileModel.query(on: req.db).filter(\.$id == file).filter(\.$draftID == l.draft.id!).delete()
        }
        return req.redirect(to: "/nop-truc-tuyen/ban-nhap/\(l.draft.id!)?da-luu=xoa-tep")
    }

    func review(req: Request) async throws -> View {
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: try req.actor(), on: req.db)
        if l.draft.dossierID != nil { throw ServiceError(.conflict, "Bản nháp này đã được nộp thành hồ sơ.") }
        return try await req.view.render("OnlineSubmission/review", try await Self.context(req, l, review: true))
    }

    func submit(req: Request) async throws -> Response {
        struct Form: Content { var version: Int? }
        let actor = try req.actor()
        let l = try await DraftService.load(req.parameters.get("id", as: UUID.self), actor: actor, on: req.db)
        do {
            let d = try await DraftService.submit(
                l, expectedVersion: (try? req.content.decode(Form.self))?.version ?? -1, actor: actor,
                context: req.motcua, at: Date(), on: req.db)
            return req.redirect(to: "/ho-so-cua-toi/\(d.code)?da-nop=1")
        } catch let e as ServiceError {
            let fresh = try await DraftService.load(l.draft.id, actor: actor, on: req.db)
            if let id = fresh.draft.dossierID, let d = try await DossierModel.find(id, on: req.db) {
                return req.redirect(to: "/ho-so-cua-toi/\(d.code)")  // submitted meanwhile, by this very button
            }
            return try await req.view.render(
                "OnlineSubmission/review", try await Self.context(req, fresh, error: e.reason, review: true)
            )
            .encodeResponse(status: e.status, for: req)
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The portal's drafts (issue 22, point 3): each step is saved on the server, a file is stored the
/// moment it is uploaded, and the submission turns the draft into a dossier in one transaction
/// (the dossier, its first log entry, its files, the draft marked submitted, the e-mail), so a draft
/// is submitted once however many times the button is pressed.
enum DraftService {
    /// A draft of the actor's and what it is for.
    struct Loaded {
        let draft: DraftModel
        let procedure: ProcedureModel
        let terms: ProcedureTerms
        let files: [DraftFileModel]
        var applicant: DossierService.Applicant
        var values: [String: String]
    }

    /// The draft, if it is the actor's (or their organisation's); anything else is "not found".
    static func load(_ id: UUID?, actor: Actor, on db: any Database) async throws -> Loaded {
        guard let id, let draft = try await DraftModel.find(id, on: db),
            actor.scope.owners.contains(draft.ownerID),
            let procedure = try await ProcedureModel.find(draft.procedureID, on: db)
        else { throw ServiceError(.notFound, "Không có bản nháp này.") }
        let files = try await DraftFileModel.query(on: db).filter(\.$draftID == id).sort(\.$uploadedAt).all()
        return Loaded(
            draft: draft, procedure: procedure, terms: try procedure.terms, files: files,
            applicant: try JSON.decode(DossierService.Applicant.self, draft.applicantJSON),
            values: try JSON.decode([String: String].self, draft.declarationJSON))
    }

    /// The actor's open draft of a procedure, or a new one with the applicant taken from the account.
    static func open(_ procedure: ProcedureModel, for user: UserModel, at now: Date, on db: any Database) async throws
        -> DraftModel
    {
        if let open = try await DraftModel.query(on: db).filter(\.$ownerID == user.id!)
            .filter(\.$procedureID == procedure.id!).filter(\.$dossierID == nil).sort(\.$updatedAt, .descending).first()
        {
            return open
        }
        let draft = DraftModel()
        draft.id = UUID.timeOrdered()
        draft.ownerID = user.id!
        draft.procedureID = procedure.id!
        draft.applicantJSON = JSON.encode(
            DossierService.Applicant(
                kind: user.accountKind ?? "person", name: user.fullName, idNumber: user.idNumber ?? "", birthDate: nil,
                address: "", phone: user.phone, email: user.email))
        draft.declarationJSON = "{}"
        draft.resultDelivery = ResultDelivery.online.rawValue
        draft.version = 1
        draft.createdAt = now.wholeSeconds
        draft.updatedAt = now.wholeSeconds
        try await draft.create(on: db)
        return draft
    }

    /// Saves what was typed, whatever it is (a draft keeps everything); a save from an older page is
    /// a conflict. Returns the new version.
    static func save(
        _ loaded: Loaded, applicant: DossierService.Applicant, values: [String: String], delivery: String,
        expectedVersion: Int, at now: Date, on db: any Database
    ) async throws -> Int {
        for text in [
            applicant.name, applicant.idNumber, applicant.birthDate ?? "", applicant.phone ?? "",
            applicant.email ?? "",
        ] + values.keys {
            try TextInput.require(text, label: "Thông tin đã nhập", multiline: false, maxLength: 500)
        }
        for text in [applicant.address] + values.values {
            try TextInput.require(text, label: "Thông tin đã nhập", multiline: true, maxLength: 500)
        }
        guard values.count <= 60, ResultDelivery(rawValue: delivery) != nil else {
            throw ServiceError(.unprocessableEntity, "Biểu mẫu không hợp lệ.")
        }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE portal_drafts SET applicant = \(bind: JSON.encode(applicant)), \
            declaration = \(bind: JSON.encode(values)), result_delivery = \(bind: delivery), \
            version = version + 1, updated_at = \(bind: now.wholeSeconds)
            WHERE id = \(bind: loaded.draft.id!) AND version = \(bind: expectedVersion) AND dossier_id IS NULL
            RETURNING version
            """
        ).all()
        guard let row = rows.first else {
            throw ServiceError(
                .conflict,
                "Bản nháp đã được lưu từ một trang khác hoặc đã được nộp. Mở lại bản nháp để xem nội dung mới nhất.")
        }
        return try row.decode(column: "version", as: Int.self)
    }

    /// What stops the submission, in Vietnamese, in the order of the page: the applicant, the
    /// e-form, the mandatory components without a file.
    static func problems(_ l: Loaded, at now: Date) -> (applicant: [String], form: [String: String], files: [String]) {
        var applicant: [String] = []
        let a = l.applicant
        if a.name.trimmingCharacters(in: .whitespaces).isEmpty { applicant.append("Thiếu họ tên người nộp.") }
        if a.kind == "organisation" {
            if let p = IdentityNumber.taxCodeProblem(a.idNumber) { applicant.append(p) }
        } else if let p = IdentityNumber.personalNumberProblem(a.idNumber, thisYear: VietnamTime.local(now).date.year) {
            applicant.append(p)
        }
        if a.address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            applicant.append("Thiếu địa chỉ người nộp.")
        }
        if let b = a.birthDate, !b.isEmpty, LocalDate(iso: b) == nil {
            applicant.append("Ngày sinh phải có dạng ngày/tháng/năm.")
        }
        let form = l.terms.declaration?.check(l.values, thisYear: VietnamTime.local(now).date.year).problems ?? [:]
        let uploaded = Set(l.files.map(\.position))
        let files = l.terms.components.enumerated().compactMap { i, c -> String? in
            let position = i + 1
            guard c.mandatory, position != l.terms.declarationComponent, !uploaded.contains(position) else {
                return nil
            }
            return "Chưa tải lên thành phần bắt buộc: \(c.name)."
        }
        return (applicant, form, files)
    }

    static let allowedKinds: Set<FileStore.Kind> = [.pdf, .jpeg, .png, .docx, .doc]

    /// The kind of an applicant's file by its content and its size: a draft's and a supplement's.
    static func uploadKind(_ data: Data, limit: Int) throws -> FileStore.Kind {
        guard !data.isEmpty, data.count <= limit else {
            throw ServiceError(.payloadTooLarge, "Tệp trống hoặc lớn hơn \(limit / 1_048_576) MB.")
        }
        guard let kind = FileStore.sniff(data), allowedKinds.contains(kind) else {
            throw ServiceError(
                .unsupportedMediaType,
                "Tệp phải là PDF, ảnh JPEG hoặc PNG, hoặc văn bản Word (kiểm tra theo nội dung, không theo tên tệp)."
            )
        }
        return kind
    }

    /// A component of the draft that may take one more file.
    static func slot(_ position: Int?, in l: Loaded) throws -> Int {
        guard l.draft.dossierID == nil else { throw ServiceError(.conflict, "Hồ sơ đã được nộp.") }
        guard let position, (1...l.terms.components.count).contains(position) else {
            throw ServiceError(.unprocessableEntity, "Chọn thành phần hồ sơ của tệp.")
        }
        guard l.files.filter({ $0.position == position }).count < 10 else {
            throw ServiceError(.unprocessableEntity, "Mỗi thành phần có tối đa 10 tệp.")
        }
        return position
    }

    /// Stores an uploaded file for a component of the draft: its type by its content, its size.
    static func addFile(
        _ data: Data, name: String, position: Int?, to l: Loaded, context: MotCuaContext, pool: NIOThreadPool,
        at now: Date, on db: any Database
    ) async throws {
        let position = try slot(position, in: l)
        let fileName = name.trimmingCharacters(in: .whitespaces)
        guard !fileName.isEmpty, fileName.count <= 255, TextInput.isClean(fileName), !fileName.contains("/"),
            !fileName.contains("\\")
        else { throw ServiceError(.unprocessableEntity, "Tên tệp không hợp lệ.") }
        let kind = try uploadKind(data, limit: context.settings.maxUploadBytes)
        let files = context.files
        let stored = try await pool.runIfActive { try files.put(data, as: kind) }
        try await DraftFileModel(
            draft: l.draft.id!, position: position, sha256: stored.sha256, name: fileName, type: kind.contentType,
            size: data.count, at: now, reusing: nil
        ).create(on: db)
    }

    /// Submits the draft: the dossier gets its code and lookup secret at once and waits in the
    /// desk's online queue; its files are the draft's, as version 1 of their components.
    static func submit(
        _ l: Loaded, expectedVersion: Int, actor: Actor, context: MotCuaContext, at now: Date,
        on db: any Database
    ) async throws -> DossierModel {
        let problems = problems(l, at: now)
        guard problems.applicant.isEmpty, problems.form.isEmpty, problems.files.isEmpty else {
            throw ServiceError(.unprocessableEntity, "Hồ sơ chưa đủ để nộp; xem các mục cần bổ sung.")
        }
        let counts = Dictionary(grouping: l.files, by: \.position).mapValues(\.count)
        let input = DossierService.NewDossier(
            procedureCode: l.procedure.code, channel: .online, applicant: l.applicant, representative: nil,
            contentSummary: nil, resultDelivery: l.draft.resultDelivery,
            components: counts.map { .init(position: $0.key, count: $0.value) },
            declaration: l.terms.declaration == nil ? nil : l.values)
        let draftID = l.draft.id!, files = l.files
        return try await context.dossiers.create(input, actor: actor, at: now, on: db) { d, tx in
            // The draft is taken once: of two submissions at once, the second finds it submitted.
            let taken = try await (tx as! any SQLDatabase).raw(
                """
                UPDATE portal_drafts SET dossier_id = \(bind: d.id!), version = version + 1
                WHERE id = \(bind: draftID) AND version = \(bind: expectedVersion) AND dossier_id IS NULL
                RETURNING id
                """
            ).all()
            guard taken.count == 1 else {
                throw ServiceError(.conflict, "Bản nháp đã được nộp hoặc đã thay đổi ở một trang khác.")
            }
            try await attach(files, to: d, actor: actor, at: now, on: tx)
        }
    }

    static func attach(_ files: [DraftFileModel], to d: DossierModel, actor: Actor, at now: Date, on tx: any Database)
        async throws
    {
        guard !files.isEmpty else { return }
        let components = try await DossierComponentModel.query(on: tx).filter(\.$dossierID == d.id!).all()
        let byPosition = Dictionary(uniqueKeysWithValues: components.map { ($0.position, $0.id!) })
        var changes: [LogChain.Change] = []
        for f in files {
            let row = DossierFileModel()
            row.id = UUID.timeOrdered()
            row.dossierID = d.id!
            row.componentID = byPosition[f.position]
            row.version = 1
            row.sha256 = f.sha256
            row.fileName = f.fileName
            row.contentType = f.contentType
            row.size = f.size
            row.uploadedBy = actor.id
            row.uploadedAt = f.uploadedAt
            row.reusedFromID = f.reusedFromID
            try await row.create(on: tx)
            let reused = f.reusedFromID == nil ? "" : ", tái sử dụng từ kho dữ liệu"
            changes.append(.init(field: "file", old: nil, new: "\(f.fileName) (v1, sha256 \(f.sha256)\(reused))"))
        }
        try await LogChain.append(
            .init(
                dossierID: d.id!, seq: 0, at: now, actorID: actor.id, actorName: actor.name,
                action: Action.uploadFile.rawValue, fromState: d.state.description, toState: d.state.description,
                opinion: nil, changesJSON: LogChain.Change.json(changes), stepDueAt: nil,
                actorUsername: actor.username), on: tx)
    }
}

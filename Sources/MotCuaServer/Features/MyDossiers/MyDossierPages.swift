import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Hồ sơ của tôi" (issue 22, point 4): the applicant's dossiers (and their organisation's) and
/// open drafts; a dossier's status in plain Vietnamese, its appointment, the steps so far without
/// internal opinions, every supplementation request with its components and reason, the answer to
/// the current one (new versions of exactly the components asked for), withdrawal with a reason,
/// and the signed electronic result with its signature.
struct MyDossierPages {
    struct Row: Encodable {
        let code: String
        let procedure: String
        let status: String
        let submitted: String
        let appointment: String?
    }

    struct DraftRow: Encodable {
        let id: UUID
        let procedure: String
        let saved: String
    }

    func list(req: Request) async throws -> View {
        struct Context: Encodable {
            let layout: PageLayout
            let rows: [Row]
            let drafts: [DraftRow]
        }
        let owners = try req.actor().scope.owners
        guard !owners.isEmpty else { throw ServiceError(.forbidden, Access.refusal(.myDossiers)) }
        let dossiers = try await DossierModel.query(on: req.db).filter(\.$ownerID ~~ owners)
            .sort(\.$createdAt, .descending).limit(200).all()
        let names = try await Self.procedureNames(Set(dossiers.map(\.procedureID)), on: req.db)
        let drafts = try await DraftModel.query(on: req.db).filter(\.$ownerID ~~ owners).filter(\.$dossierID == nil)
            .sort(\.$updatedAt, .descending).all()
        let draftNames = try await Self.procedureNames(Set(drafts.map(\.procedureID)), on: req.db)
        return try await req.view.render(
            "MyDossiers/list",
            Context(
                layout: PageLayout("Hồ sơ của tôi", req),
                rows: dossiers.map { d in
                    Row(
                        code: d.code, procedure: names[d.procedureID] ?? d.procedureCode,
                        status: d.state.status.applicantName,
                        submitted: PageTime.dateTime(d.submittedAt ?? d.receivedAt ?? d.createdAt),
                        appointment: d.appointmentAt.map(PageTime.dateTime))
                },
                drafts: drafts.map {
                    DraftRow(
                        id: $0.id!, procedure: draftNames[$0.procedureID] ?? "", saved: PageTime.dateTime($0.updatedAt))
                }))
    }

    /// "Kho dữ liệu": what the applicant may attach to a new draft without uploading it again.
    func store(req: Request) async throws -> View {
        struct Context: Encodable {
            let layout: PageLayout
            let items: [ReuseStore.Item]
        }
        let items = try await ReuseStore.items(owners: try req.actor().scope.owners, on: req.db)
        return try await req.view.render(
            "MyDossiers/store", Context(layout: PageLayout("Kho dữ liệu", req), items: items))
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code") ?? "", actor: actor, on: req.db)
        let mailbox = d.applicantEmail.isEmpty ? "thư điện tử của ông/bà" : d.applicantEmail
        let notice: String? =
            switch req.query[String.self, at: "da-nop"] ?? req.query[String.self, at: "da-luu"] {
            case "1":
                """
                Đã nộp hồ sơ. Mã hồ sơ \(d.code), mã tra cứu \(d.lookupSecret). Hồ sơ đang chờ Bộ phận Một cửa \
                tiếp nhận; thư xác nhận được gửi đến \(mailbox).
                """
            case "bo-sung-tep": "Đã tải tệp bổ sung lên."
            case "bo-sung": "Đã gửi hồ sơ bổ sung."
            case "rut": "Đã rút hồ sơ."
            default: nil
            }
        return try await MyDossierView.render(req, d, actor: actor, notice: notice, error: nil, status: .ok)
    }

    func withdraw(req: Request) async throws -> Response {
        struct Form: Content { var reason: String?; var version: Int? }
        let actor = try req.actor()
        let code = req.parameters.get("code") ?? ""
        let form = (try? req.content.decode(Form.self)) ?? Form()
        do {
            let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { throw ServiceError(.unprocessableEntity, "Vui lòng nêu lý do rút hồ sơ.") }
            try TextInput.require(reason, label: "Lý do rút hồ sơ", multiline: true, maxLength: 1000)
            _ = try await req.motcua.dossiers.perform(
                .withdraw, code: code, inputs: ActionInputs(reason: reason), expectedVersion: form.version,
                actor: actor, at: Date(), on: req.db)
        } catch let e as ServiceError {
            let d = try await req.motcua.dossiers.find(code: code, actor: actor, on: req.db)
            return try await MyDossierView.render(
                req, d, actor: actor, notice: nil, error: e.reason, status: e.status, typedReason: form.reason)
        }
        return req.redirect(to: "/ho-so-cua-toi/\(code)?da-luu=rut")
    }

    /// A new version of one of the components the current request asks for.
    func uploadSupplement(req: Request) async throws -> Response {
        let actor = try req.actor()
        let code = req.parameters.get("code") ?? ""
        let d = try await req.motcua.dossiers.find(code: code, actor: actor, on: req.db)
        do {
            guard let upload = UploadForm.collected(req), let position = upload.component else {
                throw UploadForm.invalid
            }
            let record = try await DossierRecord.load(d, on: req.db)
            let asked = MyDossierView.currentRequest(in: record)?.positions ?? []
            guard asked.contains(position) else {
                throw ServiceError(
                    .unprocessableEntity,
                    "Chỉ bổ sung các thành phần được yêu cầu; thành phần số \(position) không có trong yêu cầu.")
            }
            _ = try DraftService.uploadKind(upload.data, limit: req.motcua.settings.maxUploadBytes)
            _ = try await FileService.add(
                upload.data, fileName: upload.fileName, component: position, to: d, actor: actor, at: Date(),
                context: req.motcua, pool: req.application.workPool, on: req.db)
        } catch let e as ServiceError {
            return try await MyDossierView.render(req, d, actor: actor, notice: nil, error: e.reason, status: e.status)
        }
        return req.redirect(to: "/ho-so-cua-toi/\(code)?da-luu=bo-sung-tep")
    }

    /// "Gửi bổ sung": once every component asked for has a new version since the request.
    func sendSupplement(req: Request) async throws -> Response {
        struct Form: Content { var version: Int? }
        let actor = try req.actor()
        let code = req.parameters.get("code") ?? ""
        let d = try await req.motcua.dossiers.find(code: code, actor: actor, on: req.db)
        do {
            let record = try await DossierRecord.load(d, on: req.db)
            guard let request = MyDossierView.currentRequest(in: record) else {
                throw ServiceError(.conflict, "Hồ sơ không có yêu cầu bổ sung đang chờ.")
            }
            let missing = MyDossierView.missing(request, in: record)
            guard missing.isEmpty else {
                throw ServiceError(
                    .unprocessableEntity, "Chưa tải lên bản mới của: " + missing.joined(separator: "; ") + ".")
            }
            _ = try await req.motcua.dossiers.perform(
                .supplement, code: code, inputs: ActionInputs(),
                expectedVersion: (try? req.content.decode(Form.self))?.version,
                actor: actor, at: Date(), on: req.db)
        } catch let e as ServiceError {
            return try await MyDossierView.render(req, d, actor: actor, notice: nil, error: e.reason, status: e.status)
        }
        return req.redirect(to: "/ho-so-cua-toi/\(code)?da-luu=bo-sung")
    }

    static func procedureNames(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        let rows = try await ProcedureModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id!, $0.name) })
    }

    func result(req: Request) async throws -> Response {
        let d = try await req.motcua.dossiers.find(
            code: req.parameters.get("code") ?? "", actor: try req.actor(), on: req.db)
        guard let json = d.resultJSON, let signed = try? JSON.decode(SignedResult.self, json) else {
            throw ServiceError(.notFound, "Hồ sơ chưa có kết quả được ký số.")
        }
        return try await LookupPages.resultResponse(
            signed, signature: req.query[String.self, at: "tep"] == "chu-ky", req: req)
    }
}

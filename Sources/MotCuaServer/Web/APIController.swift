import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The JSON API under /api/v1 (openapi.yaml describes it). Handlers parse, authorise through the
/// services, and render.
struct APIController {
    func login(req: Request) async throws -> LoginResponse {
        let body = try req.content.decode(LoginRequest.self)
        let (user, token) = try await AuthService.login(username: body.username, password: body.password, kind: "api", on: req)
        return LoginResponse(token: token, user: UserView(user))
    }

    func logout(req: Request) async throws -> HTTPStatus {
        _ = try req.actor()
        if let token = AuthService.token(from: req) { try await AuthService.logout(token: token, on: req.db) }
        return .noContent
    }

    func me(req: Request) async throws -> UserView {
        _ = try req.actor()
        return UserView(req.auth.get(UserModel.self)!)
    }

    func procedures(req: Request) async throws -> [ProcedureTerms] {
        try await ProcedureModel.query(on: req.db).sort(\.$code).all().map { try $0.terms }
    }

    func list(req: Request) async throws -> Paged<DossierSummary> {
        let actor = try req.actor()
        let q = try req.query.decode(DossierQuery.self)
        try q.requireNoEmptyFilters()
        let result = try await q.run(scope: actor.scope, on: req.db)
        let now = Date()
        return Paged(items: result.items.map { DossierSummary($0, now: now) }, page: result.page, per: result.per, total: result.total)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(DossierService.NewDossier.self)
        let d = try await req.motcua.dossiers.create(body, actor: actor, at: Date(), on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try await detail(d, on: req.db))
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/dossiers/\(d.code)")
        return response
    }

    func get(req: Request) async throws -> DossierDetail {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        return try await detail(d, on: req.db)
    }

    func perform(req: Request) async throws -> DossierDetail {
        try await detail(Self.performRequestedAction(req).dossier, on: req.db)
    }

    /// The action named in the path on the dossier named in the path, with the inputs and the
    /// expected version of the body (JSON from the API, a form from the dossier's page).
    static func performRequestedAction(_ req: Request) async throws -> (action: Action, dossier: DossierModel) {
        let actor = try req.actor()
        let name = req.parameters.get("action")!
        guard let action = Action(rawValue: name) else {
            throw ServiceError(.notFound, "Không có thao tác \"\(name)\".")
        }
        let body = try req.content.decode(ActionRequest.self)
        let d = try await req.motcua.dossiers.perform(action, code: req.parameters.get("code")!, inputs: try body.inputs(),
                                                      expectedVersion: body.version, actor: actor, at: Date(), on: req.db)
        return (action, d)
    }

    /// A multipart upload, streamed: the actor's right to upload is checked before the body is
    /// read; the body goes to a temporary file chunk by chunk as it arrives (the event loop never
    /// holds it whole), then is parsed, checked and hashed on the work pool, so other requests keep
    /// being answered during large uploads.
    func upload(req: Request) async throws -> Response {
        let actor = try req.actor()
        let code = req.parameters.get("code")!
        let context = req.motcua
        _ = try await FileService.authorise(code: code, actor: actor, context: context, on: req.db)
        let limit = context.settings.maxUploadBytes + 1_048_576   // the file plus the multipart envelope
        let tooLarge = ServiceError(.payloadTooLarge, "Tệp vượt quá dung lượng cho phép (\(context.settings.maxUploadBytes / 1_048_576) MB).")
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw tooLarge }
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
              let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw ServiceError(.unsupportedMediaType, "Cần gửi tệp trong trường \"file\" (multipart/form-data).")
        }
        let busy = ServiceError(.serviceUnavailable, "Hệ thống đang nhận nhiều tệp cùng lúc. Vui lòng thử lại sau ít giây.", retryAfter: 5)
        let pool = req.application.workPool
        let view = try await req.application.uploadLimiter.run(busy: busy) {
            let upload = try await UploadForm.receive(req.body, boundary: boundary, limit: limit, tooLarge: tooLarge,
                                                      into: context.files.directory.appendingPathComponent(".incoming"), pool: pool)
            return try await FileService.add(upload.data, fileName: upload.fileName, component: upload.component,
                                             code: code, actor: actor, at: Date(), context: context, pool: pool, on: req.db)
        }
        let response = Response(status: .created)
        try response.content.encode(view)
        return response
    }

    func download(req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        guard let id = req.parameters.get("file", as: UUID.self),
              let f = try await DossierFileModel.query(on: req.db).filter(\.$id == id).filter(\.$dossierID == d.id!).first() else {
            throw ServiceError(.notFound, "Không tìm thấy tệp.")
        }
        let data = try req.motcua.files.get(f.sha256)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: String(f.contentType.split(separator: "/")[0]), subType: String(f.contentType.split(separator: "/")[1]))
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(f.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep")")
        return response
    }

    func lookup(req: Request) async throws -> PublicLookup {
        guard let code = req.query[String.self, at: "code"], let secret = req.query[String.self, at: "secret"] else {
            throw ServiceError(.unprocessableEntity, "Cần nhập mã hồ sơ và mã tra cứu.")
        }
        return try await Self.publicLookup(code: code, secret: secret, client: req.clientAddress, on: req.db)
    }

    /// The public lookup: the code and its 4-digit secret must both match, else "not found".
    /// Guesses are limited per code and per client address (`Throttle`): past the limit even the
    /// right secret gets 429 until the lock passes.
    static func publicLookup(code rawCode: String, secret rawSecret: String, client: String, on db: any Database) async throws -> PublicLookup {
        let code = rawCode.trimmingCharacters(in: .whitespaces).uppercased(), secret = rawSecret.trimmingCharacters(in: .whitespaces)
        let notFound = ServiceError(.notFound, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.")
        guard !code.isEmpty, code.count <= 40, TextInput.isClean(code), secret.count <= 10, TextInput.isClean(secret) else {
            throw ServiceError(.unprocessableEntity, "Mã hồ sơ hoặc mã tra cứu không hợp lệ.")
        }
        let now = Date()
        let byCode = try await Throttle.lookupCode.reserve(code, at: now, on: db)
        let byAddress = try await Throttle.lookupAddress.reserve(client, at: now, on: db)
        var wait = 0
        if case .locked(let s) = byCode { wait = s } else if case .locked = byAddress { try await Throttle.lookupCode.release(code, on: db) }
        if case .locked(let s) = byAddress { wait = max(wait, s) } else if case .locked = byCode { try await Throttle.lookupAddress.release(client, on: db) }
        if wait > 0 {
            throw ServiceError.tooManyAttempts("Đã nhập sai mã tra cứu quá nhiều lần.", retryAfter: wait)
        }
        guard let d = try await DossierModel.query(on: db).filter(\.$code == code).first(), d.lookupSecret == secret else { throw notFound }
        try await Throttle.lookupCode.succeeded(code, reset: false, on: db)
        try await Throttle.lookupAddress.succeeded(client, reset: false, on: db)
        let terms = try JSON.decode(ProcedureTerms.self, d.procedureTermsJSON)
        return PublicLookup(code: d.code, statusName: d.state.status.manualName, procedureName: terms.name, applicantName: d.applicantName,
                            receivedAt: d.receivedAt.map(VietnamTime.iso), appointmentAt: d.appointmentAt.map(VietnamTime.iso),
                            completedAt: d.completedAt.map(VietnamTime.iso), returnedAt: d.returnedAt.map(VietnamTime.iso))
    }

    func detail(_ d: DossierModel, on db: any Database) async throws -> DossierDetail {
        let components = try await DossierComponentModel.query(on: db).filter(\.$dossierID == d.id!).sort(\.$position).all()
        let files = try await DossierFileModel.query(on: db).filter(\.$dossierID == d.id!).sort(\.$uploadedAt).all()
        let log = try await LogEntryModel.query(on: db).filter(\.$dossierID == d.id!).sort(\.$seq).all()
        let positions = Dictionary(uniqueKeysWithValues: components.map { ($0.id!, $0.position) })
        let fileViews = files.map { f in
            FileView(id: f.id!, component: f.componentID.flatMap { positions[$0] }, version: f.version, fileName: f.fileName,
                     contentType: f.contentType, size: f.size, sha256: f.sha256, uploadedAt: VietnamTime.iso(f.uploadedAt))
        }
        let applicant = DossierService.Applicant(kind: d.applicantKind, name: d.applicantName, idNumber: d.applicantIDNumber,
                                                 birthDate: d.applicantBirthDate, address: d.applicantAddress, phone: d.applicantPhone, email: d.applicantEmail)
        return DossierDetail(
            dossier: DossierSummary(d),
            lookupSecret: d.lookupSecret,
            applicant: applicant,
            representative: try d.representativeJSON.map { try JSON.decode(DossierService.Applicant.self, $0) },
            resultDelivery: d.resultDelivery,
            feeVnd: d.feeVND,
            procedure: try JSON.decode(ProcedureTerms.self, d.procedureTermsJSON),
            clock: try d.clock,
            components: components.map { c in
                ComponentView(position: c.position, name: c.name, form: c.form, requiredCount: c.requiredCount, mandatory: c.mandatory,
                              handedInCount: c.handedInCount, files: fileViews.filter { $0.component == c.position })
            },
            files: fileViews,
            log: try log.map { e in
                LogView(seq: e.seq, at: VietnamTime.iso(e.at), actorName: e.actorName, action: e.action,
                        actionName: Action(rawValue: e.action)?.vietnameseName ?? (e.action == FileService.logAction ? "Đính kèm tệp" : e.action), fromState: e.fromState, toState: e.toState,
                        opinion: e.opinion, changes: try JSON.decode([LogChain.Change].self, e.changesJSON),
                        stepDueAt: e.stepDueAt.map(VietnamTime.iso), hash: e.hash)
            }
        )
    }
}

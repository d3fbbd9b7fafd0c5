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

    struct Upload: Content {
        var file: File
        var component: Int?
    }

    func upload(req: Request) async throws -> Response {
        let actor = try req.actor()
        let upload: Upload
        do { upload = try req.content.decode(Upload.self) } catch {
            throw ServiceError(.unprocessableEntity, "Cần gửi tệp trong trường \"file\" (multipart/form-data).")
        }
        let view = try await FileService.add(Data(buffer: upload.file.data), fileName: upload.file.filename, component: upload.component,
                                             code: req.parameters.get("code")!, actor: actor, at: Date(), context: req.motcua, on: req.db)
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
        return try await Self.publicLookup(code: code, secret: secret, on: req.db)
    }

    /// The public lookup: the code and its 4-digit secret must both match, else "not found".
    static func publicLookup(code: String, secret: String, on db: any Database) async throws -> PublicLookup {
        guard let d = try await DossierModel.query(on: db).filter(\.$code == code.trimmingCharacters(in: .whitespaces).uppercased()).first(),
              d.lookupSecret == secret.trimmingCharacters(in: .whitespaces) else {
            throw ServiceError(.notFound, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.")
        }
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

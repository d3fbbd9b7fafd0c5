import Fluent
import Foundation
import MotCuaCore
import Vapor

/// One dossier in the API: read it, act on it, attach and download its files.
struct DossierDetailAPI {
    func get(req: Request) async throws -> DossierDetail {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        var detail = DossierDetail(try await DossierRecord.load(d, on: req.db), explaining: req.motcua.dossiers)
        detail.postal = try await PostalShipments.shipment(of: d.id!, on: req.db).map(PostalView.init)
        detail.nationalSync = try await NationalSync.state(of: d.id!, on: req.db).map(NationalSyncView.init)
        return detail
    }

    func perform(req: Request) async throws -> DossierDetail {
        DossierDetail(try await DossierRecord.load(try await RequestedAction.perform(req).dossier, on: req.db))
    }

    /// A multipart upload: the actor's right to upload is checked before the body is read; the body
    /// is streamed to a temporary file and read, checked and hashed on the work pool (UploadForm),
    /// so other requests keep being answered during large uploads.
    /// Receives the multipart upload of the request to the dossier named in its path (the API's
    /// route, and the page's form on the "Thành phần hồ sơ" tab).
    static func receiveUpload(_ req: Request) async throws -> (file: DossierFileModel, component: Int?) {
        let actor = try req.actor()
        let code = req.parameters.get("code")!
        let context = req.motcua
        let d = try await FileService.authorise(code: code, actor: actor, context: context, on: req.db)
        let limit = context.settings.maxUploadBytes + 1_048_576  // the file plus the multipart envelope
        let tooLarge = ServiceError(
            .payloadTooLarge, "Tệp vượt quá dung lượng cho phép (\(context.settings.maxUploadBytes / 1_048_576) MB).")
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw tooLarge }
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
            let boundary = type.parameters["boundary"], !boundary.isEmpty
        else {
            throw ServiceError(.unsupportedMediaType, "Cần gửi tệp trong trường \"file\" (multipart/form-data).")
        }
        let busy = ServiceError(
            .serviceUnavailable, "Hệ thống đang nhận nhiều tệp cùng lúc. Vui lòng thử lại sau ít giây.", retryAfter: 5)
        let pool = req.application.workPool
        return try await req.application.uploadLimiter.run(busy: busy) {
            let upload = try await UploadForm.receive(
                req.body, boundary: boundary, limit: limit, tooLarge: tooLarge,
                into: context.files.directory.appendingPathComponent(".incoming"), pool: pool)
            return try await FileService.add(
                upload.data, fileName: upload.fileName, component: upload.component,
                to: d, actor: actor, at: Date(), context: context, pool: pool, on: req.db)
        }
    }

    func upload(req: Request) async throws -> Response {
        let stored = try await Self.receiveUpload(req)
        let response = Response(status: .created)
        try response.content.encode(FileView(stored.file, component: stored.component))
        return response
    }

    func download(req: Request) async throws -> Response {
        let actor = try req.actor()
        let view = req.query[String.self, at: "xem"]
        if let view, view != "1" { throw ServiceError(.unprocessableEntity, "Tham số \"xem\" chỉ nhận giá trị 1.") }
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        guard let id = req.parameters.get("file", as: UUID.self),
            let f = try await DossierFileModel.query(on: req.db).filter(\.$id == id).filter(\.$dossierID == d.id!)
                .first()
        else {
            throw ServiceError(.notFound, "Không tìm thấy tệp.")
        }
        let data = try req.motcua.files.get(f.sha256)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(
            type: String(f.contentType.split(separator: "/")[0]),
            subType: String(f.contentType.split(separator: "/")[1]))
        // `?xem=1` shows a PDF or an image in the browser (the formats checked by structure on upload);
        // anything else is always downloaded.
        let inline = view == "1" && ["application/pdf", "image/jpeg", "image/png"].contains(f.contentType)
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value:
                """
                \(inline ? "inline" : "attachment"); \
                filename*=UTF-8''\(FormEncoding.encoded(f.fileName))
                """
        )
        return response
    }
}

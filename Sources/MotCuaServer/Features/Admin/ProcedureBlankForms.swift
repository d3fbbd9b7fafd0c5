import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

extension ProceduresPage {

    /// "Tải lên mẫu đơn, tờ khai": the file of a component's blank form (PDF, Word or Excel by its
    /// content), stored by checksum, named by its file name; made from the version of the procedure
    /// the page showed (its fingerprint in the form's address, with the form token) and audited.
    func uploadBlankForm(req: Request) async throws -> Response {
        let actor = try req.actor()
        let current = try await procedure(req)
        func refuse(_ message: String, _ status: HTTPResponseStatus) async throws -> Response {
            let latest = try await procedure(req)
            return try await again(
                req, id: latest.id, typed: try Self.typed(latest), fieldErrors: [:], error: message, status: status)
        }
        let count = try current.terms.components.count
        guard let upload = UploadForm.collected(req), !upload.data.isEmpty, let position = upload.component,
            position >= 1, position <= count
        else {
            return try await refuse("Chọn thành phần hồ sơ và tệp mẫu đơn để tải lên.", .unprocessableEntity)
        }
        let files = req.motcua.files
        guard upload.data.count <= files.maxBytes else {
            return try await refuse(
                "Tệp vượt quá dung lượng cho phép (\(files.maxBytes / 1_048_576) MB).", .payloadTooLarge)
        }
        guard let kind = FileStore.sniff(upload.data), [.pdf, .doc, .docx, .xls, .xlsx].contains(kind) else {
            return try await refuse(
                "Mẫu đơn, tờ khai phải là tệp PDF, Word hoặc Excel (kiểm tra theo nội dung tệp, không theo tên tệp).",
                .unsupportedMediaType)
        }
        let name = String(upload.fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
            .trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200, TextInput.isClean(name) else {
            return try await refuse("Tên tệp không hợp lệ (tối đa 200 ký tự).", .unprocessableEntity)
        }
        let data = upload.data
        let stored = try await req.application.workPool.runIfActive { try files.put(data) }
        let shown = req.query[String.self, at: "fingerprint"] ?? ""
        do {
            try await req.db.transaction { tx in
                let now = try await Self.claim(
                    current.id!, shown: shown, on: tx,
                    orElse: ServiceError(
                        .conflict,
                        """
                        Thủ tục vừa được người khác thay đổi; biểu mẫu dưới đây là dữ liệu mới nhất. Tải lại tệp \
                        nếu vẫn cần.
                        """
                    ))
                var terms = try now.terms
                guard position <= terms.components.count else {
                    throw ServiceError(.conflict, "Thành phần hồ sơ không còn trong thủ tục.")
                }
                let old = terms.components[position - 1].blankForm
                terms.components[position - 1].blankForm = name
                terms.components[position - 1].blankFormSHA256 = stored.sha256
                try await ProcedureModel.query(on: tx).filter(\.$id == current.id!).set(
                    \.$termsJSON, to: JSON.encode(terms)
                ).update()
                try await Audit.record(
                    "Tải lên mẫu đơn, tờ khai", entity: "procedure", id: terms.code,
                    changes: [
                        .init(
                            field: "Thành phần \(position): \(terms.components[position - 1].name)", old: old,
                            new: "\(name) (tệp \(stored.sha256.prefix(8)))")
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
        guard let code = req.parameters.get("code"), code.count <= 60,
            let position = req.parameters.get("position", as: Int.self),
            let procedure = try await ProcedureModel.query(on: req.db).filter(\.$code == code).first()
        else {
            throw ServiceError(.notFound, "Không có mẫu đơn, tờ khai này.")
        }
        let components = try procedure.terms.components
        guard components.indices.contains(position - 1), let sha = components[position - 1].blankFormSHA256 else {
            throw ServiceError(.notFound, "Không có mẫu đơn, tờ khai này.")
        }
        let files = req.motcua.files
        let data = try await req.application.workPool.runIfActive { try files.get(sha) }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(
            name: .contentType, value: FileStore.sniff(data)?.contentType ?? "application/octet-stream")
        response.headers.contentDisposition = .init(
            .attachment, filename: components[position - 1].blankForm ?? "mau-don")
        return response
    }
}

import Fluent
import Foundation
import MotCuaCore

/// Attaching files to dossiers. A file for a component that already has one becomes its next
/// version; earlier versions stay readable. Every upload is a logged edit of the dossier.
enum FileService {
    static let logAction = "upload_file"

    static func add(_ data: Data, fileName: String, component: Int?, code: String, actor: Actor, at now: Date,
                    context: MotCuaContext, on db: any Database) async throws -> FileView {
        let d = try await context.dossiers.find(code: code, actor: actor, on: db)
        guard ![Status.rejected, .withdrawn, .returned].contains(d.state.status) else {
            throw ServiceError(.conflict, "Hồ sơ đã kết thúc (\(d.state.status.manualName)); không thể đính kèm thêm tệp.")
        }
        var found: DossierComponentModel?
        if let component {
            guard let c = try await DossierComponentModel.query(on: db).filter(\.$dossierID == d.id!).filter(\.$position == component).first() else {
                throw ServiceError(.unprocessableEntity, "Thành phần hồ sơ số \(component) không có trong hồ sơ.")
            }
            found = c
        }
        let componentModel = found
        let name = fileName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 255 else { throw ServiceError(.unprocessableEntity, "Tên tệp không hợp lệ.") }
        // Written to the store before the transaction: file I/O never holds a database lock, and a
        // stored file without a row is harmless (content-addressed, written once).
        let (sha, kind) = try context.files.put(data)
        let version = d.version
        return try await db.transaction { tx in
            try await DossierService.claimVersion(of: d, expected: version, on: tx)
            let previous = try await DossierFileModel.query(on: tx).filter(\.$dossierID == d.id!)
                .filter(\.$componentID == componentModel?.id).sort(\.$version, .descending).first()
            let f = DossierFileModel()
            f.id = UUID.timeOrdered()
            f.dossierID = d.id!
            f.componentID = componentModel?.id
            f.version = (previous?.version ?? 0) + 1
            f.sha256 = sha
            f.fileName = name
            f.contentType = kind.contentType
            f.size = data.count
            f.uploadedBy = actor.id
            f.uploadedAt = now.wholeSeconds
            try await f.create(on: tx)
            d.updatedAt = now.wholeSeconds
            try await d.update(on: tx)
            let change = LogChain.Change(field: "file", old: previous.map { "\($0.fileName) (v\($0.version))" }, new: "\(name) (v\(f.version), sha256 \(sha))")
            try await LogChain.append(.init(dossierID: d.id!, seq: 0, at: now, actorID: actor.id, actorName: actor.name, action: logAction,
                                            fromState: d.state.description, toState: d.state.description, opinion: nil,
                                            changesJSON: LogChain.Change.json([change]), stepDueAt: nil), on: tx)
            return FileView(id: f.id!, component: componentModel?.position, version: f.version, fileName: name, contentType: f.contentType,
                            size: f.size, sha256: sha, uploadedAt: VietnamTime.iso(f.uploadedAt))
        }
    }
}

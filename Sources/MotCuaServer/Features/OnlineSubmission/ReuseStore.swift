import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Kho dữ liệu" (issue 22, point 5): every component an applicant uploaded and every signed result
/// they received stays in their store (the files of their dossiers and their organisation's); a
/// later draft attaches one without uploading it again. The dossier's file names the one it reuses,
/// the desk sees it, and the quality index counts the dossiers with a reused component.
enum ReuseStore {
    struct Item: Encodable {
        let id: UUID
        let label: String
        /// The dossier it came from.
        let code: String
    }

    /// The store of an applicant, newest first: the latest version of each component of each dossier,
    /// and each signed result (not its signature).
    static func items(owners: [UUID], on db: any Database) async throws -> [Item] {
        let dossiers = try await DossierModel.query(on: db).filter(\.$ownerID ~~ owners)
            .field(\.$id).field(\.$code).field(\.$resultJSON).sort(\.$createdAt, .descending).limit(100).all()
        guard !dossiers.isEmpty else { return [] }
        let codes = Dictionary(uniqueKeysWithValues: dossiers.map { ($0.id!, $0.code) })
        let results = Set(
            dossiers.compactMap { d in d.resultJSON.flatMap { try? JSON.decode(SignedResult.self, $0).fileID } })
        let files = try await DossierFileModel.query(on: db).filter(\.$dossierID ~~ Array(codes.keys))
            .filter(\.$contentType != ResultSigning.signatureContentType).sort(\.$uploadedAt, .descending).all()
        // Each content once, under its first name: a signed result as a result, even once reused.
        var seen = Set<String>()
        let ordered = files.filter { results.contains($0.id!) } + files.filter { !results.contains($0.id!) }
        return ordered.compactMap { f in
            let isResult = results.contains(f.id!)
            guard f.componentID != nil || isResult, seen.insert(f.sha256).inserted else { return nil }
            let kind = isResult ? "Kết quả" : "Tệp"
            return Item(
                id: f.id!,
                label: "\(kind) \(f.fileName) - hồ sơ \(codes[f.dossierID] ?? ""), \(PageTime.date(f.uploadedAt))",
                code: codes[f.dossierID] ?? "")
        }
    }

    /// Attaches a file of the applicant's store to a component of their draft.
    static func reuse(
        _ fileID: UUID?, position: Int?, in l: DraftService.Loaded, owners: [UUID], at now: Date, on db: any Database
    ) async throws {
        let position = try DraftService.slot(position, in: l)
        // Only a file of the store: another applicant's id is "not found".
        guard let fileID, try await items(owners: owners, on: db).contains(where: { $0.id == fileID }),
            let source = try await DossierFileModel.find(fileID, on: db)
        else { throw ServiceError(.notFound, "Không có tệp này trong kho dữ liệu của ông/bà.") }
        try await DraftFileModel(
            draft: l.draft.id!, position: position, sha256: source.sha256, name: source.fileName,
            type: source.contentType, size: source.size, at: now, reusing: source.id
        ).create(on: db)
    }
}

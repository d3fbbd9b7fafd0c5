import Fluent
import Foundation
import MotCuaCore

/// A file of a dossier; its content lives in the file store under its SHA-256.
final class DossierFileModel: Model, @unchecked Sendable {
    static let schema = "dossier_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @OptionalField(key: "component_id") var componentID: UUID?
    /// 1 for the first upload of a component, +1 for each supplement; old versions stay.
    @Field(key: "version") var version: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// The applicant's earlier file this one reuses from their store (Kho dữ liệu), not uploaded again.
    @OptionalField(key: "reused_from") var reusedFromID: UUID?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $dossierID, $componentID, $version, $sha256, $fileName, $contentType, $size, $uploadedBy, $uploadedAt,
            $reusedFromID,
        ]
    }

    init() {}
}

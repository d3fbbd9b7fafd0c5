import Fluent
import Foundation

/// A dossier being prepared on the portal (CreateOnlineDrafts); `dossierID` once submitted.
final class DraftModel: Model, @unchecked Sendable {
    static let schema = "portal_drafts"
    @ID(key: .id) var id: UUID?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "procedure_id") var procedureID: UUID
    /// DossierService.Applicant as JSON.
    @Field(key: "applicant") var applicantJSON: String
    /// The e-form's values as typed, field name to text, as JSON.
    @Field(key: "declaration") var declarationJSON: String
    @Field(key: "result_delivery") var resultDelivery: String
    /// Goes up with each save: a save from an older page is a conflict, not an overwrite.
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "dossier_id") var dossierID: UUID?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $ownerID, $procedureID, $applicantJSON, $declarationJSON, $resultDelivery, $version, $createdAt,
            $updatedAt, $dossierID,
        ]
    }

    init() {}
}

/// A file uploaded for a component of a draft; its bytes are in the file store.
final class DraftFileModel: Model, @unchecked Sendable {
    static let schema = "portal_draft_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "draft_id") var draftID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// The earlier file of the applicant's store it reuses.
    @OptionalField(key: "reused_from") var reusedFromID: UUID?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [$id, $draftID, $position, $sha256, $fileName, $contentType, $size, $uploadedAt, $reusedFromID]
    }

    init() {}

    init(
        draft: UUID, position: Int, sha256: String, name: String, type: String, size: Int, at now: Date,
        reusing source: UUID?
    ) {
        self.id = UUID.timeOrdered()
        self.draftID = draft
        self.position = position
        self.sha256 = sha256
        self.fileName = name
        self.contentType = type
        self.size = size
        self.uploadedAt = now.wholeSeconds
        self.reusedFromID = source
    }
}

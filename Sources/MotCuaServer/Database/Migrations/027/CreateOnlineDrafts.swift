import Fluent
import SQLKit

/// Online submission through the portal's pages (issue 22, point 3): a draft kept on the server at
/// every step (the applicant, the e-form's values, the files of each component), so a closed
/// browser loses nothing; the dossier keeps the e-form's values it was submitted with.
struct CreateOnlineDrafts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("dossiers").field("declaration", .string).update()
        try await database.schema(DraftModel.schema)
            .id()
            .field("owner_id", .uuid, .required, .references("users", "id"))
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("applicant", .string, .required)
            .field("declaration", .string, .required)
            .field("result_delivery", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("dossier_id", .uuid, .references("dossiers", "id"))
            .create()
        try await database.schema(DraftFileModel.schema)
            .id()
            .field("draft_id", .uuid, .required, .references(DraftModel.schema, "id"))
            .field("position", .int, .required)
            .field("sha256", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await SecondaryIndex("idx_drafts_owner", on: DraftModel.schema, ["owner_id"]).create(on: sql)
        try await SecondaryIndex("idx_draft_files_draft", on: DraftFileModel.schema, ["draft_id"]).create(on: sql)
        try await SecondaryIndex("idx_draft_files_sha256", on: DraftFileModel.schema, ["sha256"]).create(on: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DraftFileModel.schema).delete()
        try await database.schema(DraftModel.schema).delete()
        try await database.schema("dossiers").deleteField("declaration").update()
    }
}

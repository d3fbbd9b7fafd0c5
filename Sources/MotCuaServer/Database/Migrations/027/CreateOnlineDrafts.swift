import Fluent
import SQLKit

/// Online submission through the portal's pages (issue 22, point 3): a draft kept on the server at
/// every step (the applicant, the e-form's values, the files of each component), so a closed
/// browser loses nothing; the dossier keeps the e-form's values it was submitted with. A file taken
/// again from the applicant's store ("Kho dữ liệu", point 5) names the file it reuses.
struct CreateOnlineDrafts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("dossiers").field("declaration", .string).update()
        try await database.schema(DossierFileModel.schema).field("reused_from", .uuid).update()
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
            .field("reused_from", .uuid)
            .create()
        let sql = database as! any SQLDatabase
        try await SecondaryIndex("idx_drafts_owner", on: DraftModel.schema, ["owner_id"]).create(on: sql)
        try await SecondaryIndex("idx_draft_files_draft", on: DraftFileModel.schema, ["draft_id"]).create(on: sql)
        try await SecondaryIndex("idx_draft_files_sha256", on: DraftFileModel.schema, ["sha256"]).create(on: sql)
        // The quality index counts the dossiers with a reused component: few rows, read from here.
        try await SecondaryIndex(
            "idx_dossier_files_reused", on: DossierFileModel.schema, ["dossier_id"], where: "reused_from IS NOT NULL"
        ).create(on: sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DraftFileModel.schema).delete()
        try await database.schema(DraftModel.schema).delete()
        try await database.schema(DossierFileModel.schema).deleteField("reused_from").update()
        try await database.schema("dossiers").deleteField("declaration").update()
    }
}

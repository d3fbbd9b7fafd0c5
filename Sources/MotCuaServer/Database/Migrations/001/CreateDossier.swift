import Fluent
import SQLKit

/// The dossiers, their components, files, log and daily code counters (first schema; released
/// migrations are never edited, later changes get new ones).
struct CreateDossier: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("dossiers")
            .id()
            .field("code", .string, .required)
            .field("lookup_secret", .string, .required)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("step", .string)
            .field("state_before_pause", .string)
            .field("procedure_id", .uuid, .required, .references("procedures", "id"))
            .field("procedure_code", .string, .required)
            .field("field_id", .uuid, .required, .references("fields", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("department_id", .uuid, .required, .references("departments", "id"))
            .field("owner_id", .uuid, .references("users", "id"))
            .field("receiving_officer_id", .uuid, .references("users", "id"))
            .field("assigned_officer_id", .uuid, .references("users", "id"))
            .field("applicant_kind", .string, .required)
            .field("applicant_name", .string, .required)
            .field("applicant_search", .string, .required)
            .field("applicant_id_number", .string, .required)
            .field("applicant_birth_date", .string)
            .field("applicant_address", .string, .required)
            .field("applicant_phone", .string, .required)
            .field("applicant_email", .string, .required)
            .field("representative", .string)
            .field("content_summary", .string, .required)
            .field("result_delivery", .string, .required)
            .field("fee_vnd", .int, .required)
            .field("procedure_terms", .string, .required)
            .field("submitted_at", .datetime)
            .field("received_at", .datetime)
            .field("received_date", .string)
            .field("due_at", .datetime)
            .field("appointment_at", .datetime)
            .field("completed_at", .datetime)
            .field("returned_at", .datetime)
            .field("clock", .string)
            .field("result_json", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await database.schema("dossier_components")
            .id()
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("form", .string, .required)
            .field("required_count", .int, .required)
            .field("mandatory", .bool, .required)
            .field("handed_in_count", .int, .required)
            .create()
        try await database.schema("dossier_files")
            .id()
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("component_id", .uuid, .references("dossier_components", "id"))
            .field("version", .int, .required)
            .field("sha256", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("uploaded_by", .uuid, .references("users", "id"))
            .field("uploaded_at", .datetime, .required)
            .create()
        try await database.schema("log_entries")
            .id()
            .field("dossier_id", .uuid, .required, .references("dossiers", "id"))
            .field("seq", .int, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id"))
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("opinion", .string)
            .field("changes", .string, .required)
            .field("step_due_at", .datetime)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "dossier_id", "seq")
            .create()
        try await database.schema("dossier_counters")
            .id()
            .field("agency_code", .string, .required)
            .field("day", .string, .required)
            .field("last", .int, .required)
            .unique(on: "agency_code", "day")
            .create()
        for index in Self.indexes { try await index.create(on: database as! any SQLDatabase) }
    }

    /// One index per list and filter of the API (status/step, procedure, field, channel, the
    /// officer's own work). The scopes' and the date ranges' indexes are migration 006's.
    static let indexes: [SecondaryIndex] = [
        .init("idx_dossiers_status", on: "dossiers", ["status", "step"]),
        .init("idx_dossiers_procedure", on: "dossiers", ["procedure_id"]),
        .init("idx_dossiers_field", on: "dossiers", ["field_id"]),
        .init("idx_dossiers_channel", on: "dossiers", ["channel"]),
        .init("idx_dossiers_officer", on: "dossiers", ["assigned_officer_id", "status"]),
        .init("idx_dossiers_owner", on: "dossiers", ["owner_id"]),
        .init("idx_components_dossier", on: "dossier_components", ["dossier_id"]),
        .init("idx_files_dossier", on: "dossier_files", ["dossier_id"]),
        .init("idx_files_sha", on: "dossier_files", ["sha256"]),
    ]

    func revert(on database: any Database) async throws {
        for table in ["dossier_counters", "log_entries", "dossier_files", "dossier_components", "dossiers"] {
            try await database.schema(table).delete()
        }
    }
}

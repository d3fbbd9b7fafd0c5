import Fluent
import SQLKit

/// Reception regardless of administrative boundary (Nghị định 118/2025/NĐ-CP): the centre that
/// received a dossier for another agency, counted among that centre's receptions.
struct RecordReceivingCentre: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DossierModel.schema).field("receiving_agency_id", .uuid).update()
        try await SecondaryIndex(
            "idx_dossiers_receiving_agency", on: DossierModel.schema, ["receiving_agency_id", "received_date"],
            where: "receiving_agency_id IS NOT NULL"
        ).create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DossierModel.schema).deleteField("receiving_agency_id").update()
    }
}

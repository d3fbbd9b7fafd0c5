import Fluent
import Foundation
import SQLKit

/// The procedure's terms stored once per version and referenced by their SHA-256 as bytes
/// (issue 23, point 10): each dossier's copy of them becomes a 32-byte reference.
struct StoreProcedureTermsOnce: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(table: ProcedureTermVersions.table)
            .column("sha256", type: .blob, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("terms", type: .text, .notNull)
            .run()
        try await database.schema(DossierModel.schema).field("procedure_terms_sha256", .data).update()
        // Each distinct copy once, hashed here (the two databases share no SHA-256 function); the
        // dossiers of a procedure then pointed at its versions through the procedure's index.
        struct Copy: Decodable {
            let procedure_id: UUID
            let procedure_terms: String
        }
        struct Named: Decodable { let name: String? }
        let copies = try await sql.raw("SELECT DISTINCT procedure_id, procedure_terms FROM dossiers")
            .all(decoding: Copy.self)
        for copy in copies {
            let name = (try? JSON.decode(Named.self, copy.procedure_terms).name) ?? nil
            try await ProcedureTermVersions.store(copy.procedure_terms, name: name ?? "", on: database)
            try await sql.update(DossierModel.schema)
                .set("procedure_terms_sha256", to: SQLBind(ProcedureTermVersions.hash(copy.procedure_terms)))
                .where("procedure_id", .equal, SQLBind(copy.procedure_id))
                .where("procedure_terms", .equal, SQLBind(copy.procedure_terms)).run()
        }
        try await sql.raw("ALTER TABLE dossiers DROP COLUMN procedure_terms").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema(DossierModel.schema).field("procedure_terms", .string).update()
        try await sql.raw(
            """
            UPDATE dossiers SET procedure_terms = (SELECT v.terms FROM procedure_term_versions v \
            WHERE v.sha256 = dossiers.procedure_terms_sha256)
            """
        ).run()
        try await sql.raw("ALTER TABLE dossiers DROP COLUMN procedure_terms_sha256").run()
        try await sql.drop(table: ProcedureTermVersions.table).run()
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The applicant's satisfaction answer on the dossier (it was only in the log), so that the
/// satisfaction reports count it without reading the log; earlier answers are copied from the log.
struct RecordRatings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema("dossiers").field("rating", .string).update()
            try await tx.schema("dossiers").field("rated_at", .datetime).update()
            struct Rated: Decodable { let dossier_id: UUID; let at: Date; let changes: String }
            struct Change: Decodable { let field: String; let new: String? }
            let sql = tx as! any SQLDatabase
            let rows = try await sql.raw(
                "SELECT dossier_id, at, changes FROM log_entries WHERE action = \(bind: Action.rate.rawValue)"
            ).all(decoding: Rated.self)
            for r in rows {
                let changes = (try? JSON.decode([Change].self, r.changes)) ?? []
                guard let rating = changes.first(where: { $0.field == "rating" })?.new else { continue }
                try await sql.raw(
                    """
                    UPDATE dossiers SET rating = \(bind: rating), rated_at = \(bind: r.at) WHERE id = \
                    \(bind: r.dossier_id)
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("dossiers").deleteField("rated_at").update()
        try await database.schema("dossiers").deleteField("rating").update()
    }
}

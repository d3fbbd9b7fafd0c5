import Fluent
import SQLKit

/// How many times each dossier's applicant was asked to supplement it, as a column beside the clock
/// (the Thông tư 01/2018 evaluation's indicator 3 read it from the clock's JSON with `LIKE`). The
/// existing dossiers are counted in one statement, from the JSON text as it was written: the
/// occurrences of its supplementation reason.
struct CountSupplementRounds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema("dossiers").field("supplement_rounds", .int, .required, .sql(.default(0))).update()
            let marker = #""reason":"supplement""#
            try await (tx as! any SQLDatabase).raw(
                """
                UPDATE dossiers SET supplement_rounds = (length(clock) - length(replace(clock, \(bind: marker), ''))) \
                / \(bind: marker.count)
                WHERE clock LIKE '%"reason":"supplement"%'
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("dossiers").deleteField("supplement_rounds").update()
    }
}

import Crypto
import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit

/// The procedure's terms as dossiers received them (time, fees, components: the law of the
/// dossier), stored once per version in `procedure_term_versions` and referenced from each dossier
/// by their SHA-256 as bytes (issue 23, point 10). Every dossier used to carry its own copy, 1.3 to
/// 2 KB of its 7.9. A version is its hash's content and never changes, so what this process has
/// read once it keeps, decoded, whatever database it came from.
enum ProcedureTermVersions {
    static let table = "procedure_term_versions"
    private static let decoded = NIOLockedValueBox([Data: ProcedureTerms]())

    static func hash(_ json: String) -> Data { Data(SHA256.hash(data: Data(json.utf8))) }

    /// Writes the version if it is new, in the caller's transaction (the dossier that refers to it
    /// is written in the same one).
    static func store(_ json: String, name: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).insert(into: table).columns("sha256", "name", "terms")
            .values(SQLBind(hash(json)), SQLBind(name), SQLBind(json))
            .ignoringConflicts(with: ["sha256"]).run()
    }

    /// The dossier's terms as received.
    static func terms(of d: DossierModel, on db: any Database) async throws -> ProcedureTerms {
        try await terms(sha256: d.procedureTermsSHA256, dossierCode: d.code, on: db)
    }

    /// The terms of that version, decoded once per server: a version never changes.
    static func terms(sha256 sha: Data, dossierCode: String, on db: any Database) async throws -> ProcedureTerms {
        if let known = decoded.withLockedValue({ $0[sha] }) { return known }
        guard
            let json = try await (db as! any SQLDatabase).select().column("terms").from(table)
                .where("sha256", .equal, SQLBind(sha)).first(decoding: Terms.self)?.terms
        else { throw ServiceError(.internalServerError, "Thiếu phiên bản quy định thủ tục của hồ sơ \(dossierCode).") }
        let terms = try JSON.decode(ProcedureTerms.self, json)
        decoded.withLockedValue { $0[sha] = terms }
        return terms
    }

    private struct Terms: Decodable { let terms: String }
}

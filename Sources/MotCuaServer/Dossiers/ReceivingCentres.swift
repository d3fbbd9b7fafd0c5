import Fluent
import Foundation
import MotCuaCore

/// The names of the centres that received dossiers for their competent agency (Nghị định
/// 118/2025), read once for a page of dossiers: the list, the desk's book.
struct ReceivingCentres {
    let names: [UUID: String]

    static func names(of dossiers: [DossierModel], on db: any Database) async throws -> ReceivingCentres {
        ReceivingCentres(names: try await AgencyModel.names(of: Set(dossiers.compactMap(\.receivingAgencyID)), on: db))
    }

    /// "Trực tuyến", "Trực tiếp", "Bưu chính công ích" at the agency itself, or the receiving centre's name.
    func place(of d: DossierModel) -> String {
        if let centre = d.receivingAgencyID { return names[centre] ?? "Trung tâm tiếp nhận khác" }
        return DossierChannel(rawValue: d.channel)?.vietnameseName ?? d.channel
    }
}

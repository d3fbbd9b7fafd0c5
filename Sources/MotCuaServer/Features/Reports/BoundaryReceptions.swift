import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// "Tiếp nhận không phụ thuộc địa giới hành chính" (Nghị định 118/2025): the dossiers a centre
/// received for another agency in a period, by centre and competent agency. The centre counts them
/// here, among its receptions; the competent agency counts them in the II.06a, in resolution.
struct BoundaryReceptions: Encodable {
    struct Row: Encodable { let centre: String; let competent: String; let count: String; let number: Int }
    let rows: [Row]
    let total: String

    static func make(_ c: ReportCriteria, on db: any Database) async throws -> BoundaryReceptions {
        let scope: SQLQueryString =
            switch c.scope {
            case .everything: "1 = 1"
            case .agency(let a): "(receiving_agency_id = \(bind: a) OR agency_id = \(bind: a))"
            case .department(let a, let d): "(agency_id = \(bind: a) AND department_id = \(bind: d))"
            case .own: "1 = 0"
            }
        let counted = try await (db as! any SQLDatabase).raw(
            """
            SELECT receiving_agency_id, agency_id, COUNT(*) AS n FROM dossiers \
            WHERE receiving_agency_id IS NOT NULL AND received_date >= \(bind: c.from.iso) \
            AND received_date <= \(bind: c.to.iso) AND \(scope) GROUP BY receiving_agency_id, agency_id
            """
        ).all()
        let pairs = try counted.map {
            (
                centre: try $0.decode(column: "receiving_agency_id", as: UUID.self),
                competent: try $0.decode(column: "agency_id", as: UUID.self),
                n: try $0.decode(column: "n", as: Int.self)
            )
        }
        let names = try await AgencyModel.names(of: Set(pairs.flatMap { [$0.centre, $0.competent] }), on: db)
        let rows = pairs.map {
            Row(
                centre: names[$0.centre] ?? "", competent: names[$0.competent] ?? "", count: PageTime.number($0.n),
                number: $0.n)
        }.sorted { ($0.centre, $0.competent) < ($1.centre, $1.competent) }
        return BoundaryReceptions(rows: rows, total: PageTime.number(pairs.map(\.n).reduce(0, +)))
    }
}

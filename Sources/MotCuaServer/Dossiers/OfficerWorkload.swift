import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The officers who may be given a dossier of an agency's department (the core's rule), each with
/// the open workload and the overdue count the head weighs before choosing (DOMAIN.md section 5),
/// counted in one grouped query.
struct OfficerWorkload: Encodable {
    let id: UUID
    let name: String
    /// Dossiers in processing assigned to the officer.
    let open: Int
    /// Of those, the ones past their due date.
    let overdue: Int

    /// "Nguyễn Văn A (đang thụ lý 12, quá hạn 1)": the choice as a select shows it.
    var label: String { "\(name) (đang thụ lý \(open), quá hạn \(overdue))" }

    static func of(agency: UUID, department: UUID, at now: Date = Date(), on db: any Database) async throws
        -> [OfficerWorkload]
    {
        let officers = try await UserModel.query(on: db).filter(\.$agencyID == agency).sort(\.$fullName).all().filter {
            Assignment.mayBeAssigned(
                roles: $0.roles, agency: $0.agencyID, department: $0.departmentID, toDossierOf: agency,
                department: department)
        }
        guard !officers.isEmpty else { return [] }
        let rows = try await (db as! any SQLDatabase).select()
            .column("assigned_officer_id")
            .column(SQLFunction("count", args: SQLLiteral.all), as: "open")
            .column(SQLQueryString("sum(CASE WHEN due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "overdue")
            .from(DossierModel.schema)
            .where("status", .equal, Status.processing.rawValue)
            .where("assigned_officer_id", .in, officers.map { $0.id! })
            .groupBy("assigned_officer_id")
            .all()
        var counts: [UUID: (Int, Int)] = [:]
        for row in rows {
            counts[try row.decode(column: "assigned_officer_id", as: UUID.self)] =
                (try row.decode(column: "open", as: Int.self), try row.optional("overdue", as: Int.self) ?? 0)
        }
        return officers.map {
            OfficerWorkload(
                id: $0.id!, name: $0.fullName, open: counts[$0.id!]?.0 ?? 0, overdue: counts[$0.id!]?.1 ?? 0)
        }
    }
}

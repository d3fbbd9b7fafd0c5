import Fluent
import Foundation
import MotCuaCore

/// The names behind the codes and ids of a list (procedures, fields, agencies, departments), read
/// once per page from the small catalogue tables, limited to the user's scope.
struct CatalogueNames {
    var procedures: [String: String] = [:]
    var procedureList: [(String, String)] = []
    var fieldList: [(String, String)] = []
    var agencyList: [(String, String)] = []
    var departmentList: [(String, String)] = []

    static func load(scope: Scope, on db: any Database) async throws -> CatalogueNames {
        var names = CatalogueNames()
        var agencyFilter: UUID?, departmentFilter: UUID?
        switch scope {
        case .agency(let a): agencyFilter = a
        case .department(let a, let d): agencyFilter = a; departmentFilter = d
        case .everything, .own: break
        }
        let procedures = try await ProcedureModel.query(on: db).sort(\.$name).all()
        names.procedures = Dictionary(procedures.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let inScope = procedures.filter { p in
            (agencyFilter.map { p.agencyID == $0 } ?? true) && (departmentFilter.map { p.departmentID == $0 } ?? true)
        }
        var seen = Set<String>()
        names.procedureList = inScope.filter { seen.insert($0.code).inserted }.map { ($0.code, $0.name) }
        let fieldIDs = Set(inScope.map(\.fieldID))
        names.fieldList = try await FieldModel.query(on: db).sort(\.$name).all().filter { fieldIDs.contains($0.id!) }
            .map { ($0.id!.uuidString, $0.name) }
        let agencies = try await AgencyModel.query(on: db).sort(\.$name).all()
        names.agencyList = agencies.filter { a in agencyFilter.map { a.id == $0 } ?? true }.map {
            ($0.id!.uuidString, $0.name)
        }
        let departments = try await DepartmentModel.query(on: db).sort(\.$name).all()
        let agencyNames = Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
        names.departmentList = departments.filter { d in
            (agencyFilter.map { d.agencyID == $0 } ?? true) && (departmentFilter.map { d.id == $0 } ?? true)
        }.map { d in (d.id!.uuidString, agencyFilter == nil ? "\(d.name) (\(agencyNames[d.agencyID] ?? ""))" : d.name) }
        return names
    }
}

import Fluent
import Foundation
import MotCuaCore

final class ProcedureModel: Model, @unchecked Sendable {
    static let schema = "procedures"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "field_id") var fieldID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "department_id") var departmentID: UUID
    /// The terms (time, fees, components, steps...) as JSON, the same shape a dossier snapshots.
    @Field(key: "terms") var termsJSON: String

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $code, $name, $fieldID, $agencyID, $departmentID, $termsJSON] }

    init() {}
    init(id: UUID? = nil, terms: ProcedureTerms, fieldID: UUID, agencyID: UUID, departmentID: UUID) {
        self.id = id
        self.code = terms.code
        self.name = terms.name
        self.fieldID = fieldID
        self.agencyID = agencyID
        self.departmentID = departmentID
        self.termsJSON = JSON.encode(terms)
    }

    var terms: ProcedureTerms { get throws { try JSON.decode(ProcedureTerms.self, termsJSON) } }
}

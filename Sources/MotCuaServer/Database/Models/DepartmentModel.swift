import Fluent
import Foundation
import MotCuaCore

final class DepartmentModel: Model, @unchecked Sendable {
    static let schema = "departments"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "name") var name: String

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $agencyID, $name] }

    init() {}
    init(id: UUID? = nil, agencyID: UUID, name: String) {
        self.id = id
        self.agencyID = agencyID
        self.name = name
    }
}

import Fluent
import Foundation
import MotCuaCore

final class DossierCounterModel: Model, @unchecked Sendable {
    static let schema = "dossier_counters"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_code") var agencyCode: String
    @Field(key: "day") var day: String
    @Field(key: "last") var last: Int
    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $agencyCode, $day, $last] }

    init() {}
}

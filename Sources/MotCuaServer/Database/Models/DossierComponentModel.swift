import Fluent
import Foundation
import MotCuaCore

final class DossierComponentModel: Model, @unchecked Sendable {
    static let schema = "dossier_components"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "form") var form: String
    @Field(key: "required_count") var requiredCount: Int
    @Field(key: "mandatory") var mandatory: Bool
    /// What was handed in: form and count (0 = not handed in).
    @Field(key: "handed_in_count") var handedInCount: Int

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [$id, $dossierID, $position, $name, $form, $requiredCount, $mandatory, $handedInCount]
    }

    init() {}
}

import Fluent
import Foundation

/// An agency's scores for a year on indicators 5 to 8 of the Thông tư 01/2018 evaluation (2, 1 or
/// 0; nil until entered). `version` guards concurrent edits.
final class EvaluationScoreModel: Model, @unchecked Sendable {
    static let schema = "evaluation_scores"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "year") var year: Int
    @OptionalField(key: "indicator_5") var indicator5: Int?
    @OptionalField(key: "indicator_6") var indicator6: Int?
    @OptionalField(key: "indicator_7") var indicator7: Int?
    @OptionalField(key: "indicator_8") var indicator8: Int?
    @Field(key: "version") var version: Int
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [$id, $agencyID, $year, $indicator5, $indicator6, $indicator7, $indicator8, $version, $updatedBy, $updatedAt]
    }

    init() {}

    var scores: [Int?] { [indicator5, indicator6, indicator7, indicator8] }

    /// Each agency's scores of a year.
    static func of(year: Int, on db: any Database) async throws -> [UUID: [Int?]] {
        Dictionary(
            uniqueKeysWithValues: try await query(on: db).filter(\.$year == year).all().map { ($0.agencyID, $0.scores) }
        )
    }
}

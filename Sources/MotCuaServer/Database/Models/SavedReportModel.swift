import Fluent
import Foundation

/// A custom report saved under a name ("Tuỳ chọn", then "Tạo báo cáo"): its columns and criteria;
/// private to its owner, or shared with the owner's agency.
final class SavedReportModel: Model, @unchecked Sendable {
    static let schema = "saved_reports"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "owner_id") var ownerID: UUID
    /// The owner's agency when it was saved (nil for province-wide users): who a shared report is shared with.
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @Field(key: "shared") var shared: Bool
    /// The query string of the report's criteria and columns, as the page sends it.
    @Field(key: "query") var query: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $name, $ownerID, $agencyID, $shared, $query, $createdAt, $updatedAt] }

    init() {}
}

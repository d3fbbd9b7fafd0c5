import Fluent
import Foundation
import MotCuaCore

/// A year whose official schedule has been stored (possibly with no entries at all).
final class CalendarYearModel: Model, @unchecked Sendable {
    static let schema = "calendar_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "updated_at") var updatedAt: Date
    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $year, $updatedAt] }

    init() {}
}

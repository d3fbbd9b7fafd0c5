import Fluent
import Foundation
import MotCuaCore

final class CalendarEntryModel: Model, @unchecked Sendable {
    static let schema = "calendar_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "date") var date: String
    @Field(key: "kind") var kind: String
    @Field(key: "description") var description: String
    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] { [$id, $year, $date, $kind, $description] }

    init() {}
}

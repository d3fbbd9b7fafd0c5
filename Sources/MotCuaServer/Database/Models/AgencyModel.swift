import Fluent
import Foundation
import MotCuaCore

final class AgencyModel: Model, @unchecked Sendable {
    static let schema = "agencies"
    @ID(key: .id) var id: UUID?
    /// Mã định danh, e.g. 000.00.12.H28.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    /// The period the agency exists in (text dates); dossiers keep the agency that received them.
    @Field(key: "effective_from") var effectiveFrom: String
    @OptionalField(key: "effective_to") var effectiveTo: String?
    @OptionalField(key: "successor_id") var successorID: UUID?

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [$id, $code, $name, $kind, $parentID, $effectiveFrom, $effectiveTo, $successorID]
    }

    init() {}
    init(
        id: UUID? = nil, code: String, name: String, kind: AgencyKind, parentID: UUID?,
        effectiveFrom: String = "2000-01-01"
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind.rawValue
        self.parentID = parentID
        self.effectiveFrom = effectiveFrom
    }
}

extension AgencyModel {
    /// Why the agency receives nothing now (merged or dissolved from its closing date), in the
    /// words the counter and the API both give; nil while it receives.
    func closedMessage(at now: Date) -> String? {
        guard let closed = effectiveTo, VietnamTime.local(now).date.iso >= closed else { return nil }
        return "\(name) đã ngừng tiếp nhận hồ sơ từ ngày \(LocalDate(iso: closed)?.vietnamese ?? closed)."
    }

    /// Closes the agency from `day` (its first day closed), merged into `successor` or dissolved, with
    /// its line in the administrators' log: what the agency merger page does, and the demo's history.
    func close(
        from day: LocalDate, into successor: AgencyModel?, actor: Actor, at now: Date = Date(), on db: any Database
    ) async throws {
        try await AgencyModel.query(on: db).filter(\.$id == id!).set(\.$effectiveTo, to: day.iso)
            .set(\.$successorID, to: successor?.id).update()
        try await Audit.record(
            successor == nil ? "Giải thể cơ quan" : "Sáp nhập cơ quan", entity: "agency", id: code,
            changes: [.init(field: "Ngừng hoạt động từ", old: nil, new: day.vietnamese)]
                + (successor.map { [.init(field: "Cơ quan kế thừa", old: nil, new: $0.name)] } ?? []),
            actor: actor, at: now, on: db)
        effectiveTo = day.iso
        successorID = successor?.id
    }

    /// The names of these agencies, read at once (none read for none).
    static func names(of ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let agencies = try await AgencyModel.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0.name) })
    }
}

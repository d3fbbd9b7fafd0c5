import Fluent
import SQLKit
import Foundation
import MotCuaCore

/// The dossiers behind one number of Biểu số II.06a: the same rules as the tallies, read from the
/// dossiers, so that the list's count equals the number (tested on random histories).
struct SummaryDrillDown {
    /// The numbers of the form (the core's `SummaryColumn`).
    typealias Column = SummaryColumn

    let criteria: ReportCriteria
    let column: Column
    /// The group's row; nil for the total.
    let groupID: UUID?
    let now: Date

    var asOf: Date { min(criteria.end, now) }

    /// The dossiers of the cell, newest receipt first, a page at a time; and how many there are.
    func run(page: Int, per: Int, on db: any Database) async throws -> (items: [DossierModel], total: Int) {
        let q = try await query(on: db)
        switch column {
        case .withinTime, .overdue:
            // Whether an open dossier is overdue at an instant depends on its clock's pauses: decided
            // per candidate by the same rule as the tallies (`CountedDossier.overdueSpans`).
            // Read as plain columns: making every open dossier a full model cost seconds at a million.
            struct Candidate: Decodable {
                let id: UUID; let channel: String; let status: String; let clock: String?; let finishedAt: Date?
                enum CodingKeys: String, CodingKey {
                    case id = "dossiers_id", channel = "dossiers_channel", status = "dossiers_status", clock =
                        "dossiers_clock", finishedAt = "dossiers_finished_at"
                }
                var counted: CountedDossier {
                    CountedDossier(
                        channel: DossierChannel(rawValue: channel) ?? .direct,
                        clock: clock.flatMap { try? JSON.decode(DossierClock.self, $0) },
                        finishedAt: finishedAt, withdrawn: status == Status.withdrawn.rawValue)
                }
            }
            let select = q.field(\.$id).field(\.$channel).field(\.$status).field(\.$clockJSON).field(\.$finishedAt)
                .sort(\.$receivedAt, .descending).sort(\.$code, .descending)
            let candidates = try await (db as! any SQLDatabase)
                .raw("\(MatchCount.sql(of: select))").all(decoding: Candidate.self)
            let asOf = self.asOf
            let wanted = candidates.filter { d in
                let overdue = d.counted.overdueSpans.contains { $0.contains(asOf) }
                return overdue == (column == .overdue)
            }
            return (
                try await Self.dossiers(wanted.dropFirst((page - 1) * per).prefix(per).map(\.id), on: db), wanted.count
            )
        default:
            // The count: what reaches back before the period (every dossier received before its end,
            // or before its start) is the tallies' difference of cumulative sums, the summary's own
            // number; the period's receipts and finishes are counted on the covering indexes
            // (IndexDrillDowns). The page: newest first, where the dossiers of a period and the ones
            // still open are, its ids from the indexes, then its dossiers by id.
            let total =
                [.received, .carriedOver, .inProgress].contains(column)
                ? try await tallied(on: db) : try await q.count()
            struct Row: Decodable { let id: UUID; enum CodingKeys: String, CodingKey { case id = "dossiers_id" } }
            let page = q.copy().field(\.$id).sort(\.$receivedAt, .descending).sort(\.$code, .descending)
                .range(((page - 1) * per)..<(page * per))
            let ids = try await (db as! any SQLDatabase).raw("\(MatchCount.sql(of: page))").all(decoding: Row.self).map(
                \.id)
            return (try await Self.dossiers(ids, on: db), total)
        }
    }

    /// The cell's number in Biểu số II.06a, from the tallies.
    func tallied(on db: any Database) async throws -> Int {
        let report = try await SummaryReport.make(criteria, now: now, on: db)
        let counts = groupID.map { id in report.rows.first { $0.id == id }?.counts ?? SummaryCounts() } ?? report.total
        return counts[column]
    }

    /// The dossiers of these ids, in this order.
    static func dossiers(_ ids: [UUID], on db: any Database) async throws -> [DossierModel] {
        let items = try await DossierModel.query(on: db).filter(\.$id ~~ ids).all()
        let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        return items.sorted { order[$0.id!]! < order[$1.id!]! }
    }

    private func query(on db: any Database) async throws -> QueryBuilder<DossierModel> {
        let start = criteria.start, end = criteria.end
        let q = DossierModel.query(on: db).filter(\.$receivedAt != nil)
        switch criteria.scope {
        case .everything: break
        case .agency(let a): q.filter(\.$agencyID == a)
        case .department(let a, let d): q.filter(\.$agencyID == a).filter(\.$departmentID == d)
        case .own: q.filter(\.$id == UUID())
        }
        if let groupID {
            switch criteria.group {
            case .agency:
                let ids =
                    criteria.underSuccessor
                    ? try await ReportNames.load(.agency, on: db).merged(into: groupID) : [groupID]
                q.filter(\.$agencyID ~~ ids)
            case .procedure: q.filter(\.$procedureID == groupID)
            case .field: q.filter(\.$fieldID == groupID)
            }
        }
        func notFinished(before instant: Date) {
            // Nothing finishes after now: for a period running to today, open means unfinished, which
            // the index on finished_at finds, where the OR read every dossier received before the end.
            if instant > now {
                q.filter(\.$finishedAt == nil)
            } else {
                q.group(.or) { $0.filter(\.$finishedAt == nil).filter(\.$finishedAt >= instant) }
            }
        }
        switch column {
        case .received:
            q.filter(\.$receivedAt < end)
            notFinished(before: start)
        case .newOnline, .newDirect:
            q.filter(\.$receivedAt >= start).filter(\.$receivedAt < end)
            if column == .newOnline {
                q.filter(\.$channel == DossierChannel.online.rawValue)
            } else {
                q.filter(\.$channel != DossierChannel.online.rawValue)
            }
        case .carriedOver:
            q.filter(\.$receivedAt < start)
            notFinished(before: start)
        case .resolved, .early, .onTime, .late:
            q.filter(\.$finishedAt >= start).filter(\.$finishedAt < end)
            switch column {
            case .early: q.filter(\.$resolution == Resolution.early.rawValue)
            case .onTime: q.filter(\.$resolution ~~ [Resolution.onTime.rawValue, Resolution.withdrawn.rawValue])
            case .late: q.filter(\.$resolution == Resolution.late.rawValue)
            // Every received dossier that finished has a resolution: named, so that the index's ranges are read.
            default: q.filter(\.$resolution ~~ Resolution.allCases.map(\.rawValue))
            }
        case .inProgress, .withinTime, .overdue:
            q.filter(\.$receivedAt < end)
            notFinished(before: end)
            // Overdue now means due before now (the due date a dossier has now is the one it has at
            // now): only those are decided by the clock's rule, not every open dossier. At an earlier
            // instant a later pause may have moved the due date since, so nothing is narrowed then.
            if column == .overdue, end > now { q.filter(\.$dueAt < now) }
        }
        return q
    }
}

extension SummaryColumn {
    /// What the list behind the number is, in a sentence.
    var description: String {
        switch self {
        case .received: "Hồ sơ tiếp nhận trong kỳ và kỳ trước chuyển qua"
        case .newOnline: "Hồ sơ mới tiếp nhận trực tuyến trong kỳ"
        case .newDirect: "Hồ sơ mới tiếp nhận trực tiếp, qua bưu chính trong kỳ"
        case .carriedOver: "Hồ sơ kỳ trước chuyển qua"
        case .resolved: "Hồ sơ đã giải quyết trong kỳ"
        case .early: "Hồ sơ giải quyết trước hạn"
        case .onTime: "Hồ sơ giải quyết đúng hạn (kể cả hồ sơ rút)"
        case .late: "Hồ sơ giải quyết quá hạn"
        case .inProgress: "Hồ sơ đang giải quyết"
        case .withinTime: "Hồ sơ đang giải quyết trong hạn (kể cả hồ sơ tạm dừng)"
        case .overdue: "Hồ sơ đang giải quyết quá hạn"
        }
    }
}

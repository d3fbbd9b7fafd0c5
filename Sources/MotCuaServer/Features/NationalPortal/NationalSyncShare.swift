import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The share of dossiers synced on time with the national portal (Quyết định 766, DOMAIN.md
/// section 13): among the dossiers received in a month that were queued for the portal, those whose
/// every message was acknowledged within a day of its change (NationalSync.onTime); a message still
/// waiting past its day counts against it.
enum NationalSyncShare {
    struct Share: Sendable, Equatable {
        var onTime = 0
        var all = 0
    }

    static func month(_ first: LocalDate, scope: Scope, now: Date, on db: any Database) async throws -> (
        byAgency: [UUID: Share], total: Share
    ) {
        let last = LocalDate(
            year: first.year, month: first.month, day: LocalDate.daysInMonth(year: first.year, month: first.month))!
        let start = VietnamTime.instant(first, secondOfDay: 0),
            end = VietnamTime.instant(last.adding(days: 1), secondOfDay: 0)
        struct Row: Decodable { let agency_id: UUID; let n: Int; let on_time: Int }
        let table = NationalSync.table
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT agency_id, count(*) AS n, CAST(coalesce(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM \
            \(unsafeRaw: table) l WHERE l.dossier_id = dossiers.id AND coalesce(l.sent_at, \(bind: now)) > l.due_at) \
            THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time FROM dossiers \
            WHERE EXISTS (SELECT 1 FROM \(unsafeRaw: table) o WHERE o.dossier_id = dossiers.id) \
            AND coalesce(received_at, submitted_at) >= \(bind: start) AND coalesce(received_at, submitted_at) < \
            \(bind: end) AND \(SummaryReport.scopeCondition(scope)) GROUP BY agency_id
            """
        ).all(decoding: Row.self)
        var byAgency: [UUID: Share] = [:]
        var total = Share()
        for row in rows {
            byAgency[row.agency_id] = Share(onTime: row.on_time, all: row.n)
            total.onTime += row.on_time
            total.all += row.n
        }
        return (byAgency, total)
    }
}

import Foundation

/// Timeliness of a dossier (DOMAIN.md section 6).
public enum Timeliness: String, Sendable, Codable, CaseIterable, Hashable {
    case early = "early"  // trước hạn
    case onTime = "on_time"  // đúng hạn
    case late = "late"  // quá hạn (finished)
    case withinTime = "within_time"  // trong hạn (open)
    case overdue = "overdue"  // quá hạn (open)

    public var vietnameseName: String {
        switch self {
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late, .overdue: "Quá hạn"
        case .withinTime: "Trong hạn"
        }
    }

    /// A finished dossier: the local calendar date it was finished against the local date due.
    public static func finished(at finishedAt: Date, due: Date) -> Timeliness {
        let finishedDay = VietnamTime.local(finishedAt).date
        let dueDay = VietnamTime.local(due).date
        if finishedDay < dueDay { return .early }
        return finishedDay == dueDay ? .onTime : .late
    }

    /// An open dossier at an instant (now or a report's end). A dossier without a due instant yet
    /// (new, not received) is never overdue; paused dossiers are handled by `DossierClock`.
    public static func open(due: Date?, at now: Date) -> Timeliness {
        guard let due else { return .withinTime }
        return now > due ? .overdue : .withinTime
    }

    /// A dossier's timeliness now: the clock decides, finished dossiers against their due date,
    /// open ones at `now` (paused: within time); a dossier not yet received has no clock and is
    /// never overdue; withdrawn and rejected ones have none.
    public static func of(status: Status, clock: DossierClock?, completedAt: Date?, at now: Date) -> Timeliness? {
        guard let clock else { return status.isOpen ? .withinTime : nil }
        switch status {
        case .completed, .returned, .refused: return completedAt.map(clock.finishedTimeliness)
        default: return status.isOpen ? clock.openTimeliness(at: now) : nil
        }
    }
}

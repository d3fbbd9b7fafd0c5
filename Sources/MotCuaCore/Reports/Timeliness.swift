import Foundation

/// Timeliness of a dossier (DOMAIN.md section 6).
public enum Timeliness: String, Sendable, Codable, CaseIterable, Hashable {
    case early = "early"              // trước hạn
    case onTime = "on_time"           // đúng hạn
    case late = "late"                // quá hạn (finished)
    case withinTime = "within_time"   // trong hạn (open)
    case overdue = "overdue"          // quá hạn (open)

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
}

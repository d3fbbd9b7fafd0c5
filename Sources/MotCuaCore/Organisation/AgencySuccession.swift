import Foundation

/// An agency merged into another (DOMAIN.md section 0): from its closing day it receives nothing, and
/// the dossiers it still had open are carried to its successor, which resolves them. The dossier
/// keeps the agency that received it as its place of reception; the log says when and why it moved.
public enum AgencySuccession {
    /// The log entry written when an open dossier is carried to the successor.
    public static let transferAction = "transfer"
    public static let transferName = "Chuyển hồ sơ sang cơ quan kế thừa"

    /// What the transfer's log entry says.
    public static func transferOpinion(from closed: String, to successor: String, on day: LocalDate) -> String {
        """
        \(closed) sáp nhập vào \(successor) từ ngày \(day.vietnamese); hồ sơ đang giải quyết chuyển sang \
        \(successor) giải quyết tiếp.
        """
    }
}

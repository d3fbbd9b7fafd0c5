import Foundation

/// How long an online submission has waited for the desk, in working time: Nghị định 45/2020 gives
/// the desk 8 working hours to accept, refuse or ask to supplement it; past that it is flagged.
public enum OnlineIntakeWait {
    public static let limitWorkingSeconds = 8 * 3600

    /// Working seconds from submission to `now` (0 if the calendar cannot say, e.g. outside its years).
    public static func workingSeconds(submittedAt: Date, at now: Date, calendar: WorkingCalendar) -> Int {
        guard now > submittedAt else { return 0 }
        return (try? calendar.workingSeconds(from: submittedAt, to: now)) ?? 0
    }

    public static func isLate(waitedWorkingSeconds: Int) -> Bool { waitedWorkingSeconds > limitWorkingSeconds }

    /// "3 giờ 20 phút", "45 phút".
    public static func vietnamese(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = seconds / 60 % 60
        if hours == 0 { return "\(minutes) phút" }
        return minutes == 0 ? "\(hours) giờ" : "\(hours) giờ \(minutes) phút"
    }
}

import Foundation

/// What the statistics count of one dossier (DOMAIN.md section 9): a dossier counts from its
/// receipt, so one never received (still submitted, rejected at intake, withdrawn before receipt)
/// has no clock and counts nowhere.
public struct CountedDossier: Hashable, Sendable {
    public var channel: DossierChannel
    public var clock: DossierClock?
    /// When it was completed, refused or withdrawn.
    public var finishedAt: Date?
    public var withdrawn: Bool
    /// Where it stands now and the instants the list reports date it by (manual 3.5.3 to 3.5.11):
    /// nil status counts in no list.
    public var status: Status?
    public var submittedAt: Date?
    public var completedAt: Date?
    public var returnedAt: Date?

    public init(
        channel: DossierChannel, clock: DossierClock?, finishedAt: Date?, withdrawn: Bool,
        status: Status? = nil, submittedAt: Date? = nil, completedAt: Date? = nil, returnedAt: Date? = nil
    ) {
        self.channel = channel
        self.clock = clock
        self.finishedAt = finishedAt
        self.withdrawn = withdrawn
        self.status = status
        self.submittedAt = submittedAt
        self.completedAt = completedAt
        self.returnedAt = returnedAt
    }

    /// The list report it is in now, and the instant that list dates it by: a returned dossier by
    /// its return, a completed one by its result, a refused or withdrawn one by its end, one waiting
    /// for online reception by its submission, the others by their receipt (a supplement asked at
    /// online intake, before any receipt, by the submission). Rejected at intake: no list.
    public var currentList: (tally: Tally, at: Date)? {
        let received = clock?.receivedAt
        let entry: (Tally, Date?)
        switch status {
        case .returned: entry = (.listReturned, returnedAt)
        case .completed: entry = (.listCompleted, completedAt)
        case .refused: entry = (.listRefused, finishedAt)
        case .withdrawn: entry = (.listWithdrawn, finishedAt)
        case .processing: entry = (.listProcessing, received)
        case .awaitingSupplement: entry = (.listAwaitingSupplement, received ?? submittedAt)
        case .submitted: entry = (.listAwaitingReception, submittedAt)
        case .received: entry = (.listAwaitingHandOver, received)
        case .awaitingPayment: entry = (.listAwaitingPayment, received)
        default: return nil
        }
        return entry.1.map { (entry.0, $0) }
    }

    /// How it ended: early, on time or late against its due date; withdrawn on its own.
    public var resolution: Resolution? {
        guard let clock, let finishedAt else { return nil }
        if withdrawn { return .withdrawn }
        return Resolution(clock.finishedTimeliness(at: finishedAt))
    }

    /// The instants it was overdue: each stretch of running clock (from receipt or a resumption to
    /// the next pause or the end) from the later of its start and its due instant. A paused clock
    /// is never overdue; the last stretch of an open dossier has no end. A stretch that ended by
    /// its due instant gives none.
    public var overdueSpans: [OverdueSpan] {
        guard let clock else { return [] }
        var spans: [OverdueSpan] = []
        func run(from start: Date, until end: Date?, due: Date) {
            let from = max(start, due)
            if end.map({ from < $0 }) ?? true { spans.append(OverdueSpan(from: from, until: end)) }
        }
        var start: Date? = clock.receivedAt, due = clock.initialDue
        for round in clock.rounds {
            if let s = start { run(from: s, until: round.pausedAt, due: due) }
            start = round.resumedAt
            if let newDue = round.newDue { due = newDue }
        }
        if let s = start { run(from: s, until: finishedAt, due: due) }
        return spans
    }
}

/// How a received dossier ended, for the statistics. Withdrawn dossiers count as resolved on time
/// in the summary (DOMAIN.md section 9) but are kept apart for the list of withdrawn dossiers.
public enum Resolution: String, Sendable, Codable, CaseIterable, Hashable {
    case early, onTime = "on_time", late, withdrawn

    init(_ timeliness: Timeliness) {
        switch timeliness {
        case .early: self = .early
        case .onTime: self = .onTime
        default: self = .late
        }
    }
}

/// A stretch of time a dossier was overdue: `from < t <= until` (no end while it is still open).
public struct OverdueSpan: Hashable, Sendable {
    public let from: Date
    public let until: Date?

    public init(from: Date, until: Date?) {
        self.from = from
        self.until = until
    }

    /// Whether the dossier was overdue at an instant.
    public func contains(_ instant: Date) -> Bool { from < instant && until.map { instant <= $0 } ?? true }
}

/// The events the statistics add up, per local day: receipts by channel, resolutions by outcome,
/// and the starts and ends of overdue stretches. Every column of the II.06a summary for any period
/// is a difference of their cumulative sums (`Summary.init(before:atEnd:notYetOverdue:)`), so a
/// report never has to read the dossiers. An instant counts for a boundary when it is strictly
/// before it: the state at a boundary is the state after every event before it.
///
/// The `list...` tallies count each dossier once, on the day its list report dates it by, while it
/// is in that list (`CountedDossier.currentList`): the count of a list report for any period is
/// then a difference of cumulative sums too, and equals the dossiers the list shows.
public enum Tally: Int, Sendable, CaseIterable, Hashable {
    case receivedOnline, receivedDirect, resolvedEarly, resolvedOnTime, resolvedLate, withdrawn, overdueFrom,
        overdueUntil
    case listReturned, listCompleted, listRefused, listWithdrawn, listProcessing, listAwaitingSupplement
    case listAwaitingReception, listAwaitingHandOver, listAwaitingPayment

    /// The column that stores it.
    public var column: String {
        switch self {
        case .receivedOnline: "received_online"
        case .receivedDirect: "received_direct"
        case .resolvedEarly: "resolved_early"
        case .resolvedOnTime: "resolved_on_time"
        case .resolvedLate: "resolved_late"
        case .withdrawn: "withdrawn"
        case .overdueFrom: "overdue_from"
        case .overdueUntil: "overdue_until"
        case .listReturned: "list_returned"
        case .listCompleted: "list_completed"
        case .listRefused: "list_refused"
        case .listWithdrawn: "list_withdrawn"
        case .listProcessing: "list_processing"
        case .listAwaitingSupplement: "list_awaiting_supplement"
        case .listAwaitingReception: "list_awaiting_reception"
        case .listAwaitingHandOver: "list_awaiting_hand_over"
        case .listAwaitingPayment: "list_awaiting_payment"
        }
    }
}

/// One count of each tally.
public struct Tallies: Hashable, Sendable {
    public var counts: [Int]

    public init() { counts = Array(repeating: 0, count: Tally.allCases.count) }
    public init(counts: [Int]) {
        precondition(counts.count == Tally.allCases.count)
        self.counts = counts
    }

    public subscript(tally: Tally) -> Int {
        get { counts[tally.rawValue] }
        set { counts[tally.rawValue] = newValue }
    }

    public var isZero: Bool { counts.allSatisfy { $0 == 0 } }
    public var received: Int { self[.receivedOnline] + self[.receivedDirect] }
    public var resolved: Int { self[.resolvedEarly] + self[.resolvedOnTime] + self[.resolvedLate] + self[.withdrawn] }

    public static func + (a: Tallies, b: Tallies) -> Tallies { Tallies(counts: zip(a.counts, b.counts).map(+)) }
    public static func - (a: Tallies, b: Tallies) -> Tallies { Tallies(counts: zip(a.counts, b.counts).map(-)) }
    public static func += (a: inout Tallies, b: Tallies) { a = a + b }
}

extension CountedDossier {
    /// The dossier's tallies by local day (Vietnam time).
    public var tallies: [LocalDate: Tallies] {
        var days: [LocalDate: Tallies] = [:]
        func add(_ tally: Tally, at instant: Date) {
            days[VietnamTime.local(instant).date, default: Tallies()][tally] += 1
        }
        if let list = currentList { add(list.tally, at: list.at) }
        guard let clock else { return days }
        add(channel == .online ? .receivedOnline : .receivedDirect, at: clock.receivedAt)
        if let finishedAt, let resolution {
            switch resolution {
            case .early: add(.resolvedEarly, at: finishedAt)
            case .onTime: add(.resolvedOnTime, at: finishedAt)
            case .late: add(.resolvedLate, at: finishedAt)
            case .withdrawn: add(.withdrawn, at: finishedAt)
            }
        }
        for span in overdueSpans {
            add(.overdueFrom, at: span.from)
            if let until = span.until { add(.overdueUntil, at: until) }
        }
        return days.filter { !$0.value.isZero }
    }

    /// What an action changes in the stored tallies: `after - before`, by day, without zero rows.
    public static func change(from before: CountedDossier?, to after: CountedDossier) -> [LocalDate: Tallies] {
        var days = after.tallies
        for (day, t) in before?.tallies ?? [:] { days[day, default: Tallies()] = days[day, default: Tallies()] - t }
        return days.filter { !$0.value.isZero }
    }
}

/// One row of Biểu số II.06a (DOMAIN.md section 9). The identities received = new online + new
/// direct + carried over = resolved + in progress, resolved = early + on time + late and
/// in progress = within time + overdue hold by construction.
public struct SummaryCounts: Hashable, Sendable, Codable {
    public var newOnline = 0, newDirect = 0, carriedOver = 0
    public var early = 0, onTime = 0, late = 0
    public var inProgress = 0, overdue = 0

    public var received: Int { newOnline + newDirect + carriedOver }
    public var resolved: Int { early + onTime + late }
    public var withinTime: Int { inProgress - overdue }
    /// (early + on time) / resolved; nil when nothing was resolved.
    public var onTimeRate: Double? { resolved == 0 ? nil : Double(early + onTime) / Double(resolved) }

    public init() {}

    /// A period's row from the tallies summed over the days before its start and before its end.
    /// `notYetOverdue` are the dossiers the tallies before the end count as overdue but that are not
    /// yet at the instant the report is taken: running ones due between that instant and the end
    /// of its day, when the period ends after now.
    public init(before start: Tallies, atEnd end: Tallies, notYetOverdue: Int = 0) {
        let period = end - start
        newOnline = period[.receivedOnline]
        newDirect = period[.receivedDirect]
        carriedOver = start.received - start.resolved
        early = period[.resolvedEarly]
        onTime = period[.resolvedOnTime] + period[.withdrawn]
        late = period[.resolvedLate]
        inProgress = end.received - end.resolved
        overdue = end[.overdueFrom] - end[.overdueUntil] - notYetOverdue
    }

    public static func + (a: SummaryCounts, b: SummaryCounts) -> SummaryCounts {
        var s = SummaryCounts()
        s.newOnline = a.newOnline + b.newOnline
        s.newDirect = a.newDirect + b.newDirect
        s.carriedOver = a.carriedOver + b.carriedOver
        s.early = a.early + b.early
        s.onTime = a.onTime + b.onTime
        s.late = a.late + b.late
        s.inProgress = a.inProgress + b.inProgress
        s.overdue = a.overdue + b.overdue
        return s
    }

    /// One number of the form.
    public subscript(column: SummaryColumn) -> Int {
        switch column {
        case .received: received
        case .newOnline: newOnline
        case .newDirect: newDirect
        case .carriedOver: carriedOver
        case .resolved: resolved
        case .early: early
        case .onTime: onTime
        case .late: late
        case .inProgress: inProgress
        case .withinTime: withinTime
        case .overdue: overdue
        }
    }

    /// The integer columns in the order of the form (3 to 13), for tables and files.
    public var columns: [Int] { SummaryColumn.allCases.map { self[$0] } }

    /// The form's column headings for `columns`.
    public static var headings: [String] { SummaryColumn.allCases.map(\.heading) }
}

/// The eleven numbers of Biểu số II.06a (its columns 3 to 13), in the form's order: declared once
/// for the tables, the files, the API's keys (the raw values) and the drill-down's lists.
public enum SummaryColumn: String, CaseIterable, Sendable {
    case received, newOnline, newDirect, carriedOver, resolved, early, onTime, late, inProgress, withinTime, overdue

    public var heading: String {
        switch self {
        case .received: "Tổng số hồ sơ tiếp nhận"
        case .newOnline: "Trực tuyến"
        case .newDirect: "Trực tiếp, bưu chính"
        case .carriedOver: "Kỳ trước chuyển qua"
        case .resolved: "Tổng số đã giải quyết"
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late, .overdue: "Quá hạn"
        case .inProgress: "Tổng số đang giải quyết"
        case .withinTime: "Trong hạn"
        }
    }
}

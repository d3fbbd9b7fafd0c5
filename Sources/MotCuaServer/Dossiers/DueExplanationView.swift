import Foundation
import MotCuaCore
import Vapor

/// "Vì sao hạn xử lý là ngày này?": the core's trace of a due date (DueExplanation) in Vietnamese,
/// as the dossier's page, the public lookup, the control slip and the API (`dueExplanation`) show it.
/// Instants are ISO 8601 with +07:00; the sentences are what a page prints.
struct DueExplanationView: Content {
    struct Day: Content {
        var date: String
        /// working, weekend, holiday, compensatory_day_off or make_up_working_day.
        var reason: String
        var text: String
    }

    struct Pause: Content {
        /// supplement or payment.
        var reason: String
        var pausedAt: String
        var resumedAt: String?
        /// Working seconds the clock stood still, added to the due date; nil while it still stands.
        var workingSecondsAdded: Int?
        var previousDue: String
        var newDue: String?
        var skippedDays: [Day]
        var text: String
        /// `skippedDays` as lines, a weekend's two days on one.
        var skippedText: [String]
    }

    var receivedAt: String
    /// Received outside office hours, on a day off or after the channel's cut-off.
    var afterHours: Bool
    var countingStart: String
    var receipt: String
    var processingTime: String
    var counting: String
    /// Days not counted (weekends, holidays, compensatory days off) and make-up working days counted.
    var skippedDays: [Day]
    /// `skippedDays` as lines, a weekend's two days on one, and what the list is.
    var skippedText: [String]
    var skippedHeading: String
    var pauses: [Pause]
    var apology: String?
    var due: String
    var result: String
    /// Set when the working calendar was edited after receipt and the recorded due date differs.
    var calendarChanged: String?

    init(_ e: DueExplanation, officeHours: OfficeHours) {
        let initial = e.initial
        receivedAt = VietnamTime.iso(initial.receivedAt)
        afterHours = initial.timing.isAfterHours
        countingStart = VietnamTime.iso(initial.countingStart)
        let received = "Tiếp nhận lúc \(Self.moment(initial.receivedAt))"
        let from = "thời hạn tính từ \(Self.moment(initial.countingStart))"
        receipt =
            switch initial.timing {
            case .inOfficeHours: "\(received), trong giờ hành chính: thời hạn tính từ lúc tiếp nhận."
            case .outsideOfficeHours: "\(received), ngoài giờ hành chính: \(from)."
            case .nonWorkingDay(let day): "\(received), \(Self.reasonText(day)): \(from)."
            case .afterCutOff(let second):
                """
                \(received), sau giờ chốt \(Self.clock(second)) của kênh \
                \(initial.channel.vietnameseName.lowercased()): \(from).
                """
            }
        processingTime = Self.time(initial.time)
        let hours = officeHours.weekdays.first { !$0.isEmpty }?.map(\.text).joined(separator: " và ") ?? ""
        switch initial.count {
        case .working(let stretch):
            let counted = stretch.days.filter { $0.countedSeconds > 0 }
            let span =
                "từ \(Self.moment(stretch.from)) đến \(Self.moment(stretch.to)), qua \(counted.count) ngày làm việc"
            let perDay = if case .workingDays = initial.time { "mỗi ngày làm việc là 8 giờ, " } else { "" }
            counting =
                """
                Cộng \(Self.duration(stretch.seconds)) làm việc (\(perDay)chỉ tính giờ hành chính \(hours) của \
                ngày làm việc): \(span).
                """
            skippedDays = stretch.days.filter { $0.reason != .working }.map(Self.day)
            skippedText = Self.lines(stretch.days.filter { $0.reason != .working })
            skippedHeading = "Ngày không tính vào thời hạn (ngày làm bù thì được tính):"
        case .calendar(let days, let landed, let skipped):
            counting =
                """
                Tính theo ngày lịch, kể cả ngày nghỉ: \(days) ngày sau \
                \(VietnamTime.local(initial.countingStart).date.vietnamese) là \(landed.vietnamese)\
                \(skipped.isEmpty ? "" : ", là ngày nghỉ nên hạn chuyển sang ngày làm việc tiếp theo").
                """
            skippedDays = skipped.map(Self.day)
            skippedText = Self.lines(skipped)
            skippedHeading = "Ngày nghỉ mà hạn được chuyển qua:"
        }
        pauses = e.pauses.map { p in
            let r = p.round
            let reason = r.reason == .supplement ? "Chờ bổ sung hồ sơ" : "Chờ thực hiện nghĩa vụ tài chính"
            let text: String
            if let stretch = p.stretch, let resumed = r.resumedAt {
                let waited =
                    stretch.seconds == 0 ? "không có giờ làm việc nào" : Self.duration(stretch.seconds) + " làm việc"
                text = """
                    \(reason) từ \(PageTime.dateTime(r.pausedAt)) đến \(PageTime.dateTime(resumed)): \
                    \(waited), \
                    hạn lùi từ \(PageTime.dateTime(stretch.from)) đến \(PageTime.dateTime(stretch.to)).
                    """
            } else {
                text = """
                    \(reason) từ \(PageTime.dateTime(r.pausedAt)), đang tạm dừng: khi tiếp tục, hạn lùi đúng bằng \
                    thời gian làm việc đã tạm dừng.
                    """
            }
            let skipped = (p.stretch?.days ?? []).filter { $0.reason != .working }
            return Pause(
                reason: r.reason.rawValue, pausedAt: VietnamTime.iso(r.pausedAt),
                resumedAt: r.resumedAt.map(VietnamTime.iso), workingSecondsAdded: p.stretch?.seconds,
                previousDue: VietnamTime.iso(r.previousDue), newDue: p.stretch.map { VietnamTime.iso($0.to) },
                skippedDays: skipped.map(Self.day), text: text, skippedText: Self.lines(skipped))
        }
        apology = e.apology.map { a in
            """
            Thư xin lỗi ngày \(PageTime.date(a.at)): hẹn trả kết quả lại vào \(Self.moment(a.newAppointment)). Hạn \
            giải quyết theo quy định không đổi và là hạn dùng để đánh giá đúng hạn, quá hạn.
            """
        }
        due = VietnamTime.iso(e.recordedDue)
        result = "Hạn xử lý: \(Self.moment(e.recordedDue))."
        calendarChanged =
            e.matchesRecord
            ? nil
            : """
            Lịch làm việc đã được sửa sau khi tiếp nhận: hạn ghi trên hồ sơ là \(Self.moment(e.recordedDue)), \
            tính lại theo lịch hiện hành là \(Self.moment(e.due)).
            """
    }

    /// The explanation of a dossier's due date, with the calendar and receipt policy in force.
    static func of(
        clock: DossierClock?, terms: ProcedureTerms, channel: String, service: DossierService
    ) -> DueExplanationView? {
        guard let clock, let channel = DossierChannel(rawValue: channel),
            let e = try? clock.explanation(
                time: terms.processingTime(channel: channel), calendar: service.calendar, channel: channel,
                policy: service.policy)
        else { return nil }
        return DueExplanationView(e, officeHours: service.calendar.officeHours)
    }

    /// A step's due date on the control slip, short enough for its column: "8 giờ làm việc từ 16:29
    /// 09/02/2026; không tính 4 ngày cuối tuần, 5 ngày Tết Nguyên đán".
    static func step(_ stretch: WorkingTimeStretch) -> String {
        var groups: [(String, Int)] = []
        for day in stretch.days where day.isSkipped {
            let label =
                switch day.reason {
                case .holiday:
                    "ngày "
                        + (day.name.map { $0.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces) } ?? "nghỉ lễ")
                case .compensatoryDayOff: "ngày nghỉ bù"
                default: "ngày cuối tuần"
                }
            if let k = groups.firstIndex(where: { $0.0 == label }) {
                groups[k].1 += 1
            } else {
                groups.append((label, 1))
            }
        }
        let madeUp = stretch.days.filter { $0.reason == .makeUpWorkingDay }.count
        return "\(duration(stretch.seconds)) làm việc từ \(PageTime.dateTime(stretch.from))"
            + (groups.isEmpty ? "" : "; không tính " + groups.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
            + (madeUp == 0 ? "" : "; tính cả \(madeUp) ngày làm bù")
    }

    /// "14:30 Thứ Sáu 06/02/2026".
    static func moment(_ instant: Date) -> String {
        let (day, second) = VietnamTime.local(instant)
        return "\(clock(second)) \(day.weekdayName) \(day.vietnamese)"
    }

    static func clock(_ second: Int) -> String { String(format: "%02d:%02d", second / 3600, second / 60 % 60) }

    static func time(_ t: ProcessingTime) -> String {
        switch t {
        case .workingDays(let d): "\(ProcedureTerms.amountText(d)) ngày làm việc"
        case .workingHours(let h): "\(ProcedureTerms.amountText(h)) giờ làm việc"
        case .calendarDays(let n): "\(n) ngày"
        }
    }

    /// Working seconds as days of 8 hours, hours and minutes: "2 ngày 4 giờ", "30 phút".
    static func duration(_ seconds: Int) -> String {
        let minutes = seconds / 60
        let days = minutes / 480, hours = minutes % 480 / 60, rest = minutes % 60
        let parts = [(days, "ngày"), (hours, "giờ"), (rest, "phút")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.isEmpty ? "0 giờ" : parts.joined(separator: " ")
    }

    static func reasonText(_ d: CountedDay) -> String {
        switch d.reason {
        case .working: "ngày làm việc"
        case .weekend: "nghỉ cuối tuần"
        case .holiday: d.name ?? "nghỉ lễ, Tết"
        case .compensatoryDayOff: d.name.map { $0.prefix(1).lowercased() + $0.dropFirst() } ?? "nghỉ bù"
        case .makeUpWorkingDay: "ngày làm bù\(d.name.map { " (\($0))" } ?? ""), được tính như ngày làm việc"
        }
    }

    /// One line per day, consecutive weekend days on one line.
    static func lines(_ days: [CountedDay]) -> [String] {
        var lines: [String] = []
        var i = 0
        while i < days.count {
            var j = i
            while j + 1 < days.count, days[i].reason == .weekend, days[j + 1].reason == .weekend,
                days[j + 1].date.dayNumber == days[j].date.dayNumber + 1
            {
                j += 1
            }
            let dates = (i...j).map { "\(days[$0].date.weekdayName) \(days[$0].date.vietnamese)" }
            lines.append("\(dates.joined(separator: " và ")): \(reasonText(days[i]))")
            i = j + 1
        }
        return lines
    }

    static func day(_ d: CountedDay) -> Day {
        Day(
            date: d.date.iso, reason: d.reason.rawValue,
            text: "\(d.date.weekdayName) \(d.date.vietnamese): \(reasonText(d))")
    }
}

import Foundation

/// An administrator's change to a year's official schedule (DOMAIN.md section 6: "the admin adds,
/// removes or swaps days"). Applying one checks it against the weekly office hours, so that a table
/// never holds an entry that changes nothing: a day off must fall on a day normally worked, a
/// working day on a weekly rest day.
public enum ScheduleEdit: Hashable, Sendable {
    case add(ScheduleEntry)
    case remove(LocalDate)
    /// A day swap (hoán đổi ngày): a normally worked day becomes a day off and a weekly rest day is
    /// worked in exchange (ngày làm bù). Both dates must be in the same year.
    case swap(dayOff: LocalDate, workingDay: LocalDate, description: String)

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case outsideYear(LocalDate, year: Int)
        case alreadyListed(ScheduleEntry)
        case notListed(LocalDate)
        case dayOffOnRestDay(LocalDate)
        case workingDayOnWorkedDay(LocalDate)
        case emptyDescription
        case descriptionTooLong
        case sameDay

        public var message: String {
            switch self {
            case .outsideYear(let d, let y): "Ngày \(d.vietnamese) không thuộc năm \(y)."
            case .alreadyListed(let e):
                "Ngày \(e.date.vietnamese) đã có trong lịch (\(e.description)); xoá dòng đó trước nếu muốn thay."
            case .notListed(let d): "Ngày \(d.vietnamese) không có trong lịch của năm."
            case .dayOffOnRestDay(let d):
                "Ngày \(d.vietnamese) (\(d.weekdayName)) vốn là ngày nghỉ hằng tuần, không cần ghi là ngày nghỉ."
            case .workingDayOnWorkedDay(let d):
                "Ngày \(d.vietnamese) (\(d.weekdayName)) vốn là ngày làm việc, không thể ghi là ngày làm bù."
            case .emptyDescription: "Nhập nội dung (ví dụ: Nghỉ Tết Nguyên đán, Làm bù cho ngày 02/01)."
            case .descriptionTooLong: "Nội dung tối đa 200 ký tự."
            case .sameDay: "Ngày nghỉ và ngày làm bù phải là hai ngày khác nhau."
            }
        }

        public var description: String { message }
    }

    /// The schedule with the edit applied, or the reason it cannot be.
    public func applied(to schedule: YearSchedule, officeHours: OfficeHours) throws(Problem) -> YearSchedule {
        func worked(_ d: LocalDate) -> Bool { !officeHours.weekdays[d.weekday - 1].isEmpty }
        func check(_ e: ScheduleEntry) throws(Problem) {
            guard e.date.year == schedule.year else { throw .outsideYear(e.date, year: schedule.year) }
            let text = e.description.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw .emptyDescription }
            guard text.count <= 200 else { throw .descriptionTooLong }
            if let listed = schedule.entry(on: e.date) { throw .alreadyListed(listed) }
            switch e.kind {
            case .dayOff: guard worked(e.date) else { throw .dayOffOnRestDay(e.date) }
            case .workingDay: guard !worked(e.date) else { throw .workingDayOnWorkedDay(e.date) }
            }
        }
        var entries = schedule.entries
        switch self {
        case .add(let e):
            try check(e)
            entries.append(e)
        case .remove(let date):
            guard date.year == schedule.year else { throw .outsideYear(date, year: schedule.year) }
            guard schedule.entry(on: date) != nil else { throw .notListed(date) }
            entries.removeAll { $0.date == date }
        case .swap(let off, let on, let description):
            guard off != on else { throw .sameDay }
            let offEntry = ScheduleEntry(date: off, kind: .dayOff, description: description)
            let onEntry = ScheduleEntry(date: on, kind: .workingDay, description: "Làm bù cho ngày \(off.vietnamese)")
            try check(offEntry)
            try check(onEntry)
            entries += [offEntry, onEntry]
        }
        // Dates were checked against the year and each other above: this cannot fail.
        return try! YearSchedule(
            year: schedule.year,
            entries: entries.map {
                ScheduleEntry(
                    date: $0.date, kind: $0.kind, description: $0.description.trimmingCharacters(in: .whitespaces))
            })
    }
}

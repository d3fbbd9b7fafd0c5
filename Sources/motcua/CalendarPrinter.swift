import MotCuaCore

/// A year printed month by month for a terminal.
enum CalendarPrinter {

    static func render(year: Int, calendar: WorkingCalendar, source: String) -> String {
        var out = [
            "LỊCH LÀM VIỆC NĂM \(year)", "Nguồn: \(source)",
            "Giờ làm việc: \(hoursText(calendar.officeHours))",
            "Ký hiệu: * ngày nghỉ (lễ, Tết, nghỉ bù), + ngày làm bù (làm việc ngày cuối tuần)", "",
        ]
        var workingDays = 0
        for month in 1...12 {
            let first = LocalDate(year: year, month: month, day: 1)!
            let count = LocalDate.daysInMonth(year: year, month: month)
            out.append("Tháng \(month)/\(year)")
            out.append("   T2   T3   T4   T5   T6   T7   CN")
            var line = String(repeating: "     ", count: first.weekday - 1)
            var notes: [String] = []
            for d in 1...count {
                let date = first.adding(days: d - 1)
                let entry = calendar.entry(on: date)
                let working = calendar.isWorkingDay(date)
                if working { workingDays += 1 }
                var mark = " "
                if let entry {
                    mark = entry.kind == .dayOff ? "*" : "+"
                    let what = entry.kind == .dayOff ? "Nghỉ" : "Làm bù"
                    notes.append("   \(mark) \(date.vietnamese) (\(date.weekdayName)): \(what) - \(entry.description)")
                }
                line += (d < 10 ? "   " : "  ") + "\(d)\(mark)"
                if date.weekday == 7 || d == count {
                    out.append(line)
                    line = ""
                }
            }
            out.append(contentsOf: notes)
            out.append("")
        }
        out.append("Tổng số ngày làm việc trong năm \(year): \(workingDays)")
        return out.joined(separator: "\n")
    }

    static func hoursText(_ hours: OfficeHours) -> String {
        let short = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
        var parts: [String] = []
        var i = 0
        while i < 7 {
            var j = i
            while j + 1 < 7, hours.weekdays[j + 1] == hours.weekdays[i] { j += 1 }
            if !hours.weekdays[i].isEmpty {
                let days = i == j ? short[i] : "\(short[i])-\(short[j])"
                parts.append("\(days) " + hours.weekdays[i].map(\.text).joined(separator: ", "))
            }
            i = j + 1
        }
        return parts.joined(separator: "; ")
    }
}

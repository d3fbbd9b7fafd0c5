import Foundation
import MotCuaCore

/// The yearly official schedules kept as one CSV file per year under `<data-dir>/calendar/`.
public struct ScheduleStore: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func file(for year: Int) -> URL { directory.appendingPathComponent("\(year).csv") }

    public func load() throws -> [YearSchedule] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return try names.filter { $0.count == 8 && $0.hasSuffix(".csv") && Int($0.prefix(4)) != nil }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let schedules: [YearSchedule]
            do { schedules = try ScheduleFile.decode(text, as: .csv) } catch {
                throw CalendarError.malformedFile(line: 0, reason: "bảng lịch đã lưu \(url.path) bị hỏng: \(error)")
            }
            let year = Int(name.prefix(4))!
            return try schedules.first ?? YearSchedule(year: year, entries: [])
        }
    }

    /// Replaces the stored table of each given year; each file is written whole (temp + rename).
    public func replace(_ schedules: [YearSchedule]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for schedule in schedules {
            let target = file(for: schedule.year)
            let temp = directory.appendingPathComponent(".\(schedule.year).csv.\(UUID().uuidString).tmp")
            try Data(ScheduleFile.encode(schedule.entries, as: .csv).utf8).write(to: temp)
            if FileManager.default.fileExists(atPath: target.path) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: temp)
            } else {
                try FileManager.default.moveItem(at: temp, to: target)
            }
        }
    }
}

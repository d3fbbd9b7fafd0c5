import Fluent
import Vapor
import Foundation
import MotCuaCore

/// The yearly official schedules kept in the database, so that every server instance and the
/// command line use the same table. Years never stored use the rules' pre-fill.
public struct ScheduleStore: Sendable {
    let db: any Database

    public func load() async throws -> [YearSchedule] {
        let years = try await CalendarYearModel.query(on: db).all().map(\.year)
        let entries = try await CalendarEntryModel.query(on: db).sort(\.$date).all()
        let byYear = Dictionary(grouping: entries, by: \.year)
        return try years.sorted().map { year in
            try YearSchedule(year: year, entries: (byYear[year] ?? []).map { row in
                guard let date = LocalDate(iso: row.date), let kind = ScheduleEntry.Kind(rawValue: row.kind) else {
                    throw CalendarError.malformedFile(line: 0, reason: "dòng lịch đã lưu \(row.date) không hợp lệ")
                }
                return ScheduleEntry(date: date, kind: kind, description: row.description)
            })
        }
    }

    /// Replaces the stored table of each given year, all years in one transaction.
    public func replace(_ schedules: [YearSchedule], at now: Date = Date()) async throws {
        try await db.transaction { tx in
            for schedule in schedules {
                try await CalendarEntryModel.query(on: tx).filter(\.$year == schedule.year).delete()
                try await CalendarYearModel.query(on: tx).filter(\.$year == schedule.year).delete()
                let year = CalendarYearModel()
                year.year = schedule.year
                year.updatedAt = now
                try await year.create(on: tx)
                let rows = schedule.entries.map { e in
                    let row = CalendarEntryModel()
                    row.year = schedule.year
                    row.date = e.date.iso
                    row.kind = e.kind.rawValue
                    row.description = e.description
                    return row
                }
                if !rows.isEmpty { try await rows.create(on: tx) }
            }
        }
    }
}

extension Application {
    public var schedules: ScheduleStore { ScheduleStore(db: db) }

    /// The working calendar from the stored schedules and the configured office hours; the server
    /// uses it for every deadline.
    public func loadCalendar() async throws -> WorkingCalendar {
        try WorkingCalendar(officeHours: motcua.settings.officeHours, schedules: try await schedules.load())
    }
}

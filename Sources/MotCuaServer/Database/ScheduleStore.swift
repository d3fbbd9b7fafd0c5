import Fluent
import Vapor
import Foundation
import MotCuaCore
import SQLKit

/// The yearly official schedules kept in the database, so that every server instance and the
/// command line use the same table. Years never stored use the rules' pre-fill.
public struct ScheduleStore: Sendable {
    let db: any Database

    public func load() async throws -> [YearSchedule] {
        let years = try await CalendarYearModel.query(on: db).all().map(\.year)
        let entries = try await CalendarEntryModel.query(on: db).sort(\.$date).all()
        let byYear = Dictionary(grouping: entries, by: \.year)
        return try years.sorted().map { year in
            try YearSchedule(year: year, entries: (byYear[year] ?? []).map(Self.entry))
        }
    }

    /// Replaces the stored table of each given year, all years in one transaction.
    public func replace(_ schedules: [YearSchedule], at now: Date = Date()) async throws {
        try await replace(schedules, at: now) { _ in }
    }

    /// The same, with the audit entry written in the transaction.
    func replace(
        _ schedules: [YearSchedule], at now: Date = Date(),
        audit: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        try await db.transaction { tx in
            for schedule in schedules {
                try await CalendarEntryModel.query(on: tx).filter(\.$year == schedule.year).delete()
                try await CalendarYearModel.query(on: tx).filter(\.$year == schedule.year).delete()
                let year = CalendarYearModel()
                year.year = schedule.year
                year.updatedAt = now
                try await year.create(on: tx)
                let rows = Self.rows(schedule)
                if !rows.isEmpty { try await rows.create(on: tx) }
            }
            try await audit(tx)
        }
    }
}

extension ScheduleStore {
    static func entry(_ row: CalendarEntryModel) throws -> ScheduleEntry {
        guard let date = LocalDate(iso: row.date), let kind = ScheduleEntry.Kind(rawValue: row.kind) else {
            throw CalendarError.malformedFile(line: 0, reason: "dòng lịch đã lưu \(row.date) không hợp lệ")
        }
        return ScheduleEntry(date: date, kind: kind, description: row.description)
    }

    static func rows(_ schedule: YearSchedule) -> [CalendarEntryModel] {
        schedule.entries.map { e in
            let row = CalendarEntryModel()
            row.year = schedule.year
            row.date = e.date.iso
            row.kind = e.kind.rawValue
            row.description = e.description
            return row
        }
    }

    /// What a page showed of a year's schedule: its entries, as a checksum, so that a change made from
    /// it can tell whether someone else changed the year since.
    static func fingerprint(_ schedule: YearSchedule) -> String {
        Checksum.sha256(Data(ScheduleFile.encode(schedule.entries, as: .csv).utf8))
    }

    /// Stores a year's new schedule made from the one with `fingerprint`, in one transaction that
    /// first takes the year's row (so that two administrators' changes are one after the other)
    /// and then checks that the schedule is still the one the change was made from; otherwise a
    /// conflict and nothing written.
    func replace(
        year: Int, from fingerprint: String, with make: @escaping @Sendable (YearSchedule) throws -> YearSchedule,
        prefill: YearSchedule, at now: Date = Date(),
        audit: @escaping @Sendable (YearSchedule, YearSchedule, any Database) async throws -> Void
    )
        async throws
    {
        try await db.transaction { tx in
            let claimed = try await (tx as! any SQLDatabase).raw(
                """
                UPDATE calendar_years SET updated_at = \(bind: now) WHERE year = \(bind: year) RETURNING year
                """
            ).all()
            let current: YearSchedule
            if claimed.isEmpty {
                current = prefill
                let row = CalendarYearModel()
                row.year = year
                row.updatedAt = now
                do { try await row.create(on: tx) } catch {
                    // Another administrator stored the year first.
                    if (error as? any DatabaseError)?.isConstraintFailure == true { throw ServiceError.conflict }
                    throw error
                }
            } else {
                current = try YearSchedule(
                    year: year,
                    entries: try await CalendarEntryModel.query(on: tx).filter(\.$year == year).all().map(Self.entry))
            }
            guard Self.fingerprint(current) == fingerprint else { throw ServiceError.conflict }
            let next = try make(current)
            try await CalendarEntryModel.query(on: tx).filter(\.$year == year).delete()
            let rows = Self.rows(next)
            if !rows.isEmpty { try await rows.create(on: tx) }
            try await audit(current, next, tx)
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

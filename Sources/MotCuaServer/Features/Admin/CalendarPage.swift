import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Lịch làm việc" (role admin, DOMAIN.md section 6): a year's official schedule as twelve month
/// grids and a table; add a day off or a make-up working day, remove one, swap two days; import a
/// year's file and export it, as `motcua calendar import|export` does. A year never stored shows
/// the rules' pre-fill and is stored at its first change. Each change is checked against the
/// schedule the page showed (another administrator's change in between is a conflict), written
/// with its audit entry in one transaction, and put in force at once for new deadlines; due dates
/// already given to dossiers do not move.
struct CalendarPage {
    struct Day: Encodable { let day: Int?; let kind: String; let title: String }
    struct Month: Encodable { let name: String; let weeks: [[Day]] }
    struct Row: Encodable {
        let date: String; let iso: String; let weekday: String; let kind: String; let description: String
    }
    struct Typed: Content {
        var date: String?; var kind: String?; var description: String?
        var dayOff: String?; var workingDay: String?; var swapDescription: String?
    }
    typealias Option = SelectOption
    struct Context: Encodable {
        let layout: PageLayout
        let year: Int; let previousYear: Int?; let nextYear: Int?
        let stored: Bool; let updated: String?; let fingerprint: String
        let months: [Month]; let rows: [Row]
        let workingDays: Int; let daysOff: Int; let madeUp: Int
        let kinds: [Option]; let typed: Typed; let fieldErrors: [String: String]
        let notice: String?; let error: String?
    }

    static let path = "/quan-tri/lich-lam-viec"

    func show(req: Request) async throws -> View {
        let notices = [
            "them": "Đã thêm ngày vào lịch.", "xoa": "Đã xoá ngày khỏi lịch.", "hoan-doi": "Đã hoán đổi ngày.",
            "nhap": "Đã nhập tệp lịch.",
        ]
        let year: Int
        if let text = req.query[String.self, at: "nam"] {
            guard let y = Int(text), LunarCalendar.supportedYears.contains(y) else {
                throw ServiceError(.unprocessableEntity, "Năm phải trong khoảng 1900-2199.")
            }
            year = y
        } else {
            year = VietnamTime.local(Date()).date.year
        }
        return try await render(
            req, year: year, typed: Typed(), fieldErrors: [:],
            notice: req.query[String.self, at: "da-luu"].flatMap { notices[$0] }, error: nil)
    }

    func render(_ req: Request, year: Int, typed: Typed, fieldErrors: [String: String], notice: String?, error: String?)
        async throws -> View
    {
        _ = try req.actor()
        let calendar = req.motcua.calendar
        let schedule = try calendar.schedule(for: year)
        let stored = try await CalendarYearModel.query(on: req.db).filter(\.$year == year).first()
        var months: [Month] = []
        var workingDays = 0
        for month in 1...12 {
            let first = LocalDate(year: year, month: month, day: 1)!
            var cells = [Day](repeating: Day(day: nil, kind: "blank", title: ""), count: first.weekday - 1)
            var date = first
            while date.month == month {
                let entry = schedule.entry(on: date)
                let working = calendar.isWorkingDay(date)
                if working { workingDays += 1 }
                let kind = entry.map { $0.kind == .dayOff ? "off" : "swap" } ?? (working ? "work" : "rest")
                cells.append(
                    Day(
                        day: date.day, kind: kind,
                        title: "\(date.weekdayName) \(date.vietnamese)" + (entry.map { ": \($0.description)" } ?? "")))
                date = date.adding(days: 1)
            }
            while cells.count % 7 != 0 { cells.append(Day(day: nil, kind: "blank", title: "")) }
            months.append(
                Month(
                    name: "Tháng \(month)",
                    weeks: stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<$0 + 7]) }))
        }
        let chosen = typed.kind ?? ScheduleEntry.Kind.dayOff.rawValue
        return try await req.view.render(
            "Admin/calendar",
            Context(
                layout: PageLayout("Lịch làm việc", req), year: year,
                previousYear: year > LunarCalendar.supportedYears.lowerBound ? year - 1 : nil,
                nextYear: year < LunarCalendar.supportedYears.upperBound ? year + 1 : nil,
                stored: stored != nil, updated: stored.map { PageTime.dateTime($0.updatedAt) },
                fingerprint: ScheduleStore.fingerprint(schedule),
                months: months,
                rows: schedule.entries.map {
                    Row(
                        date: $0.date.vietnamese, iso: $0.date.iso, weekday: $0.date.weekdayName,
                        kind: $0.kind.vietnameseName, description: $0.description)
                },
                workingDays: workingDays, daysOff: schedule.entries.filter { $0.kind == .dayOff }.count,
                madeUp: schedule.entries.filter { $0.kind == .workingDay }.count,
                kinds: ScheduleEntry.Kind.allCases.map {
                    Option(value: $0.rawValue, name: $0.vietnameseName, selected: $0.rawValue == chosen)
                },
                typed: typed, fieldErrors: fieldErrors, notice: notice, error: error))
    }

    func again(
        _ req: Request, year: Int, typed: Typed = Typed(), fieldErrors: [String: String] = [:], error: String,
        status: HTTPResponseStatus
    ) async throws -> Response {
        return try await render(
            req, year: year, typed: typed, fieldErrors: fieldErrors, notice: nil, error: error
        ).encodeResponse(status: status, for: req)
    }

    static func year(_ req: Request) throws -> Int {
        guard let year = req.parameters.get("year", as: Int.self), LunarCalendar.supportedYears.contains(year) else {
            throw ServiceError(.notFound, "Không có lịch của năm này (lịch hỗ trợ 1900-2199).")
        }
        return year
    }

    /// The lines of the audit entry: each date whose entry changed, before and after.
    static func changes(from old: YearSchedule, to new: YearSchedule) -> [LogChain.Change] {
        func text(_ e: ScheduleEntry) -> String { "\(e.kind.vietnameseName): \(e.description)" }
        let dates = Set(old.entries.map(\.date)).union(new.entries.map(\.date)).sorted()
        return dates.compactMap { d in
            let before = old.entry(on: d), after = new.entry(on: d)
            return before == after
                ? nil : LogChain.Change(field: d.vietnamese, old: before.map(text), new: after.map(text))
        }
    }

    func add(req: Request) async throws -> Response {
        let typed = try req.content.decode(Typed.self)
        var errors: [String: String] = [:]
        let date = PageTime.parseDate(typed.date ?? "")
        if date == nil { errors["date"] = "Nhập ngày dạng dd/mm/yyyy." }
        let kind = ScheduleEntry.Kind(rawValue: typed.kind ?? "")
        if kind == nil { errors["kind"] = "Chọn loại ngày." }
        guard let date, let kind else {
            return try await again(
                req, year: try Self.year(req), typed: typed, fieldErrors: errors,
                error: "Chưa thêm được ngày: kiểm tra các trường được đánh dấu.",
                status: .unprocessableEntity)
        }
        return try await change(
            req, .add(ScheduleEntry(date: date, kind: kind, description: typed.description ?? "")),
            summary: "Thêm ngày vào lịch làm việc",
            notice: "them", typed: typed)
    }

    func remove(req: Request) async throws -> Response {
        struct Form: Content { var date: String }
        guard let date = LocalDate(iso: try req.content.decode(Form.self).date) else {
            throw ServiceError(.unprocessableEntity, "Ngày không hợp lệ.")
        }
        guard ConfirmPage.confirmed(req) else {
            struct Shown: Content { var fingerprint: String }
            let year = try Self.year(req)
            let calendar = req.motcua.calendar
            guard let entry = try calendar.schedule(for: year).entry(on: date) else {
                return try await again(
                    req, year: year, error: "Ngày \(date.vietnamese) không có trong bảng lịch năm \(year).",
                    status: .unprocessableEntity)
            }
            let becomes = entry.kind == .dayOff ? "ngày làm việc" : "ngày nghỉ hằng tuần"
            let start = VietnamTime.instant(date, secondOfDay: 0)
            let open = try await DossierModel.query(on: req.db)
                .filter(\.$status ~~ Status.openValues).filter(\.$dueAt >= start).count()
            return try await ConfirmPage.response(
                "Xoá ngày \(date.vietnamese) khỏi lịch làm việc?",
                consequences: [
                    "Bỏ “\(entry.description)”: ngày \(date.vietnamese) (\(date.weekdayName)) trở lại là \(becomes).",
                    """
                    \(PageTime.number(open)) hồ sơ đang xử lý có hạn từ ngày này trở đi: ngày hẹn trả đã ghi \
                    không đổi; hạn tính từ nay (tiếp nhận mới, tiếp tục sau tạm dừng) theo lịch mới.
                    """,
                    "Ghi vào nhật ký quản trị.",
                ],
                action: "\(Self.path)/\(year)/xoa",
                fields: [("date", date.iso), ("fingerprint", try req.content.decode(Shown.self).fingerprint)],
                confirm: "Xác nhận xoá", back: "\(Self.path)?nam=\(year)", req: req)
        }
        return try await change(
            req, .remove(date), summary: "Xoá ngày khỏi lịch làm việc", notice: "xoa", typed: Typed())
    }

    func swap(req: Request) async throws -> Response {
        let typed = try req.content.decode(Typed.self)
        var errors: [String: String] = [:]
        let off = PageTime.parseDate(typed.dayOff ?? ""), on = PageTime.parseDate(typed.workingDay ?? "")
        if off == nil { errors["dayOff"] = "Nhập ngày nghỉ dạng dd/mm/yyyy." }
        if on == nil { errors["workingDay"] = "Nhập ngày làm bù dạng dd/mm/yyyy." }
        guard let off, let on else {
            return try await again(
                req, year: try Self.year(req), typed: typed, fieldErrors: errors,
                error: "Chưa hoán đổi được: kiểm tra các trường được đánh dấu.",
                status: .unprocessableEntity)
        }
        return try await change(
            req, .swap(dayOff: off, workingDay: on, description: typed.swapDescription ?? ""),
            summary: "Hoán đổi ngày làm việc",
            notice: "hoan-doi", typed: typed)
    }

    /// Applies an edit to the year the page showed (its fingerprint in the form), audits it, and puts
    /// the new calendar in force.
    func change(_ req: Request, _ edit: ScheduleEdit, summary: String, notice: String, typed: Typed) async throws
        -> Response
    {
        struct Shown: Content { var fingerprint: String }
        let actor = try req.actor()
        let year = try Self.year(req)
        let fingerprint = try req.content.decode(Shown.self).fingerprint
        let calendar = req.motcua.calendar
        let officeHours = calendar.officeHours
        do {
            try await req.application.schedules.replace(
                year: year, from: fingerprint, with: { try edit.applied(to: $0, officeHours: officeHours) },
                prefill: try calendar.rules.schedule(for: year)
            ) { old, new, tx in
                try await Audit.record(
                    summary, entity: "calendar", id: String(year), changes: Self.changes(from: old, to: new),
                    actor: actor, on: tx)
            }
        } catch let problem as ScheduleEdit.Problem {
            return try await again(req, year: year, typed: typed, error: problem.message, status: .unprocessableEntity)
        } catch let e as ServiceError where e.status == .conflict {
            return try await again(
                req, year: year, typed: typed,
                error:
                    """
                    Lịch năm \(year) vừa được người khác thay đổi; lịch dưới đây là lịch mới nhất. Kiểm tra lại \
                    rồi thực hiện lại thao tác.
                    """,
                status: .conflict)
        }
        req.application.motcua.replaceCalendar(try await req.application.loadCalendar())
        return req.redirect(to: "\(Self.path)?nam=\(year)&da-luu=\(notice)")
    }

    /// "Nhập tệp lịch": a .csv or .json file as `motcua calendar import` reads it; it replaces the
    /// table of every year it holds, whole or not at all.
    func importFile(req: Request) async throws -> Response {
        let actor = try req.actor()
        let shownYear =
            req.query[Int.self, at: "nam"].flatMap { LunarCalendar.supportedYears.contains($0) ? $0 : nil }
            ?? VietnamTime.local(Date()).date.year
        func refuse(_ message: String) async throws -> Response {
            try await again(req, year: shownYear, error: message, status: .unprocessableEntity)
        }
        guard let upload = UploadForm.collected(req), upload.component == nil, !upload.data.isEmpty else {
            return try await refuse("Chọn tệp lịch (.csv hoặc .json) để nhập.")
        }
        guard let format = ScheduleFile.Format(fileName: upload.fileName) else {
            return try await refuse(
                "Không nhận ra định dạng của tệp \"\(upload.fileName)\": phần mở rộng phải là .csv hoặc .json.")
        }
        guard let text = String(data: upload.data, encoding: .utf8) else {
            return try await refuse("Tệp lịch phải là văn bản UTF-8.")
        }
        let schedules: [YearSchedule]
        do { schedules = try ScheduleFile.decode(text, as: format) } catch { return try await refuse(error.message) }
        guard !schedules.isEmpty else {
            return try await refuse("Tệp lịch không có dòng nào; không có thay đổi nào được ghi.")
        }
        let calendar = req.motcua.calendar
        let before = try schedules.map { try calendar.schedule(for: $0.year) }
        try await req.application.schedules.replace(schedules) { tx in
            for (old, new) in zip(before, schedules) {
                try await Audit.record(
                    "Nhập tệp lịch năm \(new.year)", entity: "calendar", id: String(new.year),
                    changes: Self.changes(from: old, to: new), actor: actor, on: tx)
            }
        }
        req.application.motcua.replaceCalendar(try await req.application.loadCalendar())
        return req.redirect(to: "\(Self.path)?nam=\(schedules[0].year)&da-luu=nhap")
    }

    /// "Xuất tệp lịch": the year's schedule in force as CSV or JSON, the command line's format.
    func export(req: Request) async throws -> Response {
        _ = try req.actor()
        let year = try Self.year(req)
        guard let format = ScheduleFile.Format(rawValue: req.query[String.self, at: "dinh-dang"] ?? "csv") else {
            throw ServiceError(.unprocessableEntity, "Định dạng tệp phải là csv hoặc json.")
        }
        let response = Response(
            status: .ok,
            body: .init(string: ScheduleFile.encode(try req.motcua.calendar.schedule(for: year).entries, as: format)))
        response.headers.contentType =
            format == .csv ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]) : .json
        response.headers.contentDisposition = .init(.attachment, filename: "lich-lam-viec-\(year).\(format.rawValue)")
        return response
    }
}

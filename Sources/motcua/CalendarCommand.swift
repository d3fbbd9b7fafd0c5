import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer
import class Vapor.Application

/// Options shared by every command that reads the working calendar: the database holding the
/// yearly tables, and the office hours.
struct CalendarOptions: ParsableArguments {
    @OptionGroup var db: DatabaseOptions

    @Option(
        name: .long,
        help:
            """
            Giờ làm việc theo thứ, ví dụ \"mon-fri=07:00-11:00,13:00-17:00\". Mặc định lấy từ biến \
            MOTCUA_OFFICE_HOURS hoặc T2-T6 07:00-11:00, 13:00-17:00.
            """
    )
    var officeHours: String?

    func validate() throws {
        if let officeHours { _ = try OfficeHours(parsing: officeHours) }
    }

    /// Opens the database (creating the schema if needed) and runs `body` with the application.
    func withCalendar<T>(_ body: (Application) async throws -> T) async throws -> T {
        var settings = try db.settings()
        if let officeHours { settings.officeHours = try OfficeHours(parsing: officeHours) }
        return try await Launch.withApplication(settings: settings) { app in
            try await Launch.migrate(app)
            return try await body(app)
        }
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Lịch làm việc: ngày nghỉ lễ, nghỉ bù và ngày làm bù theo từng năm.",
        subcommands: [Show.self, Export.self, Import.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In lịch một năm theo từng tháng, đánh dấu ngày nghỉ và ngày làm bù.")
        @Argument(help: "Năm (1900-2199).") var year: Int
        @OptionGroup var options: CalendarOptions

        func validate() throws { try Validation.year(year) }

        func run() async throws {
            let calendar = try await options.withCalendar { try await $0.loadCalendar() }
            let stored = calendar.storedSchedules[year] != nil
            print(
                CalendarPrinter.render(
                    year: year, calendar: calendar,
                    source: stored
                        ? "bảng lịch đã lưu trong cơ sở dữ liệu"
                        : "tính theo quy định của Bộ luật Lao động (chưa lưu bảng riêng)"))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Xuất bảng lịch của một năm ra đầu ra chuẩn (CSV hoặc JSON).")
        @Argument(help: "Năm (1900-2199).") var year: Int
        @Option(help: "csv hoặc json.") var format: String = "csv"
        @OptionGroup var options: CalendarOptions

        func validate() throws {
            try Validation.year(year)
            guard ScheduleFile.Format(rawValue: format.lowercased()) != nil else {
                throw ValidationError("Định dạng \"\(format)\" không hỗ trợ; dùng csv hoặc json.")
            }
        }

        func run() async throws {
            let schedule = try await options.withCalendar { try await $0.loadCalendar().schedule(for: year) }
            FileHandle.standardOutput.write(
                Data(
                    ScheduleFile.encode(schedule.entries, as: ScheduleFile.Format(rawValue: format.lowercased())!).utf8)
            )
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Nhập bảng lịch từ tệp .csv hoặc .json; thay bảng của các năm có trong tệp, giữ nguyên các năm khác.")
        @Argument(help: "Tệp .csv (date,kind,description) hoặc .json.") var file: String
        @OptionGroup var options: CalendarOptions

        func run() async throws {
            guard let format = ScheduleFile.Format(fileName: file) else {
                throw ValidationError("Không nhận ra định dạng của \"\(file)\": phần mở rộng phải là .csv hoặc .json.")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Không đọc được tệp \"\(file)\".")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("Tệp \"\(file)\" không phải văn bản UTF-8.")
            }
            let schedules = try ScheduleFile.decode(text, as: format)
            try await options.withCalendar { try await $0.schedules.replace(schedules) }
            let summary = schedules.map { "\($0.year) (\($0.entries.count) dòng)" }.joined(separator: ", ")
            print("Đã nhập lịch năm \(summary.isEmpty ? "(không có dòng nào)" : summary).")
        }
    }
}

enum Validation {
    static func year(_ year: Int) throws {
        guard LunarCalendar.supportedYears.contains(year) else {
            throw ValidationError("Năm \(year) nằm ngoài khoảng lịch hỗ trợ (1900-2199).")
        }
    }
}

extension CalendarError: LocalizedError {
    public var errorDescription: String? { message }
}

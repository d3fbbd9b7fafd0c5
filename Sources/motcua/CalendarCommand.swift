import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer

/// Options shared by every command that reads the working calendar.
struct CalendarOptions: ParsableArguments {
    @Option(name: .long, help: "Thư mục dữ liệu (lịch làm việc lưu trong <thư mục>/calendar).")
    var dataDir: String = "./data"

    @Option(name: .long, help: "Giờ làm việc theo thứ, ví dụ \"mon-fri=07:00-11:00,13:00-17:00\". Mặc định lấy từ biến MOTCUA_OFFICE_HOURS hoặc T2-T6 07:00-11:00, 13:00-17:00.")
    var officeHours: String?

    var store: ScheduleStore { ScheduleStore(directory: URL(fileURLWithPath: dataDir).appendingPathComponent("calendar")) }

    func hours() throws -> OfficeHours {
        if let spec = officeHours ?? ProcessInfo.processInfo.environment["MOTCUA_OFFICE_HOURS"] {
            return try OfficeHours(parsing: spec)
        }
        return .standard
    }

    func calendar() throws -> WorkingCalendar {
        try WorkingCalendar(officeHours: hours(), schedules: store.load())
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Lịch làm việc: ngày nghỉ lễ, nghỉ bù và ngày làm bù theo từng năm.",
        subcommands: [Show.self, Export.self, Import.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "In lịch một năm theo từng tháng, đánh dấu ngày nghỉ và ngày làm bù.")
        @Argument(help: "Năm (1900-2199).") var year: Int
        @OptionGroup var options: CalendarOptions

        func run() throws {
            try Validation.year(year)
            let calendar = try options.calendar()
            let stored = calendar.storedSchedules[year] != nil
            print(CalendarPrinter.render(year: year, calendar: calendar,
                                         source: stored ? "bảng đã lưu (\(options.store.file(for: year).path))" : "tính theo quy định của Bộ luật Lao động (chưa lưu bảng riêng)"))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Xuất bảng lịch của một năm ra đầu ra chuẩn (CSV hoặc JSON).")
        @Argument(help: "Năm (1900-2199).") var year: Int
        @Option(help: "csv hoặc json.") var format: String = "csv"
        @OptionGroup var options: CalendarOptions

        func run() throws {
            try Validation.year(year)
            guard let f = ScheduleFile.Format(rawValue: format.lowercased()) else {
                throw ValidationError("Định dạng \"\(format)\" không hỗ trợ; dùng csv hoặc json.")
            }
            let schedule = try options.calendar().schedule(for: year)
            FileHandle.standardOutput.write(Data(ScheduleFile.encode(schedule.entries, as: f).utf8))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nhập bảng lịch từ tệp .csv hoặc .json; thay bảng của các năm có trong tệp, giữ nguyên các năm khác.")
        @Argument(help: "Tệp .csv (date,kind,description) hoặc .json.") var file: String
        @OptionGroup var options: CalendarOptions

        func run() throws {
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
            try options.store.replace(schedules)
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

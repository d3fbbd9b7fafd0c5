import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer

struct DeadlineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadline",
        abstract: "Tính hạn giải quyết từ thời điểm tiếp nhận và thời hạn của thủ tục.",
        discussion: "Ví dụ: motcua deadline --received 2024-02-07T15:30:00+07:00 --working-days 3"
    )

    @Option(help: "Thời điểm tiếp nhận, ISO 8601 (ví dụ 2024-02-07T15:30:00+07:00).") var received: String
    @Option(help: "Thời hạn theo ngày làm việc (1 ngày = 8 giờ, cho phép nửa ngày).") var workingDays: Double?
    @Option(help: "Thời hạn theo ngày lịch.") var calendarDays: Int?
    @Option(help: "Thời hạn theo giờ làm việc.") var workingHours: Double?
    @Option(help: "Kênh tiếp nhận: direct, online, postal.") var channel: String = "direct"
    @Option(help: "Giờ chốt trong ngày của kênh (HH:MM): tiếp nhận sau giờ này tính từ ngày làm việc tiếp theo.")
    var cutOff: String?
    @OptionGroup var options: CalendarOptions

    func validate() throws {
        let given = [workingDays != nil, calendarDays != nil, workingHours != nil].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("Cần đúng một trong --working-days, --calendar-days, --working-hours.")
        }
        guard VietnamTime.parseISO(received) != nil else {
            throw ValidationError(
                "Thời điểm tiếp nhận \"\(received)\" không đúng dạng ISO 8601 (ví dụ 2024-02-07T15:30:00+07:00).")
        }
        guard DossierChannel(rawValue: channel) != nil else {
            throw ValidationError("Kênh \"\(channel)\" không hợp lệ; dùng direct, online hoặc postal.")
        }
        if let cutOff, Session.minutes(cutOff) == nil {
            throw ValidationError("Giờ chốt \"\(cutOff)\" không đúng dạng HH:MM.")
        }
    }

    func run() async throws {
        let time: ProcessingTime
        if let workingDays {
            time = .workingDays(workingDays)
        } else if let calendarDays {
            time = .calendarDays(calendarDays)
        } else {
            time = .workingHours(workingHours!)
        }
        let channel = DossierChannel(rawValue: channel)!
        var policy = ReceiptPolicy.none
        if let cutOff { policy.cutOffs[channel] = Session.minutes(cutOff)! * 60 }
        let calendar = try await options.withCalendar { try await $0.loadCalendar() }
        let due = try calendar.due(
            receivedAt: VietnamTime.parseISO(received)!, time: time, channel: channel, policy: policy)
        print(VietnamTime.iso(due))
    }
}

import ArgumentParser
import Foundation
import MotCuaServer

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract:
            """
            Việc định kỳ (đối soát VNPay, dọn kho tệp, đối chiếu số liệu) và thư điện tử: lần chạy gần nhất, \
            việc hỏng; "motcua jobs retry MÃ" cho chạy lại một việc hoặc thư hỏng.
            """,
        subcommands: [JobsListCommand.self, JobsRetryCommand.self], defaultSubcommand: JobsListCommand.self)
}

struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Trạng thái các việc.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let lines = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Launch.jobsReport(app)
        }
        lines.forEach { say($0) }
    }
}

struct JobsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Cho chạy lại ngay một việc hoặc thư điện tử đã hỏng.")
    @Argument(help: "Mã của việc hoặc thư hỏng (motcua jobs liệt kê).") var id: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        guard let uuid = UUID(uuidString: id) else { throw ValidationError("\"\(id)\" không phải mã của một việc.") }
        let retried = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Launch.retryJob(app, id: uuid)
        }
        guard retried else { throw ValidationError("Không có việc hay thư hỏng nào mang mã \(id).") }
        say("Đã đưa \(id) trở lại hàng đợi: sẽ chạy trong lượt tới của máy chủ.")
    }
}

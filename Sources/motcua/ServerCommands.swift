import ArgumentParser
import Foundation
import MotCuaServer
import class Vapor.Application

/// Options shared by commands that open the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help:
            """
            Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL postgres://... Mặc định: biến DATABASE_URL hoặc \
            <data-dir>/motcua.sqlite.
            """
    )
    var database: String?

    @Option(
        name: .long,
        help: "Thư mục dữ liệu (SQLite, tệp đính kèm, lịch làm việc). Mặc định: biến MOTCUA_DATA_DIR hoặc ./data.")
    var dataDir: String?

    func settings() throws -> Settings { try Settings(database: database, dataDirectory: dataDir) }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Chạy máy chủ web (cổng dịch vụ công, phần mềm một cửa, API).")
    @Option(help: "Địa chỉ lắng nghe.") var hostname: String = "127.0.0.1"
    @Option(help: "Cổng.") var port: Int = 8080
    @Flag(help: "Không nạp dữ liệu mẫu khi cơ sở dữ liệu trống.") var noDemo = false
    @Option(help: "Số hồ sơ mẫu khi nạp dữ liệu mẫu.") var demoDossiers: Int = 2000
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("Cổng phải từ 1 đến 65535.") }
    }

    func run() async throws {
        var settings = try db.settings()
        let shown =
            ["0.0.0.0", "::"].contains(hostname) ? "127.0.0.1" : hostname.contains(":") ? "[\(hostname)]" : hostname
        settings.listeningURL = URL(string: "http://\(shown):\(port)")
        if settings.publicURL == nil, ["0.0.0.0", "::"].contains(hostname) {
            say(
                """
                Lưu ý: chưa đặt MOTCUA_PUBLIC_URL; liên kết tra cứu và mã QR trên giấy tiếp nhận sẽ trỏ tới \
                \(settings.siteURL.absoluteString).
                """
            )
        }
        guard Settings.hasResources(settings.resourceDirectory) else {
            throw ValidationError(
                """
                Không tìm thấy giao diện (Resources/Views) tại \(settings.resourceDirectory.path): đặt biến \
                MOTCUA_HOME là thư mục mã nguồn MotCua.
                """
            )
        }
        try Launch.bootstrapLogging()
        try await Launch.withApplication(settings: settings) { app in
            try await Launch.migrate(app)
            if !noDemo, try await DemoLoader.isEmpty(app) {
                say("Cơ sở dữ liệu trống: đang nạp thành phố mẫu Cần Thơ với \(demoDossiers) hồ sơ...")
                try await DemoLoader.load(app, dossiers: demoDossiers, progress: DemoCommand.printProgress)
                try await DemoLoader.showcase(app)
                say("")
            }
            say("MotCua đang chạy tại http://\(hostname):\(port)/")
            say(
                """
                Đăng nhập: http://\(hostname):\(port)/dang-nhap  (API: http://\(hostname):\(port)/api/v1, tài \
                liệu: /openapi.yaml)
                """
            )
            if settings.chromium == nil {
                say(
                    """
                    Lưu ý: không tìm thấy Chromium (gói chromium, hoặc biến MOTCUA_CHROMIUM): biểu mẫu in từ \
                    trình duyệt, chưa tải được bản PDF.
                    """
                )
            }
            say("Tài khoản mẫu (mật khẩu \(DemoLoader.password)):")
            for a in DemoLoader.accounts {
                say("  \(a.username.padding(toLength: 26, withPad: " ", startingAt: 0)) \(a.role)")
            }
            try await Launch.serve(app, hostname: hostname, port: port)
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Tạo hoặc cập nhật cấu trúc cơ sở dữ liệu.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await Launch.withApplication(settings: db.settings()) { app in try await Launch.migrate(app) }
        say("Đã cập nhật cấu trúc cơ sở dữ liệu.")
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Nạp thành phố mẫu Cần Thơ: cơ quan, thủ tục, tài khoản và hồ sơ.")
    @Option(help: "Số hồ sơ mẫu.") var dossiers: Int = 2000
    @Option(help: "Hạt giống ngẫu nhiên (cùng hạt giống cho cùng dữ liệu).") var seed: UInt64 = 2026
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard (0...5_000_000).contains(dossiers) else { throw ValidationError("Số hồ sơ phải từ 0 đến 5.000.000.") }
    }

    static let printProgress: @Sendable (Int, Int, Double) -> Void = { done, total, elapsed in
        let rate = Double(done) / max(elapsed, 0.001)
        let left = Double(total - done) / max(rate, 0.001)
        var line = String(
            format: "\r%d/%d hồ sơ, %.0f hồ sơ/giây, đã chạy %.0f s, còn khoảng %.0f s   ", done, total, rate, elapsed,
            left)
        // The load into an empty database builds its indexes once every dossier is written.
        if done == total { line += "\nĐang tạo chỉ mục..." }
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    func run() async throws {
        try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            guard try await DemoLoader.isEmpty(app) else {
                throw ValidationError("Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
            }
            let started = Date()
            try await DemoLoader.load(app, dossiers: dossiers, seed: seed, progress: Self.printProgress)
            try await DemoLoader.showcase(app)
            say(
                String(
                    format: "\nĐã nạp tỉnh mẫu với %d hồ sơ trong %.1f giây.", dossiers,
                    Date().timeIntervalSince(started)))
        }
    }
}

struct VerifyLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-log",
        abstract: "Kiểm tra chuỗi băm của nhật ký xử lý mọi hồ sơ; mã thoát 1 nếu có mục bị sửa.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let (lines, ok) = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.verifyLog(app)
        }
        lines.forEach { say($0) }
        if !ok { throw ExitCode(1) }
    }
}

/// Writes a line to standard output at once (print is block-buffered when piped, and the server's
/// start-up message must show before it starts serving).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files", abstract: "Kho tệp đính kèm.", subcommands: [FilesGCCommand.self])
}

struct FilesGCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract:
            """
            Xoá các tệp trong kho không thuộc hồ sơ nào (tải lên bị lỗi giữa chừng) và tệp tạm; không bao giờ xoá \
            tệp đang được tham chiếu.
            """
    )
    @Option(help: "Chỉ xoá tệp cũ hơn số phút này (tệp đang tải lên được ghi trước khi có bản ghi).") var graceMinutes:
        Int = 60
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard graceMinutes >= 1 else { throw ValidationError("--grace-minutes phải từ 1 trở lên.") }
    }

    func run() async throws {
        let result = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Launch.collectFileGarbage(app, graceMinutes: graceMinutes)
        }
        say(
            """
            Đã xoá \(result.removed) tệp không được tham chiếu (\(result.removedBytes) byte); giữ lại \
            \(result.kept) tệp.
            """
        )
    }
}

struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "Số liệu thống kê báo cáo.",
        subcommands: [ReportsRebuildCommand.self, ReportsCheckCommand.self])
}

struct ReportsRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Tính lại toàn bộ số liệu tổng hợp của thống kê báo cáo từ hồ sơ (trong một giao dịch).")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let rows = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Launch.rebuildReports(app)
        }
        say("Đã tính lại số liệu thống kê: \(rows) dòng tổng hợp.")
    }
}

struct ReportsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "So sánh số liệu tổng hợp đã lưu với số liệu tính lại từ hồ sơ; mã thoát 1 nếu có chênh lệch.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let differences = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Launch.checkReports(app)
        }
        differences.prefix(50).forEach { say("CHÊNH LỆCH: " + $0) }
        if differences.count > 50 { say("... và \(differences.count - 50) chênh lệch khác.") }
        guard differences.isEmpty else {
            say("Có \(differences.count) dòng số liệu tổng hợp khác với hồ sơ: chạy \"motcua reports rebuild\".")
            throw ExitCode(1)
        }
        say("Số liệu tổng hợp khớp với hồ sơ.")
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract:
            """
            Sao lưu cơ sở dữ liệu (SQLite: VACUUM INTO; PostgreSQL: pg_dump), kho tệp và chứng thư số vào một thư \
            mục mới.
            """
    )
    @Option(name: .customLong("to"), help: "Thư mục sao lưu (mới hoặc trống).") var folder: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let started = Date()
        let summary = try await Launch.withApplication(settings: db.settings()) { app in
            try await Launch.migrate(app)
            return try await Backup.make(app, into: URL(fileURLWithPath: folder))
        }
        say(
            String(
                format: "Đã sao lưu %@ vào %@: %d hồ sơ, %d mục nhật ký, %d tệp (%d byte) trong %.1f giây.",
                summary.database, folder, summary.dossiers, summary.logEntries, summary.files, summary.fileBytes,
                Date().timeIntervalSince(started)))
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract:
            """
            Khôi phục một bản sao lưu vào cài đặt trống (--database, --data-dir), rồi kiểm tra số hồ sơ, nhật ký \
            và mọi tệp; mã thoát 1 nếu bản khôi phục không trọn vẹn.
            """
    )
    @Option(name: .customLong("from"), help: "Thư mục của bản sao lưu.") var folder: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try db.settings()
        let summary = try await Backup.restore(from: URL(fileURLWithPath: folder), into: settings)
        let problems = try await Launch.withApplication(settings: settings) { app in
            try await Launch.migrate(app)
            return try await Backup.verify(app, against: summary)
        }
        problems.prefix(50).forEach { say("LỖI: " + $0) }
        guard problems.isEmpty else { throw ExitCode(1) }
        say(
            """
            Đã khôi phục \(summary.dossiers) hồ sơ, \(summary.logEntries) mục nhật ký và \(summary.files) tệp \
            (\(summary.fileBytes) byte); mọi tệp khớp mã kiểm tra. Kiểm tra thêm: motcua verify-log, \
            motcua reports check.
            """
        )
    }
}

struct MigrateToCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-to",
        abstract:
            """
            Chuyển một cài đặt SQLite sang PostgreSQL (cơ sở dữ liệu trống): chép mọi bảng, rồi kiểm tra số dòng, \
            chuỗi nhật ký và số liệu thống kê; mã thoát 1 nếu có sai khác.
            """
    )
    @Argument(help: "Cơ sở dữ liệu PostgreSQL đích, trống: postgres://người-dùng:mật-khẩu@máy:5432/tên") var target:
        String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let source = try db.settings()
        guard !source.isPostgres else { throw ValidationError("Nguồn phải là SQLite (--database là tệp .sqlite).") }
        guard Settings.isPostgres(target) else {
            throw ValidationError("Đích phải là địa chỉ postgres://...")
        }
        let destination = try Settings(database: target, dataDirectory: source.dataDirectory.path)
        let started = Date()
        let report = try await Launch.withApplication(settings: destination) { to in
            guard try await MigrateToPostgres.targetIsEmpty(to) else {
                throw ValidationError(
                    "Cơ sở dữ liệu đích đã có bảng: chỉ chuyển vào một cơ sở dữ liệu PostgreSQL trống.")
            }
            try await Launch.migrate(to)
            return try await Launch.withApplication(settings: source) { from in
                try await Launch.migrate(from)
                return try await MigrateToPostgres.copy(from: from, to: to) { table, done, total in
                    FileHandle.standardOutput.write(Data("\r  \(table): \(done)/\(total)          ".utf8))
                    if done == total { FileHandle.standardOutput.write(Data("\n".utf8)) }
                }
            }
        }
        let rows = report.tables.map(\.rows).reduce(0, +)
        report.problems.prefix(50).forEach { say("LỖI: " + $0) }
        guard report.problems.isEmpty else { throw ExitCode(1) }
        say(
            String(
                format:
                    """
                    Đã chuyển %d bảng, %d dòng sang PostgreSQL trong %.1f giây: số dòng từng bảng khớp, chuỗi nhật ký \
                    nguyên vẹn, số liệu thống kê khớp với hồ sơ. Kho tệp và chứng thư số vẫn ở %@; chạy máy chủ với \
                    DATABASE_URL đích.
                    """, report.tables.count, rows, Date().timeIntervalSince(started), source.dataDirectory.path))
    }
}

import ArgumentParser
import Foundation
import MotCuaCore
import MotCuaServer

/// Benchmarks of MotCua. Run in release mode: `swift run -c release motcua-bench deadlines`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-bench",
        abstract: "Đo hiệu năng các phép tính của MotCua.",
        subcommands: [Deadlines.self, Pages.self, Reports.self, Transitions.self]
    )

    struct Pages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Đo thời gian máy chủ (p50/p95) của các trang và API trên một cơ sở dữ liệu lớn, cạnh một tuyến tối \
                thiểu đo cùng lượt. \
                Nạp tỉnh mẫu với --dossiers hồ sơ nếu cơ sở dữ liệu trống, nếu không dùng lại dữ liệu sẵn có.
                """)
        @Option(help: "Cơ sở dữ liệu: tệp SQLite hoặc URL postgres://...") var database: String
        @Option(help: "Thư mục dữ liệu.") var dataDir: String = "./bench-data"
        @Option(help: "Số hồ sơ mẫu nạp khi cơ sở dữ liệu trống.") var dossiers: Int = 1_000_000
        @Option(help: "Số lượt đo mỗi tuyến.") var rounds: Int = 100
        @Option(help: "Tài khoản đo (mặc định lãnh đạo tỉnh: phạm vi cả tỉnh, lớn nhất).") var username: String =
            "lanhdaotinh"

        func validate() throws {
            guard rounds >= 20 else { throw ValidationError("Cần ít nhất 20 lượt để có p95.") }
        }

        func run() async throws {
            let settings = try Settings(database: database, dataDirectory: dataDir)
            try await Launch.withApplication(settings: settings, logLevel: .error) { app in
                try await Launch.migrate(app)
                if try await DemoLoader.isEmpty(app) {
                    print("Cơ sở dữ liệu trống: nạp \(dossiers) hồ sơ mẫu...")
                    try await DemoLoader.load(app, dossiers: dossiers, progress: { _, _, _ in })
                }
                let figures = try await PageBenchmark.run(
                    app, username: username, password: DemoLoader.password, rounds: rounds
                ) { print($0) }
                let base = figures[0].p95
                print(
                    """
                    \(settings.isPostgres ? "PostgreSQL" : "SQLite"), \(rounds) lượt mỗi tuyến, thời gian máy chủ \
                    (ms):
                    """
                )
                print(
                    "tuyến".padding(toLength: 44, withPad: " ", startingAt: 0)
                        + "   p50     p95     max  p95/tối thiểu  mã")
                for f in figures {
                    print(
                        f.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                            + String(
                                format: "%6.1f  %6.1f  %6.1f  %8.1f×      %d", f.p50, f.p95, f.max,
                                f.p95 / max(base, 0.001), f.status))
                }
                let slow = figures.filter { $0.p95 > 150 }
                print(
                    slow.isEmpty
                        ? "Mọi tuyến dưới 150 ms ở p95."
                        : "Trên 150 ms ở p95: " + slow.map(\.name).joined(separator: ", "))
            }
        }
    }

    struct Transitions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Đo số bước chuyển hồ sơ mỗi giây (tiếp nhận và xử lý qua API) trên các máy chủ đang chạy, \
                cạnh một tuyến tối thiểu (GET /api/v1/me) đo xen kẽ cùng lượt. Cần tỉnh mẫu (motcua demo).
                """)
        @Option(name: .customLong("url"), help: "Địa chỉ một máy chủ MotCua (lặp lại cho mỗi máy chủ).")
        var urls: [String] = ["http://127.0.0.1:8080"]
        @Option(help: "Số máy khách chạy song song.") var clients: Int = 16
        @Option(help: "Số giây mỗi cửa sổ đo.") var seconds: Double = 10
        @Option(help: "Số lượt (mỗi lượt: tuyến tối thiểu rồi các bước chuyển).") var rounds: Int = 3
        @Option(help: "Số cơ quan tiếp nhận tối đa (mỗi cơ quan một thủ tục).") var agencies: Int = 8
        @Flag(help: "Chỉ tiếp nhận (không xử lý tiếp): đo riêng tiếp nhận tại quầy.") var receptionsOnly = false

        func validate() throws {
            guard clients >= 1, seconds >= 1, rounds >= 1, agencies >= 1, !urls.isEmpty else {
                throw ValidationError("--clients, --seconds, --rounds, --agencies từ 1; cần ít nhất một --url.")
            }
        }

        func run() async throws {
            let figures = try await TransitionBenchmark.run(
                urls: urls, clients: clients, seconds: seconds, rounds: rounds, agencies: agencies,
                receptionsOnly: receptionsOnly
            ) { print($0) }
            print("\(urls.count) máy chủ, \(clients) máy khách, cửa sổ \(Int(seconds)) giây:")
            for (i, r) in figures.rounds.enumerated() {
                print(
                    String(
                        format: "lượt %d: %7.1f bước chuyển/giây, tuyến tối thiểu %8.1f yêu cầu/giây, tỉ lệ %.3f",
                        i + 1,
                        r.transitionsPerSecond, r.trivialPerSecond, r.transitionsPerSecond / max(r.trivialPerSecond, 1))
                )
            }
            print("loại          số lượng   p50 ms   p95 ms   p99 ms")
            for kind in ["reception", "action", "trivial"] {
                let values = (figures.latencies[kind] ?? []).sorted()
                print(
                    kind.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(
                            format: "%9d %8.1f %8.1f %8.1f", values.count, Percentile.of(sorted: values, 0.5),
                            Percentile.of(sorted: values, 0.95), Percentile.of(sorted: values, 0.99)))
            }
            let median = figures.rounds.map(\.transitionsPerSecond).sorted()[figures.rounds.count / 2]
            let ratio = figures.rounds.map { $0.transitionsPerSecond / max($0.trivialPerSecond, 1) }.sorted()[
                figures.rounds.count / 2]
            print(String(format: "trung vị: %.1f bước chuyển/giây, tỉ lệ với tuyến tối thiểu %.3f", median, ratio))
            if !figures.failures.isEmpty {
                let examples = figures.failures.prefix(3).joined(separator: "; ")
                print("\(figures.failures.count) yêu cầu lỗi, ví dụ: \(examples)")
                throw ExitCode(1)
            }
        }
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Đo thống kê báo cáo (Biểu số II.06a) cạnh câu lệnh count(*) GROUP BY đơn giản trên cùng các hồ sơ, \
                cùng lượt; \
                và xuất Excel 100.000 hồ sơ. Cơ sở dữ liệu trống được nạp tỉnh mẫu (--dossiers) hoặc dữ liệu gọn chỉ \
                để đo (--lean).
                """)
        @Option(help: "Cơ sở dữ liệu: tệp SQLite hoặc URL postgres://...") var database: String
        @Option(help: "Thư mục dữ liệu.") var dataDir: String = "./bench-data"
        @Option(help: "Số hồ sơ mẫu nạp khi cơ sở dữ liệu trống.") var dossiers: Int = 1_000_000
        @Option(help: "Nạp N hồ sơ gọn (không nhật ký, không thành phần) thay cho tỉnh mẫu khi cơ sở dữ liệu trống.")
        var lean: Int?
        @Option(help: "Số năm trải hồ sơ gọn.") var years: Int = 5
        @Option(help: "Số lượt đo mỗi phép.") var rounds: Int = 60
        @Option(help: "Tài khoản đo (mặc định lãnh đạo tỉnh: cả tỉnh).") var username: String = "lanhdaotinh"
        @Flag(help: "Chỉ đo đọc và xuất Excel 100.000 hồ sơ.") var exportOnly = false
        @Option(help: "Chỉ đo các phép có tên chứa chuỗi này (cùng phép đối chứng), không xuất Excel.") var only:
            String?

        func validate() throws {
            guard rounds >= 20 else { throw ValidationError("Cần ít nhất 20 lượt để có p95.") }
            guard (lean ?? 1) >= 1, (1...20).contains(years) else {
                throw ValidationError("--lean từ 1, --years từ 1 đến 20.")
            }
        }

        func run() async throws {
            let settings = try Settings(database: database, dataDirectory: dataDir)
            try await Launch.withApplication(settings: settings, logLevel: .error) { app in
                try await Launch.migrate(app)
                if try await DemoLoader.isEmpty(app) {
                    let started = Date()
                    if let lean {
                        print("Cơ sở dữ liệu trống: nạp \(lean) hồ sơ gọn trong \(years) năm...")
                        try await LeanDossiers.load(app, count: lean, years: years) { n in
                            if n % 1_000_000 == 0 {
                                FileHandle.standardError.write(
                                    Data("\(n) hồ sơ, \(Int(Date().timeIntervalSince(started))) s\n".utf8))
                            }
                        }
                    } else {
                        print("Cơ sở dữ liệu trống: nạp \(dossiers) hồ sơ mẫu...")
                        try await DemoLoader.load(app, dossiers: dossiers, progress: { _, _, _ in })
                    }
                    print(String(format: "Đã nạp trong %.0f s.", Date().timeIntervalSince(started)))
                }
                if exportOnly {
                    print(try await ReportBenchmark.exportOnly(app, count: 100_000))
                    return
                }
                let result = try await ReportBenchmark.run(
                    app, username: username, password: DemoLoader.password, rounds: rounds, only: only
                ) {
                    FileHandle.standardError.write(Data(($0 + "\n").utf8))
                }
                let base = result.figures[0].p50
                print(
                    """
                    \(settings.isPostgres ? "PostgreSQL" : "SQLite"), \(result.dossiers) hồ sơ, \(rounds) lượt \
                    ((*): 5 lượt), thời gian (ms):
                    """
                )
                print(
                    "phép đo".padding(toLength: 52, withPad: " ", startingAt: 0)
                        + "    p50      p95   p50/đối chứng  mã")
                for f in result.figures {
                    print(
                        f.name.padding(toLength: 52, withPad: " ", startingAt: 0)
                            + String(
                                format: "%7.1f  %7.1f  %10.3f×    %d", f.p50, f.p95, f.p50 / max(base, 0.001), f.status)
                    )
                }
                if only == nil {
                    print(
                        String(
                            format: "Xuất Excel %d hồ sơ × 24 cột: %.1f s, bộ nhớ tăng %.0f MB.", result.export.rows,
                            result.export.seconds, result.export.megabytes))
                }
            }
        }
    }

    struct Deadlines: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tính N hạn giải quyết với thời điểm tiếp nhận ngẫu nhiên trong 2020-2030, trên một lõi.")
        @Option(help: "Số hạn cần tính.") var count: Int = 1_000_000
        @Option(help: "Hạt giống ngẫu nhiên.") var seed: UInt64 = 2024

        func run() throws {
            let t0 = ContinuousClock.now
            let calendar = try WorkingCalendar()
            let built = ContinuousClock.now - t0

            // Inputs are generated before timing so that only the arithmetic is measured.
            var rng = SplitMix64(seed: seed)
            let start = VietnamTime.instant(LocalDate(year: 2020, month: 1, day: 1)!, secondOfDay: 0)
                .timeIntervalSince1970
            let end = VietnamTime.instant(LocalDate(year: 2030, month: 12, day: 31)!, secondOfDay: 0)
                .timeIntervalSince1970
            let kinds: [ProcessingTime] = [
                .workingDays(0.5), .workingDays(1), .workingDays(3), .workingDays(10), .workingDays(15),
                .calendarDays(15), .calendarDays(30), .workingHours(4),
            ]
            var inputs: [(Date, ProcessingTime)] = []
            inputs.reserveCapacity(count)
            for _ in 0..<count {
                let t = start + Double(rng.next() % UInt64(end - start))
                inputs.append((Date(timeIntervalSince1970: t.rounded()), kinds[Int(rng.next() % UInt64(kinds.count))]))
            }

            var checksum = 0.0
            let t1 = ContinuousClock.now
            for (received, time) in inputs {
                checksum += try calendar.due(receivedAt: received, time: time).timeIntervalSince1970
            }
            let elapsed = ContinuousClock.now - t1
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("lịch làm việc 1900-2199 dựng trong \(built)")
            print(
                """
                \(count) hạn giải quyết trong \(String(format: "%.3f", seconds)) s = \
                \(String(format: "%.0f", Double(count) / seconds)) hạn/giây (một lõi; mục tiêu 1.000.000 trong \
                dưới 1 s)
                """
            )
            print("tổng kiểm \(String(format: "%.0f", checksum))")
        }
    }
}

import ArgumentParser
import Foundation
import MotCuaCore

/// Benchmarks of MotCua. Run in release mode: `swift run -c release motcua-bench deadlines`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-bench",
        abstract: "Đo hiệu năng các phép tính của MotCua.",
        subcommands: [Deadlines.self]
    )

    struct Deadlines: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tính N hạn giải quyết với thời điểm tiếp nhận ngẫu nhiên trong 2020-2030, trên một lõi.")
        @Option(help: "Số hạn cần tính.") var count: Int = 1_000_000
        @Option(help: "Hạt giống ngẫu nhiên.") var seed: UInt64 = 2024

        func run() throws {
            let t0 = ContinuousClock.now
            let calendar = try WorkingCalendar()
            let built = ContinuousClock.now - t0

            // Inputs are generated before timing so that only the arithmetic is measured.
            var rng = SplitMix64(seed: seed)
            let start = VietnamTime.instant(LocalDate(year: 2020, month: 1, day: 1)!, secondOfDay: 0).timeIntervalSince1970
            let end = VietnamTime.instant(LocalDate(year: 2030, month: 12, day: 31)!, secondOfDay: 0).timeIntervalSince1970
            let kinds: [ProcessingTime] = [.workingDays(0.5), .workingDays(1), .workingDays(3), .workingDays(10), .workingDays(15),
                                           .calendarDays(15), .calendarDays(30), .workingHours(4)]
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
            print("\(count) hạn giải quyết trong \(String(format: "%.3f", seconds)) s = \(String(format: "%.0f", Double(count) / seconds)) hạn/giây (một lõi; mục tiêu 1.000.000 trong dưới 1 s)")
            print("tổng kiểm \(String(format: "%.0f", checksum))")
        }
    }
}

Bench.main()

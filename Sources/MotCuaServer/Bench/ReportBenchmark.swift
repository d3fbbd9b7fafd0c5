import Fluent
import Foundation
import MotCuaCore
import NIOCore
import SQLKit
import Vapor

/// Speed of the statistics (`motcua-bench reports`): Biểu số II.06a for a year through the API and
/// the page, next to a plain `count(*) ... GROUP BY agency` and the summary written naively as one
/// `SUM(CASE ...)` scan, all over the same dossiers and measured in the same run, so the ratios
/// read the same on any machine; and an Excel export of 100,000 dossiers with the memory it took.
public enum ReportBenchmark {
    public struct Figure: Sendable {
        public let name: String
        public let p50: Double
        public let p95: Double
        public let status: UInt
    }

    public static func run(
        _ app: Application, username: String, password: String, rounds: Int, only: String? = nil,
        progress: (String) -> Void = { _ in }
    ) async throws -> (figures: [Figure], dossiers: Int, export: (rows: Int, seconds: Double, megabytes: Double)) {
        try await app.asyncBoot()
        let sql = app.db as! any SQLDatabase
        let login = try await PageBenchmark.respond(
            app, .POST, "/api/v1/login", headers: ["Content-Type": "application/json"],
            body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        struct Token: Decodable { let token: String }
        guard login.status == .ok,
            let token = try? JSONDecoder().decode(Token.self, from: Data(buffer: login.body.buffer ?? ByteBuffer()))
                .token
        else {
            throw Abort(.unauthorized, reason: "Không đăng nhập được bằng \(username).")
        }
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        let dossiers = try await sql.count("SELECT count(*) AS n FROM dossiers")
        let today = VietnamTime.local(Date()).date
        // The last twelve months to today, and the last whole calendar year.
        let yearAgo = today.adding(days: -364), lastYear = today.year - 1
        let start = VietnamTime.instant(yearAgo, secondOfDay: 0),
            end = VietnamTime.instant(today.adding(days: 1), secondOfDay: 0)
        let naive: SQLQueryString = """
            SELECT agency_id,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) AND channel = 'online' THEN \
              1 ELSE 0 END) AS new_online,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) AND channel <> 'online' THEN \
              1 ELSE 0 END) AS new_direct,
              SUM(CASE WHEN received_at < \(bind: start) AND (finished_at IS NULL OR finished_at >= \(bind: start)) \
              THEN 1 ELSE 0 END) AS carried,
              SUM(CASE WHEN finished_at >= \(bind: start) AND finished_at < \(bind: end) AND resolution = 'early' \
              THEN 1 ELSE 0 END) AS early,
              SUM(CASE WHEN finished_at >= \(bind: start) AND finished_at < \(bind: end) AND resolution IN \
              ('on_time', 'withdrawn') THEN 1 ELSE 0 END) AS on_time,
              SUM(CASE WHEN finished_at >= \(bind: start) AND finished_at < \(bind: end) AND resolution = 'late' THEN \
              1 ELSE 0 END) AS late,
              SUM(CASE WHEN received_at < \(bind: end) AND finished_at IS NULL THEN 1 ELSE 0 END) AS in_progress,
              SUM(CASE WHEN received_at < \(bind: end) AND finished_at IS NULL AND status IN ('received', \
              'processing') AND due_at < \(bind: Date()) THEN 1 ELSE 0 END) AS overdue
            FROM dossiers WHERE received_at IS NOT NULL GROUP BY agency_id
            """
        let period = "from=\(yearAgo.iso)&to=\(today.iso)"
        let pagePeriod = "tu-ngay=\(yearAgo.vietnamese)&den-ngay=\(today.vietnamese)"
        typealias Probe = (String, () async throws -> UInt)
        func api(_ path: String) -> () async throws -> UInt {
            { try await PageBenchmark.respond(app, .GET, path, headers: headers).status.code }
        }
        let allProbes: [Probe] = [
            (
                "Đối chứng: SELECT agency, count(*) GROUP BY agency (*)",
                {
                    _ = try await sql.raw("SELECT agency_id, count(*) AS n FROM dossiers GROUP BY agency_id").all();
                    return 200
                }
            ),
            (
                "Đối chứng: II.06a viết thẳng SUM(CASE ...) 1 năm (*)",
                {
                    _ = try await sql.raw(naive).all(); return 200
                }
            ),
            ("API II.06a 12 tháng, theo cơ quan", api("/api/v1/reports/summary?group=agency&\(period)")),
            ("API II.06a 12 tháng, theo thủ tục", api("/api/v1/reports/summary?group=procedure&\(period)")),
            ("API II.06a 12 tháng, theo lĩnh vực", api("/api/v1/reports/summary?group=field&\(period)")),
            (
                "API II.06a năm \(lastYear), theo cơ quan",
                api("/api/v1/reports/summary?group=agency&from=\(lastYear)-01-01&to=\(lastYear)-12-31")
            ),
            (
                "API II.06a năm \(lastYear), theo thủ tục",
                api("/api/v1/reports/summary?group=procedure&from=\(lastYear)-01-01&to=\(lastYear)-12-31")
            ),
            ("Trang Thống kê báo cáo 12 tháng", api("/thong-ke?\(pagePeriod)")),
            (
                "Tệp Excel II.06a 12 tháng, theo thủ tục",
                api("/api/v1/reports/summary?group=procedure&\(period)&format=xlsx")
            ),
            (
                "Báo cáo tuỳ chọn 12 tháng, trang đầu (7 cột)",
                api("/thong-ke/tuy-chon?cot[]=1&cot[]=3&cot[]=7&cot[]=15&cot[]=16&cot[]=20&cot[]=24&\(pagePeriod)")
            ),
            ("Báo cáo 3.5.3 đã trả kết quả 12 tháng, theo cơ quan", api("/api/v1/reports/returned?\(period)")),
            (
                "Báo cáo 3.5.1 tiếp nhận trực tiếp năm \(lastYear), theo thủ tục",
                api("/api/v1/reports/received-direct?group=procedure&from=\(lastYear)-01-01&to=\(lastYear)-12-31")
            ),
            (
                "Báo cáo 3.5.7 đang thụ lý 12 tháng, theo lĩnh vực",
                api("/api/v1/reports/processing?group=field&\(period)")
            ),
            ("Chỉ số 766 tháng này (12 tháng xu hướng)", api("/thong-ke/chi-so-766")),
            ("Chi tiết II.06a 12 tháng: tổng số tiếp nhận", api("/thong-ke/ho-so?\(pagePeriod)&cot=received")),
            ("Chi tiết II.06a 12 tháng: kỳ trước chuyển qua", api("/thong-ke/ho-so?\(pagePeriod)&cot=carriedOver")),
            ("Chi tiết II.06a 12 tháng: đã giải quyết quá hạn", api("/thong-ke/ho-so?\(pagePeriod)&cot=late")),
            (
                "Chi tiết II.06a 12 tháng: đã giải quyết quá hạn, trang 50",
                api("/thong-ke/ho-so?\(pagePeriod)&cot=late&trang=50")
            ),
            ("Chi tiết II.06a 12 tháng: đang giải quyết quá hạn", api("/thong-ke/ho-so?\(pagePeriod)&cot=overdue")),
        ]
        // The reference (first) and the measures named by `only`, or all.
        let probes = allProbes.enumerated().filter { i, p in
            i == 0 || only.map { p.0.localizedCaseInsensitiveContains($0) } ?? true
        }.map(\.element)
        var times = Array(repeating: [Double](), count: probes.count)
        var statuses = Array(repeating: UInt(0), count: probes.count)
        // What reads every dossier (or every dossier of the period) takes seconds at ten million:
        // marked (*), measured in a few rounds only.
        let slowRounds = 5
        for round in -1..<rounds {
            for (i, probe) in probes.enumerated() where !probe.0.hasSuffix("(*)") || round < slowRounds {
                let started = ContinuousClock.now
                statuses[i] = try await probe.1()
                let elapsed = ContinuousClock.now - started
                if round >= 0 {
                    times[i].append(
                        Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
            }
            if round >= 0, (round + 1) % 10 == 0 { progress("\(round + 1)/\(rounds) lượt") }
        }
        let figures = probes.enumerated().map { i, probe in
            let sorted = times[i].sorted()
            func at(_ q: Double) -> Double { Percentile.of(sorted: sorted, q) }
            return Figure(name: probe.0, p50: at(0.5), p95: at(0.95), status: statuses[i])
        }
        guard only == nil else { return (figures, dossiers, (0, 0, 0)) }
        progress("Xuất Excel 100.000 hồ sơ...")
        let export = try await exportDossiers(100_000, on: app.db)
        return (figures, dossiers, export)
    }

    /// Writes `count` dossiers with the 24 columns of the custom report to an Excel file; answers
    /// the seconds it took and how much the resident memory grew meanwhile.
    public static func exportOnly(_ app: Application, count: Int) async throws -> String {
        try await app.asyncBoot()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        let started = ContinuousClock.now
        let read = try await DossierExport.forEachPage(condition: "1 = 1", limit: count, on: app.db) { _ in }
        let reading = seconds(ContinuousClock.now - started)
        let export = try await exportDossiers(count, on: app.db)
        return String(
            format: "Đọc %d hồ sơ: %.1f s; xuất Excel %d hồ sơ × 24 cột: %.1f s, bộ nhớ tăng %.0f MB.", read, reading,
            export.rows, export.seconds, export.megabytes)
    }

    static func exportDossiers(_ count: Int, on db: any Database) async throws -> (
        rows: Int, seconds: Double, megabytes: Double
    ) {
        let before = residentMegabytes()
        let started = ContinuousClock.now
        let (writer, written) = try await DossierExport.xlsx(
            columns: DossierColumn.allCases, condition: "1 = 1", limit: count, now: Date(), on: db)
        let middle = residentMegabytes()
        _ = try writer.finish()
        let peak = max(middle, residentMegabytes())
        let elapsed = ContinuousClock.now - started
        return (
            written, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, peak - before
        )
    }

    /// The process's resident memory (VmRSS of /proc/self/status), in megabytes.
    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb / 1024
    }
}

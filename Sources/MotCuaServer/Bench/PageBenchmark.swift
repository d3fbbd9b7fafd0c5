import Fluent
import Foundation
import MotCuaCore
import NIOCore
import SQLKit
import Vapor

/// Server time of the staff pages and the API on a loaded database (`motcua-bench pages`): each
/// route is asked `rounds` times in turn through the application's whole responder (middleware,
/// authentication, queries, templates), next to a trivial route measured in the same run, so that
/// the figures compare as ratios on any machine.
public enum PageBenchmark {
    public struct Figure: Sendable {
        public let name: String
        public let path: String
        public let p50: Double
        public let p95: Double
        public let max: Double
        public let status: UInt
    }

    /// The routes measured, as the user of `username` (by default the monitor: the whole province,
    /// the largest scope); the dossier opened and searched for is one of the user's own list.
    static func routes(on app: Application, headers: HTTPHeaders) async throws -> [(String, String)] {
        struct Listed: Decodable { let items: [DossierSummary] }
        let list = try await respond(app, .GET, "/api/v1/dossiers?per=100&page=6&status=returned", headers: headers)
        // A returned one, so received (PostgreSQL lists the not yet received first in newest-first order, SQLite last).
        guard
            let latest = try? JSONDecoder().decode(Listed.self, from: Data(buffer: list.body.buffer ?? ByteBuffer()))
                .items.last(where: { $0.receivedAt != nil }),
            let receivedAt = latest.receivedAt
        else {
            throw Abort(.notFound, reason: "Người dùng chưa có đủ hồ sơ để đo: chạy với --dossiers N.")
        }
        let month = String(receivedAt.prefix(7))
        let first = LocalDate(iso: month + "-01")!
        let lastDay = LocalDate(year: first.year + first.month / 12, month: first.month % 12 + 1, day: 1)!.adding(
            days: -1
        ).iso
        let name = FormEncoding.encoded(latest.applicantName)
        return [
            ("Tuyến tối thiểu: GET /api/v1/me", "/api/v1/me"),
            ("Trang chủ", "/trang-chu"),
            ("Tra cứu hồ sơ, trang 1", "/ho-so"),
            ("Tra cứu hồ sơ, trang 400", "/ho-so?page=400"),
            ("Lọc trạng thái Đang thụ lý", "/ho-so?status=processing"),
            ("Lọc trạng thái Chờ bổ sung", "/ho-so?status=awaiting_supplement"),
            ("Tiếp nhận trong một tháng (\(month))", "/ho-so?from=\(month)-01&to=\(lastDay)"),
            ("Hạn xử lý trong một tháng", "/ho-so?dueFrom=\(month)-01&dueTo=\(lastDay)&sort=due_at"),
            ("Quá hạn, theo hạn xử lý", "/ho-so?due=overdue&sort=due_at"),
            ("Tìm \"nguyen van\"", "/ho-so?q=nguyen%20van"),
            ("Tìm \"tran thi h\"", "/ho-so?q=tran%20thi%20h"),
            ("Tìm họ tên đầy đủ", "/ho-so?q=\(name)"),
            // One word: a given name with its diacritics, a common middle name, a common family name.
            ("Tìm một tên \"Hiếu\"", "/ho-so?q=Hi%E1%BA%BFu"),
            ("Tìm một chữ \"Văn\"", "/ho-so?q=V%C4%83n"),
            ("Tìm một chữ \"nguyen\"", "/ho-so?q=nguyen"),
            ("Tìm đầu mã hồ sơ (cơ quan và ngày)", "/ho-so?q=\(latest.code.prefix(20))"),
            ("Chờ ký duyệt + tìm tên, theo hạn", "/ho-so?step=awaiting_signature&q=nguyen&sort=due_at"),
            ("Xem chi tiết hồ sơ", "/ho-so/\(latest.code)"),
            ("API: danh sách", "/api/v1/dossiers"),
            ("API: lọc trạng thái", "/api/v1/dossiers?status=processing"),
            ("API: một tháng", "/api/v1/dossiers?from=\(month)-01&to=\(lastDay)"),
            ("API: tìm \"nguyen van\"", "/api/v1/dossiers?q=nguyen%20van"),
            ("API: tìm một tên \"Hiếu\"", "/api/v1/dossiers?q=Hi%E1%BA%BFu"),
            ("API: chi tiết", "/api/v1/dossiers/\(latest.code)"),
        ]
    }

    public static func run(
        _ app: Application, username: String, password: String, rounds: Int,
        progress: (String) -> Void = { _ in }
    ) async throws -> [Figure] {
        try await app.asyncBoot()
        let login = try await respond(
            app, .POST, "/api/v1/login", headers: ["Content-Type": "application/json"],
            body: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard login.status == .ok,
            let token = try? JSONDecoder().decode(
                [String: AnyToken].self, from: Data(buffer: login.body.buffer ?? ByteBuffer()))["token"]?.text
        else {
            throw Abort(.unauthorized, reason: "Không đăng nhập được bằng \(username).")
        }
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        let routes = try await routes(on: app, headers: headers)
        var times = Array(repeating: [Double](), count: routes.count)
        var statuses = Array(repeating: UInt(0), count: routes.count)
        // Two warm-up rounds (caches, prepared templates), then the routes in turn, round after round,
        // so that every route sees the same state of the machine.
        for round in -2..<rounds {
            for (i, route) in routes.enumerated() {
                let start = ContinuousClock.now
                let response = try await respond(app, .GET, route.1, headers: headers)
                let elapsed = ContinuousClock.now - start
                statuses[i] = response.status.code
                if round >= 0 {
                    times[i].append(
                        Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
            }
            if round >= 0, (round + 1) % 10 == 0 { progress("\(round + 1)/\(rounds) lượt") }
        }
        return routes.enumerated().map { i, route in
            let sorted = times[i].sorted()
            func at(_ q: Double) -> Double { Percentile.of(sorted: sorted, q) }
            return Figure(
                name: route.0, path: route.1, p50: at(0.5), p95: at(0.95), max: sorted.last!, status: statuses[i])
        }
    }

    static func respond(
        _ app: Application, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String? = nil
    ) async throws -> Response {
        let request = Request(
            application: app, method: method, url: URI(string: path), headers: headers,
            collectedBody: body.map { ByteBuffer(string: $0) },
            remoteAddress: try .init(ipAddress: "127.0.0.1", port: 1),
            logger: app.logger, on: app.eventLoopGroup.next())
        return try await app.responder.respond(to: request).get()
    }

    /// The login answer's token (other fields are not read).
    private struct AnyToken: Decodable {
        let text: String?
        init(from decoder: any Decoder) throws { text = try? decoder.singleValueContainer().decode(String.self) }
    }
}

import Foundation
import NIOCore
import Vapor

/// Transitions per second through running instances (`motcua-bench transitions`, issue 23 point 9).
/// Clients side by side, spread over the instances, each receive dossiers of one agency of the demo
/// province at its desk through the API and take each through five actions by four people (hand
/// over, assign, propose a refusal, submit for signature, refuse): six transitions a dossier. Round
/// after round, a window of transitions alternates with a window of a trivial route (`GET
/// /api/v1/me`: one session lookup) asked by as many clients of the same instances, so that the
/// figures compare as a ratio on any machine.
public enum TransitionBenchmark {
    public struct Round: Sendable {
        public let transitionsPerSecond: Double
        public let trivialPerSecond: Double
    }

    public struct Figures: Sendable {
        public let rounds: [Round]
        /// Milliseconds, per kind of request ("reception", "action", "trivial").
        public let latencies: [String: [Double]]
        public let failures: [String]
        /// The agencies whose desks received, by name.
        public let agencies: [String]
    }

    /// One agency's procedure and the four people who take a dossier of it through.
    struct Track: Sendable {
        let agency: String
        let procedure: String
        let desk: String
        let head: String
        let officer: String
        let officerID: String
        let leader: String
        /// Only receptions: each dossier is received and left at the desk.
        var receptionsOnly = false
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// An HTTP client of the instances: JSON in and out, the status checked.
    struct API: Sendable {
        let client: HTTPClient
        let base: String

        func call(_ method: HTTPMethod, _ path: String, token: String? = nil, body: [String: Any]? = nil)
            async throws -> (status: UInt, json: [String: Any])
        {
            var headers = HTTPHeaders()
            if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
            var payload: HTTPClient.Body?
            if let body {
                headers.add(name: .contentType, value: "application/json")
                payload = .data(try JSONSerialization.data(withJSONObject: body))
            }
            let request = try HTTPClient.Request(url: base + path, method: method, headers: headers, body: payload)
            let response = try await client.execute(request: request).get()
            let data = response.body.map { Data(buffer: $0) } ?? Data()
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (response.status.code, json)
        }

        func expect(
            _ status: UInt, _ method: HTTPMethod, _ path: String, token: String? = nil, body: [String: Any]? = nil
        ) async throws -> [String: Any] {
            let (got, json) = try await call(method, path, token: token, body: body)
            guard got == status else {
                throw Failure(description: "\(method) \(path): \(got) \(json["detail"] ?? json["reason"] ?? "")")
            }
            return json
        }
    }

    /// The demo's open agencies, one procedure each whose four people exist, tried once end to end:
    /// those that work are the tracks.
    static func tracks(_ api: API, limit: Int, log: (String) -> Void) async throws -> [Track] {
        var tokens: [String: String] = [:]
        func token(_ username: String) async throws -> String {
            if let known = tokens[username] { return known }
            let json = try await api.expect(
                200, .POST, "/api/v1/login", body: ["username": username, "password": DemoLoader.password])
            let token = json["token"] as? String ?? ""
            tokens[username] = token
            return token
        }
        var tracks: [Track] = []
        var seen = Set<String>()
        var skipped: [String] = []
        for p in DemoCatalogue.procedures where !seen.contains(p.agency) && tracks.count < limit {
            guard let agency = DemoCatalogue.agencies.first(where: { $0.slug == p.agency }), agency.closed == nil
            else { continue }
            let department = "\(p.agency).\(p.department)"
            do {
                let officer = try await token("\(department).cv1")
                let me = try await api.expect(200, .GET, "/api/v1/me", token: officer)
                let track = Track(
                    agency: agency.name, procedure: p.code, desk: try await token("\(p.agency).tiepnhan"),
                    head: try await token("\(department).truongphong"), officer: officer,
                    officerID: me["id"] as? String ?? "", leader: try await token("\(p.agency).lanhdao"))
                var dossier = Dossier(track: track, number: 0)
                while try await dossier.step(api) != nil {}
                seen.insert(p.agency)
                // A code's last four digits count the agency's receptions today (at most 9,999): a
                // desk already past half of them (a large demo's busy day) would run out mid-run.
                if let received = dossier.code.flatMap({ Int($0.suffix(4)) }), received > 5_000 {
                    skipped.append("\(agency.name) (\(received) hồ sơ hôm nay)")
                    continue
                }
                tracks.append(track)
            } catch {
                continue  // an agency without these people or a procedure this path does not fit
            }
        }
        if !skipped.isEmpty {
            log("Bỏ qua quầy đã tiếp nhận quá nửa số mã trong ngày: " + skipped.joined(separator: ", "))
        }
        guard !tracks.isEmpty else {
            throw Failure(description: "Không có cơ quan nào của tỉnh mẫu tiếp nhận và xử lý được: nạp `motcua demo`.")
        }
        return tracks
    }

    /// A dossier on its way: received, then its five actions, one request a step.
    struct Dossier {
        let track: Track
        let number: Int
        var code: String?
        var version = 0
        var done = 0

        /// Performs the next step; returns its kind, or nil once the dossier is through.
        mutating func step(_ api: API) async throws -> String? {
            guard let code else {
                let json = try await api.expect(
                    201, .POST, "/api/v1/dossiers", token: track.desk,
                    body: [
                        "procedureCode": track.procedure, "channel": "direct",
                        "applicant": [
                            "name": "Nguyễn Văn Đo Tải \(number)", "idNumber": "092190009999",
                            "address": "Phường Vị Thanh, thành phố Cần Thơ",
                        ],
                    ])
                let dossier = json["dossier"] as? [String: Any]
                self.code = dossier?["code"] as? String
                version = dossier?["version"] as? Int ?? 0
                return "reception"
            }
            let steps: [(String, String, [String: Any])] = [
                (track.desk, "hand_over", [:]),
                (track.head, "assign", ["officer": track.officerID]),
                (
                    track.officer, "propose",
                    ["proposal": "refuse", "opinion": "Đề xuất từ chối.", "reason": "Hồ sơ chưa đủ điều kiện."]
                ),
                (track.head, "submit_for_signature", [:]),
                (track.leader, "refuse", ["reason": "Chưa đủ điều kiện giải quyết."]),
            ]
            guard done < steps.count, !track.receptionsOnly else { return nil }
            let (token, action, inputs) = steps[done]
            let json = try await api.expect(
                200, .POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token,
                body: inputs.merging(["version": version]) { a, _ in a })
            version = (json["dossier"] as? [String: Any])?["version"] as? Int ?? version + 1
            done += 1
            return "action"
        }
    }

    /// What one client counted.
    struct Tally: Sendable {
        var transitions: [Int]
        var trivial: [Int]
        var latencies: [String: [Double]] = [:]
        var failures: [String] = []
    }

    public static func run(
        urls: [String], clients: Int, seconds: Double, rounds: Int, agencies: Int, receptionsOnly: Bool = false,
        log: (String) -> Void
    ) async throws -> Figures {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                timeout: .init(connect: .seconds(10), read: .seconds(120)),
                connectionPool: .init(
                    idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)))
        do {
            let apis = urls.map { API(client: client, base: $0.hasSuffix("/") ? String($0.dropLast()) : $0) }
            for api in apis { _ = try await api.expect(200, .GET, "/readyz") }
            var tracks = try await Self.tracks(apis[0], limit: agencies, log: log)
            for i in tracks.indices { tracks[i].receptionsOnly = receptionsOnly }
            log("\(tracks.count) cơ quan tiếp nhận: " + tracks.map(\.agency).joined(separator: ", "))
            let start = Date().addingTimeInterval(1)
            let tallies = try await withThrowingTaskGroup(of: Tally.self) { group in
                for i in 0..<clients {
                    let api = apis[i % apis.count], track = tracks[i % tracks.count]
                    group.addTask {
                        try await Self.client(
                            number: i, api: api, track: track, start: start, seconds: seconds, rounds: rounds)
                    }
                }
                return try await group.reduce(into: [Tally]()) { $0.append($1) }
            }
            try await client.shutdown()
            var figures: [Round] = []
            for r in 0..<rounds {
                let transitions = tallies.reduce(0) { $0 + $1.transitions[r] }
                let trivial = tallies.reduce(0) { $0 + $1.trivial[r] }
                figures.append(
                    Round(
                        transitionsPerSecond: Double(transitions) / seconds, trivialPerSecond: Double(trivial) / seconds
                    ))
            }
            return Figures(
                rounds: figures,
                latencies: tallies.reduce(into: [:]) { all, t in all.merge(t.latencies) { $0 + $1 } },
                failures: tallies.flatMap(\.failures), agencies: tracks.map(\.agency))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// One client: in each round, the trivial route until its window closes, then its dossiers until
    /// theirs does. A request counts in a window if it is answered inside it.
    static func client(
        number: Int, api: API, track: Track, start: Date, seconds: Double, rounds: Int
    ) async throws -> Tally {
        var tally = Tally(transitions: Array(repeating: 0, count: rounds), trivial: Array(repeating: 0, count: rounds))
        var made = 0
        var dossier = Dossier(track: track, number: number * 1_000_000)
        func nextDossier() {
            made += 1
            dossier = Dossier(track: track, number: number * 1_000_000 + made)
        }
        if start > Date() { try await Task.sleep(for: .seconds(start.timeIntervalSinceNow)) }
        for r in 0..<rounds {
            let trivialEnd = start.addingTimeInterval(Double(2 * r + 1) * seconds)
            let transitionEnd = start.addingTimeInterval(Double(2 * r + 2) * seconds)
            while Date() < trivialEnd {
                let began = Date()
                let (status, _) = try await api.call(.GET, "/api/v1/me", token: track.desk)
                if status != 200 { tally.failures.append("GET /api/v1/me: \(status)") }
                let answered = Date()
                tally.latencies["trivial", default: []].append(answered.timeIntervalSince(began) * 1000)
                if answered <= trivialEnd { tally.trivial[r] += 1 }
            }
            while Date() < transitionEnd {
                let began = Date()
                do {
                    guard let kind = try await dossier.step(api) else {
                        nextDossier()
                        continue
                    }
                    let answered = Date()
                    tally.latencies[kind, default: []].append(answered.timeIntervalSince(began) * 1000)
                    if answered <= transitionEnd { tally.transitions[r] += 1 }
                } catch {
                    tally.failures.append("\(error)")
                    nextDossier()
                }
            }
        }
        return tally
    }

}

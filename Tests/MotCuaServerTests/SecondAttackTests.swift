import Fluent
import Foundation
import MotCuaCore
import MotCuaTestSupport
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer
#if canImport(Glibc)
import Glibc
#endif

/// What the second independent attacker got through (issue 19), each kept closed, on both databases
/// where a database is involved.
@Suite(.serialized) struct SecondAttackTests {
    // MARK: 1. No second HTTP parser: the client's address is the connection's

    /// The lookup's per-address throttle rows: which addresses were counted.
    func countedAddresses(_ t: TestApp, among candidates: [String]) async throws -> Set<String> {
        let keys = try await (t.app.db as! any SQLDatabase).raw("SELECT throttle_key FROM throttles").all()
            .map { try $0.decode(column: "throttle_key", as: String.self) }
        return Set(candidates.filter { keys.contains(Throttle.lookupAddress.key($0)) })
    }

    @Test(arguments: TestDatabase.available)
    func smuggledRequestsAndForwardedHeadersCannotPickTheClientAddress(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            try await t.serving { port in
                let forged = (1...30).map { "198.51.100.\($0)" }
                // The attacker's bytes: a POST whose head ends at a bare-LF blank line, its
                // Content-Length covering a smuggled lookup with its own X-Forwarded-For.
                for (n, address) in forged.prefix(8).enumerated() {
                    let smuggled = "GET /api/v1/lookup?code=STP-000000-\(String(format: "%04d", n))&secret=1234 HTTP/1.1\r\nHost: x\r\n"
                        + "X-Forwarded-For: \(address)\r\n\r\n"
                    // A last request closes the connection, so that each exchange ends once answered.
                    let attack = "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(smuggled.utf8.count)\r\n\n" + smuggled + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    _ = try await RawHTTP.exchange(port: port, Array(attack.utf8))
                    // The same with bare LFs throughout.
                    _ = try await RawHTTP.exchange(port: port, Array(attack.replacingOccurrences(of: "\r\n", with: "\n").utf8))
                }
                // Wrong lookups sent plainly, each naming another address: the 21st from this
                // connection's address is refused however many addresses the header names.
                var statuses: [String] = []
                for (n, address) in forged.suffix(22).enumerated() {
                    let request = "GET /api/v1/lookup?code=STP-111111-\(String(format: "%04d", n))&secret=1234 HTTP/1.1\r\nHost: x\r\n"
                        + "X-Forwarded-For: \(address)\r\nConnection: close\r\n\r\n"
                    statuses.append(String(try await RawHTTP.exchange(port: port, Array(request.utf8)).prefix(12)))
                }
                #expect(statuses.last == "HTTP/1.1 429", "\(statuses)")
                #expect(try await countedAddresses(t, among: forged).isEmpty, "no forged address was ever counted")
                #expect(try await countedAddresses(t, among: ["127.0.0.1"]) == ["127.0.0.1"])
            }
        }
    }

    /// Behind a trusted proxy (MOTCUA_TRUSTED_PROXIES) the client is the address that proxy appended,
    /// not what the client put in front of it.
    @Test(arguments: TestDatabase.available)
    func onlyATrustedProxyNamesTheClient(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: ["MOTCUA_TRUSTED_PROXIES": "127.0.0.1"]) { t in
            try await t.serving { port in
                var statuses: [String] = []
                for n in 0..<22 {
                    // nginx appends the address it saw (203.0.113.9); the client forged the first.
                    let request = "GET /api/v1/lookup?code=STP-222222-\(String(format: "%04d", n))&secret=1234 HTTP/1.1\r\nHost: x\r\n"
                        + "X-Forwarded-For: 192.0.2.\(n), 203.0.113.9\r\nConnection: close\r\n\r\n"
                    statuses.append(String(try await RawHTTP.exchange(port: port, Array(request.utf8)).prefix(12)))
                }
                #expect(statuses.last == "HTTP/1.1 429", "\(statuses)")
                #expect(try await countedAddresses(t, among: ["203.0.113.9", "127.0.0.1", "192.0.2.0"]) == ["203.0.113.9"])
            }
        }
        #expect(throws: (any Error).self) { try Settings(environment: ["MOTCUA_TRUSTED_PROXIES": "nginx.local"]) }
        #expect(throws: (any Error).self) { try Settings(environment: ["MOTCUA_TRUST_FORWARDED": "1"]) }
    }

    /// A connection that says nothing is closed after the idle time; an address over 8 KB is a 414.
    @Test func idleConnectionsAreClosedAndLongAddressesAnswered() async throws {
        try await TestApp.with(.sqlite, environment: ["MOTCUA_IDLE_TIMEOUT": "1"]) { t in
            try await t.serving { port in
                let started = Date()
                let silent = try await RawHTTP.exchange(port: port, [], wait: 10)
                #expect(silent.isEmpty && Date().timeIntervalSince(started) < 8, "closed after about a second")
                let long = try await RawHTTP.exchange(port: port, Array("GET /api/v1/dossiers?q=\(String(repeating: "a", count: 20_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                #expect(long.hasPrefix("HTTP/1.1 414"), "\(long.prefix(100))")
            }
        }
        #expect(throws: (any Error).self) { try Settings(environment: ["MOTCUA_IDLE_TIMEOUT": "0"]) }
    }

    // MARK: 2 and 4. Exports: no formula runs, no character breaks a workbook

    @Test(arguments: TestDatabase.available)
    func formulasInNamesAreExportedAsText(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 60) { t in
            let formula = "=HYPERLINK(\"http://evil.example/\",\"Xem ho so\")"
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest(name: formula))
            #expect(created.status == .created, "\(created.text)")
            // A staff member named like a formula (as stored by an older version).
            let officers = try await UserModel.query(on: t.app.db).filter(\.$username ~~ ["stp.hctp.cv1", "stp.hctp.cv2"]).all()
            for o in officers { o.fullName = "@SUM(1+1)*cmd|' /C calc'!A0 \(o.username)"; try await o.save(on: t.app.db) }
            let monitor = try await t.pageSession("lanhdaotinh")
            let criteria = "tu-ngay=01/01/2020&den-ngay=31/12/2030"
            let custom = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&cot[]=7&\(criteria)&tep=csv", headers: monitor.headers)
            #expect(custom.status == .ok)
            let rows = try CSV.parse(custom.text).map(\.fields)
            #expect(rows.contains { $0.contains("'" + formula) }, "the name is written with a leading quote")
            #expect(!rows.flatMap { $0 }.contains { $0.first.map { "=+-@".contains($0) } == true }, "no cell starts like a formula")
            let report = try await t.request(.GET, "/thong-ke/bao-cao/officers?nhom=co-quan&\(criteria)&tep=csv", headers: monitor.headers)
            #expect(report.status == .ok)
            let cells = try CSV.parse(report.text).flatMap(\.fields)
            #expect(cells.contains { $0.hasPrefix("'@SUM(1+1)") } && !cells.contains { $0.hasPrefix("@") }, "\(report.text.prefix(600))")
        }
    }

    @Test(arguments: TestDatabase.available)
    func nonCharactersAreRefusedAndNeverBreakAWorkbook(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let refused = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest(name: "Nguyễn Văn \(nonCharacter(0xFFFE))\(nonCharacter(0xFFFF)) Bình"))
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            // A name stored before the check: the workbook drops what XML forbids and stays valid.
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest(name: "Nguyễn Văn Bình"))
            let code = try created.decode(DossierDetail.self).dossier.code
            let d = try await t.dossier(code)
            d.applicantName = "Nguyễn Văn \(nonCharacter(0xFFFE))\(nonCharacter(0xFFFF))\u{1} Bình"
            try await d.save(on: t.app.db)
            let leader = try await t.pageSession("stp.lanhdao")
            let file = t.directory.appendingPathComponent("ten.xlsx")
            let export = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&cot[]=7&tu-ngay=01/01/2020&den-ngay=31/12/2030&tep=xlsx", headers: leader.headers)
            #expect(export.status == .ok)
            try export.body.write(to: file)
            let cells = try ReportPageTests.openpyxl(file)
            #expect(cells.contains { row in row.contains { ($0 as? String) == "Nguyễn Văn  Bình" } }, "\(cells)")
        }
    }

    // MARK: 3. Nested JSON: refused with the reason, never a crash

    @Test(arguments: TestDatabase.available)
    func deeplyNestedCalendarFilesAreRefused(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let nested = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
            let boundary = "motcua-test-boundary"
            var h = admin.headers
            h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lich.json\"\r\nContent-Type: application/json\r\n\r\n"
                + nested + "\r\n--\(boundary)--\r\n"
            let r = try await t.request(.POST, "/quan-tri/lich-lam-viec/nhap?nam=2030&_csrf=\(admin.csrf)", headers: h, body: ByteBuffer(string: body))
            #expect(r.status == .unprocessableEntity && r.text.contains("lồng nhau quá sâu"), "\(r.status) \(r.text.prefix(300))")
            // The server is still there.
            #expect(try await t.request(.GET, "/quan-tri/lich-lam-viec", headers: admin.headers).status == .ok)
        }
    }

    // MARK: 5. Names: who acted is the account, not the name it chose

    @Test(arguments: TestDatabase.available)
    func aRenamedOfficerCannotPassForTheHead(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let head = try await t.user("stp.hctp.truongphong")
            let officerPage = try await t.pageSession("stp.hctp.cv1")
            // The head's name is taken within the agency (letter case and spacing aside).
            let spaced = head.fullName.uppercased().replacingOccurrences(of: " ", with: "  ")
            let form = "fullName=" + spaced.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let r = try await t.post("/tai-khoan/thong-tin", form, session: officerPage)
            #expect(r.status == .unprocessableEntity && r.text.contains("đã được một tài khoản khác"), "\(r.status)")
            #expect(try await t.user("stp.hctp.cv1").fullName != head.fullName)

            // Renamed anyway (as stored by an older version): the log says which account acted.
            let officer = try await t.user("stp.hctp.cv1")
            officer.fullName = head.fullName
            try await officer.save(on: t.app.db)
            let desk = try await t.login("stp.tiepnhan"), headToken = try await t.login("stp.hctp.truongphong")
            let officerToken = try await t.login("stp.hctp.cv1")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: desk, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            for (action, token, body) in [("hand_over", desk, ActionRequest(version: 1)), ("assign", headToken, ActionRequest(version: 2, officer: officer.id!)),
                                          ("propose", officerToken, ActionRequest(version: 3, opinion: "Đủ điều kiện", proposal: .approve))] {
                if action == "propose" { _ = try await t.upload(minimalPDF("Kết quả"), name: "ket-qua.pdf", component: nil, to: code, token: officerToken) }
                #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: body).status == .ok, "\(action)")
            }
            let log = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: headToken).decode(DossierDetail.self).log
            let proposal = try #require(log.last { $0.action == "propose" })
            #expect(proposal.action == "propose" && proposal.actorUsername == "stp.hctp.cv1" && proposal.actorName == head.fullName)
            #expect(log.first { $0.action == "assign" }?.actorUsername == "stp.hctp.truongphong")
            let page = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: officerPage.headers).text
            #expect(page.contains("\(head.fullName) (stp.hctp.cv1)") && page.contains("\(head.fullName) (stp.hctp.truongphong)"))
            // The username is part of the chained content: changing it breaks the chain.
            #expect(try await Launch.verifyLog(t.app).ok)
            try await (t.app.db as! any SQLDatabase).raw("UPDATE log_entries SET actor_username = 'stp.hctp.truongphong' WHERE action = 'propose'").run()
            #expect(try await !Launch.verifyLog(t.app).ok)
        }
    }

    // MARK: 7. Files of the data directory are the server's own

    @Test(arguments: TestDatabase.available)
    func theDataDirectoryIsPrivate(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let d = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
            #expect(try await t.upload(minimalPDF("Đơn"), name: "don.pdf", component: 1, to: d.dossier.code, token: reception).status == .created)
            let settings = t.app.motcua.settings
            func mode(_ url: URL) throws -> Int { (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int) & 0o777 }
            #expect(try mode(settings.dataDirectory) == 0o700)
            let stored = try #require(FileManager.default.enumerator(at: settings.filesDirectory, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath && (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == false })
            #expect(!stored.isEmpty)
            for file in stored { #expect(try mode(file) == 0o600, "\(file.path)") }
            if db == .sqlite { #expect(try mode(URL(fileURLWithPath: settings.database)) == 0o600) }
            let ca = t.app.motcua.signing.ca.directory
            for key in ["ca.key", "users/stp.lanhdao.key", "secret"] { #expect(try mode(ca.appendingPathComponent(key)) == 0o600, "\(key)") }
            #expect(DataPermissions.warnings(settings).isEmpty, "\(DataPermissions.warnings(settings))")
            // Widened by hand: `serve` says so at start.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ca.appendingPathComponent("ca.key").path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: settings.dataDirectory.path)
            let warnings = DataPermissions.warnings(settings)
            #expect(warnings.count == 2 && warnings.contains { $0.contains("ca.key") && $0.contains("644") && $0.contains("chmod 600") })
        }
    }

    // MARK: 8. Links printed for citizens never follow the request's Host

    @Test(arguments: TestDatabase.available)
    func theReceiptLinksToTheConfiguredAddress(db: TestDatabase) async throws {
        for environment in [[:], ["MOTCUA_PUBLIC_URL": "https://dichvucong.haugiang.gov.vn"]] {
            try await TestApp.with(db, environment: environment) { t in
                let reception = try await t.login("stp.tiepnhan")
                let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                    .decode(DossierDetail.self).dossier.code
                var session = try await t.pageSession("stp.tiepnhan")
                session.headers.replaceOrAdd(name: .host, value: "evil.example")
                let receipt = try await t.request(.GET, "/ho-so/\(code)/mau/01", headers: session.headers)
                #expect(receipt.status == .ok)
                #expect(!receipt.text.contains("evil.example"))
                let expected = environment["MOTCUA_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
                #expect(receipt.text.contains(expected + "/tra-cuu?code="), "\(expected)")
            }
        }
    }

    // MARK: 9. Exports take two places per instance

    @Test(arguments: TestDatabase.available)
    func exportsBeyondTwoAtOnceAreTurnedAwayWhileThePagesStayFast(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 200) { t in
            let monitor = try await t.pageSession("lanhdaotinh")
            let export = "/thong-ke/tuy-chon?cot[]=1&cot[]=3&cot[]=7&cot[]=15&tu-ngay=01/01/2020&den-ngay=31/12/2030&tep=xlsx"
            // Warm the login page, then measure it while 20 province-wide exports are asked at once.
            _ = try await t.request(.GET, "/dang-nhap")
            async let exports = withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let r = try await t.request(.GET, export, headers: monitor.headers)
                        return (r.status, r.headers.first(name: "Retry-After"))
                    }
                }
                return try await group.reduce(into: [(HTTPStatus, String?)]()) { $0.append($1) }
            }
            var latencies: [Double] = []
            for _ in 0..<10 {
                let start = ContinuousClock.now
                #expect(try await t.request(.GET, "/dang-nhap").status == .ok)
                latencies.append(Double((ContinuousClock.now - start).components.attoseconds) / 1e15)
            }
            let answers = try await exports
            #expect(answers.allSatisfy { $0.0 == .ok || ($0.0 == .serviceUnavailable && $0.1 == "10") }, "\(answers)")
            #expect(answers.contains { $0.0 == .ok })
            #expect(latencies.sorted()[latencies.count / 2] < 200, "login page median \(latencies.sorted()) ms")

            // Two exports holding their places: a third is a 503 with Retry-After, at once.
            let request = Request(application: t.app, on: t.app.eventLoopGroup.next())
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let holders = (0..<2).map { _ in Task { try await request.export { for await _ in gate { break } } } }
            try await Task.sleep(for: .milliseconds(200))
            await #expect(throws: ServiceError.self) { try await request.export { 1 } }
            open.yield(); open.yield(); open.finish()
            for holder in holders { try await holder.value }
            #expect(try await request.export { 2 } == 2)
        }
    }

    // MARK: 10. Amounts in đồng are integers

    @Test(arguments: TestDatabase.available)
    func paymentAmountsMustBeWholeNumbers(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: ["MOTCUA_PAYMENT_SECRET": PaymentTests.secret]) { t in
            let reception = try await t.login("stp.tiepnhan")
            let (code, _) = try await PaymentTests().awaitingPayment(t, reception: reception)
            for amount in ["200000.0", "2e5", "2E5", "200000.5", "\"200000\"", "true"] {
                let r = try await PaymentTests().notify(t, "{\"dossierCode\":\"\(code)\",\"transactionId\":\"PG-\(amount.hashValue)\",\"amount\":\(amount)}")
                #expect(r.status == .unprocessableEntity, "\(amount): \(r.status)")
            }
            #expect(try await PaymentModel.query(on: t.app.db).filter(\.$status == PaymentStatus.paid.rawValue).count() == 0)
            let ok = try await PaymentTests().notify(t, "{\"dossierCode\":\"\(code)\",\"transactionId\":\"PG-1\",\"amount\":200000}")
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }
}

/// A request written byte for byte on a new TCP connection to the test server, and everything it
/// answered until it closed or `wait` seconds passed without a byte. The blocking socket runs on
/// threads of its own: on the concurrency pool's two threads (or on NIO's shared pool, which the
/// server uses too) it could hold the thread the server's handler needs while the whole suite runs,
/// and the server then answered nothing.
enum RawHTTP {
    private static let clients: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    static func exchange(port: Int, _ bytes: [UInt8], wait: Int = 20) async throws -> String {
        try await clients.runIfActive { try blockingExchange(port: port, bytes, wait: wait) }
    }

    private static func blockingExchange(port: Int, _ bytes: [UInt8], wait: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: wait, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            answer += buffer.prefix(n)
        }
        return String(decoding: answer, as: UTF8.self)
    }
}

/// A Unicode non-character (U+FFFE, U+FFFF), which a Swift literal may not spell.
private func nonCharacter(_ value: UInt32) -> String { String(Unicode.Scalar(value)!) }

import Foundation
import NIOPosix
import NIOSSL
import Testing
@testable import MotCuaServer

/// The SMTP client against Python's aiosmtpd (Tests/smtp/fake_smtp.py), over real sockets: STARTTLS
/// then AUTH PLAIN, implicit TLS then AUTH LOGIN, a wrong password, a relay that must not be spoken
/// to in clear, a certificate nobody vouches for, and a Vietnamese subject read back by Python's own
/// e-mail parser.
@Suite(.serialized) struct SMTPClientTests {
    struct Relay {
        let process: Process
        let directory: URL
        let certificate: String
        let starttlsPort: Int
        let tlsPort: Int

        func received() throws -> [[String: Any]] {
            try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("out").path).map {
                let data = try Data(contentsOf: directory.appendingPathComponent("out").appendingPathComponent($0))
                return try JSONSerialization.jsonObject(with: data) as! [String: Any]
            }
        }
    }

    static func freePort() throws -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func run(_ arguments: [String], in directory: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.currentDirectoryURL = directory
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(arguments)")
    }

    func withRelay(_ body: (Relay) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                      "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], in: directory)
        let starttls = try Self.freePort(), tls = try Self.freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("smtp/fake_smtp.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "cert.pem", "key.pem", String(starttls), String(tls), "out"]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // SIGKILL: the test process's children do not all take SIGTERM.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let ready = pipe.fileHandleForReading.availableData
        #expect(String(decoding: ready, as: UTF8.self).contains("ready"), "aiosmtpd did not start (pip install aiosmtpd)")
        try await body(Relay(process: process, directory: directory, certificate: directory.appendingPathComponent("cert.pem").path,
                             starttlsPort: starttls, tlsPort: tls))
    }

    func settings(_ relay: Relay, port: Int, security: SMTPSettings.Security, password: String = "mật-khẩu-thư") throws -> SMTPSettings {
        var s = SMTPSettings(host: "localhost", port: port, security: security, username: "motcua", password: password,
                             fromAddress: "motcua@haugiang.gov.vn", fromName: "Cổng dịch vụ công tỉnh Hậu Giang")
        s.trustRoots = .file(relay.certificate)
        s.timeout = .seconds(10)
        return s
    }

    @Test func sendsOverStartTLSAndImplicitTLSWithALogin() async throws {
        try await withRelay { relay in
            let group = MultiThreadedEventLoopGroup.singleton
            let subject = "Hồ sơ 000.00.12.H28-261203-0001: đã có kết quả giải quyết, mời ông/bà đến nhận tại Bộ phận Một cửa"
            let body = "Kính gửi bà Nguyễn Thị Ánh,\n.\nHồ sơ của bà đã được giải quyết.\n.dòng bắt đầu bằng dấu chấm"
            try await SMTPClient.send(EmailMessage(to: "anh.nguyen@example.vn", subject: subject, body: body, messageID: "a@motcua"),
                                      with: try settings(relay, port: relay.starttlsPort, security: .startTLS), on: group)
            try await SMTPClient.send(EmailMessage(to: "b@example.vn", subject: "Thông báo", body: "Nội dung", messageID: "b@motcua"),
                                      with: try settings(relay, port: relay.tlsPort, security: .tls), on: group)
            let mails = try relay.received().sorted { ($0["to"] as! [String])[0] < ($1["to"] as! [String])[0] }
            #expect(mails.count == 2)
            let first = try #require(mails.first)
            #expect(first["subject"] as? String == subject && first["tls"] as? Bool == true && first["login"] as? String == "motcua")
            #expect((first["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == body + "\n" || (first["body"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == body)
            let sender = first["sender"] as? String ?? ""
            #expect(first["from"] as? String == "motcua@haugiang.gov.vn")
            #expect(sender.contains("Cổng dịch vụ công tỉnh Hậu Giang") && sender.hasSuffix("<motcua@haugiang.gov.vn>"), "\(sender)")
            #expect((first["raw"] as? String)?.split(separator: "\r\n").allSatisfy { $0.count <= 78 } == true, "RFC 5322 line length")
            #expect(mails.last?["tls"] as? Bool == true && mails.last?["login"] as? String == "motcua")
        }
    }

    @Test func refusalsAreErrorsThatSayWhetherToTryAgain() async throws {
        try await withRelay { relay in
            let group = MultiThreadedEventLoopGroup.singleton
            let message = EmailMessage(to: "c@example.vn", subject: "Thử", body: "x", messageID: "c@motcua")
            // A wrong password: 535, not worth another try.
            do {
                try await SMTPClient.send(message, with: try settings(relay, port: relay.starttlsPort, security: .startTLS, password: "sai"), on: group)
                Issue.record("a wrong password was accepted")
            } catch let error as SMTPError { #expect(error.code == 535 && !error.isTransient, "\(error)") }
            // In clear to a relay that offers a login only under TLS: the password is never sent in clear.
            do {
                try await SMTPClient.send(message, with: try settings(relay, port: relay.starttlsPort, security: .none), on: group)
                Issue.record("a message went in clear")
            } catch let error as SMTPError { #expect(error.description.contains("đăng nhập"), "\(error)") }
            // A certificate nobody vouches for: the TLS handshake fails.
            var untrusted = try settings(relay, port: relay.tlsPort, security: .tls)
            untrusted.trustRoots = .default
            await #expect(throws: (any Error).self) { try await SMTPClient.send(message, with: untrusted, on: group) }
            // A header cannot be injected through the address.
            var injected = message
            injected.to = "c@example.vn>\r\nBcc: <d@example.vn"
            await #expect(throws: SMTPError.self) {
                try await SMTPClient.send(injected, with: try settings(relay, port: relay.tlsPort, security: .tls), on: group)
            }
            #expect(try relay.received().isEmpty)
        }
    }
}

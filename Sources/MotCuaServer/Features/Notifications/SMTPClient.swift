import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One e-mail to one applicant: plain text in UTF-8.
struct EmailMessage: Sendable {
    var to: String
    var subject: String
    var body: String
    var messageID: String
}

struct SMTPError: Error, CustomStringConvertible {
    /// The relay's reply code, 0 when the connection failed, timed out or was closed.
    let code: Int
    let description: String
    /// 4xx and connection failures are worth another try; 5xx are not.
    var isTransient: Bool { code == 0 || (400..<500).contains(code) }
}

/// A small SMTP client (RFC 5321) on SwiftNIO and swift-nio-ssl: EHLO, STARTTLS (RFC 3207) or
/// implicit TLS, AUTH PLAIN or LOGIN (RFC 4954), one message per connection. The message is MIME
/// text in UTF-8, its body in base64 and its subject and sender's name as RFC 2047 encoded words.
enum SMTPClient {
    static func send(_ message: EmailMessage, with settings: SMTPSettings, on group: any EventLoopGroup) async throws {
        for text in [message.to, message.subject, settings.fromAddress, settings.fromName, message.messageID]
        where text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw SMTPError(code: 0, description: "Dòng tiêu đề thư không được chứa ký tự xuống dòng")
        }
        let tls = try NIOSSLContext(configuration: Self.tlsConfiguration(settings))
        let implicit = settings.security == .tls
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(settings.timeout)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(settings.host)))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = Session(
                inbound: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel,
                timeout: settings.timeout)
            try await session.expect(220, "lời chào")
            var extensions = try await session.command("EHLO \(settings.heloName)", 250, "EHLO")
            if settings.security == .startTLS {
                guard extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPError(code: 0, description: "Máy chủ thư không hỗ trợ STARTTLS")
                }
                _ = try await session.command("STARTTLS", 220, "STARTTLS")
                try await channel.channel.pipeline.addHandler(
                    try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(settings.host)), position: .first
                ).get()
                extensions = try await session.command("EHLO \(settings.heloName)", 250, "EHLO")
            }
            if let username = settings.username, let password = settings.password {
                try await session.authenticate(username, password, offered: extensions)
            }
            _ = try await session.command("MAIL FROM:<\(settings.fromAddress)>", 250, "MAIL FROM")
            _ = try await session.command("RCPT TO:<\(message.to)>", 250, "RCPT TO", also: [251])
            _ = try await session.command("DATA", 354, "DATA")
            // A line that begins with a dot gets a second one (RFC 5321 4.5.2); "." alone ends the data.
            let data = Self.mime(message, settings, at: Date()).replacingOccurrences(of: "\r\n.", with: "\r\n..")
            _ = try await session.command(data + "\r\n.", 250, "nội dung thư")
            _ = try? await session.command("QUIT", 221, "QUIT")
        }
    }

    static func tlsConfiguration(_ settings: SMTPSettings) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = settings.trustRoots
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// SNI takes a name, not an address.
    static func sniName(_ host: String) -> String? {
        host.contains(where: { $0.isLetter }) && !host.contains(":") ? host : nil
    }

    /// RFC 2047: UTF-8 text as base64 encoded words of at most 75 characters, split between
    /// characters; plain ASCII without specials stays as it is.
    static func encodedWords(_ text: String, bytesPerWord: Int = 30) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) && !text.contains("=?") { return text }
        var words: [String] = [], chunk = ""
        for character in text {
            // "=?UTF-8?B?" + base64 + "?=" is 52 characters for 30 bytes of text (a header line
            // stays under 78 with its name), 72 for 45 (at most 75, RFC 2047).
            if chunk.utf8.count + String(character).utf8.count > bytesPerWord {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    static func mime(_ m: EmailMessage, _ s: SMTPSettings, at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let body = Data(
            m.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8
        )
        .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            // The sender's name in as few words as may be: some readers space out adjacent words in a name.
            "From: \(encodedWords(s.fromName, bytesPerWord: 45))\r\n <\(s.fromAddress)>", "To: <\(m.to)>",
            "Subject: \(encodedWords(m.subject))",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(m.messageID)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", body,
        ].joined(separator: "\r\n")
    }

    /// One conversation: commands written, replies read line by line ("250-..." until "250 ...").
    struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let channel: any Channel
        let timeout: TimeAmount
        var pending = ""

        mutating func line() async throws -> String {
            while true {
                if let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    return line
                }
                guard var buffer = try await inbound.next() else {
                    throw SMTPError(code: 0, description: "Máy chủ thư đóng kết nối")
                }
                pending += buffer.readString(length: buffer.readableBytes) ?? ""
            }
        }

        /// The reply's code and its lines' texts. A relay silent for `timeout` is hung up on.
        mutating func reply(_ step: String) async throws -> (Int, [String]) {
            let timedOut = NIOLockedValueBox(false)
            let timer = channel.eventLoop.scheduleTask(in: timeout) { [channel] in
                timedOut.withLockedValue { $0 = true }
                channel.close(promise: nil)
            }
            defer { timer.cancel() }
            var texts: [String] = []
            while true {
                let line: String
                do { line = try await self.line() } catch {
                    if timedOut.withLockedValue({ $0 }) {
                        throw SMTPError(code: 0, description: "Hết thời gian chờ máy chủ thư ở bước \(step)")
                    }
                    throw SMTPError(code: 0, description: "Mất kết nối với máy chủ thư ở bước \(step)")
                }
                guard line.count >= 3, let code = Int(line.prefix(3)) else {
                    throw SMTPError(code: 0, description: "Trả lời không hợp lệ ở bước \(step): \(line)")
                }
                texts.append(String(line.dropFirst(4)))
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return (code, texts) }
            }
        }

        mutating func expect(_ code: Int, _ step: String, also: [Int] = []) async throws {
            _ = try await checked(code, step, also: also)
        }

        private mutating func checked(_ code: Int, _ step: String, also: [Int]) async throws -> [String] {
            let (got, texts) = try await reply(step)
            guard got == code || also.contains(got) else {
                throw SMTPError(
                    code: got, description: "Máy chủ thư từ chối \(step): \(got) \(texts.joined(separator: " "))")
            }
            return texts
        }

        mutating func command(_ text: String, _ code: Int, _ step: String, also: [Int] = []) async throws -> [String] {
            try await outbound.write(ByteBuffer(string: text + "\r\n"))
            return try await checked(code, step, also: also)
        }

        mutating func authenticate(_ username: String, _ password: String, offered: [String]) async throws {
            let mechanisms =
                offered.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ") ?? []
            func base64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
            if mechanisms.contains("PLAIN") {
                _ = try await command(
                    "AUTH PLAIN " + base64("\0\(username)\0\(password)"), 235, "đăng nhập (AUTH PLAIN)")
            } else if mechanisms.contains("LOGIN") {
                _ = try await command("AUTH LOGIN", 334, "đăng nhập (AUTH LOGIN)")
                _ = try await command(base64(username), 334, "đăng nhập (tên)")
                _ = try await command(base64(password), 235, "đăng nhập (mật khẩu)")
            } else {
                throw SMTPError(code: 0, description: "Máy chủ thư không nhận đăng nhập PLAIN hay LOGIN")
            }
        }
    }
}

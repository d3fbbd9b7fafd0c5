import Foundation
import MotCuaCore
import NIOCore
import NIOSSL

/// Where and how e-mail is sent (MOTCUA_SMTP_*): the relay, its security and account, the sender.
struct SMTPSettings: Sendable {
    enum Security: String, Sendable {
        /// Plain text (a relay on the same machine only).
        case none
        /// STARTTLS after the greeting (port 587), required: a relay that does not offer it is refused.
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    var fromAddress: String
    var fromName: String
    /// The name this server gives itself in EHLO.
    var heloName = "motcua.local"
    /// The certificates the relay's is checked against (the system's by default).
    var trustRoots: NIOSSLTrustRoots = .default
    var timeout: TimeAmount = .seconds(30)

    init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        fromAddress: String, fromName: String
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.fromAddress = fromAddress
        self.fromName = fromName
    }

    /// nil without MOTCUA_SMTP_HOST: the e-mails wait in the outbox. A setting that cannot work is
    /// an error at start-up, not a silent loss of every e-mail.
    init?(environment: [String: String]) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("MOTCUA_SMTP_HOST") else { return nil }
        let securityText = value("MOTCUA_SMTP_SECURITY") ?? Security.startTLS.rawValue
        guard let security = Security(rawValue: securityText) else {
            throw CalendarError.invalidDuration(
                "MOTCUA_SMTP_SECURITY=\"\(securityText)\" phải là starttls, tls hoặc none")
        }
        let defaultPort = [Security.startTLS: 587, .tls: 465, .none: 25][security]!
        let portText = value("MOTCUA_SMTP_PORT") ?? String(defaultPort)
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw CalendarError.invalidDuration("MOTCUA_SMTP_PORT=\"\(portText)\" phải là số cổng từ 1 đến 65535")
        }
        guard let from = value("MOTCUA_SMTP_FROM"), ApplicantNotice.isAddress(from) else {
            throw CalendarError.invalidDuration(
                "Cần đặt MOTCUA_SMTP_FROM là địa chỉ thư gửi đi (ví dụ motcua@cantho.gov.vn)")
        }
        let username = value("MOTCUA_SMTP_USERNAME"), password = value("MOTCUA_SMTP_PASSWORD")
        guard (username == nil) == (password == nil) else {
            throw CalendarError.invalidDuration(
                "Cần đặt cả MOTCUA_SMTP_USERNAME và MOTCUA_SMTP_PASSWORD (hoặc không đặt cả hai)")
        }
        self.init(
            host: host, port: port, security: security, username: username, password: password, fromAddress: from,
            fromName: value("MOTCUA_SMTP_FROM_NAME") ?? "Cổng dịch vụ công")
        if let roots = value("MOTCUA_SMTP_CA_FILE") { trustRoots = .file(roots) }
    }
}

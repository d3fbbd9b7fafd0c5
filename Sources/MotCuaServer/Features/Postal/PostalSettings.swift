import Foundation
import MotCuaCore

/// The public postal service (bưu chính công ích, MOTCUA_POST_*): its order API (a POST of the
/// shipment with the bearer token, answered with the tracking number) and the secret its delivery
/// notices are signed with (`X-Post-Signature`, an HMAC-SHA256 of the body).
struct PostalSettings: Sendable {
    var url: URL
    var token: String
    var secret: String
    /// The post's service code for administrative results (VNPost: "BCCI").
    var service: String

    static let signatureHeader = "X-Post-Signature"

    init?(environment: [String: String]) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let names = ["MOTCUA_POST_URL", "MOTCUA_POST_TOKEN", "MOTCUA_POST_SECRET"]
        let values = names.map(value)
        guard values.contains(where: { $0 != nil }) else { return nil }
        guard let text = values[0], let token = values[1], let secret = values[2] else {
            throw CalendarError.invalidDuration("Cần đặt cả \(names.joined(separator: ", ")) (hoặc không đặt biến nào)")
        }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw CalendarError.invalidDuration("MOTCUA_POST_URL=\"\(text)\" phải là địa chỉ http:// hoặc https://")
        }
        self.url = url
        self.token = token
        self.secret = secret
        service = value("MOTCUA_POST_SERVICE") ?? "BCCI"
    }
}

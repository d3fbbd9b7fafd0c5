import Foundation
import MotCuaCore
import Vapor

/// How the province reaches the National Public Service Portal (Cổng Dịch vụ công quốc gia) and how
/// the portal reaches it (MOTCUA_DVCQG_*): the portal's integration address, the province's unit
/// code there (`madonvi`) and the secret both sides sign their messages with (`X-DVCQG-Signature`,
/// an HMAC-SHA256 of the body). Without them nothing is queued for the portal, and its messages to
/// us are refused.
struct NationalPortalSettings: Sendable {
    /// The portal's integration service: each message is a POST there naming its `service`.
    var url: URL
    var unitCode: String
    var secret: String
    /// Each call's time-out: a message not answered in time is tried again later.
    var timeoutSeconds: Int64 = 20

    static let signatureHeader = "X-DVCQG-Signature"

    /// nil when none of the three is set; some without the others is an error.
    init?(environment: [String: String]) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let names = ["MOTCUA_DVCQG_URL", "MOTCUA_DVCQG_UNIT_CODE", "MOTCUA_DVCQG_SECRET"]
        let values = names.map(value)
        guard values.contains(where: { $0 != nil }) else { return nil }
        guard let text = values[0], let code = values[1], let secret = values[2] else {
            throw CalendarError.invalidDuration("Cần đặt cả \(names.joined(separator: ", ")) (hoặc không đặt biến nào)")
        }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw CalendarError.invalidDuration("MOTCUA_DVCQG_URL=\"\(text)\" phải là địa chỉ http:// hoặc https://")
        }
        guard secret.utf8.count >= 16 else {
            throw CalendarError.invalidDuration("MOTCUA_DVCQG_SECRET phải dài ít nhất 16 ký tự")
        }
        self.url = url
        self.unitCode = code
        self.secret = secret
    }

    /// A message to the portal's service: JSON, signed, within the time-out.
    func post(_ body: Data, client: any Client) async throws -> ClientResponse {
        try await client.post(URI(string: url.absoluteString)) { r in
            r.timeout = .seconds(timeoutSeconds)
            r.headers.contentType = .json
            r.headers.replaceOrAdd(name: Self.signatureHeader, value: BodySignature.sign(body, secret: secret))
            r.body = ByteBuffer(data: body)
        }
    }
}

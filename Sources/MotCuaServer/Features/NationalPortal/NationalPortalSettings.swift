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
        guard
            let values = try EnvironmentSettings(environment: environment).allOrNone([
                "MOTCUA_DVCQG_URL", "MOTCUA_DVCQG_UNIT_CODE", "MOTCUA_DVCQG_SECRET",
            ])
        else { return nil }
        let url = try EnvironmentSettings.url("MOTCUA_DVCQG_URL", values[0])
        let (code, secret) = (values[1], values[2])
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

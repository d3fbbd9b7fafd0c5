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
        let settings = EnvironmentSettings(environment: environment)
        guard let values = try settings.allOrNone(["MOTCUA_POST_URL", "MOTCUA_POST_TOKEN", "MOTCUA_POST_SECRET"])
        else { return nil }
        url = try EnvironmentSettings.url("MOTCUA_POST_URL", values[0])
        token = values[1]
        secret = values[2]
        service = settings.value("MOTCUA_POST_SERVICE") ?? "BCCI"
    }
}

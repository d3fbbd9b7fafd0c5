import Foundation
import MotCuaCore

/// The merchant's settings VNPay gives with the contract: the terminal code (`vnp_TmnCode`), the
/// secret the hashes are made with, the payment address and the merchant API (`querydr`).
public struct VNPaySettings: Sendable {
    public var terminalCode: String
    public var hashSecret: String
    /// Where the citizen is sent to pay (VNPay's sandbox by default).
    public var paymentURL: String
    /// The merchant API that answers `querydr` (VNPay's sandbox by default).
    public var apiURL: String
    /// The server's own address, sent with `querydr` (`vnp_IpAddr`; MOTCUA_VNPAY_SERVER_IP).
    public var serverAddress: String
    /// How long an order may be paid: `vnp_ExpireDate` is this after `vnp_CreateDate`.
    public var orderMinutes: Int = 15

    public static let sandboxPaymentURL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    public static let sandboxAPIURL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"

    /// nil when neither the terminal code nor the secret is set; one without the other is an error.
    init?(environment: [String: String]) throws {
        let settings = EnvironmentSettings(environment: environment), value = settings.value
        guard let values = try settings.allOrNone(["MOTCUA_VNPAY_TMN_CODE", "MOTCUA_VNPAY_HASH_SECRET"]) else {
            return nil
        }
        let (code, secret) = (values[0], values[1])
        guard code.count <= 8, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw CalendarError.invalidDuration(
                "MOTCUA_VNPAY_TMN_CODE=\"\(code)\" phải là mã website (tối đa 8 chữ, số)")
        }
        terminalCode = code
        hashSecret = secret
        paymentURL = value("MOTCUA_VNPAY_PAY_URL") ?? Self.sandboxPaymentURL
        apiURL = value("MOTCUA_VNPAY_API_URL") ?? Self.sandboxAPIURL
        serverAddress = value("MOTCUA_VNPAY_SERVER_IP") ?? "127.0.0.1"
        for (name, url) in [("MOTCUA_VNPAY_PAY_URL", paymentURL), ("MOTCUA_VNPAY_API_URL", apiURL)] {
            _ = try EnvironmentSettings.url(name, url)
        }
    }
}

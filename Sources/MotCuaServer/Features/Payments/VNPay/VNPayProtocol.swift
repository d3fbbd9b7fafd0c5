import Crypto
import Foundation
import MotCuaCore

/// VNPay's merchant protocol, version 2.1.0: the payment address the citizen is sent to, and the
/// check of what VNPay sends back (the IPN and the return address). Pure: no I/O.
///
/// The signed text is every `vnp_` parameter but the hash itself, empty ones dropped, sorted by
/// name, each name and value form-URL-encoded as PHP's `urlencode` does (letters, digits and `-_.`
/// kept, space as `+`, the rest `%XX` of its UTF-8 bytes) and joined `k=v&...`; the hash is the
/// lower-case hex HMAC-SHA512 of that text under the merchant's secret.
enum VNPayProtocol {
    static let version = "2.1.0"
    static let hashParameter = "vnp_SecureHash"
    static let hashTypeParameter = "vnp_SecureHashType"

    /// `yyyyMMddHHmmss` in GMT+7, VNPay's time format.
    static func time(_ date: Date) -> String { VietnamTime.compact(date) }

    static func encode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The text that is signed: the parameters but the hash and its type, empty ones dropped,
    /// sorted by name, encoded and joined.
    static func signedText(_ parameters: [String: String]) -> String {
        parameters.filter { !$0.value.isEmpty && $0.key != hashParameter && $0.key != hashTypeParameter }
            .sorted { $0.key < $1.key }
            .map { encode($0.key) + "=" + encode($0.value) }
            .joined(separator: "&")
    }

    static func hash(_ parameters: [String: String], secret: String) -> String {
        HMAC<SHA512>.authenticationCode(
            for: Data(signedText(parameters).utf8), using: SymmetricKey(data: Data(secret.utf8))
        ).hex
    }

    /// The address to send the citizen to: the parameters, encoded the same way, and their hash.
    static func paymentURL(base: String, _ parameters: [String: String], secret: String) -> String {
        base + "?" + signedText(parameters) + "&" + hashParameter + "=" + hash(parameters, secret: secret)
    }

    /// Whether what VNPay sent carries its hash under our secret (compared in constant time).
    static func isSigned(_ parameters: [String: String], secret: String) -> Bool {
        guard let sent = parameters[hashParameter]?.lowercased(), let bytes = Hex.bytes(Substring(sent)),
            bytes.count == SHA512.byteCount
        else { return false }
        return HMAC<SHA512>.isValidAuthenticationCode(
            bytes, authenticating: Data(signedText(parameters).utf8), using: SymmetricKey(data: Data(secret.utf8)))
    }

    /// A query string as VNPay writes it (`+` for a space, `%XX`), into its `vnp_` parameters; nil
    /// when it is malformed or names a parameter twice.
    static func parameters(ofQuery query: String?) -> [String: String]? {
        FormEncoding.parameters(query) { $0.hasPrefix("vnp_") }
    }

    /// The IPN's answer codes (`RspCode`), in the order they are checked.
    enum Answer: String, Sendable {
        case confirmed = "00"
        case orderNotFound = "01"
        case alreadyConfirmed = "02"
        case invalidAmount = "04"
        case invalidSignature = "97"
        case other = "99"

        var message: String {
            switch self {
            case .confirmed: "Confirm Success"
            case .orderNotFound: "Order not found"
            case .alreadyConfirmed: "Order already confirmed"
            case .invalidAmount: "Invalid amount"
            case .invalidSignature: "Invalid signature"
            case .other: "Unknown error"
            }
        }
    }

    /// What VNPay's `vnp_ResponseCode` says to the citizen on the return page.
    static func responseText(_ code: String?) -> String {
        switch code {
        case "00": "Giao dịch thành công."
        case "07": "Giao dịch bị nghi ngờ gian lận; đã trừ tiền, VNPay sẽ liên hệ."
        case "09": "Thẻ hoặc tài khoản chưa đăng ký dịch vụ Internet Banking."
        case "10": "Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần."
        case "11": "Đã hết hạn chờ thanh toán. Xin thực hiện lại giao dịch."
        case "12": "Thẻ hoặc tài khoản bị khoá."
        case "13": "Nhập sai mật khẩu xác thực giao dịch (OTP)."
        case "24": "Khách hàng đã huỷ giao dịch."
        case "51": "Tài khoản không đủ số dư để thực hiện giao dịch."
        case "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày."
        case "75": "Ngân hàng thanh toán đang bảo trì."
        case "79": "Nhập sai mật khẩu thanh toán quá số lần quy định."
        default: "Giao dịch không thành công (mã \(code ?? "không rõ"))."
        }
    }
}

import Crypto
import Foundation
import MotCuaCore

/// `sha256=<hex>`: an HMAC-SHA256 of a request's exact body under a secret shared with a platform
/// (the payment platform's notices, the national portal's messages both ways).
enum BodySignature {
    static func sign(_ body: Data, secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).hex
    }

    /// Compared in constant time.
    static func isValid(_ header: String?, body: Data, secret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), header.utf8.count == 7 + 64,
            let code = Hex.bytes(header.dropFirst(7))
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            code, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }
}

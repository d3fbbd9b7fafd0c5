import Crypto
import Foundation

/// The key that seals the CA's and the leaders' private keys at rest: AES-256-GCM under a key
/// derived (HKDF-SHA256, a random salt per file) from MOTCUA_SIGNING_SECRET. A sealed file is
/// `MCK1` + salt (16 bytes) + nonce, ciphertext and tag; without the secret it is noise.
public struct SigningSecret: Sendable {
    let secret: SymmetricKey

    public init(_ text: String) throws {
        guard text.utf8.count >= 16 else { throw SigningError("MOTCUA_SIGNING_SECRET phải dài ít nhất 16 ký tự.") }
        secret = SymmetricKey(data: Data(text.utf8))
    }

    /// The configured secret (MOTCUA_SIGNING_SECRET, `Settings.signingSecret`) if there is one; else
    /// the `secret` file beside the CA (made by `ca init` or the demo for a single machine:
    /// production sets the variable and keeps no such file).
    public static func load(configured: String?, caDirectory: URL) throws -> SigningSecret {
        if let configured, !configured.isEmpty { return try SigningSecret(configured) }
        guard let data = try? Data(contentsOf: caDirectory.appendingPathComponent("secret")) else {
            throw SigningError("Chưa cấu hình khoá bảo vệ khoá ký: đặt biến môi trường MOTCUA_SIGNING_SECRET.")
        }
        return try SigningSecret(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `load`, or, with neither a configured secret nor a file, a new random file; `created` says which.
    public static func loadOrCreate(configured: String?, caDirectory: URL) throws -> (
        secret: SigningSecret, created: Bool
    ) {
        if configured?.isEmpty == false
            || FileManager.default.fileExists(atPath: caDirectory.appendingPathComponent("secret").path)
        {
            return (try load(configured: configured, caDirectory: caDirectory), false)
        }
        return (try createFile(caDirectory: caDirectory), true)
    }

    /// A new random secret written beside the CA, readable by its owner only.
    static func createFile(caDirectory: URL) throws -> SigningSecret {
        try FileManager.default.createDirectory(
            at: caDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let file = caDirectory.appendingPathComponent("secret")
        FileManager.default.createFile(
            atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        return try SigningSecret(text)
    }

    func key(salt: Data) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret, salt: salt, info: Data("motcua-signing-key".utf8), outputByteCount: 32)
    }

    func seal(_ plain: Data) throws -> Data {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        let box = try AES.GCM.seal(plain, using: key(salt: salt))
        return Data("MCK1".utf8) + salt + box.combined!
    }

    func open(_ sealed: Data) throws -> Data {
        guard sealed.count > 4 + 16 + 28, sealed.prefix(4) == Data("MCK1".utf8) else {
            throw SigningError("Tệp khoá không đúng định dạng.")
        }
        let salt = sealed.dropFirst(4).prefix(16)
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed.dropFirst(20)), using: key(salt: Data(salt)))
        } catch {
            throw SigningError("Không mở được khoá ký: MOTCUA_SIGNING_SECRET không đúng.")
        }
    }
}

import Crypto
import Foundation
import MotCuaCore
import SwiftASN1
@_spi(CMS) import X509

/// A failure of the provincial CA or of a signature, in the words shown to the user.
public struct SigningError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The embedded provincial certificate authority (DOMAIN.md section 0: results are issued as
/// electronic copies with the leader's signature). It lives in a folder of the data directory:
///
///     ca.pem            the CA certificate (public: give it to whoever verifies results)
///     ca.key            the CA's private key, sealed (AES-GCM under a key from the configuration)
///     users/NAME.pem    a leader's signing certificate
///     users/NAME.key    its private key, sealed the same way
///     revoked.json      the revoked serial numbers, with when and why (RFC 5280 reason)
///     crl.pem           the CRL signed by the CA, rewritten at each revocation
///     ca-crl.pem        both, for `openssl cms -verify -CAfile ca-crl.pem -crl_check`
///                       (OpenSSL 3.0's cms has no -CRLfile; a CAfile may carry CRLs)
///
/// P-256 keys, ECDSA with SHA-256. A deployment with USB tokens (PKCS#11) or a remote signing
/// service replaces `Signer` behind the same `sign` (docs/signing.md).
public struct ProvincialCA: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The CA of a data directory: `<data-dir>/ca`.
    public init(dataDirectory: URL) { self.init(directory: dataDirectory.appendingPathComponent("ca")) }

    var certificateFile: URL { directory.appendingPathComponent("ca.pem") }
    var keyFile: URL { directory.appendingPathComponent("ca.key") }
    var revokedFile: URL { directory.appendingPathComponent("revoked.json") }
    public var crlFile: URL { directory.appendingPathComponent("crl.pem") }
    public var caWithCRLFile: URL { directory.appendingPathComponent("ca-crl.pem") }
    public var caFile: URL { certificateFile }
    func userFile(_ username: String, _ ext: String) -> URL {
        directory.appendingPathComponent("users/\(username).\(ext)")
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: certificateFile.path) }

    /// Creates the CA: a key and a self-signed certificate valid for 20 years, and an empty CRL.
    @discardableResult
    public static func initialise(at directory: URL, name: String, secret: SigningSecret, now: Date = Date()) throws
        -> ProvincialCA
    {
        let ca = ProvincialCA(directory: directory)
        guard !ca.exists else {
            throw SigningError(
                "Đã có CA tại \(directory.path); không tạo lại để không làm mất hiệu lực các chữ ký đã ký.")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SigningError("Nhập tên CA (ví dụ \"UBND thành phố Cần Thơ\").")
        }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("users"), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName("VN")
            OrganizationName(name)
            CommonName("CA chuyên dùng - \(name)")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(20 * 365.25 * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        try writePrivate(secret.seal(key.derRepresentation), to: ca.keyFile)
        try Data((certificate.serializeAsPEM().pemString + "\n").utf8).write(to: ca.certificateFile, options: .atomic)
        try ca.writeRevocations([], secret: secret, now: now)
        return ca
    }

    /// A sealed key: readable by the server's own user only (0600), whatever the umask.
    static func writePrivate(_ data: Data, to file: URL) throws {
        try data.write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    public func certificate() throws -> Certificate {
        guard exists else { throw SigningError("Chưa có CA: chạy \"motcua ca init\" trước.") }
        return try Certificate(pemEncoded: String(decoding: try Data(contentsOf: certificateFile), as: UTF8.self))
    }

    func caKey(_ secret: SigningSecret) throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(derRepresentation: try secret.open(try Data(contentsOf: keyFile)))
    }

    /// Issues a leader's signing certificate (2 years from `now`); a previous one of the same user is revoked.
    @discardableResult
    public func issue(username: String, fullName: String, secret: SigningSecret, now: Date = Date(), years: Double = 2)
        throws -> Certificate
    {
        guard username.range(of: "^[A-Za-z0-9._-]{1,64}$", options: .regularExpression) != nil else {
            throw SigningError("Tên đăng nhập \"\(username)\" không hợp lệ.")
        }
        let ca = try certificate(), caKey = try caKey(secret)
        if let previous = try? userCertificate(username),
            try !revocations().contains(where: { $0.serial == Self.hex(previous.serialNumber) })
        {
            try revoke(previous, reason: .superseded, secret: secret, now: now)
        }
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName("VN")
            OrganizationName(ca.subject.attribute(.RDNAttributeType.organizationName))
            CommonName(fullName)
            OrganizationalUnitName(username)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(years * 365.25 * 86_400),
            issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
                AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: .init(caKey))
        try Self.writePrivate(secret.seal(key.derRepresentation), to: userFile(username, "key"))
        try Data((certificate.serializeAsPEM().pemString + "\n").utf8).write(
            to: userFile(username, "pem"), options: .atomic)
        return certificate
    }

    public func userCertificate(_ username: String) throws -> Certificate {
        guard let data = try? Data(contentsOf: userFile(username, "pem")) else {
            throw SigningError("Tài khoản \(username) chưa được cấp chứng thư số.")
        }
        return try Certificate(pemEncoded: String(decoding: data, as: UTF8.self))
    }

    /// Revokes a user's current certificate for a reason and publishes the new CRL. Signatures made
    /// before the revocation stay valid unless the reason is a key compromise.
    public func revoke(username: String, reason: RevocationReason, secret: SigningSecret, now: Date = Date()) throws {
        let certificate = try userCertificate(username)
        guard try !revocations().contains(where: { $0.serial == Self.hex(certificate.serialNumber) }) else {
            throw SigningError("Chứng thư số của \(username) đã bị thu hồi trước đó.")
        }
        try revoke(certificate, reason: reason, secret: secret, now: now)
    }

    func revoke(_ certificate: Certificate, reason: RevocationReason, secret: SigningSecret, now: Date) throws {
        var list = try revocations()
        list.append(Revocation(serial: Self.hex(certificate.serialNumber), at: now, reason: reason))
        try writeRevocations(list, secret: secret, now: now)
    }

    /// A revoked certificate: when, and why. A revocation written before reasons were recorded has
    /// none and is taken as a key compromise (it voids every signature, as it did then).
    public struct Revocation: Codable, Equatable, Sendable {
        public let serial: String
        public let at: Date
        public let reason: RevocationReason?

        public init(serial: String, at: Date, reason: RevocationReason?) {
            self.serial = serial
            self.at = at
            self.reason = reason
        }

        /// Whether a signature recorded at `signedAt` (by the server, at approval) still stands.
        public func keepsSignature(recordedAt signedAt: Date?) -> Bool {
            guard let reason, reason != .keyCompromise, let signedAt else { return false }
            return signedAt < at
        }

        var text: String {
            """
            Chứng thư số của người ký đã bị thu hồi ngày \(ProvincialCA.day(at)) (lý do: \
            \((reason ?? .keyCompromise).vietnamese))
            """
        }
    }

    public func revocations() throws -> [Revocation] {
        guard let data = try? Data(contentsOf: revokedFile) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([Revocation].self, from: data)
    }

    func writeRevocations(_ list: [Revocation], secret: SigningSecret, now: Date) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(list).write(to: revokedFile, options: .atomic)
        let crl = try RevocationList.der(
            issuer: try certificate().subject, revoked: list, thisUpdate: now,
            nextUpdate: now.addingTimeInterval(30 * 86_400), key: try caKey(secret))
        let pem =
            "-----BEGIN X509 CRL-----\n"
            + Data(crl).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END X509 CRL-----\n"
        try Data(pem.utf8).write(to: crlFile, options: .atomic)
        try (try Data(contentsOf: certificateFile) + Data(pem.utf8)).write(to: caWithCRLFile, options: .atomic)
    }

    /// The signer of a user: refused, with the reason, when the certificate is missing, expired or revoked.
    public func signer(username: String, secret: SigningSecret, now: Date = Date()) throws -> Signer {
        let certificate = try userCertificate(username)
        guard certificate.notValidAfter > now, certificate.notValidBefore <= now else {
            throw SigningError(
                "Chứng thư số của \(username) đã hết hạn ngày \(Self.day(certificate.notValidAfter)); đề nghị cấp lại.")
        }
        if let revoked = try revocations().first(where: { $0.serial == Self.hex(certificate.serialNumber) }) {
            throw SigningError(
                """
                Chứng thư số của \(username) đã bị thu hồi ngày \(Self.day(revoked.at)) (lý do: \
                \((revoked.reason ?? .keyCompromise).vietnamese)).
                """
            )
        }
        guard let sealed = try? Data(contentsOf: userFile(username, "key")) else {
            throw SigningError("Không tìm thấy khoá ký của \(username).")
        }
        return Signer(
            certificate: certificate, key: try P256.Signing.PrivateKey(derRepresentation: try secret.open(sealed)))
    }

    /// Checks a detached signature over `content`: made by a certificate of this CA, over these
    /// exact bytes, the certificate valid at the signing time and not revoked, or revoked after
    /// `recordedAt` (the instant the server recorded at approval, in the approval's transaction) for
    /// a reason other than a key compromise. Without `recordedAt` any revocation voids it.
    public func verify(content: [UInt8], signature: [UInt8], recordedAt: Date? = nil) async throws -> Verification {
        let ca = try certificate()
        let parsed: CMSSignature
        do { parsed = try CMSSignature(derEncoded: signature) } catch {
            return .invalid("Tệp chữ ký không phải chữ ký CMS (PKCS#7) hợp lệ.")
        }
        guard let signer = try? parsed.signers.first else { return .invalid("Tệp chữ ký không có người ký.") }
        let time = signer.signingTime ?? Date()
        let result = await CMS.isValidSignature(
            dataBytes: content, signatureBytes: signature, trustRoots: CertificateStore([ca])
        ) {
            RFC5280Policy(validationTime: time)
        }
        switch result {
        case .success(let valid):
            let revoked = try revocations().first(where: { $0.serial == Self.hex(valid.signer.serialNumber) })
            if let revoked, !revoked.keepsSignature(recordedAt: recordedAt) {
                return .invalid(revoked.text + ".")
            }
            return .valid(
                signer: valid.signer.subject.attribute(.RDNAttributeType.commonName),
                serial: Self.hex(valid.signer.serialNumber),
                signedAt: signer.signingTime, revokedLater: revoked)
        case .failure(.unableToValidateSigner):
            return .invalid(
                """
                Chứng thư số của người ký không do CA \(ca.subject.attribute(.RDNAttributeType.organizationName)) \
                cấp hoặc không còn hiệu lực lúc ký.
                """
            )
        case .failure(.invalidCMSBlock(let block)):
            return .invalid(
                block.reason.contains("signature") || block.reason.contains("digest")
                    ? "Nội dung tệp đã bị thay đổi sau khi ký (chữ ký không khớp)."
                    : "Chữ ký không hợp lệ: \(block.reason)")
        }
    }

    public enum Verification: Equatable, Sendable {
        /// `revokedLater`: the certificate was revoked after the signature, for a reason that leaves it valid.
        case valid(signer: String, serial: String, signedAt: Date?, revokedLater: Revocation?)
        case invalid(String)
    }

    static func hex(_ serial: Certificate.SerialNumber) -> String { Hex.string(serial.bytes) }

    /// dd/MM/yyyy in Vietnam time, as the messages write dates.
    public static func day(_ date: Date) -> String { VietnamTime.local(date).date.vietnamese }

    /// dd/MM/yyyy HH:mm in Vietnam time.
    public static func dayAndTime(_ date: Date) -> String {
        let (day, second) = VietnamTime.local(date)
        return day.vietnamese + String(format: " %02d:%02d", second / 3600, second / 60 % 60)
    }
}

/// Why a certificate was revoked (RFC 5280 section 5.3.1, CRLReason), the codes the CRL carries.
public enum RevocationReason: String, Codable, CaseIterable, Sendable {
    case unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation

    public var code: Int {
        switch self {
        case .unspecified: 0
        case .keyCompromise: 1
        case .affiliationChanged: 3
        case .superseded: 4
        case .cessationOfOperation: 5
        }
    }

    /// The name typed on the command line (`--reason key-compromise`).
    public var argument: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "key-compromise"
        case .affiliationChanged: "affiliation-changed"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessation-of-operation"
        }
    }

    public var vietnamese: String {
        switch self {
        case .unspecified: "không nêu lý do"
        case .keyCompromise: "lộ khoá ký"
        case .affiliationChanged: "thay đổi cơ quan, chức vụ"
        case .superseded: "đã cấp chứng thư số mới"
        case .cessationOfOperation: "thôi sử dụng"
        }
    }
}

/// A leader's key and certificate: signs the exact bytes of a result (detached CMS, with the
/// certificate and the signing time), as `openssl cms -verify -binary` checks.
public struct Signer: Sendable {
    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    public var serial: String { ProvincialCA.hex(certificate.serialNumber) }
    /// The name the certificate was issued to (its common name): what a signature shows as the
    /// signer, whatever the account's display name says now.
    public var commonName: String { certificate.subject.attribute(.RDNAttributeType.commonName) }
    public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }

    public func sign(_ content: [UInt8], at time: Date = Date()) throws -> [UInt8] {
        try CMS.sign(
            content, signatureAlgorithm: .ecdsaWithSHA256, certificate: certificate, privateKey: .init(key),
            signingTime: time, detached: true)
    }
}

extension DistinguishedName {
    /// The first value of an attribute (the common name, the organisation), as text.
    func attribute(_ type: ASN1ObjectIdentifier) -> String {
        for rdn in self { for a in rdn where a.type == type { return a.value.description } }
        return ""
    }
}

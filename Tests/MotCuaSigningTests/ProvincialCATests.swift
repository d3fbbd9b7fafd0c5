import Foundation
import MotCuaSigning
import MotCuaTestSupport
import Testing

/// The provincial CA, a leader's signature over a result's exact bytes, and the verification both
/// by MotCua and by OpenSSL, exactly as the README tells a recipient to run it.
@Suite(.serialized) struct ProvincialCATests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
    let secret = try! SigningSecret("bí-mật-của-tỉnh-0123456789")

    /// `openssl cms -verify` as the README shows it; returns its exit status.
    func openssl(content: URL, signature: URL, ca: ProvincialCA, crl: Bool = false) throws -> Int32 {
        try MotcuaProcess.run(program: URL(fileURLWithPath: "/usr/bin/openssl"),
                              ["cms", "-verify", "-binary", "-inform", "DER", "-content", content.path, "-in", signature.path,
                               "-CAfile", (crl ? ca.caWithCRLFile : ca.caFile).path, "-purpose", "any", "-out", "/dev/null"]
                                + (crl ? ["-crl_check"] : [])).status
    }

    @Test func aSignedResultVerifiesWithOpenSSLAndFailsOnceChangedOrRevoked() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try ProvincialCA.initialise(at: folder, name: "UBND tỉnh Hậu Giang", secret: secret)
        try ca.issue(username: "stp.lanhdao", fullName: "Trần Văn Lãnh", secret: secret)
        let result = Array("Phiếu lý lịch tư pháp số 123/2026 - kết quả giải quyết hồ sơ 000.00.12.H28-261130-0001\n".utf8) + (0..<2_000).map { UInt8($0 % 251) }
        let signedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))   // UTCTime has whole seconds
        let signature = try ca.signer(username: "stp.lanhdao", secret: secret).sign(result, at: signedAt)
        let content = folder.appendingPathComponent("ket-qua.pdf"), sig = folder.appendingPathComponent("ket-qua.pdf.p7s")
        try Data(result).write(to: content)
        try Data(signature).write(to: sig)

        #expect(try openssl(content: content, signature: sig, ca: ca) == 0)
        #expect(try openssl(content: content, signature: sig, ca: ca, crl: true) == 0)
        let verification = try await ca.verify(content: result, signature: signature)
        guard case .valid(let signer, _, let time, nil) = verification else { Issue.record("not valid: \(verification)"); return }
        #expect(signer == "Trần Văn Lãnh" && time == signedAt)

        // One byte changed: both refuse.
        var changed = result
        changed[40] ^= 0x01
        let tampered = folder.appendingPathComponent("sua.pdf")
        try Data(changed).write(to: tampered)
        #expect(try openssl(content: tampered, signature: sig, ca: ca) != 0)
        #expect(try await ca.verify(content: changed, signature: signature) == .invalid("Nội dung tệp đã bị thay đổi sau khi ký (chữ ký không khớp)."))

        // Revoked for a key compromise: OpenSSL with the CRL refuses, MotCua too, even for a signature
        // recorded before the revocation, and the leader can no longer sign.
        try ca.revoke(username: "stp.lanhdao", reason: .keyCompromise, secret: secret)
        #expect(try openssl(content: content, signature: sig, ca: ca, crl: true) != 0)
        guard case .invalid(let reason) = try await ca.verify(content: result, signature: signature, recordedAt: signedAt) else {
            Issue.record("still valid"); return
        }
        #expect(reason.contains("thu hồi") && reason.contains("lộ khoá ký"))
        #expect(throws: SigningError.self) { try ca.signer(username: "stp.lanhdao", secret: secret) }
        #expect(throws: SigningError.self) { try ca.revoke(username: "stp.lanhdao", reason: .superseded, secret: secret) }

        // A new certificate signs again; the old signature stays refused.
        try ca.issue(username: "stp.lanhdao", fullName: "Trần Văn Lãnh", secret: secret)
        let again = try ca.signer(username: "stp.lanhdao", secret: secret).sign(result)
        try Data(again).write(to: sig)
        #expect(try openssl(content: content, signature: sig, ca: ca, crl: true) == 0)
    }

    /// Revoked for a reason other than a key compromise (the leader moved, a new certificate): a
    /// signature the server recorded before the revocation stays valid, one recorded after it (or
    /// with no recorded instant) does not; the CRL carries each entry's reason code for OpenSSL.
    @Test func aSignatureMadeBeforeARevocationThatIsNoKeyCompromiseStaysValid() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try ProvincialCA.initialise(at: folder, name: "UBND tỉnh Hậu Giang", secret: secret)
        try ca.issue(username: "stp.lanhdao", fullName: "Trần Văn Lãnh", secret: secret)
        let result = Array("kết quả số 7".utf8)
        let signedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 120).rounded(.down))
        let signature = try ca.signer(username: "stp.lanhdao", secret: secret, now: signedAt).sign(result, at: signedAt)
        try ca.revoke(username: "stp.lanhdao", reason: .affiliationChanged, secret: secret)
        let revocation = try #require(try ca.revocations().last)
        #expect(revocation.reason == .affiliationChanged && revocation.at > signedAt)

        let kept = try await ca.verify(content: result, signature: signature, recordedAt: signedAt)
        guard case .valid(let signer, _, _, let later?) = kept else { Issue.record("not kept: \(kept)"); return }
        #expect(signer == "Trần Văn Lãnh" && later.reason == .affiliationChanged)
        // Recorded after the revocation, or not recorded at all: refused.
        for recorded in [revocation.at.addingTimeInterval(1), nil] as [Date?] {
            guard case .invalid(let reason) = try await ca.verify(content: result, signature: signature, recordedAt: recorded) else {
                Issue.record("valid with \(String(describing: recorded))"); continue
            }
            #expect(reason.contains("thay đổi cơ quan, chức vụ"))
        }
        // The CRL is a version 2 list with the reason code of the entry (RFC 5280), as OpenSSL reads it.
        let text = try MotcuaProcess.run(program: URL(fileURLWithPath: "/usr/bin/openssl"), ["crl", "-in", ca.crlFile.path, "-noout", "-text"])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("Version 2") && text.out.contains("Affiliation Changed"), "\(text.out)")
        // Revocations written before reasons were kept read as a key compromise.
        let old = try JSONDecoder().decode(ProvincialCA.Revocation.self, from: Data(#"{"serial": "01", "at": 0}"#.utf8))
        #expect(old.reason == nil && !old.keepsSignature(recordedAt: Date(timeIntervalSince1970: -10)))
    }

    /// Random serials of both signs' first bytes: each revoked one is refused by OpenSSL with the CRL.
    @Test func everyRevokedSerialIsInTheCRL() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try ProvincialCA.initialise(at: folder, name: "UBND tỉnh Hậu Giang", secret: secret)
        let content = folder.appendingPathComponent("kq.pdf")
        try Data("kết quả".utf8).write(to: content)
        var highBit = 0
        for i in 0..<12 {
            let certificate = try ca.issue(username: "ld\(i)", fullName: "Lãnh đạo \(i)", secret: secret)
            if certificate.serialNumber.bytes.first! >= 0x80 { highBit += 1 }
            let sig = folder.appendingPathComponent("kq\(i).p7s")
            try Data(try ca.signer(username: "ld\(i)", secret: secret).sign(Array("kết quả".utf8))).write(to: sig)
            #expect(try openssl(content: content, signature: sig, ca: ca, crl: true) == 0)
            try ca.revoke(username: "ld\(i)", reason: RevocationReason.allCases[i % RevocationReason.allCases.count], secret: secret)
            #expect(try openssl(content: content, signature: sig, ca: ca, crl: true) != 0, "serial \(certificate.serialNumber)")
        }
        #expect(highBit > 0 && highBit < 12)   // 1 in 4096 to fail by chance
    }

    @Test func anotherCAsSignatureAndGarbageAreRefused() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try ProvincialCA.initialise(at: folder.appendingPathComponent("a"), name: "UBND tỉnh Hậu Giang", secret: secret)
        let other = try ProvincialCA.initialise(at: folder.appendingPathComponent("b"), name: "UBND tỉnh Khác", secret: secret)
        try other.issue(username: "x", fullName: "Người khác", secret: secret)
        let signature = try other.signer(username: "x", secret: secret).sign([1, 2, 3])
        guard case .invalid(let reason) = try await ca.verify(content: [1, 2, 3], signature: signature) else { Issue.record("valid"); return }
        #expect(reason.contains("không do CA"))
        #expect(try await ca.verify(content: [1], signature: [0x30, 0x03, 0x02, 0x01, 0x01]) == .invalid("Tệp chữ ký không phải chữ ký CMS (PKCS#7) hợp lệ."))
        #expect(throws: SigningError.self) { try ProvincialCA.initialise(at: folder.appendingPathComponent("a"), name: "Lần hai", secret: secret) }
    }

    @Test func privateKeysAreSealedUnderTheConfiguredSecret() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ca = try ProvincialCA.initialise(at: folder, name: "UBND tỉnh Hậu Giang", secret: secret)
        try ca.issue(username: "lanhdao", fullName: "Lãnh Đạo", secret: secret)
        for file in ["ca.key", "users/lanhdao.key"] {
            let sealed = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(sealed.prefix(4) == Data("MCK1".utf8))
            // No PEM or PKCS#8/SEC1 structure in the clear.
            #expect(!String(decoding: sealed, as: UTF8.self).contains("PRIVATE KEY") && sealed.dropFirst(20).first != 0x30)
        }
        let wrong = try SigningSecret("một-bí-mật-khác-hẳn-0000")
        #expect(throws: SigningError("Không mở được khoá ký: MOTCUA_SIGNING_SECRET không đúng.")) { try ca.signer(username: "lanhdao", secret: wrong) }
        #expect(throws: SigningError("Tài khoản khac chưa được cấp chứng thư số.")) { try ca.signer(username: "khac", secret: secret) }
        #expect(throws: SigningError.self) { try SigningSecret("ngắn") }
        #expect(throws: SigningError.self) { try ca.issue(username: "../ca", fullName: "x", secret: secret) }
    }
}

import Crypto
import Foundation
import MotCuaCore
import SwiftASN1
import X509

/// A version 2 X.509 CRL (RFC 5280 section 5) signed by the CA, each entry with its revocation
/// date and reason code (absent for "unspecified", as the RFC asks): swift-certificates reads
/// certificates but does not write CRLs, so this writes the few fields with swift-asn1.
enum RevocationList {
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let reasonCode: ASN1ObjectIdentifier = [2, 5, 29, 21]

    static func der(
        issuer: DistinguishedName, revoked: [ProvincialCA.Revocation], thisUpdate: Date, nextUpdate: Date,
        key: P256.Signing.PrivateKey
    ) throws -> [UInt8] {
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { c in
            c.appendPrimitiveNode(identifier: .integer) { $0.append(1) }  // v2: the entries carry extensions
            try algorithm(&c)
            try c.serialize(issuer)
            try time(thisUpdate, &c)
            try time(nextUpdate, &c)
            if !revoked.isEmpty {
                try c.appendConstructedNode(identifier: .sequence) { list in
                    for r in revoked {
                        try list.appendConstructedNode(identifier: .sequence) { entry in
                            entry.appendPrimitiveNode(identifier: .integer) {
                                $0.append(contentsOf: serialBytes(r.serial))
                            }
                            try time(r.at, &entry)
                            let reason = r.reason ?? .keyCompromise
                            if reason != .unspecified {
                                try entry.appendConstructedNode(identifier: .sequence) { extensions in
                                    try extensions.appendConstructedNode(identifier: .sequence) { e in
                                        try e.serialize(reasonCode)
                                        var value = DER.Serializer()
                                        value.appendPrimitiveNode(identifier: .enumerated) {
                                            $0.append(UInt8(reason.code))
                                        }
                                        try e.serialize(
                                            ASN1OctetString(contentBytes: ArraySlice(value.serializedBytes)))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let tbsBytes = tbs.serializedBytes
        let signature = try key.signature(for: tbsBytes).derRepresentation
        var out = DER.Serializer()
        try out.appendConstructedNode(identifier: .sequence) { c in
            c.serializeRawBytes(tbsBytes)
            try algorithm(&c)
            try c.serialize(ASN1BitString(bytes: ArraySlice(signature)))
        }
        return out.serializedBytes
    }

    static func algorithm(_ c: inout DER.Serializer) throws {
        try c.appendConstructedNode(identifier: .sequence) { a in try a.serialize(ecdsaWithSHA256) }
    }

    /// UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks.
    static func time(_ date: Date, _ c: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let t = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if t.year! < 2050 {
            try c.serialize(
                try UTCTime(
                    year: t.year!, month: t.month!, day: t.day!, hours: t.hour!, minutes: t.minute!, seconds: t.second!)
            )
        } else {
            try c.serialize(
                try GeneralizedTime(
                    year: t.year!, month: t.month!, day: t.day!, hours: t.hour!, minutes: t.minute!, seconds: t.second!,
                    fractionalSeconds: 0))
        }
    }

    /// The content octets of the positive INTEGER the certificate's DER carries: swift-certificates
    /// keeps the serial as an unsigned magnitude, and DER adds a 0x00 before a first byte of 0x80 or
    /// more (without it, half of all random serials would read as negative and never match).
    static func serialBytes(_ hex: String) -> [UInt8] {
        var bytes = Hex.bytes(hex)!
        while bytes.count > 1, bytes[0] == 0 { bytes.removeFirst() }
        if let first = bytes.first, first >= 0x80 { bytes.insert(0, at: 0) }
        return bytes.isEmpty ? [0] : bytes
    }
}

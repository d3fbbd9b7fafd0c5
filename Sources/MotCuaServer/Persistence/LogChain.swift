import Crypto
import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The append-only processing log. Each entry's hash is SHA-256(previous hash + canonical content),
/// so altering, removing or reordering an entry breaks the chain from there on.
enum LogChain {
    static let genesis = String(repeating: "0", count: 64)

    struct Change: Codable, Hashable, Sendable {
        let field: String
        let old: String?
        let new: String?

        /// The JSON stored with an entry (keys sorted, as JSONEncoder would write them).
        static func json(_ changes: [Change]) -> String {
            "[" + changes.map { JSONText.object([("field", $0.field), ("new", $0.new), ("old", $0.old)]) }.joined(separator: ",") + "]"
        }
    }

    /// The fields of an entry, in the form that is hashed.
    struct Content: Sendable {
        var dossierID: UUID
        var seq: Int
        var at: Date
        var actorID: UUID?
        var actorName: String
        var action: String
        var fromState: String?
        var toState: String
        var opinion: String?
        var changesJSON: String
        var stepDueAt: Date?

        /// A JSON array of the values: unambiguous, and the same on every database.
        var canonical: String {
            func t(_ d: Date?) -> String { d.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "" }
            return JSONText.array([dossierID.uuidString.lowercased(), String(seq), t(at), actorID?.uuidString.lowercased() ?? "", actorName, action,
                                   fromState ?? "", toState, opinion ?? "", changesJSON, t(stepDueAt)])
        }

        func hash(after previous: String) -> String {
            Checksum.sha256(previous + canonical)
        }
    }

    /// An entry as written: its content, numbered, linked to the previous entry and hashed.
    struct Entry: Sendable {
        let id: UUID
        let content: Content
        let prevHash: String
        let hash: String
    }

    /// Appends an entry after the dossier's last one. Call inside the transaction that changed the
    /// dossier, after its version update, so that no other writer interleaves.
    @discardableResult
    static func append(_ content: Content, on db: any Database) async throws -> Entry {
        let last = try await LogEntryModel.query(on: db).filter(\.$dossierID == content.dossierID).sort(\.$seq, .descending)
            .field(\.$seq).field(\.$hash).first()
        let entry = next(content, after: last.map { ($0.seq, $0.hash) })
        try await [entry].insert(on: db)
        return entry
    }

    /// The entry that follows `last` (nil: the first of the dossier), numbered and hashed.
    static func next(_ content: Content, after last: (seq: Int, hash: String)?) -> Entry {
        var c = content
        c.seq = (last?.seq ?? 0) + 1
        c.at = c.at.wholeSeconds
        c.stepDueAt = c.stepDueAt?.wholeSeconds
        let previous = last?.hash ?? genesis
        return Entry(id: UUID.timeOrdered(), content: c, prevHash: previous, hash: c.hash(after: previous))
    }

    static func content(of e: LogEntryModel) -> Content {
        Content(dossierID: e.dossierID, seq: e.seq, at: e.at, actorID: e.actorID, actorName: e.actorName, action: e.action,
                fromState: e.fromState, toState: e.toState, opinion: e.opinion, changesJSON: e.changesJSON, stepDueAt: e.stepDueAt)
    }

    struct Break: Sendable, Equatable {
        let dossierCode: String
        let seq: Int
        let reason: String
    }

    struct Report: Sendable {
        var dossiers = 0
        var entries = 0
        var breaks: [Break] = []
    }

    /// Checks every dossier's chain, in pages so memory stays flat on millions of entries.
    static func verify(on db: any Database, pageSize: Int = 5000) async throws -> Report {
        var report = Report()
        var lastCode = ""
        while true {
            let dossiers = try await DossierModel.query(on: db).filter(\.$code > lastCode).sort(\.$code).limit(pageSize)
                .field(\.$id).field(\.$code).all()
            guard let lastOfPage = dossiers.last else { break }
            lastCode = lastOfPage.code
            let ids = dossiers.compactMap(\.id)
            let entries = try await LogEntryModel.query(on: db).filter(\.$dossierID ~~ ids).sort(\.$dossierID).sort(\.$seq).all()
            let byDossier = Dictionary(grouping: entries, by: \.dossierID)
            for d in dossiers {
                report.dossiers += 1
                let chain = byDossier[d.id!] ?? []
                report.entries += chain.count
                if let broken = firstBreak(in: chain) {
                    report.breaks.append(Break(dossierCode: d.code, seq: broken.0, reason: broken.1))
                } else if chain.isEmpty {
                    report.breaks.append(Break(dossierCode: d.code, seq: 0, reason: "hồ sơ không có nhật ký"))
                }
            }
        }
        return report
    }

    /// The first entry whose position, link or hash is wrong.
    static func firstBreak(in chain: [LogEntryModel]) -> (Int, String)? {
        var previous = genesis
        for (i, e) in chain.enumerated() {
            if e.seq != i + 1 { return (e.seq, "số thứ tự \(e.seq) không liền mạch (mong đợi \(i + 1))") }
            if e.prevHash != previous { return (e.seq, "liên kết tới mục trước không khớp") }
            if content(of: e).hash(after: previous) != e.hash { return (e.seq, "nội dung đã bị thay đổi (mã băm không khớp)") }
            previous = e.hash
        }
        return nil
    }
}

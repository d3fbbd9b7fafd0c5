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
            "["
                + changes.map { JSONText.object([("field", $0.field), ("new", $0.new), ("old", $0.old)]) }.joined(
                    separator: ",") + "]"
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
        /// The acting account's username (entries written before migration 020 have none).
        var actorUsername: String? = nil

        /// A JSON array of the values: unambiguous, and the same on every database. The username is
        /// a twelfth value when there is one, so older entries hash as they always did.
        var canonical: String {
            func t(_ d: Date?) -> String { d.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "" }
            return JSONText.array(
                [
                    dossierID.uuidString.lowercased(), String(seq), t(at), actorID?.uuidString.lowercased() ?? "",
                    actorName, action,
                    fromState ?? "", toState, opinion ?? "", changesJSON, t(stepDueAt),
                ] + (actorUsername.map { [$0] } ?? []))
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

        init(id: UUID, content: Content, prevHash: String, hash: String) {
            self.id = id
            self.content = content
            self.prevHash = prevHash
            self.hash = hash
        }

        /// An entry as stored (the columns of `Entry.columns`).
        init(row: any SQLRow) throws {
            func value<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
                try row.decode(column: column, as: type)
            }
            id = try value("id", UUID.self)
            content = Content(
                dossierID: try value("dossier_id", UUID.self), seq: try value("seq", Int.self),
                at: try value("at", Date.self),
                actorID: try value("actor_id", UUID?.self), actorName: try value("actor_name", String.self),
                action: try value("action", String.self), fromState: try value("from_state", String?.self),
                toState: try value("to_state", String.self), opinion: try value("opinion", String?.self),
                changesJSON: try value("changes", String.self), stepDueAt: try value("step_due_at", Date?.self),
                actorUsername: try value("actor_username", String?.self))
            prevHash = try value("prev_hash", Data.self).hex
            hash = try value("hash", Data.self).hex
        }
    }

    /// Appends an entry after the dossier's last one and moves the dossier's anchor to it. Call
    /// inside the transaction that changed the dossier, after its first write to the dossier row
    /// (which takes the row's lock), so that no other writer interleaves.
    @discardableResult
    static func append(_ content: Content, on db: any Database) async throws -> Entry {
        let entry = next(content, after: try await last(of: content.dossierID, on: db))
        try await [entry].insert(on: db)
        try await (db as! any SQLDatabase).update(DossierModel.schema)
            .set("log_seq", to: entry.content.seq).set("log_hash", to: SQLBind(StoredHash.bytes(entry.hash)))
            .where("id", .equal, content.dossierID).run()
        return entry
    }

    /// The dossier's last entry as stored (nil: none yet).
    static func last(of dossierID: UUID, on db: any Database) async throws -> (seq: Int, hash: String)? {
        try await LogEntryModel.query(on: db).filter(\.$dossierID == dossierID).sort(\.$seq, .descending)
            .field(\.$seq).field(\.$hashBytes).first().map { ($0.seq, $0.hash) }
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

    /// Checks every dossier's chain, in pages so memory stays flat on millions of entries. Rows are
    /// read with SQLKit (Fluent's models cost more than the hashing), and each page is checked on
    /// another core while the next one is read.
    static func verify(on db: any Database, pageSize: Int = 5000) async throws -> Report {
        guard let sql = db as? any SQLDatabase else { fatalError("MotCua runs on SQL databases only") }
        var report = Report()
        var lastCode = ""
        var checking: Task<Report, any Error>?
        func merge(_ page: Report) {
            report.dossiers += page.dossiers
            report.entries += page.entries
            report.breaks += page.breaks
        }
        while true {
            let dossiers = try await sql.select().column("id").column("code").column("log_seq").column("log_hash").from(
                DossierModel.schema
            )
            .where("code", .greaterThan, lastCode).orderBy("code").limit(pageSize).all()
            .map {
                (
                    id: try $0.decode(column: "id", as: UUID.self),
                    code: try $0.decode(column: "code", as: String.self),
                    anchor: Anchor(
                        seq: try $0.optional("log_seq", as: Int.self),
                        hash: try $0.optional("log_hash", as: Data.self)?.hex)
                )
            }
            guard let lastOfPage = dossiers.last else { break }
            lastCode = lastOfPage.code
            let rows = try await sql.select().columns(Entry.columns.map { SQLColumn($0) }).from(LogEntryModel.schema)
                .where(SQLColumn("dossier_id"), .in, SQLBind.group(dossiers.map(\.id))).orderBy("dossier_id").orderBy(
                    "seq"
                ).all()
            if let checking { merge(try await checking.value) }
            checking = Task {
                let byDossier = Dictionary(grouping: try rows.map(Entry.init(row:)), by: \.content.dossierID)
                var page = Report()
                for d in dossiers {
                    page.dossiers += 1
                    let chain = byDossier[d.id] ?? []
                    page.entries += chain.count
                    if let broken = firstBreak(in: chain, anchor: d.anchor) {
                        page.breaks.append(Break(dossierCode: d.code, seq: broken.0, reason: broken.1))
                    } else if chain.isEmpty {
                        page.breaks.append(Break(dossierCode: d.code, seq: 0, reason: "hồ sơ không có nhật ký"))
                    }
                }
                return page
            }
        }
        if let checking { merge(try await checking.value) }
        return report
    }

    /// The last entry's sequence number and hash as kept on the dossier row.
    struct Anchor: Sendable, Equatable {
        let seq: Int?
        let hash: String?
    }

    /// The first entry whose position, link or hash is wrong, or the chain's end if it is not the
    /// anchor kept on the dossier (entries removed from the end, or added behind the writer's back).
    static func firstBreak(in chain: [Entry], anchor: Anchor) -> (Int, String)? {
        var previous = genesis
        for (i, e) in chain.enumerated() {
            let seq = e.content.seq
            if seq != i + 1 { return (seq, "số thứ tự \(seq) không liền mạch (mong đợi \(i + 1))") }
            if e.prevHash != previous { return (seq, "liên kết tới mục trước không khớp") }
            if e.content.hash(after: previous) != e.hash { return (seq, "nội dung đã bị thay đổi (mã băm không khớp)") }
            previous = e.hash
        }
        guard !chain.isEmpty else { return nil }
        if anchor.seq != chain.count || anchor.hash != previous {
            let expected = anchor.seq.map(String.init) ?? "không có"
            return (
                chain.count + 1,
                """
                mục cuối của nhật ký không khớp mốc lưu trên hồ sơ (mục cuối \(chain.count), mốc \(expected)): \
                nhật ký đã bị xoá bớt hoặc thêm ngoài hệ thống
                """
            )
        }
        return nil
    }
}

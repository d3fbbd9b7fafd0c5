import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// Attaching files to dossiers. A file for a component that already has one becomes its next
/// version; earlier versions stay readable. Every upload is the `upload_file` action of the state
/// machine (who may, in which states) and is logged; it does not change the dossier's state or
/// version, so concurrent uploads do not conflict with each other or with the staff's next action.
enum FileService {
    /// The dossier, if the actor may attach files to it now (404 outside the scope, 403 for the
    /// role, 409 for the state). Called before an upload's body is read, and again under the lock.
    static func authorise(code: String, actor: Actor, context: MotCuaContext, on db: any Database) async throws
        -> DossierModel
    {
        let d = try await context.dossiers.find(code: code, actor: actor, on: db)
        try decide(d, actor: actor, context: context)
        return d
    }

    static func decide(_ d: DossierModel, actor: Actor, context: MotCuaContext) throws {
        do {
            _ = try StateMachine.decide(
                .uploadFile, from: d.state, actor: context.dossiers.context(of: actor, on: d),
                inputs: ActionInputs(fileCount: 1))
        } catch { throw ServiceError.from(error) }
    }

    /// Stores a file for a dossier the actor was authorised on (`authorise`, before the body was
    /// read); the decision is taken again under the dossier's lock.
    static func add(
        _ data: Data, fileName: String, component: Int?, to d: DossierModel, actor: Actor, at now: Date,
        context: MotCuaContext, pool: NIOThreadPool, on db: any Database
    ) async throws -> (file: DossierFileModel, component: Int?) {
        var found: DossierComponentModel?
        if let component {
            guard
                let c = try await DossierComponentModel.query(on: db).filter(\.$dossierID == d.id!).filter(
                    \.$position == component
                ).first()
            else {
                throw ServiceError(.unprocessableEntity, "Thành phần hồ sơ số \(component) không có trong hồ sơ.")
            }
            found = c
        }
        let componentModel = found
        let name = fileName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 255, TextInput.isClean(name), !name.contains("/"), !name.contains("\\")
        else {
            throw ServiceError(.unprocessableEntity, "Tên tệp không hợp lệ.")
        }
        // Checked, hashed and written off the event loops, before the transaction: file I/O never
        // holds a database lock. Bytes whose row is never written are removed by `motcua files gc`.
        let files = context.files
        let (sha, kind) = try await pool.runIfActive { try files.put(data) }
        let stored = try await db.transaction { tx in
            // The first write takes the dossier's lock (SQLite's write lock, PostgreSQL's row lock)
            // without touching the version; the dossier's state and officer as they are now (the
            // body took a while to arrive) are read with it, decided on and logged.
            let locked = try await (tx as! any SQLDatabase).raw(
                """
                UPDATE dossiers SET updated_at = \(bind: now.wholeSeconds) WHERE id = \(bind: d.id!)
                RETURNING status, step, assigned_officer_id
                """
            ).first()
            guard let locked, let status = Status(rawValue: try locked.decode(column: "status", as: String.self)) else {
                throw ServiceError.notFound
            }
            d.set(
                DossierState(status, try locked.optional("step", as: String.self).flatMap(Step.init(rawValue:))))
            d.assignedOfficerID = try locked.optional("assigned_officer_id", as: UUID.self)
            try decide(d, actor: actor, context: context)
            let previous = try await DossierFileModel.query(on: tx).filter(\.$dossierID == d.id!)
                .filter(\.$componentID == componentModel?.id).sort(\.$version, .descending).first()
            let f = DossierFileModel()
            f.id = UUID.timeOrdered()
            f.dossierID = d.id!
            f.componentID = componentModel?.id
            f.version = (previous?.version ?? 0) + 1
            f.sha256 = sha
            f.fileName = name
            f.contentType = kind.contentType
            f.size = data.count
            f.uploadedBy = actor.id
            f.uploadedAt = now.wholeSeconds
            try await f.create(on: tx)
            let change = LogChain.Change(
                field: "file", old: previous.map { "\($0.fileName) (v\($0.version))" },
                new: "\(name) (v\(f.version), sha256 \(sha))")
            try await LogChain.append(
                .init(
                    dossierID: d.id!, seq: 0, at: now, actorID: actor.id, actorName: actor.name,
                    action: Action.uploadFile.rawValue,
                    fromState: d.state.description, toState: d.state.description, opinion: nil,
                    changesJSON: LogChain.Change.json([change]), stepDueAt: nil, actorUsername: actor.username), on: tx)
            return (file: f, component: componentModel?.position)
        }
        // Now referenced: should a garbage collection have removed the bytes between their check
        // and the commit, they are written again.
        if !FileManager.default.fileExists(atPath: files.path(for: sha).path) {
            _ = try await pool.runIfActive { try files.put(data) }
        }
        return stored
    }

    /// The columns that name files of the store: dossiers' files, users' pictures, the portal's drafts'
    /// files (and, inside the procedures' terms, the catalogue's blank forms: `blankFormHashes`).
    static let referencingColumns = [
        (DossierFileModel.schema, "sha256"), (UserModel.schema, "avatar_sha256"), (DraftFileModel.schema, "sha256"),
    ]

    static func blankFormHashes(on db: any Database) async throws -> Set<String> {
        Set(
            try await ProcedureModel.query(on: db).all().flatMap {
                try $0.terms.components.compactMap(\.blankFormSHA256)
            })
    }

    /// Every file a row names (the restore checks each one is there with its checksum).
    static func referencedHashes(on db: any Database) async throws -> Set<String> {
        let sql = db as! any SQLDatabase
        var referenced = try await blankFormHashes(on: db)
        for (table, column) in referencingColumns {
            let rows = try await sql.select().distinct().column(column).from(table)
                .where(SQLIdentifier(column), .isNot, SQLLiteral.null).all()
            referenced.formUnion(try rows.map { try $0.decode(column: column, as: String.self) })
        }
        return referenced
    }

    struct Collected: Sendable {
        var removed = 0
        var removedBytes = 0
        var kept = 0
    }

    /// Removes stored files that no row references (an upload whose transaction failed) and
    /// unfinished temporary files, if older than `grace` (an upload in flight writes its bytes
    /// before its row). A referenced file is never removed.
    static func collectGarbage(context: MotCuaContext, grace: TimeInterval, now: Date = Date(), on db: any Database)
        async throws -> Collected
    {
        let sql = db as! any SQLDatabase
        var result = Collected()
        let fm = FileManager.default
        let root = context.files.directory
        let cutoff = now.addingTimeInterval(-grace)
        func old(_ url: URL) -> Bool {
            ((try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now) < cutoff
        }
        let blankForms = try await blankFormHashes(on: db)
        for folder in (try? fm.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? [] {
            let files = (try? fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil, options: [])) ?? []
            let names = files.map(\.lastPathComponent)
            let hashes = names.filter { $0.count == 64 && !$0.hasPrefix(".") }
            var referenced = Set<String>()
            for chunk in stride(from: 0, to: hashes.count, by: 500).map({
                Array(hashes[$0..<min($0 + 500, hashes.count)])
            }) {
                for (table, column) in referencingColumns {
                    let rows = try await sql.select().distinct().column(column).from(table)
                        .where(SQLIdentifier(column), .in, chunk).all()
                    referenced.formUnion(try rows.map { try $0.decode(column: column, as: String.self) })
                }
            }
            for file in files {
                let name = file.lastPathComponent
                let isReferenced = referenced.contains(name) || blankForms.contains(name)
                if isReferenced || !old(file) { result.kept += 1; continue }
                let size = (try? fm.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
                try fm.removeItem(at: file)
                result.removed += 1
                result.removedBytes += size
            }
        }
        return result
    }
}

import Fluent
import Foundation
import MotCuaCore

/// Carrying the dossiers a merged agency still had open to its successor (DOMAIN.md section 0): on
/// its closing day each moves to the successor's department, with a log entry naming both. The
/// agency merger page does it when the closing day has come, the daily job for a day set ahead,
/// and the demo loader in its history.
enum AgencyTransfer {
    /// Moves `d` (in memory) from `closed` to `successor`, and returns the log entry that says so.
    /// `officer`: the officer who carries on, if another than the assigned one.
    static func carry(
        _ d: DossierModel, from closed: AgencyModel, to successor: AgencyModel, department: UUID, officer: UUID?,
        actor: Actor, at now: Date
    ) -> LogChain.Content {
        var changes = [
            LogChain.Change(field: "agency_id", old: d.agencyID.uuidString, new: successor.id!.uuidString),
            LogChain.Change(field: "department_id", old: d.departmentID.uuidString, new: department.uuidString),
        ]
        if let officer, officer != d.assignedOfficerID {
            changes.append(
                LogChain.Change(
                    field: "assigned_officer_id", old: d.assignedOfficerID?.uuidString, new: officer.uuidString))
            d.assignedOfficerID = officer
        }
        let state = d.state.description
        let day = closed.effectiveTo.flatMap(LocalDate.init(iso:)) ?? VietnamTime.local(now).date
        d.agencyID = successor.id!
        d.departmentID = department
        d.version += 1
        return LogChain.Content(
            dossierID: d.id!, seq: (d.logSeq ?? 0) + 1, at: now, actorID: actor.id, actorName: actor.name,
            action: AgencySuccession.transferAction, fromState: state, toState: state,
            opinion: AgencySuccession.transferOpinion(from: closed.name, to: successor.name, on: day),
            changesJSON: LogChain.Change.json(changes), stepDueAt: nil, actorUsername: actor.username)
    }

    /// Carries every open dossier of `closed` to its successor, in the caller's transaction: the
    /// department of the same name, else the successor's first; the assigned officer stays (their
    /// account is moved to the successor on the accounts' page). Returns how many moved.
    static func carryOpenDossiers(of closed: AgencyModel, actor: Actor, at now: Date, on tx: any Database)
        async throws -> Int
    {
        guard let successorID = closed.successorID, let successor = try await AgencyModel.find(successorID, on: tx)
        else { return 0 }
        let open = try await DossierModel.query(on: tx).filter(\.$agencyID == closed.id!)
            .filter(\.$status ~~ Status.openValues).all()
        guard !open.isEmpty else { return 0 }
        let targets = try await DepartmentModel.query(on: tx).filter(\.$agencyID == successorID).sort(\.$name).all()
        let names = Dictionary(
            uniqueKeysWithValues: try await DepartmentModel.query(on: tx).filter(\.$agencyID == closed.id!).all()
                .map { ($0.id!, $0.name) })
        guard let first = targets.first else {
            throw ServiceError(
                .unprocessableEntity,
                """
                \(successor.name) chưa có phòng ban nào để nhận \(open.count) hồ sơ đang giải quyết \
                của \(closed.name): \
                thêm phòng ban cho cơ quan kế thừa trước.
                """)
        }
        for d in open {
            let counted = d.counted
            let department = targets.first { $0.name == names[d.departmentID] } ?? first
            // Its statistics leave the closed agency's rows for the successor's.
            try await ReportTallyStore.record(counted.tallies.mapValues { Tallies() - $0 }, of: d, on: tx)
            let expected = d.version
            let entry = carry(
                d, from: closed, to: successor, department: department.id!, officer: nil, actor: actor, at: now)
            try await DossierService.claimVersion(of: d, expected: expected, on: tx)
            try await d.update(on: tx)
            try await LogChain.append(entry, on: tx)
            try await ReportTallyStore.record(counted.tallies, of: d, on: tx)
        }
        return open.count
    }

    /// The agencies closed by today with a successor and open dossiers left: carried now (the daily job).
    static func carryDue(actor: Actor, at now: Date, on db: any Database) async throws -> Int {
        let today = VietnamTime.local(now).date.iso
        let due = try await AgencyModel.query(on: db).filter(\.$effectiveTo <= today).filter(\.$successorID != nil)
            .all()
        var moved = 0
        for closed in due {
            moved += try await db.transaction { tx in
                try await carryOpenDossiers(of: closed, actor: actor, at: now, on: tx)
            }
        }
        return moved
    }
}

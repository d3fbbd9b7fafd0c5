import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// A benchmark-only load (`motcua-bench reports --lean N`): N dossiers over several years with real
/// clocks (due dates from the working calendar, supplementation pauses, finishes early, on time and
/// late, some still open and overdue) but no processing log, no components and placeholder
/// applicants, so that ten million fit on this disk. Their tallies are those of the same
/// `CountedDossier` the services write, added up in memory and stored at the end. Not for a
/// province's data: the dossiers have no history to show.
public enum LeanDossiers {
    public static func load(
        _ app: Application, count: Int, years: Int, seed: UInt64 = 766,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        try await DemoLoader.load(app, dossiers: 0)
        let procedures = try await ProcedureModel.query(on: app.db).all()
        let terms = try procedures.map { try $0.terms }
        let calendar = app.motcua.dossiers.calendar
        let now = Date().wholeSeconds
        let span = Double(years) * 365.25 * 86_400
        let loader = try DemoLoader(app: app)
        let tallies = try await loader.withLoadingConnection { db in
            try await DemoLoader.withIndexesBuiltAfterwards(on: db) {
                var rng = SplitMix64(seed: seed)
                func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
                var byKey: [ReportTallyStore.Key: [LocalDate: Tallies]] = [:]
                var batch: [DossierModel] = []
                for (procedure, term) in zip(procedures, terms) {
                    try await ProcedureTermVersions.store(procedure.termsJSON, name: term.name, on: db)
                }
                for n in 0..<count {
                    let p = Int(rng.next() % UInt64(procedures.count))
                    let procedure = procedures[p], term = terms[p]
                    let online = term.onlineLevel != .none && unit() < 0.4
                    let channel: DossierChannel = online ? .online : (unit() < 0.05 ? .postal : .direct)
                    // Receipts spread over the years, in office hours.
                    let received = Date(timeIntervalSince1970: (now.timeIntervalSince1970 - unit() * span).rounded())
                    var clock = try DossierClock(
                        receivedAt: received, time: term.processingTime(channel: channel), calendar: calendar,
                        channel: channel)
                    let legal = clock.due.timeIntervalSince(received)
                    var status = Status.processing
                    var finished: Date?
                    var withdrawn = false
                    if unit() < 0.2 {
                        let pause = received + unit() * legal * 0.8
                        if pause < now {
                            try clock.pause(.supplement, at: pause)
                            status = .awaitingSupplement
                            let resume = pause + 86_400 * (1 + unit() * 6)
                            if resume < now {
                                try clock.resume(at: resume, calendar: calendar)
                                status = .processing
                            }
                        }
                    }
                    // Most finish between half their time and a little past it; a few are withdrawn.
                    var finish =
                        clock.receivedAt + legal * (0.4 + unit() * 0.75)
                        + (clock.due.timeIntervalSince(clock.initialDue))
                    if let resumed = clock.rounds.last?.resumedAt { finish = max(finish, resumed + 3_600) }
                    if finish < now && !clock.isPaused {
                        finished = finish.wholeSeconds
                        withdrawn = unit() < 0.02
                        status = withdrawn ? .withdrawn : (unit() < 0.03 ? .refused : .returned)
                    }
                    let d = DossierModel()
                    d.id = UUID()
                    d.code = "L\(n)"
                    d.lookupSecret = "0000"
                    d.supplementRounds = 0
                    d.channel = channel.rawValue
                    d.set(DossierState(status, status == .processing ? .inProgress : nil))
                    d.procedureID = procedure.id!
                    d.procedureCode = procedure.code
                    d.fieldID = procedure.fieldID
                    d.agencyID = procedure.agencyID
                    d.departmentID = procedure.departmentID
                    d.applicantKind = "person"
                    d.applicantName = "Người nộp \(n)"
                    d.applicantSearch = "nguoi nop \(n)"
                    d.applicantIDNumber = ""
                    d.applicantAddress = ""
                    d.applicantPhone = ""
                    d.applicantEmail = ""
                    d.contentSummary = ""
                    d.resultDelivery = ""
                    d.feeVND = 0
                    d.procedureTermsSHA256 = ProcedureTermVersions.hash(procedure.termsJSON)
                    d.submittedAt = online ? received : nil
                    d.receivedAt = received
                    d.receivedDate = VietnamTime.local(received).date.iso
                    app.motcua.dossiers.save(clock, into: d)
                    d.completedAt = status == .withdrawn ? nil : finished
                    d.returnedAt = status == .returned ? finished : nil
                    d.finishedAt = finished
                    d.version = 1
                    d.createdAt = received
                    d.updatedAt = finished ?? received
                    let counted = d.counted
                    d.resolution = counted.resolution?.rawValue
                    for (day, t) in counted.tallies {
                        byKey[ReportTallyStore.key(of: d), default: [:]][day, default: Tallies()] += t
                    }
                    batch.append(d)
                    if batch.count == 20_000 || n == count - 1 {
                        let rows = batch
                        try await db.transaction { tx in try await rows.insert(on: tx) }
                        batch.removeAll(keepingCapacity: true)
                        progress(n + 1)
                    }
                }
                return byKey
            }
        }
        let rows = tallies.sorted { $0.key < $1.key }.flatMap { key, days in
            ReportTallyStore.buckets(days).sorted { $0.key < $1.key }.map { (key, $0.key, $0.value) }
        }
        try await ReportTallyStore.add(rows, on: app.db as! any SQLDatabase)
    }
}

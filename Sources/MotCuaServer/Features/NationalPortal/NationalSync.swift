import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The outbox of messages to the national portal (DOMAIN.md section 12): each change of a dossier
/// writes its messages in its own transaction (DossierService), so a change is never made without
/// them nor a message sent for a change rolled back. NationalSyncWorker sends them in order per
/// dossier, each once acknowledged.
enum NationalSync {
    static let table = "national_sync_outbox"
    /// A message acknowledged within a day of its change counts as synced on time (the 766 figure).
    static let onTime: TimeInterval = 86_400

    enum Status: String { case pending, sent }

    /// The messages of one change: the dossier as it now is when its status changed (DongBoHoSoMC),
    /// then the step (CapNhatTienDoHoSoMC). Ordered by the log's sequence.
    static func enqueue(
        _ entry: LogChain.Content, of d: DossierModel, statusChanged: Bool, inputs: ActionInputs,
        unitCode: String, on tx: any Database
    ) async throws {
        let agency = try await AgencyModel.find(d.agencyID, on: tx)
        let agencyFacts = (code: agency?.code ?? "", name: agency?.name ?? "")
        var messages: [(service: String, body: String)] = []
        if statusChanged || entry.action == Action.requestSupplement.rawValue {
            let terms = try await ProcedureTermVersions.terms(of: d, on: tx)
            let field = try await FieldModel.find(d.fieldID, on: tx)
            var supplement: NationalRecord.Supplement?
            if entry.action == Action.requestSupplement.rawValue {
                let names = try await DossierComponentModel.query(on: tx).filter(\.$dossierID == d.id!)
                    .filter(\.$position ~~ (inputs.components ?? [])).sort(\.$position).all().map(\.name)
                supplement = .init(
                    NgayYeuCauBoSung: VietnamTime.compact(entry.at), LyDoBoSung: inputs.reason ?? entry.opinion ?? "",
                    DanhSachGiayToBoSung: names)
            }
            let record = NationalRecord.dossier(
                d, nationalCode: try await NationalInbox.code(of: d.id!, on: tx),
                procedureName: terms.name, fieldCode: field?.code ?? "", agency: agencyFacts,
                supplement: supplement, result: d.resultJSON.flatMap { try? JSON.decode(SignedResult.self, $0) })
            messages.append(
                (
                    NationalRecord.dossierService,
                    NationalRecord.body(
                        NationalRecord.dossierService, unitCode: unitCode, record)
                ))
        }
        let step = NationalRecord.progress(entry, code: d.code, agencyName: agencyFacts.name)
        messages.append(
            (
                NationalRecord.progressService,
                NationalRecord.body(
                    NationalRecord.progressService, unitCode: unitCode, step)
            ))
        let sql = tx as! any SQLDatabase
        let now = entry.at.wholeSeconds
        for (k, message) in messages.enumerated() {
            try await sql.raw(
                """
                INSERT INTO \(unsafeRaw: table) (id, dossier_id, seq, service, payload, status, attempts, created_at, \
                due_at, next_attempt_at) VALUES (\(bind: UUID.timeOrdered()), \(bind: d.id!), \
                \(bind: entry.seq * 2 + k), \(bind: message.service), \(bind: message.body), 'pending', 0, \
                \(bind: now), \(bind: now.addingTimeInterval(onTime)), \(bind: now))
                """
            ).run()
        }
    }

    /// A dossier's messages, as its page shows them: how many were acknowledged, how many wait, and
    /// the portal's last refusal, if the first waiting one was refused.
    struct State: Sendable, Equatable {
        var sent = 0
        var pending = 0
        var lastError: String?
        var lastAnswer: String?
        var lastSentAt: Date?

        var label: String {
            if let lastError { return "Lỗi đồng bộ: \(lastError)" }
            if pending > 0 { return "Đang chờ đồng bộ (\(pending) thông điệp)" }
            return "Đã đồng bộ (\(sent) thông điệp)"
        }
    }

    /// nil when nothing of this dossier was queued for the portal.
    static func state(of dossierID: UUID, on db: any Database) async throws -> State? {
        struct Row: Decodable { let status: String; let sent_at: Date?; let answer: String?; let last_error: String? }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT status, sent_at, answer, last_error FROM \(unsafeRaw: table) WHERE dossier_id = \(bind: dossierID) \
            ORDER BY seq
            """
        ).all(decoding: Row.self)
        guard !rows.isEmpty else { return nil }
        var state = State()
        for row in rows {
            if row.status == Status.sent.rawValue {
                state.sent += 1
                state.lastSentAt = max(state.lastSentAt ?? .distantPast, row.sent_at ?? .distantPast)
            } else {
                state.pending += 1
                if state.lastError == nil, let error = row.last_error {
                    state.lastError = error
                    state.lastAnswer = row.answer
                }
            }
        }
        return state
    }
}

import Foundation
import MotCuaCore
import Vapor

/// "Phiếu kiểm soát quá trình giải quyết hồ sơ": a plain print view of who handed the dossier to
/// whom and when, each step's result against its deadline (the printed form with its QR code comes
/// with the forms issue).
struct ControlSlipPage {
    struct Context: Encodable {
        struct Row: Encodable { let handedBy: String; let receivedBy: String; let at: String; let result: String }
        let code: String
        let procedure: String
        let applicant: String
        let received: String
        let due: String
        let agency: String
        let rows: [Row]
        let printedAt: String
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let record = try await DossierRecord.load(d, on: req.db)
        let names = try await ChangeText.Names.load(for: record, on: req.db)
        let now = Date()
        let periods = record.timeline(at: now)
        // Each hand-over: the one who finished a step gives the dossier to the holder of the next.
        var rows: [Context.Row] = []
        for (i, p) in periods.enumerated() {
            let handedBy = i == 0 ? record.applicant.name : (periods[i - 1].finishedBy ?? "")
            rows.append(.init(handedBy: handedBy, receivedBy: p.holder?.vietnameseName ?? p.state.vietnameseName, at: PageTime.dateTime(p.from),
                              result: p.timeliness.map { "\($0.vietnameseName)" } ?? p.state.vietnameseName))
        }
        return try await req.view.render("DossierDetail/control-slip", Context(
            code: d.code, procedure: record.procedure.name, applicant: record.applicant.name,
            received: d.receivedAt.map(PageTime.dateTime) ?? "", due: d.dueAt.map(PageTime.dateTime) ?? "",
            agency: names.agencies[d.agencyID] ?? "", rows: rows, printedAt: PageTime.dateTime(now)))
    }
}

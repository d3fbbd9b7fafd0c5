import Foundation
import MotCuaCore
import Vapor

/// "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": a plain print view given to the applicant at the
/// counter (the printed form with its QR code comes with the forms issue).
struct ReceiptPage {
    struct Context: Encodable {
        struct Component: Encodable { let position: Int; let name: String; let form: String; let count: Int }
        let agency: String
        let code: String
        let applicant: String
        let idNumber: String
        let address: String
        let procedure: String
        let components: [Component]
        let received: String
        let appointment: String
        let officer: String
        let lookupSecret: String
        let lookupURL: String
        let fee: String
    }

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let record = try await DossierRecord.load(d, on: req.db)
        let names = try await ChangeText.Names.load(for: record, on: req.db)
        var officer = ""
        if let id = d.receivingOfficerID { officer = try await UserModel.find(id, on: req.db)?.fullName ?? "" }
        return try await req.view.render("Reception/receipt", Context(
            agency: names.agencies[d.agencyID] ?? "", code: d.code, applicant: d.applicantName, idNumber: d.applicantIDNumber, address: d.applicantAddress,
            procedure: record.procedure.name,
            components: record.components.filter { $0.handedInCount > 0 }.map { .init(position: $0.position, name: $0.name, form: ComponentRequirement.Form(rawValue: $0.form)?.vietnameseName ?? $0.form, count: $0.handedInCount) },
            received: d.receivedAt.map(PageTime.dateTime) ?? "", appointment: d.appointmentAt.map(PageTime.dateTime) ?? "",
            officer: officer, lookupSecret: d.lookupSecret,
            lookupURL: (req.application.motcua.settings.publicURL?.absoluteString ?? "http://" + (req.headers.first(name: .host) ?? "localhost")) + "/tra-cuu",
            fee: d.feeVND > 0 ? PageTime.number(d.feeVND) + " đồng" : "Không thu"))
    }
}

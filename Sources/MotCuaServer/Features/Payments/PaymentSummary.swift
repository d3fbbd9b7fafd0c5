import Foundation
import Fluent
import MotCuaCore

extension PaymentModel {
    /// What the dossier's page and the public lookup say of it: "Đã thanh toán 200.000 đồng lúc
    /// 08:30 01/12/2026 (Chuyển khoản, biên lai BL-0001)", "Chờ thanh toán ...", or cancelled.
    var summary: String {
        let amount = amountVND.map { " " + PageTime.number($0) + " đồng" } ?? ""
        switch PaymentStatus(rawValue: status) {
        case .paid:
            let how = [method.flatMap(PaymentMethod.init(rawValue:))?.vietnameseName, receipt.map { "biên lai " + $0 }]
                .compactMap { $0 }
            return "Đã thanh toán\(amount) lúc \(paidAt.map(PageTime.dateTime) ?? "")"
                + (how.isEmpty ? "" : " (\(how.joined(separator: ", ")))")
        case .awaiting: return "Chờ thanh toán\(amount) (yêu cầu lúc \(PageTime.dateTime(requestedAt)))"
        case .cancelled, nil: return "Đã huỷ yêu cầu thanh toán\(amount)"
        }
    }

    /// The dossier's latest payment, if any.
    static func latest(of dossierID: UUID, on db: any Database) async throws -> PaymentModel? {
        try await query(on: db).filter(\.$dossierID == dossierID).sort(\.$requestedAt, .descending).first()
    }
}

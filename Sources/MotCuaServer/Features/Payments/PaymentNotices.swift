import Crypto
import Fluent
import Foundation
import MotCuaCore
import Vapor

/// `POST /api/v1/payments/notify`: the payment platform (PayGov or a bank's gateway) tells us a
/// dossier's requested fee was paid online (DOMAIN.md section 11). The notice is authenticated by
/// an HMAC-SHA256 of the exact body under the secret shared with the platform
/// (`MOTCUA_PAYMENT_SECRET`), sent as `X-Payment-Signature: sha256=<hex>`; it is idempotent on the
/// platform's transaction id: the same notice twice, or a hundred at once, records one payment.
struct PaymentNotices {
    struct Notice: Content {
        var dossierCode: String
        var transactionId: String
        var amount: Int
    }

    struct Answer: Content {
        let dossierCode: String
        let transactionId: String
        let status: String
        /// false when this transaction had already been recorded (a repeated notice).
        let recorded: Bool
    }

    static let signatureHeader = "X-Payment-Signature"

    /// The value of `X-Payment-Signature` for `body` under `secret`: what the platform sends.
    static func signature(of body: Data, secret: String) -> String { BodySignature.sign(body, secret: secret) }

    /// JSONDecoder reads `200000.0` and `2e5` as the integer 200000; an amount in đồng is written
    /// as an integer, so the number's own type is checked (JSONSerialization keeps it: "q" or "i"
    /// for an integer literal, "d" for one with a fraction or an exponent).
    static func amountIsWhole(_ body: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let amount = object["amount"] as? NSNumber
        else { return false }
        return ["q", "i", "l", "s"].contains(String(cString: amount.objCType))
    }

    func notify(req: Request) async throws -> Answer {
        guard let secret = req.motcua.settings.paymentSecret else {
            throw ServiceError(
                .serviceUnavailable, "Chưa cấu hình khoá dùng chung với nền tảng thanh toán (MOTCUA_PAYMENT_SECRET).")
        }
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        guard BodySignature.isValid(req.headers.first(name: Self.signatureHeader), body: body, secret: secret) else {
            throw ServiceError(.unauthorized, "Chữ ký của thông báo thanh toán không hợp lệ.")
        }
        let notice: Notice
        do { notice = try JSONDecoder().decode(Notice.self, from: body) } catch {
            throw ServiceError(
                .unprocessableEntity, "Thông báo thanh toán phải là JSON có dossierCode, transactionId và amount.")
        }
        guard Self.amountIsWhole(body) else {
            throw ServiceError(
                .unprocessableEntity,
                "Số tiền (amount) phải là số nguyên đồng, viết không có phần thập phân hay số mũ (ví dụ 200000).")
        }
        try TextInput.require(notice.transactionId, label: "Mã giao dịch", multiline: false, maxLength: 100)
        guard notice.dossierCode.count <= 100, notice.amount > 0 else {
            throw ServiceError(.unprocessableEntity, "Mã hồ sơ hoặc số tiền của thông báo thanh toán không hợp lệ.")
        }
        return try await Self.record(
            dossierCode: notice.dossierCode, transactionId: notice.transactionId, receipt: notice.transactionId,
            amount: notice.amount, context: req.motcua, on: req.db)
    }

    /// Records a fee paid online, as a platform reports it (this notice, VNPay's IPN): the dossier's
    /// open payment request becomes paid by the "confirm payment" action of the payment platform,
    /// once per `transactionId` (unique in `payments`): a repeated or concurrent report answers
    /// `recorded: false`. An amount other than the one requested is refused (422).
    static func record(
        dossierCode: String, transactionId: String, receipt: String, amount: Int, context: MotCuaContext,
        on db: any Database
    ) async throws -> Answer {
        // A lost race (another copy of the notice, or the desk acting at the same moment) is
        // retried: the copy then finds its transaction recorded.
        // The request is read before the transaction: the payment that ends it commits with its
        // transaction id, so a request gone means the id is visible.
        for attempt in 0..<5 {
            guard let d = try await DossierModel.query(on: db).filter(\.$code == dossierCode).first() else {
                if let answer = try await alreadyRecorded(dossierCode, transactionId, on: db) { return answer }
                throw ServiceError.notFound
            }
            guard let awaiting = try await PaymentModel.awaiting(of: d.id!, on: db) else {
                if let answer = try await alreadyRecorded(dossierCode, transactionId, on: db) { return answer }
                throw ServiceError(.conflict, "Hồ sơ \(d.code) không chờ thanh toán.")
            }
            if let answer = try await alreadyRecorded(dossierCode, transactionId, on: db) { return answer }
            if let due = awaiting.amountVND, due != amount {
                throw ServiceError(
                    .unprocessableEntity,
                    """
                    Số tiền đã thanh toán (\(PageTime.number(amount)) đồng) khác số tiền phải nộp \
                    (\(PageTime.number(due)) đồng).
                    """
                )
            }
            do {
                _ = try await context.dossiers.perform(
                    .confirmPayment, code: d.code,
                    inputs: ActionInputs(amount: amount, paymentReceipt: receipt, paymentMethod: .online),
                    expectedVersion: d.version, actor: .paymentPlatform(agency: d.agencyID), at: Date(),
                    paymentTransaction: transactionId, on: db)
                return Answer(
                    dossierCode: d.code, transactionId: transactionId, status: PaymentStatus.paid.rawValue,
                    recorded: true)
            } catch let error as ServiceError where error.status == .conflict && attempt < 4 {
                continue
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue
            }
        }
        throw ServiceError.conflict
    }

    /// The answer to a notice whose transaction is already recorded; another dossier's transaction
    /// under the same id is a conflict.
    static func alreadyRecorded(_ dossierCode: String, _ transactionId: String, on db: any Database) async throws
        -> Answer?
    {
        guard let paid = try await PaymentModel.query(on: db).filter(\.$transactionID == transactionId).first()
        else { return nil }
        guard let d = try await DossierModel.find(paid.dossierID, on: db), d.code == dossierCode else {
            throw ServiceError(.conflict, "Mã giao dịch \(transactionId) đã được ghi nhận cho hồ sơ khác.")
        }
        return Answer(dossierCode: d.code, transactionId: transactionId, status: paid.status, recorded: false)
    }
}

import Crypto
import Fluent
import Foundation
import MotCuaCore
import NIOCore
import Vapor

/// Asks VNPay (`querydr`, merchant API 2.1.0) about the orders left pending when no IPN came: a
/// citizen paid but VNPay's call did not reach us, or the citizen gave up. Run every five minutes by
/// `motcua serve` when VNPay is configured. An order is asked about once its payment time has
/// passed by `grace`; VNPay's signed answer settles it as the IPN would (a payment recorded once);
/// no answer, a time-out or a wrong signature leaves it pending for the next run.
enum VNPayReconciliation {
    static let grace: TimeInterval = 5 * 60

    struct Outcome: Equatable, Sendable {
        var paid = 0
        var failed = 0
        var unanswered = 0
    }

    /// The fields of the request's and of the answer's hash, in VNPay's order, joined by `|`.
    static let requestFields = [
        "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
        "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
    ]
    static let answerFields = [
        "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
        "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
        "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
    ]

    static func hash(_ fields: [String], of values: [String: String], secret: String) -> String {
        let text = fields.map { values[$0] ?? "" }.joined(separator: "|")
        return HMAC<SHA512>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8))).hex
    }

    static func run(_ app: Application, at now: Date, timeout: TimeAmount = .seconds(20)) async throws -> Outcome {
        guard let vnpay = app.motcua.settings.vnpay else { return Outcome() }
        let due = try await VNPayOrderModel.query(on: app.db)
            .filter(\.$status == VNPayOrderModel.Status.pending.rawValue)
            .filter(\.$expiresAt < now.addingTimeInterval(-grace))
            .sort(\.$createdAt).limit(100).all()
        var outcome = Outcome()
        for order in due {
            guard let answer = await ask(order, vnpay, app, now: now, timeout: timeout),
                let dossier = try await DossierModel.find(order.dossierID, on: app.db)
            else {
                outcome.unanswered += 1
                continue
            }
            let paid = answer["vnp_TransactionStatus"] == "00"
            _ = try await VNPayPages.settle(
                order, of: dossier, paid: paid, responseCode: answer["vnp_ResponseCode"],
                transactionNo: answer["vnp_TransactionNo"], context: app.motcua, on: app.db)
            if paid { outcome.paid += 1 } else { outcome.failed += 1 }
        }
        return outcome
    }

    /// VNPay's signed answer about one order, when it says paid or not paid; nil otherwise.
    static func ask(
        _ order: VNPayOrderModel, _ vnpay: VNPaySettings, _ app: Application, now: Date, timeout: TimeAmount
    )
        async -> [String: String]?
    {
        var request = [
            "vnp_RequestId": UUID().uuidString.replacingOccurrences(of: "-", with: ""),
            "vnp_Version": VNPayProtocol.version,
            "vnp_Command": "querydr", "vnp_TmnCode": vnpay.terminalCode, "vnp_TxnRef": order.txnRef,
            "vnp_TransactionDate": VNPayProtocol.time(order.createdAt), "vnp_CreateDate": VNPayProtocol.time(now),
            "vnp_IpAddr": vnpay.serverAddress, "vnp_OrderInfo": "Truy van giao dich \(order.txnRef)",
        ]
        request["vnp_SecureHash"] = hash(requestFields, of: request, secret: vnpay.hashSecret)
        do {
            let response = try await app.client.post(URI(string: vnpay.apiURL)) { r in
                r.timeout = timeout
                try r.content.encode(request, as: .json)
            }
            guard response.status == .ok, let body = response.body,
                let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            else { return nil }
            // VNPay writes numbers (the amount) as JSON numbers or strings.
            let answer = object.compactMapValues { value -> String? in
                if let text = value as? String { return text }
                if let number = value as? NSNumber { return number.stringValue }
                return nil
            }
            guard let sent = answer["vnp_SecureHash"]?.lowercased(),
                sent == hash(answerFields, of: answer, secret: vnpay.hashSecret), answer["vnp_TxnRef"] == order.txnRef
            else {
                app.logger.warning("VNPay querydr \(order.txnRef): chữ ký hoặc mã giao dịch của câu trả lời không đúng")
                return nil
            }
            switch answer["vnp_ResponseCode"] {
            case "00":
                guard answer["vnp_Amount"] == String(order.amountVND * 100) else {
                    app.logger.warning("VNPay querydr \(order.txnRef): số tiền khác đơn hàng")
                    return nil
                }
                // "01": never finished; the order's time has passed, so it can no longer be paid.
                return answer
            case "91":  // VNPay has no such transaction: the citizen never paid.
                return answer.merging(["vnp_TransactionStatus": "91"]) { $1 }
            default:
                return nil
            }
        } catch {
            app.logger.warning("VNPay querydr \(order.txnRef): \(String(describing: error))")
            return nil
        }
    }
}

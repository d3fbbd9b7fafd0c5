import Fluent
import Foundation
import MotCuaCore
import Vapor

/// Paying a dossier's fee through VNPay (issue 22, DOMAIN.md section 11):
/// - `POST /thanh-toan/vnpay` (the lookup page's button, with the dossier's code and secret) opens
///   an order and sends the citizen to VNPay's payment address;
/// - `GET /api/v1/payments/vnpay/ipn` is VNPay's server telling ours the result: the only way a
///   VNPay payment is recorded;
/// - `GET /thanh-toan/vnpay/ket-qua` is where VNPay sends the citizen back: it shows the result
///   and what we recorded, and never records anything itself (its address can be typed by anyone).
struct VNPayPages {
    struct StartForm: Content {
        var code: String
        var secret: String
    }

    func start(req: Request) async throws -> Response {
        guard let vnpay = req.motcua.settings.vnpay else {
            throw ServiceError(
                .serviceUnavailable,
                "Chưa kết nối cổng thanh toán VNPay: xin nộp phí tại Bộ phận tiếp nhận và trả kết quả.")
        }
        guard let form = try? req.content.decode(StartForm.self) else {
            throw ServiceError(.unprocessableEntity, "Thiếu mã hồ sơ hoặc mã tra cứu.")
        }
        let found = try await LookupQuery.run(
            code: form.code, secret: form.secret, req: req)
        guard let awaiting = try await PaymentModel.awaiting(of: found.dossierID, on: req.db),
            let amount = awaiting.amountVND, amount > 0
        else {
            throw ServiceError(.conflict, "Hồ sơ \(found.code) không chờ thanh toán trực tuyến.")
        }
        let now = Date()
        let order = VNPayOrderModel()
        order.txnRef = Self.newReference()
        order.dossierID = found.dossierID
        order.paymentID = awaiting.id!
        order.amountVND = amount
        order.status = VNPayOrderModel.Status.pending.rawValue
        order.createdAt = now
        order.expiresAt = now.addingTimeInterval(TimeInterval(vnpay.orderMinutes * 60))
        try await order.save(on: req.db)
        let parameters = [
            "vnp_Version": VNPayProtocol.version, "vnp_Command": "pay", "vnp_TmnCode": vnpay.terminalCode,
            "vnp_Amount": String(amount * 100), "vnp_CreateDate": VNPayProtocol.time(now),
            "vnp_ExpireDate": VNPayProtocol.time(order.expiresAt), "vnp_CurrCode": "VND",
            "vnp_IpAddr": req.clientAddress, "vnp_Locale": "vn",
            // VNPay asks for the order's description without diacritics.
            "vnp_OrderInfo": "Thanh toan phi, le phi ho so \(found.code)", "vnp_OrderType": "other",
            "vnp_ReturnUrl": req.motcua.settings.siteURL.absoluteString + "/thanh-toan/vnpay/ket-qua",
            "vnp_TxnRef": order.txnRef,
        ]
        return req.redirect(
            to: VNPayProtocol.paymentURL(base: vnpay.paymentURL, parameters, secret: vnpay.hashSecret),
            redirectType: .normal)
    }

    /// A reference of 20 characters, unique without asking the database: the time in milliseconds
    /// and random digits.
    static func newReference() -> String {
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        return "MC\(millis)" + String(format: "%05d", Int.random(in: 0..<100_000))
    }

    struct IPNAnswer: Content {
        let RspCode: String
        let Message: String
    }

    func ipn(req: Request) async throws -> IPNAnswer {
        let answer = await Self.answer(VNPayProtocol.parameters(ofQuery: req.url.query), req: req)
        return IPNAnswer(RspCode: answer.rawValue, Message: answer.message)
    }

    /// VNPay's checks, in its order: signature, order, amount, already confirmed; then the payment is
    /// recorded once whatever the number of copies (the payments' unique transaction id).
    static func answer(_ parameters: [String: String]?, req: Request) async -> VNPayProtocol.Answer {
        guard let vnpay = req.motcua.settings.vnpay, let parameters,
            VNPayProtocol.isSigned(parameters, secret: vnpay.hashSecret)
        else { return .invalidSignature }
        do {
            guard parameters["vnp_TmnCode"] == vnpay.terminalCode, let reference = parameters["vnp_TxnRef"],
                let order = try await VNPayOrderModel.query(on: req.db).filter(\.$txnRef == reference).first(),
                let dossier = try await DossierModel.find(order.dossierID, on: req.db)
            else { return .orderNotFound }
            guard parameters["vnp_Amount"] == String(order.amountVND * 100) else { return .invalidAmount }
            guard order.status == VNPayOrderModel.Status.pending.rawValue else { return .alreadyConfirmed }
            let paid = parameters["vnp_ResponseCode"] == "00" && parameters["vnp_TransactionStatus"] == "00"
            let recorded = try await Self.settle(
                order, of: dossier, paid: paid, responseCode: parameters["vnp_ResponseCode"],
                transactionNo: parameters["vnp_TransactionNo"], context: req.motcua, on: req.db)
            return recorded ? .confirmed : .alreadyConfirmed
        } catch {
            req.logger.error("VNPay IPN: \(String(reflecting: error))")
            return .other
        }
    }

    /// Ends a pending order as VNPay answered (its IPN, or `querydr`): a payment is recorded once
    /// whatever the number of answers (the payments' unique transaction id); a failure only closes the
    /// order, the request stays open for another try. False when another answer came first.
    static func settle(
        _ order: VNPayOrderModel, of dossier: DossierModel, paid: Bool, responseCode: String?, transactionNo: String?,
        context: MotCuaContext, on db: any Database
    ) async throws -> Bool {
        var recorded = true
        if paid {
            recorded = try await PaymentNotices.record(
                dossierCode: dossier.code, transactionId: "VNPAY-" + order.txnRef,
                receipt: "VNPay " + (transactionNo ?? order.txnRef), amount: order.amountVND, context: context, on: db
            ).recorded
        }
        try await VNPayOrderModel.query(on: db).filter(\.$id == order.id!)
            .filter(\.$status == VNPayOrderModel.Status.pending.rawValue)
            .set(\.$status, to: (paid ? VNPayOrderModel.Status.paid : .failed).rawValue)
            .set(\.$responseCode, to: responseCode)
            .set(\.$bankTransactionNo, to: transactionNo)
            .set(\.$answeredAt, to: Date())
            .update()
        return recorded
    }

    func returned(req: Request) async throws -> Response {
        struct Context: Encodable {
            let layout: PageLayout
            let error: String?
            let success: Bool
            let text: String?
            let dossierCode: String?
            let amount: String?
            let recorded: Bool
            let reference: String?
        }
        let layout = PageLayout("Kết quả thanh toán", req)
        guard let vnpay = req.motcua.settings.vnpay, let parameters = VNPayProtocol.parameters(ofQuery: req.url.query),
            VNPayProtocol.isSigned(parameters, secret: vnpay.hashSecret)
        else {
            return try await req.view.render(
                "Payments/vnpay-return",
                Context(
                    layout: layout, error: "Dữ liệu VNPay trả về không hợp lệ (sai chữ ký); chưa có gì được ghi nhận.",
                    success: false, text: nil, dossierCode: nil, amount: nil, recorded: false, reference: nil)
            ).encodeResponse(status: .badRequest, for: req)
        }
        let reference = parameters["vnp_TxnRef"] ?? ""
        let order = try await VNPayOrderModel.query(on: req.db).filter(\.$txnRef == reference).first()
        var dossier: DossierModel?
        if let order { dossier = try await DossierModel.find(order.dossierID, on: req.db) }
        let success = parameters["vnp_ResponseCode"] == "00" && parameters["vnp_TransactionStatus"] == "00"
        return try await req.view.render(
            "Payments/vnpay-return",
            Context(
                layout: layout, error: nil, success: success,
                text: VNPayProtocol.responseText(parameters["vnp_ResponseCode"]), dossierCode: dossier?.code,
                amount: order.map { PageTime.number($0.amountVND) + " đồng" },
                recorded: order?.status == VNPayOrderModel.Status.paid.rawValue, reference: reference)
        ).encodeResponse(for: req)
    }
}

import Crypto
import Fluent
import Foundation
import MotCuaCore
import Testing
import MotCuaTestSupport
import NIOConcurrencyHelpers
import Vapor
@testable import MotCuaServer

/// A stand-in for VNPay written from its merchant documentation (version 2.1.0), with its own
/// signing code: it checks the payment address the way VNPay does, and signs its IPN and return
/// addresses as VNPay does, so that the server is tested against the protocol, not against itself.
struct VNPaySandbox {
    let terminalCode = "MOTCUA01"
    let secret = "BIMATVNPAYSANDBOX2026"
    static let payURL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"

    var environment: [String: String] {
        ["MOTCUA_VNPAY_TMN_CODE": terminalCode, "MOTCUA_VNPAY_HASH_SECRET": secret,
         "MOTCUA_PUBLIC_URL": "https://dichvucong.haugiang.gov.vn"]
    }

    /// PHP's urlencode, as VNPay's own samples build the signed text.
    static func urlencode(_ s: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        allowed.insert(" ")
        return s.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: " ", with: "+")
    }

    /// The query VNPay sends: the fields encoded, and the hash of those but `vnp_SecureHashType`.
    func sign(_ fields: [(String, String)], secret: String? = nil) -> String {
        func joined(_ fields: [(String, String)]) -> String {
            fields.filter { !$0.1.isEmpty }.sorted { $0.0 < $1.0 }
                .map { Self.urlencode($0.0) + "=" + Self.urlencode($0.1) }.joined(separator: "&")
        }
        let text = joined(fields.filter { $0.0 != "vnp_SecureHashType" })
        let mac = HMAC<SHA512>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data((secret ?? self.secret).utf8)))
        return joined(fields) + "&vnp_SecureHash=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The parameters of a payment address, after checking its hash as VNPay does.
    func acceptedOrder(_ location: String) throws -> [String: String] {
        let query = String(try #require(location.split(separator: "?", maxSplits: 1).last))
        var fields: [(String, String)] = []
        var sent = ""
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding! }
            if kv[0] == "vnp_SecureHash" { sent = kv[1] } else { fields.append((kv[0], kv.count > 1 ? kv[1] : "")) }
        }
        let expected = sign(fields)
        #expect(expected.hasSuffix("vnp_SecureHash=" + sent), "VNPay would answer: Sai chữ ký (code 70)")
        return Dictionary(uniqueKeysWithValues: fields)
    }

    /// What VNPay sends to the IPN and return addresses after the citizen paid (or not).
    func result(of order: [String: String], responseCode: String = "00", amount: String? = nil,
                reference: String? = nil, secret: String? = nil) -> String {
        let paid = responseCode == "00"
        return sign([
            ("vnp_Amount", amount ?? order["vnp_Amount"]!), ("vnp_BankCode", "NCB"), ("vnp_BankTranNo", paid ? "VNP14567890" : ""),
            ("vnp_CardType", "ATM"), ("vnp_OrderInfo", order["vnp_OrderInfo"]!), ("vnp_PayDate", "20261203101500"),
            ("vnp_ResponseCode", responseCode), ("vnp_TmnCode", order["vnp_TmnCode"]!),
            ("vnp_TransactionNo", paid ? "14567890" : "0"), ("vnp_TransactionStatus", paid ? "00" : "02"),
            ("vnp_TxnRef", reference ?? order["vnp_TxnRef"]!), ("vnp_SecureHashType", "HmacSHA512"),
        ], secret: secret)
    }
}

@Suite(.serialized) struct VNPayTests {
    let sandbox = VNPaySandbox()

    /// A dossier waiting for its 200.000 đồng fee, its code and lookup secret.
    func awaitingPayment(_ t: TestApp) async throws -> (code: String, secret: String) {
        let reception = try await t.login("stp.tiepnhan")
        let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
        let d = try created.decode(DossierDetail.self).dossier
        var b = ActionRequest(version: d.version)
        b.amount = 200_000
        let r = try await t.request(.POST, "/api/v1/dossiers/\(d.code)/actions/request_payment", token: reception, json: b)
        #expect(r.status == .ok, "\(r.text)")
        return (d.code, try await t.dossier(d.code).lookupSecret)
    }

    func startPayment(_ t: TestApp, _ code: String, _ secret: String) async throws -> TestApp.Reply {
        var h = HTTPHeaders()
        h.contentType = .urlEncodedForm
        return try await t.request(.POST, "/thanh-toan/vnpay", headers: h, body: ByteBuffer(string: "code=\(code)&secret=\(secret)"))
    }

    func ipn(_ t: TestApp, _ query: String) async throws -> String {
        let r = try await t.request(.GET, "/api/v1/payments/vnpay/ipn?" + query)
        #expect(r.status == .ok && (r.json["Message"] as? String)?.isEmpty == false, "\(r.text)")
        return r.json["RspCode"] as? String ?? ""
    }

    func payments(_ t: TestApp, _ code: String) async throws -> [PaymentModel] {
        let d = try await t.dossier(code)
        return try await PaymentModel.query(on: t.app.db).filter(\.$dossierID == d.id!).all()
    }

    @Test(arguments: TestDatabase.available)
    func aFeePaidThroughVNPayIsRecordedByTheIPNOnly(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: sandbox.environment) { t in
            let (code, secret) = try await awaitingPayment(t)
            let page = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secret)")
            #expect(page.text.contains("Thanh toán trực tuyến qua VNPay") && page.text.contains("200.000 đồng"))
            // The browser follows the form's redirect to VNPay only if the page's policy allows it.
            let policy = page.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(policy.contains("form-action 'self' https://sandbox.vnpayment.vn;") && policy.contains("script-src 'self'"))

            // A wrong secret opens no order; the right one sends the citizen to VNPay with a signed address.
            #expect(try await startPayment(t, code, secret == "0000" ? "1111" : "0000").status == .notFound)
            #expect(try await VNPayOrderModel.query(on: t.app.db).count() == 0)
            let started = try await startPayment(t, code, secret)
            #expect(started.status == .seeOther, "\(started.text)")
            let location = try #require(started.headers.first(name: .location))
            #expect(location.hasPrefix(VNPaySandbox.payURL + "?"))
            let order = try sandbox.acceptedOrder(location)
            #expect(order["vnp_Version"] == "2.1.0" && order["vnp_Command"] == "pay" && order["vnp_TmnCode"] == sandbox.terminalCode)
            #expect(order["vnp_Amount"] == "20000000" && order["vnp_CurrCode"] == "VND" && order["vnp_Locale"] == "vn")
            #expect(order["vnp_ReturnUrl"] == "https://dichvucong.haugiang.gov.vn/thanh-toan/vnpay/ket-qua")
            let create = try #require(order["vnp_CreateDate"]), expire = try #require(order["vnp_ExpireDate"])
            #expect(create.count == 14 && expire.count == 14 && expire > create && create.allSatisfy(\.isNumber))
            let now = VNPayProtocol.time(Date())
            #expect(abs(Int(create)! - Int(now)!) <= 100, "\(create) is GMT+7 like \(now)")
            #expect(order["vnp_OrderInfo"]?.contains(code) == true && order["vnp_IpAddr"]?.isEmpty == false)
            #expect(order["vnp_TxnRef"]?.isEmpty == false && order["vnp_OrderType"] == "other")

            // The citizen comes back before the IPN: the page says so, and records nothing.
            let back = try await t.request(.GET, "/thanh-toan/vnpay/ket-qua?" + sandbox.result(of: order)).text
            #expect(back.contains("Giao dịch thành công") && back.contains("Đang chờ VNPay xác nhận") && back.contains(code))
            #expect(try await payments(t, code).map(\.status) == ["awaiting"])
            let forgedBack = try await t.request(.GET, "/thanh-toan/vnpay/ket-qua?" + sandbox.result(of: order, secret: "khac"))
            #expect(forgedBack.status == .badRequest && forgedBack.text.contains("sai chữ ký"))

            // Forged, wrong amount, unknown order, malformed: answered, nothing changes.
            let logBefore = try await t.logCount(code)
            #expect(try await ipn(t, sandbox.result(of: order, secret: "khoa-gia-mao")) == "97")
            #expect(try await ipn(t, sandbox.result(of: order).replacingOccurrences(of: "vnp_Amount=20000000", with: "vnp_Amount=2000000")) == "97")
            #expect(try await ipn(t, "vnp_TxnRef=x&vnp_TxnRef=y") == "97")
            #expect(try await ipn(t, "") == "97")
            #expect(try await ipn(t, sandbox.result(of: order, amount: "2000000")) == "04")
            #expect(try await ipn(t, sandbox.result(of: order, reference: "MC000")) == "01")
            #expect(try await t.dossier(code).status == "awaiting_payment")
            #expect(try await t.logCount(code) == logBefore)

            // The IPN records the payment; the same IPN again is "already confirmed" and changes nothing.
            #expect(try await ipn(t, sandbox.result(of: order)) == "00")
            let paid = try #require(try await payments(t, code).first)
            #expect(paid.status == "paid" && paid.method == "online" && paid.receipt == "VNPay 14567890")
            #expect(try await t.dossier(code).status != "awaiting_payment")
            #expect(try await t.logCount(code) == logBefore + 1)
            #expect(try await ipn(t, sandbox.result(of: order)) == "02")
            #expect(try await ipn(t, sandbox.result(of: order, amount: "2000000")) == "04")
            #expect(try await t.logCount(code) == logBefore + 1)
            let after = try await t.request(.GET, "/thanh-toan/vnpay/ket-qua?" + sandbox.result(of: order)).text
            #expect(after.contains("Đã ghi nhận khoản phí"))
            let shown = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secret)").text
            #expect(shown.contains("Đã thanh toán 200.000 đồng") && !shown.contains("Thanh toán trực tuyến qua VNPay"))
            // Nothing more to pay: no new order.
            #expect(try await startPayment(t, code, secret).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aHundredIdenticalIPNsRecordOnePayment(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: sandbox.environment) { t in
            let (code, secret) = try await awaitingPayment(t)
            // A payment the citizen cancelled: acknowledged, nothing recorded, a new order can be paid.
            let cancelled = try sandbox.acceptedOrder(try #require(try await startPayment(t, code, secret).headers.first(name: .location)))
            #expect(try await ipn(t, sandbox.result(of: cancelled, responseCode: "24")) == "00")
            #expect(try await payments(t, code).map(\.status) == ["awaiting"])
            let back = try await t.request(.GET, "/thanh-toan/vnpay/ket-qua?" + sandbox.result(of: cancelled, responseCode: "24")).text
            #expect(back.contains("Khách hàng đã huỷ giao dịch") && back.contains("Chưa thanh toán"))

            let order = try sandbox.acceptedOrder(try #require(try await startPayment(t, code, secret).headers.first(name: .location)))
            let logBefore = try await t.logCount(code)
            let query = sandbox.result(of: order)
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<100 { group.addTask { try await ipn(t, query) } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == "00" }.count == 1, "\(answers)")
            #expect(answers.allSatisfy { $0 == "00" || $0 == "02" }, "\(answers)")
            #expect(try await payments(t, code).map(\.status) == ["paid"])
            #expect(try await t.logCount(code) == logBefore + 1)
            let orders = try await VNPayOrderModel.query(on: t.app.db).sort(\.$createdAt).all().map(\.status)
            #expect(orders == ["failed", "paid"])
        }
    }

    @Test func withoutSettingsTheCitizenIsToldToPayAtTheCounter() async throws {
        try await TestApp.with(.sqlite) { t in
            let (code, secret) = try await awaitingPayment(t)
            let lookup = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secret)").text
            #expect(lookup.contains("xin nộp phí tại Bộ phận tiếp nhận và trả kết quả") && !lookup.contains("qua VNPay</button>"))
            #expect(try await startPayment(t, code, secret).status == .serviceUnavailable)
            #expect(try await ipn(t, sandbox.result(of: ["vnp_Amount": "20000000", "vnp_OrderInfo": "x", "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": "MC1"])) == "97")
        }
        // Half the settings is an error at start, in Vietnamese.
        #expect(throws: (any Error).self) { try Settings(environment: ["MOTCUA_VNPAY_TMN_CODE": "MOTCUA01"]) }
        #expect(throws: (any Error).self) {
            try Settings(environment: ["MOTCUA_VNPAY_TMN_CODE": "MOTCUA01", "MOTCUA_VNPAY_HASH_SECRET": "s", "MOTCUA_VNPAY_PAY_URL": "ftp://x"])
        }
    }
}

/// VNPay's merchant API (`querydr`) as a stand-in on a real port: it checks each request's hash with
/// its own code and answers, signed, what the test says of each order.
final class QueryDRStandIn: Sendable {
    enum Behaviour: Sendable { case paid, notFound, slow, forged }
    let sandbox = VNPaySandbox()
    let app: Application
    let port: Int
    let behaviour = NIOLockedValueBox<[String: Behaviour]>([:])
    let requests = NIOLockedValueBox<[[String: String]]>([])

    static let requestFields = ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                                "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"]
    static let answerFields = ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                               "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                               "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                               "vnp_PromotionAmount"]

    static func mac(_ fields: [String], _ values: [String: String], secret: String) -> String {
        let text = fields.map { values[$0] ?? "" }.joined(separator: "|")
        return HMAC<SHA512>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    func mac(_ fields: [String], _ values: [String: String]) -> String { Self.mac(fields, values, secret: sandbox.secret) }

    init() async throws {
        app = try await Application.make(.testing)
        let standIn = (behaviour, requests), secret = sandbox.secret
        let secretMac: @Sendable ([String], [String: String]) -> String = { Self.mac($0, $1, secret: secret) }
        app.post("merchant_webapi", "api", "transaction") { req async throws -> Response in
            let sent = try req.content.decode([String: String].self)
            standIn.1.withLockedValue { $0.append(sent) }
            guard sent["vnp_SecureHash"] == secretMac(Self.requestFields, sent), sent["vnp_Command"] == "querydr" else {
                return try await ["vnp_ResponseCode": "97", "vnp_Message": "Checksum failed"].encodeResponse(for: req)
            }
            let ref = sent["vnp_TxnRef"] ?? ""
            let what = standIn.0.withLockedValue { $0[ref] } ?? .notFound
            if what == .slow { try await Task.sleep(for: .seconds(3)) }
            var answer: [String: String] = [
                "vnp_ResponseId": UUID().uuidString, "vnp_Command": "querydr", "vnp_TmnCode": sent["vnp_TmnCode"] ?? "",
                "vnp_TxnRef": ref, "vnp_OrderInfo": sent["vnp_OrderInfo"] ?? "",
            ]
            if what == .notFound {
                answer["vnp_ResponseCode"] = "91"
                answer["vnp_Message"] = "Transaction not found"
            } else {
                answer.merge([
                    "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success", "vnp_Amount": "20000000",
                    "vnp_BankCode": "NCB", "vnp_PayDate": "20261203101500", "vnp_TransactionNo": "14700001",
                    "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
                ]) { $1 }
            }
            answer["vnp_SecureHash"] = secretMac(Self.answerFields, answer)
            if what == .forged { answer["vnp_TransactionStatus"] = "00"; answer["vnp_Amount"] = "20000000"; answer["vnp_SecureHash"] = String(repeating: "a", count: 128) }
            return try await answer.encodeResponse(for: req)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

extension VNPayTests {
    @Test(arguments: TestDatabase.available)
    func ordersLeftWithoutAnIPNAreAskedAboutWithQueryDR(db: TestDatabase) async throws {
        let api = try await QueryDRStandIn()
        do {
            var environment = sandbox.environment
            environment["MOTCUA_VNPAY_API_URL"] = "http://127.0.0.1:\(api.port)/merchant_webapi/api/transaction"
            try await TestApp.with(db, environment: environment) { t in
                var dossiers: [(code: String, ref: String)] = []
                for _ in 0..<4 {
                    let (code, secret) = try await awaitingPayment(t)
                    let order = try sandbox.acceptedOrder(try #require(try await startPayment(t, code, secret).headers.first(name: .location)))
                    dossiers.append((code, try #require(order["vnp_TxnRef"])))
                }
                let behaviours: [QueryDRStandIn.Behaviour] = [.paid, .notFound, .slow, .forged]
                api.behaviour.withLockedValue { b in for (d, what) in zip(dossiers, behaviours) { b[d.ref] = what } }

                // Orders still within their time are not asked about.
                #expect(try await VNPayReconciliation.run(t.app, at: Date(), timeout: .seconds(1)) == .init())
                #expect(api.requests.withLockedValue { $0.count } == 0)

                let later = Date().addingTimeInterval(25 * 60)
                let first = try await VNPayReconciliation.run(t.app, at: later, timeout: .seconds(1))
                #expect(first == .init(paid: 1, failed: 1, unanswered: 2), "\(first)")
                #expect(api.requests.withLockedValue { sent in sent.allSatisfy { $0["vnp_SecureHash"] == api.mac(QueryDRStandIn.requestFields, $0) } })
                #expect(api.requests.withLockedValue { $0.first?["vnp_TransactionDate"]?.count } == 14)
                #expect(try await payments(t, dossiers[0].code).first?.status == "paid")
                #expect(try await payments(t, dossiers[0].code).first?.receipt == "VNPay 14700001")
                #expect(try await t.dossier(dossiers[0].code).status != "awaiting_payment")
                for d in dossiers.dropFirst() { #expect(try await payments(t, d.code).map(\.status) == ["awaiting"]) }
                let statuses = try await VNPayOrderModel.query(on: t.app.db).all()
                    .reduce(into: [String: String]()) { $0[$1.txnRef] = $1.status }
                #expect(dossiers.map { statuses[$0.ref] } == ["paid", "failed", "pending", "pending"])

                // The next run asks only about those still pending; a late IPN of the paid one changes nothing.
                let asked = api.requests.withLockedValue { $0.count }
                #expect(try await VNPayReconciliation.run(t.app, at: later, timeout: .seconds(1)) == .init(unanswered: 2))
                #expect(api.requests.withLockedValue { $0.count } == asked + 2)
                let paidOrder = ["vnp_Amount": "20000000", "vnp_OrderInfo": "x", "vnp_TmnCode": sandbox.terminalCode, "vnp_TxnRef": dossiers[0].ref]
                #expect(try await ipn(t, sandbox.result(of: paidOrder)) == "02")
                #expect(try await payments(t, dossiers[0].code).count == 1)
            }
        } catch {
            try await api.stop()
            throw error
        }
        try await api.stop()
    }
}

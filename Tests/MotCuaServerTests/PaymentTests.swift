import Fluent
import Foundation
import MotCuaCore
import Testing
import MotCuaTestSupport
import Vapor
@testable import MotCuaServer

/// Payments (DOMAIN.md section 11): the desk records cash or transfer, only the payment platform's
/// signed notice records an online payment, a notice is idempotent, and the 766 index counts them.
@Suite(.serialized) struct PaymentTests {
    static let secret = "khoa-dung-chung-voi-paygov"

    /// A dossier received at the Sở Tư pháp desk and waiting for its 200.000 đồng fee.
    func awaitingPayment(_ t: TestApp, reception: String) async throws -> (code: String, version: Int) {
        let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
        #expect(created.status == .created, "\(created.text)")
        let d = try created.decode(DossierDetail.self).dossier
        var b = ActionRequest(version: d.version)
        b.amount = 200_000
        let r = try await t.request(.POST, "/api/v1/dossiers/\(d.code)/actions/request_payment", token: reception, json: b)
        #expect(r.status == .ok, "\(r.text)")
        return (d.code, try r.decode(DossierDetail.self).dossier.version)
    }

    func notify(_ t: TestApp, _ json: String, secret: String = PaymentTests.secret, signature: String? = nil) async throws -> TestApp.Reply {
        var h = HTTPHeaders()
        h.contentType = .json
        h.replaceOrAdd(name: PaymentNotices.signatureHeader, value: signature ?? PaymentNotices.signature(of: Data(json.utf8), secret: secret))
        return try await t.request(.POST, "/api/v1/payments/notify", headers: h, body: ByteBuffer(string: json))
    }

    func payments(_ t: TestApp, _ code: String) async throws -> [PaymentModel] {
        let d = try await t.dossier(code)
        return try await PaymentModel.query(on: t.app.db).filter(\.$dossierID == d.id!).all()
    }

    @Test(arguments: TestDatabase.available)
    func desk(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: ["MOTCUA_PAYMENT_SECRET": Self.secret]) { t in
            let reception = try await t.login("stp.tiepnhan")
            let (code, version) = try await awaitingPayment(t, reception: reception)
            #expect(try await payments(t, code).map(\.status) == ["awaiting"])
            #expect(try await payments(t, code).first?.amountVND == 200_000)
            var b = ActionRequest(version: version)
            b.paymentReceipt = "BL-0001"
            // The desk cannot say a payment was made online.
            b.paymentMethod = .online
            let refused = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/confirm_payment", token: reception, json: b)
            #expect(refused.status == .unprocessableEntity && refused.detail.contains("nền tảng thanh toán"), "\(refused.text)")
            // A method with another action is refused too.
            var other = ActionRequest(version: version)
            other.paymentMethod = .cash
            other.reason = "Công dân xin rút"
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/withdraw", token: reception, json: other).status == .unprocessableEntity)
            #expect(try await t.dossier(code).status == "awaiting_payment")
            // The same from the dossier's page: refused in Vietnamese, still logged in, the form open again with what was typed.
            let desk = try await t.pageSession("stp.tiepnhan")
            let again = try await t.post("/ho-so/\(code)/thao-tac/confirm_payment",
                                         "version=\(version)&paymentMethod=online&paymentReceipt=BL-0001&opinion=%3Cscript%3Ealert(1)%3C%2Fscript%3E", session: desk)
            #expect(again.status == .unprocessableEntity && again.text.contains("nền tảng thanh toán") && again.text.contains("Đăng xuất"))
            #expect(again.text.contains("id=\"thao-tac-confirm_payment\" open") && again.text.contains("value=\"BL-0001\""))
            #expect(again.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !again.text.contains("<script>alert(1)"))
            #expect(try await t.dossier(code).status == "awaiting_payment")
            b.paymentMethod = .transfer
            let ok = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/confirm_payment", token: reception, json: b)
            #expect(ok.status == .ok, "\(ok.text)")
            let paid = try #require(try await payments(t, code).first)
            #expect(paid.status == "paid" && paid.method == "transfer" && paid.receipt == "BL-0001" && paid.paidAt != nil && paid.transactionID == nil)
            // The log says how it was paid, in Vietnamese on the page.
            let session = try await t.pageSession("stp.tiepnhan")
            let page = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: session.headers).text
            #expect(page.contains("Hình thức thanh toán") && page.contains("Chuyển khoản"))
            let general = try await t.request(.GET, "/ho-so/\(code)", headers: session.headers).text
            #expect(general.contains("Đã thanh toán 200.000 đồng") && general.contains("Chuyển khoản, biên lai BL-0001"))

            // Withdrawn while waiting: the request is cancelled.
            let (second, v2) = try await awaitingPayment(t, reception: reception)
            var w = ActionRequest(version: v2)
            w.reason = "Công dân có đơn xin rút hồ sơ"
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(second)/actions/withdraw", token: reception, json: w).status == .ok)
            #expect(try await payments(t, second).map(\.status) == ["cancelled"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func platformNotice(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: ["MOTCUA_PAYMENT_SECRET": Self.secret]) { t in
            let reception = try await t.login("stp.tiepnhan")
            let (code, _) = try await awaitingPayment(t, reception: reception)
            let notice = #"{"dossierCode":"\#(code)","transactionId":"PG-2026-000123","amount":200000}"#
            let logBefore = try await t.logCount(code)

            // Refused, nothing changes: no or a wrong signature, another key, a wrong amount, an unknown dossier, bad JSON.
            #expect(try await notify(t, notice, signature: "").status == .unauthorized)
            #expect(try await notify(t, notice, signature: "sha256=" + String(repeating: "0", count: 64)).status == .unauthorized)
            #expect(try await notify(t, notice, secret: "khoa-khac").status == .unauthorized)
            let tampered = try await notify(t, notice.replacingOccurrences(of: "200000", with: "2000"),
                                            signature: PaymentNotices.signature(of: Data(notice.utf8), secret: Self.secret))
            #expect(tampered.status == .unauthorized)
            let wrongAmount = try await notify(t, notice.replacingOccurrences(of: "200000", with: "150000"))
            #expect(wrongAmount.status == .unprocessableEntity && wrongAmount.detail.contains("200.000 đồng"), "\(wrongAmount.text)")
            #expect(try await notify(t, notice.replacingOccurrences(of: code, with: "000.00.12.H28-000000-9999")).status == .notFound)
            #expect(try await notify(t, #"{"dossierCode":"\#(code)""#).status == .unprocessableEntity)
            #expect(try await notify(t, #"{"dossierCode":"\#(code)","transactionId":"","amount":200000}"#).status == .unprocessableEntity)
            #expect(try await t.dossier(code).status == "awaiting_payment")
            #expect(try await t.logCount(code) == logBefore)

            // A hundred copies of the notice at once: one payment, one log entry, every answer 200.
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, Bool?, String).self) { group in
                for _ in 0..<100 { group.addTask { let r = try await notify(t, notice); return (r.status, r.json["recorded"] as? Bool, r.status == .ok ? "" : r.text) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .ok }, "\(statuses.filter { $0.0 != .ok })")
            #expect(statuses.filter { $0.1 == true }.count == 1)
            // The applicant sees it in the public lookup.
            let secretCode = try await t.dossier(code).lookupSecret
            let lookup = try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(secretCode)").json
            #expect((lookup["payment"] as? String)?.hasPrefix("Đã thanh toán 200.000 đồng") == true, "\(lookup)")
            #expect((lookup["payment"] as? String)?.contains("Thanh toán trực tuyến, biên lai PG-2026-000123") == true)
            let paid = try await payments(t, code)
            #expect(paid.count == 1 && paid[0].status == "paid" && paid[0].method == "online" && paid[0].transactionID == "PG-2026-000123")
            #expect(try await t.logCount(code) == logBefore + 1)
            let d = try await t.dossier(code)
            #expect(d.status == "received")
            let last = try #require(try await LogEntryModel.query(on: t.app.db).filter(\.$dossierID == d.id!).sort(\.$seq, .descending).first())
            #expect(last.action == "confirm_payment" && last.actorName == "Nền tảng thanh toán trực tuyến" && last.actorID == nil)
            // The same transaction for another dossier is a conflict; the dossier no longer waits: a conflict too.
            let (other, _) = try await awaitingPayment(t, reception: reception)
            #expect(try await notify(t, notice.replacingOccurrences(of: code, with: other)).status == .conflict)
            #expect(try await notify(t, notice.replacingOccurrences(of: "PG-2026-000123", with: "PG-2026-000999")).status == .conflict)

            // The desk pays the other in cash: the 766 index's online payment share is 1 of 2.
            var b = ActionRequest(version: try await t.dossier(other).version)
            b.paymentReceipt = "BL-0002"
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(other)/actions/confirm_payment", token: reception, json: b).status == .ok)
            let quality = try await t.request(.GET, "/api/v1/reports/quality-index", token: try await t.login("lanhdaotinh")).json
            let columns = try #require(quality["columns"] as? [String]), rows = try #require(quality["rows"] as? [[Any]])
            let column = try #require(columns.firstIndex(of: "Tỷ lệ thanh toán trực tuyến"))
            #expect((rows.last?[column] as? Double) == 0.5, "\(rows.last ?? [])")
        }
    }

    @Test(arguments: TestDatabase.available)
    func withoutSecret(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let r = try await notify(t, #"{"dossierCode":"x","transactionId":"y","amount":1}"#)
            #expect(r.status == .serviceUnavailable && r.detail.contains("MOTCUA_PAYMENT_SECRET"))
        }
    }
}

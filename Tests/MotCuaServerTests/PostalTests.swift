import Crypto
import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// The public postal service's order API as a stand-in on a real port (issue 25, point 4): it checks
/// the bearer token, gives one tracking number per order code (an order sent twice is one shipment),
/// and can be down.
final class PostalStandIn: Sendable {
    static let token = "buu-dien-token-2026", secret = "buu-dien-bi-mat-2026"
    let app: Application
    let port: Int
    let orders = NIOLockedValueBox<[String: [String: String]]>([:])
    let down = NIOLockedValueBox(false)

    var environment: [String: String] {
        ["MOTCUA_POST_URL": "http://127.0.0.1:\(port)/api/orders", "MOTCUA_POST_TOKEN": Self.token,
         "MOTCUA_POST_SECRET": Self.secret]
    }

    static func tracking(_ orderCode: String) -> String {
        "EB" + String(abs(orderCode.hashValue) % 1_000_000_000).leftPadded(9) + "VN"
    }

    init() async throws {
        app = try await Application.make(.testing)
        let orders = self.orders, down = self.down
        app.post("api", "orders") { req async throws -> Response in
            if down.withLockedValue({ $0 }) { return Response(status: .serviceUnavailable) }
            guard req.headers.bearerAuthorization?.token == Self.token else { return Response(status: .unauthorized) }
            let order = try req.content.decode([String: String].self)
            guard let code = order["orderCode"], !(order["receiverAddress"] ?? "").isEmpty else {
                return try await ["message": "Thiếu địa chỉ người nhận"].encodeResponse(status: .badRequest, for: req)
            }
            orders.withLockedValue { $0[code] = $0[code] ?? order }
            return try await ["itemCode": Self.tracking(code), "status": "created"].encodeResponse(for: req)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// The post's signed notice of a delivery.
    static func notice(_ tracking: String, status: String = "delivered", time: String, receiver: String) -> (Data, String) {
        let body = Data(#"{"itemCode":"\#(tracking)","status":"\#(status)","time":"\#(time)","receiver":"\#(receiver)"}"#.utf8)
        let signature = "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        return (body, signature)
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

@Suite(.serialized)
struct PostalTests {
    @Test(arguments: TestDatabase.available)
    func aResultSentByPostIsReturnedWithTheDeliverysDate(db: TestDatabase) async throws {
        let post = try await PostalStandIn()
        do {
            try await TestApp.with(db, environment: post.environment) { t in
                let reception = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
                let officer = try await t.login("stp.hctp.cv1"), leader = try await t.login("stp.lanhdao")
                let officerID = try await t.user("stp.hctp.cv1").id!
                var request = criminalRecordRequest()
                request.resultDelivery = "post"
                let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request)
                let code = try created.decode(DossierDetail.self).dossier.code
                func act(_ action: String, _ token: String, expect: HTTPStatus = .ok,
                         _ configure: (inout ActionRequest) -> Void = { _ in }) async throws -> TestApp.Reply {
                    var b = ActionRequest(version: try await t.dossier(code).version)
                    configure(&b)
                    let r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: b)
                    #expect(r.status == expect, "\(action): \(r.text)")
                    return r
                }
                _ = try await act("hand_over", reception)
                _ = try await act("assign", head) { $0.officer = officerID }
                #expect(try await t.upload(minimalPDF("Phiếu lý lịch tư pháp"), name: "ket-qua.pdf", component: nil, to: code, token: officer).status == .created)
                _ = try await act("propose", officer) { $0.proposal = .approve; $0.opinion = "Hồ sơ hợp lệ" }
                _ = try await act("submit_for_signature", head) { $0.opinion = "Kính trình lãnh đạo" }
                // Not the leader's to send, not before completion.
                _ = try await act("dispatch_result", reception, expect: .conflict)
                _ = try await act("approve", leader)
                _ = try await act("dispatch_result", officer, expect: .forbidden)

                // The post is down: nothing recorded, the desk is told.
                post.down.withLockedValue { $0 = true }
                let down = try await act("dispatch_result", reception, expect: .badGateway)
                #expect(down.detail.contains("Bưu điện không phản hồi"))
                #expect(try await PostalShipments.shipment(of: try await t.dossier(code).id!, on: t.app.db) == nil)
                post.down.withLockedValue { $0 = false }

                let sent = try await act("dispatch_result", reception) { $0.opinion = "Gửi theo yêu cầu của người nộp" }
                let tracking = PostalStandIn.tracking(code)
                #expect(try sent.decode(DossierDetail.self).log.last?.changes.contains { $0.field == "postal_tracking" && $0.new == tracking } == true)
                #expect(post.orders.withLockedValue { $0[code]?["receiverAddress"] } == request.applicant.address)
                #expect(try await t.dossier(code).status == "completed")
                // Sent once; the desk cannot return it at the counter meanwhile.
                _ = try await act("dispatch_result", reception, expect: .conflict)
                let counter = try await act("return_result", reception, expect: .conflict) { $0.delivery = .counter }
                #expect(counter.detail.contains("đang chuyển phát"))
                // The lookup and the desk's book show the tracking number.
                let secret = try await t.dossier(code).lookupSecret
                let lookup = try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(secret)")
                #expect((lookup.json["postal"] as? String)?.contains(tracking) == true)
                let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
                #expect(detail.postal?.trackingNumber == tracking && detail.postal?.status == "in_transit")
                let book = try await t.request(.GET, "/so-theo-doi", headers: try await t.pageSession("stp.tiepnhan").headers)
                #expect(book.text.contains("mã bưu gửi \(tracking)"), "\(book.status)")
                // So does "Hồ sơ của tôi", had a citizen's account submitted it.
                let owner = try await t.user("congdan1")
                try await (t.app.db as! any SQLDatabase).update("dossiers").set("owner_id", to: owner.id!)
                    .where("code", .equal, code).run()
                let mine = try await t.request(.GET, "/ho-so-cua-toi/\(code)", headers: try await t.pageSession("congdan1").headers)
                #expect(mine.text.contains("Trả kết quả qua bưu chính") && mine.text.contains("Mã bưu gửi \(tracking)"), "\(mine.status)")

                // A forged notice changes nothing; the post's own returns the result with the delivery's date.
                try await Task.sleep(for: .milliseconds(1100))  // delivered after it was sent
                let delivered = Date().wholeSeconds
                let (body, signature) = PostalStandIn.notice(tracking, time: VietnamTime.compact(delivered), receiver: "Nguyễn Văn Ánh")
                var forged: HTTPHeaders = ["Content-Type": "application/json", "X-Post-Signature": "sha256=" + String(repeating: "1", count: 64)]
                #expect(try await t.request(.POST, "/api/v1/postal/notify", headers: forged, body: ByteBuffer(data: body)).status == .unauthorized)
                #expect(try await t.dossier(code).status == "completed")
                forged.replaceOrAdd(name: "X-Post-Signature", value: signature)
                let signed = forged
                let replies = try await withThrowingTaskGroup(of: TestApp.Reply.self) { group in
                    for _ in 0..<10 { group.addTask { try await t.request(.POST, "/api/v1/postal/notify", headers: signed, body: ByteBuffer(data: body)) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(replies.allSatisfy { $0.status == .ok }, "\(replies.map(\.text))")
                #expect(replies.filter { $0.json["recorded"] as? Bool == true }.count == 1)
                let d = try await t.dossier(code)
                #expect(d.status == "returned" && d.returnedAt == delivered)
                let final = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
                let last = try #require(final.log.last)
                #expect(last.action == "return_result" && last.at == VietnamTime.iso(delivered))
                #expect(last.changes.contains { $0.field == "result_delivery" && $0.new == "post" })
                #expect(last.changes.contains { $0.field == "result_recipient" && $0.new == "Nguyễn Văn Ánh" })
                #expect(final.log.filter { $0.action == "return_result" }.count == 1)
                let page = try await t.request(.GET, "/ho-so/\(code)", headers: try await t.pageSession("stp.tiepnhan").headers).text
                #expect(page.contains("Mã bưu gửi \(tracking): đã phát \(PageTime.dateTime(delivered))"))
                let afterBook = try await t.request(.GET, "/so-theo-doi", headers: try await t.pageSession("stp.tiepnhan").headers).text
                #expect(afterBook.contains("Nguyễn Văn Ánh - Qua dịch vụ bưu chính công ích - mã bưu gửi \(tracking)"))
            }
        } catch {
            try await post.stop()
            throw error
        }
        try await post.stop()
    }
}

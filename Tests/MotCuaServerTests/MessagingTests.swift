import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import NIOPosix
import Testing
import Vapor
@testable import MotCuaServer

/// A brand-name SMS gateway and Zalo's ZNS as stand-ins on a real port (issue 25, point 3): the SMS
/// gateway checks its basic authentication and refuses a number that is not a mobile one; Zalo checks
/// the access token and the template, and can answer "quota exceeded" (-32) for a while.
final class MessagingStandIn: Sendable {
    let app: Application
    let port: Int
    let sms = NIOLockedValueBox<[[String: String]]>([])
    let zaloBodies = NIOLockedValueBox<[Data]>([])
    var zalo: [[String: Any]] {
        zaloBodies.withLockedValue { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }
    let zaloBusy = NIOLockedValueBox(false)

    var environment: [String: String] {
        ["MOTCUA_SMS_URL": "http://127.0.0.1:\(port)/sms/send", "MOTCUA_SMS_BRANDNAME": "UBND.CANTHO",
         "MOTCUA_SMS_USER": "motcua", "MOTCUA_SMS_PASSWORD": "mat-khau-sms",
         "MOTCUA_ZALO_URL": "http://127.0.0.1:\(port)/message/template", "MOTCUA_ZALO_ACCESS_TOKEN": "zalo-token-2026",
         "MOTCUA_ZALO_TEMPLATES": "received=300101,supplement_requested=300102,completed=300103,returned=300104"]
    }

    init() async throws {
        app = try await Application.make(.testing)
        let sms = self.sms, zalo = self.zaloBodies, busy = self.zaloBusy
        app.post("sms", "send") { req async throws -> Response in
            guard let auth = req.headers.basicAuthorization, auth.username == "motcua", auth.password == "mat-khau-sms" else {
                return Response(status: .unauthorized)
            }
            let sent = try req.content.decode([String: String].self)
            guard let phone = sent["phone"], phone.count == 11, phone.hasPrefix("84") else {
                return try await ["code": "13", "message": "Invalid phone"].encodeResponse(status: .badRequest, for: req)
            }
            sms.withLockedValue { $0.append(sent) }
            return try await ["code": "00", "message": "Success", "messageId": "SMS-\(sms.withLockedValue { $0.count })"]
                .encodeResponse(for: req)
        }
        app.post("message", "template") { req async throws -> Response in
            func answer(_ json: String) -> Response { Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json)) }
            guard req.headers.first(name: "access_token") == "zalo-token-2026" else {
                return answer(#"{"error":-124,"message":"Access token is invalid"}"#)
            }
            if busy.withLockedValue({ $0 }) { return answer(#"{"error":-32,"message":"Out of quota"}"#) }
            let raw = Data(buffer: req.body.data ?? ByteBuffer())
            let body = try JSONSerialization.jsonObject(with: raw) as? [String: Any] ?? [:]
            guard body["template_id"] as? String != nil, body["template_data"] is [String: Any] else {
                return answer(#"{"error":-112,"message":"Template data is invalid"}"#)
            }
            zalo.withLockedValue { $0.append(raw) }
            return answer(#"{"error":0,"message":"Success","data":{"msg_id":"zns-\#(UUID().uuidString.prefix(8))"}}"#)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite(.serialized)
struct MessagingTests {
    func drain(_ t: TestApp, at now: Date) async throws -> NotificationWorker.Outcome {
        try await NotificationWorker.run(
            .init(t.app.motcua.settings), site: t.app.motcua.settings.siteURL, group: MultiThreadedEventLoopGroup.singleton,
            client: t.app.client, at: now, on: t.app.db)
    }

    @Test(arguments: TestDatabase.available)
    func smsAndZaloReachTheirGatewaysOnceEachAsTheApplicantChose(db: TestDatabase) async throws {
        let gateways = try await MessagingStandIn()
        do {
            try await TestApp.with(db, environment: gateways.environment) { t in
                // The citizen chooses SMS and Zalo on their account page.
                let citizen = try await t.user("congdan1")
                citizen.accountKind = "person"
                citizen.emailVerifiedAt = Date()
                try await citizen.save(on: t.app.db)
                let session = try await t.pageSession("congdan1")
                #expect(try await t.post("/tai-khoan/kenh-thong-bao", "sms=1&zalo=1", session: session).status == .seeOther)
                #expect(try await t.user("congdan1").notificationChannels == "sms,zalo")
                let profile = try await t.request(.GET, "/tai-khoan", headers: session.headers).text
                #expect(profile.contains("Tin nhắn Zalo") && profile.contains("name=\"zalo\" value=\"1\" checked"))

                let token = try await t.login("congdan1")
                var request = criminalRecordRequest(name: "Đỗ Minh Sơn", channel: .online)
                request.applicant.phone = "0912 345 678"
                let created = try await t.request(.POST, "/api/v1/dossiers", token: token, json: request)
                #expect(created.status == .created, "\(created.text)")
                let code = try created.decode(DossierDetail.self).dossier.code
                // "Đã nộp": SMS (Zalo has no template for it); the e-mail waits for a relay.
                #expect(try await drain(t, at: Date()) == .init(sent: 1))
                let reception = try await t.login("stp.tiepnhan")
                let version = try await t.dossier(code).version
                let accepted = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/accept", token: reception,
                                                   json: ActionRequest(version: version))
                #expect(accepted.status == .ok, "\(accepted.text)")
                // Zalo is out of quota: the SMS goes, the Zalo message is tried again later, alone.
                gateways.zaloBusy.withLockedValue { $0 = true }
                #expect(try await drain(t, at: Date()) == .init(sent: 1, retried: 1))
                gateways.zaloBusy.withLockedValue { $0 = false }
                #expect(try await drain(t, at: Date()) == .init())
                #expect(try await drain(t, at: Date().addingTimeInterval(3600)) == .init(sent: 1))
                #expect(try await drain(t, at: Date().addingTimeInterval(86400)) == .init())

                let texts = gateways.sms.withLockedValue { $0 }
                #expect(texts.count == 2)
                #expect(texts.allSatisfy { $0["phone"] == "84912345678" && $0["brandname"] == "UBND.CANTHO" })
                #expect(texts.allSatisfy { ($0["message"] ?? "").unicodeScalars.allSatisfy(\.isASCII) && ($0["message"] ?? "").contains(code) })
                #expect(texts[1]["message"]?.hasPrefix("Ho so da duoc tiep nhan: ho so \(code), hen tra ") == true)
                let zns = gateways.zalo
                #expect(zns.count == 1)
                #expect(zns.first?["phone"] as? String == "84912345678" && zns.first?["template_id"] as? String == "300101")
                let data = zns.first?["template_data"] as? [String: Any]
                #expect(data?["ma_ho_so"] as? String == code && data?["ten_nguoi_nop"] as? String == "Đỗ Minh Sơn")
                #expect((data?["ngay_hen_tra"] as? String)?.count == 16)

                // Every message's delivery is on the dossier's page.
                let page = try await t.request(.GET, "/ho-so/\(code)", headers: try await t.pageSession("stp.tiepnhan").headers).text
                #expect(page.contains("Thông báo cho người nộp") && page.contains("Tin nhắn SMS") && page.contains("Zalo"))
                #expect(page.contains("(mã tin SMS-2)") && page.contains("Đang chờ gửi"))

                // SMS turned off: the next notice goes by Zalo only.
                #expect(try await t.post("/tai-khoan/kenh-thong-bao", "zalo=1", session: session).status == .seeOther)
                let officer = try await t.user("stp.hctp.cv1")
                var d = try await t.dossier(code)
                for (action, body) in [("hand_over", ActionRequest()), ("assign", { var b = ActionRequest(); b.officer = officer.id; return b }())] {
                    var b = body
                    b.version = d.version
                    let token = action == "assign" ? try await t.login("stp.hctp.truongphong") : reception
                    #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: b).status == .ok)
                    d = try await t.dossier(code)
                }
                var ask = ActionRequest(version: d.version)
                ask.reason = "Bản chụp CCCD bị mờ"
                ask.components = [2]
                let asked = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/request_supplement",
                                                token: try await t.login("stp.hctp.cv1"), json: ask)
                #expect(asked.status == .ok, "\(asked.text)")
                #expect(try await drain(t, at: Date().addingTimeInterval(86400)) == .init(sent: 1))
                #expect(gateways.sms.withLockedValue { $0.count } == 2)
                #expect(gateways.zalo.last?["template_id"] as? String == "300102")
                #expect((gateways.zalo.last?["template_data"] as? [String: Any])?["ly_do"] as? String == "Bản chụp CCCD bị mờ")
            }
        } catch {
            try await gateways.stop()
            throw error
        }
        try await gateways.stop()
    }

    @Test func aNumberTheGatewayRefusesIsNotTriedAgainAndPhonesAreNormalised() async throws {
        #expect(ApplicantNotice.internationalPhone("0912.345.678") == "84912345678")
        #expect(ApplicantNotice.internationalPhone("+84 912 345 678") == "84912345678")
        #expect(ApplicantNotice.internationalPhone("02923 812 345") == nil)  // a landline
        #expect(ApplicantNotice.internationalPhone("091234567") == nil)
        #expect(ApplicantNotice.internationalPhone("abc") == nil)
        let gateways = try await MessagingStandIn()
        do {
            try await TestApp.with(.sqlite, environment: gateways.environment) { t in
                let now = Date().wholeSeconds
                let row = OutboxMailModel(event: "received", dossierID: nil, userID: nil, to: "8412", subject: "x", body: "x", at: now, channel: .sms)
                try await row.create(on: t.app.db)
                #expect(try await drain(t, at: now) == .init(dead: 1))
                let dead = try #require(try await OutboxMailModel.find(row.id, on: t.app.db))
                #expect(dead.status == "dead" && dead.lastError?.contains("Invalid phone") == true)
            }
        } catch {
            try await gateways.stop()
            throw error
        }
        try await gateways.stop()
    }
}

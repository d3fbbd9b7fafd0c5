import Fluent
import Foundation
import MotCuaCore
import NIOPosix
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// The applicant's e-mails (issue 22, point 8): written in the transaction of the change they tell
/// of, sent by the worker through a real relay (aiosmtpd), retried after a 4xx, given up after a
/// 5xx, never sent twice, and claimed by concurrent workers without overlap (`FOR UPDATE SKIP
/// LOCKED` on PostgreSQL).
@Suite(.serialized) struct NotificationTests {
    func outbox(_ t: TestApp, dossier code: String) async throws -> [OutboxMailModel] {
        let d = try await t.dossier(code)
        return try await OutboxMailModel.query(on: t.app.db).filter(\.$dossierID == d.id!).sort(\.$createdAt).all()
    }

    @Test(arguments: TestDatabase.available)
    func aChangeThatConcernsTheApplicantWritesItsEmailInItsOwnTransaction(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            let code = try created.decode(DossierDetail.self).dossier.code
            var mails = try await outbox(t, dossier: code)
            #expect(mails.map(\.event) == ["received"] && mails[0].toAddress == "anh@example.vn")
            #expect(mails[0].subject == "Hồ sơ đã được tiếp nhận - hồ sơ \(code)")
            #expect(mails[0].body.contains("Ngày hẹn trả kết quả:") && mails[0].body.contains("/tra-cuu?code=\(code)"))
            #expect(!mails[0].body.contains("secret="), "the lookup link of an e-mail carries the code only")

            // A conflict writes nothing; an internal step writes no e-mail; a payment request does.
            let stale = try await t.request(
                .POST, "/api/v1/dossiers/\(code)/actions/request_payment", token: reception,
                json: ActionRequest(version: 9, amount: 50000))
            #expect(stale.status == .conflict)
            #expect(try await outbox(t, dossier: code).count == 1)
            let asked = try await t.request(
                .POST, "/api/v1/dossiers/\(code)/actions/request_payment", token: reception,
                json: ActionRequest(version: 1, amount: 50000))
            #expect(asked.status == .ok, "\(asked.text)")
            mails = try await outbox(t, dossier: code)
            #expect(mails.map(\.event) == ["received", "payment_requested"])
            #expect(mails[1].body.contains("Số tiền phải nộp: 50.000 đồng."))

            // An applicant who turned e-mail off gets none (the account of that address).
            let citizen = try await t.user("congdan1")
            citizen.email = "anh@example.vn"
            citizen.emailOptOutAt = Date()
            try await citizen.save(on: t.app.db)
            let other = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            #expect(try await outbox(t, dossier: other.decode(DossierDetail.self).dossier.code).isEmpty)
        }
    }

    func enqueue(_ t: TestApp, to address: String, at now: Date) async throws -> UUID {
        let mail = OutboxMailModel(
            event: "received", dossierID: nil, userID: nil, to: address, subject: "Hồ sơ đã được tiếp nhận",
            body: "Kính gửi ông/bà,\nHồ sơ đã được tiếp nhận.", at: now)
        try await mail.create(on: t.app.db)
        return mail.id!
    }

    @Test(arguments: TestDatabase.available)
    func theWorkerSendsRetriesAfterA4xxGivesUpAfterA5xxAndNeverSendsTwice(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            try await SMTPClientTests().withRelay { relay in
                let smtp = try SMTPClientTests().settings(relay, port: relay.starttlsPort, security: .startTLS)
                let group = MultiThreadedEventLoopGroup.singleton
                let site = URL(string: "https://dichvucong.cantho.gov.vn")!
                let now = Date().wholeSeconds
                let ok = try await enqueue(t, to: "nguoi-nhan@example.vn", at: now)
                let busy = try await enqueue(t, to: "tam-thoi@example.vn", at: now)
                let unknown = try await enqueue(t, to: "khong-ton-tai@example.vn", at: now)
                let stale = try await enqueue(t, to: "cu@example.vn", at: now.addingTimeInterval(-4 * 86400))

                let first = try await NotificationWorker.run(.init(smtp: smtp), site: site, group: group, client: t.app.client, at: now, on: t.app.db)
                #expect(first == .init(sent: 1, retried: 1, dead: 2))
                func row(_ id: UUID) async throws -> OutboxMailModel { try #require(try await OutboxMailModel.find(id, on: t.app.db)) }
                let (sent, refused, old) = (try await row(ok), try await row(unknown), try await row(stale))
                #expect(sent.status == "sent" && sent.sentAt != nil)
                #expect(refused.status == "dead" && (refused.lastError ?? "").contains("550"))
                #expect(old.status == "dead" && old.attempts == 1)
                let retried = try await row(busy)
                #expect(retried.status == "pending" && retried.attempts == 1 && (retried.lastError ?? "").contains("451"))
                #expect(retried.nextAttemptAt == now.addingTimeInterval(60))
                #expect(try relay.received().map { ($0["to"] as! [String])[0] } == ["nguoi-nhan@example.vn"])
                let raw = try relay.received()[0]["raw"] as? String ?? ""
                #expect(raw.contains("Message-ID: <\(ok.uuidString.lowercased())@dichvucong.cantho.gov.vn>"))

                // Not due yet: nothing; due again: the second try waits twice as long after failing.
                #expect(try await NotificationWorker.run(.init(smtp: smtp), site: site, group: group, client: t.app.client, at: now.addingTimeInterval(30), on: t.app.db) == .init())
                let later = now.addingTimeInterval(61)
                #expect(try await NotificationWorker.run(.init(smtp: smtp), site: site, group: group, client: t.app.client, at: later, on: t.app.db) == .init(retried: 1))
                let again = try await row(busy)
                #expect(again.attempts == 2 && again.nextAttemptAt == later.addingTimeInterval(120))
                // The sent e-mail is never sent again, whatever the time.
                _ = try await NotificationWorker.run(.init(smtp: smtp), site: site, group: group, client: t.app.client, at: now.addingTimeInterval(86400), on: t.app.db)
                #expect(try relay.received().count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWorkersClaimEachEmailOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let now = Date().wholeSeconds
            var ids = Set<UUID>()
            for i in 0..<60 { ids.insert(try await enqueue(t, to: "nguoi\(i)@example.vn", at: now)) }
            // Eight workers at once, each taking batches until nothing is left.
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await NotificationWorker.claim(at: now, limit: 5, on: t.app.db)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(claimed.count == 60 && Set(claimed) == ids, "each row claimed by exactly one worker")
            let attempts = try await OutboxMailModel.query(on: t.app.db).all().map(\.attempts)
            #expect(attempts.allSatisfy { $0 == 1 })
        }
    }
}

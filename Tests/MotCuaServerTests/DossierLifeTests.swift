import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import MotCuaTestSupport
import Vapor
@testable import MotCuaServer

/// The full life of a dossier through the API, on SQLite and PostgreSQL, with every illegal
/// action tried on the way refused with the right status and changing nothing.
@Suite(.serialized) struct DossierLifeTests {
    @Test(arguments: TestDatabase.available)
    func fullLife(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // setup
            let reception = try await t.login("stp.tiepnhan")
            let head = try await t.login("stp.hctp.truongphong")
            let officer = try await t.login("stp.hctp.cv1")
            let otherOfficer = try await t.login("stp.hctp.cv2")
            let leader = try await t.login("stp.lanhdao")
            let otherAgency = try await t.login("vithanh.tiepnhan")
            let citizen = try await t.login("congdan1")
            let officerID = try await t.user("stp.hctp.cv1").id!

            // act: receive at the counter
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            #expect(created.status == .created, "\(created.text)")
            let detail = try created.decode(DossierDetail.self)
            let code = detail.dossier.code
            #expect(code.hasPrefix("000.00.12.H28-"))
            #expect(code.count == "000.00.12.H28-YYMMDD-0001".count)
            #expect(detail.lookupSecret.count == 4)
            #expect(detail.dossier.status == "received")
            #expect(detail.dossier.dueAt != nil)
            #expect(detail.components.count == 3)
            #expect(detail.procedure.feeVND == 200_000)

            var version = detail.dossier.version
            func act(_ action: String, _ token: String, _ body: ActionRequest, expect status: HTTPStatus = .ok) async throws -> TestApp.Reply {
                let logBefore = try await t.logCount(code)
                let before = try await t.dossier(code)
                let r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: body)
                #expect(r.status == status, "\(action): \(r.text)")
                if status == .ok {
                    version = try r.decode(DossierDetail.self).dossier.version
                } else {
                    // Refused: a problem document in Vietnamese, and nothing changed.
                    #expect(r.headers.contentType?.subType == "problem+json")
                    #expect(!r.detail.isEmpty)
                    let after = try await t.dossier(code)
                    #expect(after.version == before.version && after.status == before.status && after.step == before.step)
                    #expect(try await t.logCount(code) == logBefore)
                }
                return r
            }
            func body(_ configure: (inout ActionRequest) -> Void = { _ in }) -> ActionRequest {
                var b = ActionRequest(version: version)
                configure(&b)
                return b
            }

            // Illegal: wrong role, other agency, wrong state, stale version, missing version.
            _ = try await act("hand_over", officer, body(), expect: .forbidden)   // in scope (same department), wrong role
            _ = try await act("hand_over", otherAgency, body(), expect: .notFound)
            _ = try await act("assign", head, body { $0.officer = officerID }, expect: .conflict)
            _ = try await act("approve", leader, body(), expect: .conflict)
            _ = try await act("hand_over", reception, ActionRequest(version: version - 1), expect: .conflict)
            _ = try await act("hand_over", reception, ActionRequest(), expect: .unprocessableEntity)
            _ = try await act("hand_over", citizen, body(), expect: .notFound)

            // Payment round at the desk: the clock pauses and resumes.
            _ = try await act("request_payment", reception, body { $0.amount = 200_000 })
            #expect(try await t.dossier(code).status == "awaiting_payment")
            _ = try await act("confirm_payment", reception, body(), expect: .unprocessableEntity)   // receipt number required
            _ = try await act("confirm_payment", reception, body { $0.paymentReceipt = "BL-000123" })
            #expect(try await t.dossier(code).status == "received")

            _ = try await act("hand_over", reception, body())
            _ = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "x" }, expect: .conflict)
            _ = try await act("assign", head, body { $0.officer = UUID() }, expect: .unprocessableEntity)
            _ = try await act("assign", officer, body { $0.officer = officerID }, expect: .forbidden)
            _ = try await act("assign", head, body { $0.officer = officerID })
            // Only the assigned officer may propose.
            _ = try await act("propose", otherOfficer, body { $0.proposal = .approve; $0.opinion = "Đề xuất" }, expect: .forbidden)

            // Supplement round requested by the officer.
            _ = try await act("request_supplement", officer, body(), expect: .unprocessableEntity)
            _ = try await act("request_supplement", officer, body { $0.reason = "Bổ sung"; $0.components = [9] }, expect: .unprocessableEntity)
            _ = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "x"; $0.components = [1] }, expect: .unprocessableEntity)
            _ = try await act("request_supplement", officer, body { $0.reason = "Bổ sung bản sao sổ hộ khẩu"; $0.components = [3, 1] })
            #expect(try await t.dossier(code).status == "awaiting_supplement")
            _ = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "x" }, expect: .conflict)
            _ = try await act("supplement", reception, body())
            let afterSupplement = try await t.dossier(code)
            #expect(afterSupplement.state == DossierState(.processing, .inProgress))

            // Proposing approval needs the draft result the leader will sign: refused at the proposal, not at "Ký duyệt".
            let noDraft = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "x" }, expect: .unprocessableEntity)
            #expect(noDraft.detail.contains("Chưa có dự thảo kết quả") && noDraft.detail.contains("đề xuất giải quyết"))
            // The officer's draft result, signed at approval.
            #expect(try await t.upload(minimalPDF("Phiếu lý lịch tư pháp số 1"), name: "du-thao-ket-qua.pdf", component: nil, to: code, token: officer).status == .created)
            _ = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "Hồ sơ hợp lệ, đề nghị cấp phiếu" })
            let rework = try await act("return_for_rework", head, body { $0.opinion = "Đề nghị kiểm tra lại thông tin nơi cư trú" })
            #expect(try rework.decode(DossierDetail.self).log.last?.opinion == "Đề nghị kiểm tra lại thông tin nơi cư trú")
            _ = try await act("propose", officer, body { $0.proposal = .approve; $0.opinion = "Đã kiểm tra lại" })
            _ = try await act("approve", leader, body(), expect: .conflict)
            _ = try await act("submit_for_signature", leader, body(), expect: .forbidden)
            _ = try await act("submit_for_signature", head, body { $0.opinion = "Kính trình lãnh đạo" })
            _ = try await act("approve", leader, body())
            _ = try await act("return_result", officer, body(), expect: .forbidden)
            _ = try await act("return_result", reception, body { $0.recipient = String(repeating: "a", count: 201) }, expect: .unprocessableEntity)
            _ = try await act("return_result", reception, body { $0.delivery = .post; $0.recipient = "Trần Thị Bích (nhận thay, CCCD 092198001234)" })
            _ = try await act("withdraw", reception, body { $0.reason = "x" }, expect: .conflict)

            // check
            let final = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
            #expect(final.dossier.status == "returned")
            #expect(final.dossier.completedAt != nil && final.dossier.returnedAt != nil)
            #expect(final.log.map(\.action) == ["receive", "request_payment", "confirm_payment", "hand_over", "assign", "request_supplement",
                                                 "supplement", "upload_file", "propose", "return_for_rework", "propose", "submit_for_signature", "approve", "return_result"])
            #expect(final.log.map(\.seq) == Array(1...14))
            let rounds = try #require(final.clock?.rounds)
            #expect(rounds.map(\.reason) == [.payment, .supplement])
            #expect(rounds.allSatisfy { $0.newDue != nil && $0.newDue! >= $0.previousDue })
            #expect(final.log[4].changes.contains { $0.field == "assigned_officer_id" && $0.new == officerID.uuidString })
            #expect(final.log[5].changes.contains { $0.field == "supplement_components" && $0.new == "1,3" })
            #expect(final.log[13].changes.contains { $0.field == "result_delivery" && $0.new == "post" })
            #expect(final.log[13].changes.contains { $0.field == "result_recipient" && $0.new == "Trần Thị Bích (nhận thay, CCCD 092198001234)" })
            let logTab = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: try await t.pageSession("stp.tiepnhan").headers).text
            #expect(logTab.contains("Thành phần cần bổ sung") && logTab.contains("1. Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp") && logTab.contains("Qua dịch vụ bưu chính công ích"))
            let verified = try await Launch.verifyLog(t.app)
            #expect(verified.ok, "\(verified.lines)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentWritersGetAConflict(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            let version = try await t.dossier(code).version
            // Two desks act on the same version at once: exactly one succeeds.
            let results = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for action in ["hand_over", "withdraw"] {
                    group.addTask {
                        var body = ActionRequest(version: version)
                        body.reason = "Công dân xin rút hồ sơ"
                        return try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: reception, json: body).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await t.logCount(code) == 2)
            #expect(try await t.dossier(code).version == version + 1)
        }
    }

    /// An action writes the dossier in one statement when neither its version nor its log moved since
    /// it was read; an upload appends to the log without a new version, so an action that read the
    /// dossier before an upload committed claims the version and follows the log as it is. Either
    /// way it writes only the columns it changed.
    @Test(arguments: TestDatabase.available)
    func actionsFollowUploadsInTheLogAndWriteOnlyWhatTheyChanged(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            func receive() async throws -> (code: String, version: Int) {
                let d = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                    .decode(DossierDetail.self).dossier
                return (d.code, d.version)
            }
            let (code, version) = try await receive()
            let uploaded = try await t.upload(minimalPDF("tờ khai"), name: "to-khai.pdf", component: 1, to: code, token: reception)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            #expect(try await t.dossier(code).version == version)
            // A column no action writes, changed behind the service's back (as `reports check --repair`
            // writes its two), stays as it is.
            try await (t.app.db as! any SQLDatabase).raw("UPDATE dossiers SET applicant_phone = '0900000001' WHERE code = \(bind: code)").run()
            let handedOver = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/hand_over", token: reception, json: ActionRequest(version: version))
            #expect(handedOver.status == .ok, "\(handedOver.text)")
            let d = try await t.dossier(code)
            let log = try await LogEntryModel.query(on: t.app.db).filter(\.$dossierID == d.id!).sort(\.$seq).all()
            #expect(log.map(\.action) == ["receive", "upload_file", "hand_over"])
            #expect(log.map(\.seq) == [1, 2, 3] && d.logSeq == 3 && d.logHash == log.last!.hash)
            #expect(d.version == version + 1 && d.status == "processing" && d.applicantPhone == "0900000001")
            var stale = ActionRequest(version: version)
            stale.reason = "Công dân xin rút hồ sơ"
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/withdraw", token: reception, json: stale).status == .conflict)

            // Uploads and actions on the same dossiers at once (the desk asks for the fee and may still add
            // files while it is awaited): every one succeeds, in one chain.
            var dossiers: [(code: String, version: Int)] = []
            for _ in 0..<12 { dossiers.append(try await receive()) }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (code, version) in dossiers {
                    group.addTask {
                        try await t.upload(minimalPDF("bản sao \(code)"), name: "ban-sao.pdf", component: 2, to: code, token: reception).status
                    }
                    group.addTask {
                        var body = ActionRequest(version: version)
                        body.amount = 200_000
                        return try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/request_payment", token: reception, json: body).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 12 && statuses.filter { $0 == .ok }.count == 12, "\(statuses)")
            for (code, version) in dossiers {
                let d = try await t.dossier(code)
                #expect(d.version == version + 1 && d.logSeq == 3 && d.status == "awaiting_payment", "\(d.status)")
            }
            let verified = try await Launch.verifyLog(t.app)
            #expect(verified.ok, "\(verified.lines)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func fiftyConcurrentReceptionsGetConsecutiveCodes(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.user("stp.tiepnhan")
            let service = t.app.motcua.dossiers
            let now = Date()
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        try await service.create(criminalRecordRequest(name: "Trần Thị Bình \(i)"), actor: Actor(user: reception), at: now, on: t.app.db).code
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            let numbers = codes.map { Int($0.suffix(4))! }.sorted()
            #expect(Set(codes).count == 50)
            #expect(numbers == Array(1...50))
            let prefix = "000.00.12.H28-" + String(VietnamTime.local(now).date.iso.replacingOccurrences(of: "-", with: "").dropFirst(2)) + "-"
            #expect(codes.allSatisfy { $0.hasPrefix(prefix) })
        }
    }

    @Test(arguments: TestDatabase.available)
    func tamperedLogIsDetected(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 30) { t in
            #expect(try await Launch.verifyLog(t.app).ok)
            let victim = try await LogEntryModel.query(on: t.app.db).sort(\.$at).first()!
            try await (t.app.db as! any SQLDatabase).raw("UPDATE log_entries SET opinion = 'đã sửa' WHERE id = \(bind: victim.id!)").run()
            let (lines, ok) = try await Launch.verifyLog(t.app)
            #expect(!ok)
            let d = try await DossierModel.find(victim.dossierID, on: t.app.db)!
            #expect(lines.contains { $0.contains(d.code) && $0.contains("mục \(victim.seq)") }, "\(lines)")
            // The command line says the same with exit code 1.
            let cli = try MotcuaProcess.run(["verify-log", "--database", t.database, "--data-dir", t.directory.path])
            #expect(cli.status == 1)
            #expect(cli.out.contains("HỎNG: hồ sơ \(d.code), mục \(victim.seq)"), "\(cli.out)")
        }
    }
}

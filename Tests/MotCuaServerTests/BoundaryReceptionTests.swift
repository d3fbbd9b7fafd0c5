import Fluent
import Foundation
import MotCuaCore
import Testing
import MotCuaTestSupport
import Vapor
@testable import MotCuaServer

/// Reception regardless of administrative boundary (Nghị định 118/2025, issue 24 point 3): a ward's
/// centre receives a Sở Tư pháp procedure, the dossier is forwarded to Sở Tư pháp and resolved there;
/// the log shows both; the centre counts it among its receptions, Sở Tư pháp in resolution.
@Suite(.serialized) struct BoundaryReceptionTests {
    @Test(arguments: TestDatabase.available)
    func wardCentreReceivesForwardsAndTheDepartmentResolves(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let ward = try await t.login("vithanh.tiepnhan")
            let reception = try await t.login("stp.tiepnhan")
            let head = try await t.login("stp.hctp.truongphong")
            let officer = try await t.login("stp.hctp.cv1")
            let leader = try await t.login("stp.lanhdao")
            let district = try await t.login("stc.tiepnhan")
            let officerID = try await t.user("stp.hctp.cv1").id!
            let wardID = try await t.user("vithanh.tiepnhan").agencyID!

            // A department's desk is no centre: refused, nothing written.
            let before = try await DossierModel.query(on: t.app.db).count()
            let refused = try await t.request(.POST, "/api/v1/dossiers", token: district, json: criminalRecordRequest())
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.detail.contains("không phụ thuộc địa giới hành chính"), "\(refused.detail)")
            #expect(try await DossierModel.query(on: t.app.db).count() == before)

            let created = try await t.request(.POST, "/api/v1/dossiers", token: ward, json: criminalRecordRequest())
            #expect(created.status == .created, "\(created.text)")
            let detail = try created.decode(DossierDetail.self)
            let code = detail.dossier.code
            // Numbered and resolved by the competent agency; the centre kept as the receiving one.
            #expect(code.hasPrefix("000.00.12.H28-"))
            let row = try await t.dossier(code)
            #expect(row.receivingAgencyID == wardID)
            #expect(row.agencyID != wardID)
            #expect(detail.log.map(\.action) == ["receive", ReceptionBoundary.forwardAction])
            #expect(detail.log[1].actionName == ReceptionBoundary.forwardName)
            #expect(detail.log[1].opinion?.contains("UBND phường Vị Thanh") == true)
            #expect(detail.log[1].opinion?.contains("Sở Tư pháp") == true)

            // Both see it; a third agency does not.
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).status == .ok)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)", token: ward).status == .ok)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)", token: district).status == .notFound)

            var version = detail.dossier.version
            func act(_ action: String, _ token: String, _ configure: (inout ActionRequest) -> Void = { _ in }) async throws {
                var body = ActionRequest(version: version)
                configure(&body)
                let r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: body)
                #expect(r.status == .ok, "\(action): \(r.text)")
                version = try r.decode(DossierDetail.self).dossier.version
            }
            try await act("hand_over", reception)
            try await act("assign", head) { $0.officer = officerID }
            #expect(try await t.upload(minimalPDF("Phiếu lý lịch tư pháp"), name: "ket-qua.pdf", component: nil, to: code, token: officer).status == .created)
            try await act("propose", officer) { $0.proposal = .approve; $0.opinion = "Hồ sơ hợp lệ" }
            try await act("submit_for_signature", head) { $0.opinion = "Kính trình lãnh đạo" }
            try await act("approve", leader)
            try await act("return_result", reception) { $0.delivery = .counter; $0.recipient = "Người nộp" }
            #expect(try await t.dossier(code).status == "returned")

            // Where it was received: the desk's list and the centre's book; the centre's receptions in the report.
            // The log in words: names, not ids.
            let logTab = try await t.request(.GET, "/ho-so/\(code)?tab=nhat-ky", headers: try await t.pageSession("vithanh.tiepnhan").headers).text
            #expect(logTab.contains("Chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết") && logTab.contains("Nơi tiếp nhận"))
            #expect(!logTab.contains(wardID.uuidString), "an id shown instead of a name")
            let list = try await t.request(.GET, "/ho-so", headers: try await t.pageSession("stp.tiepnhan").headers).text
            #expect(list.contains("Nơi tiếp nhận") && list.contains("UBND phường Vị Thanh"))
            let book = try await t.request(.GET, "/so-theo-doi", headers: try await t.pageSession("vithanh.tiepnhan").headers)
            #expect(book.status == .ok)
            #expect(book.text.contains(code) && book.text.contains("Sở Tư pháp - Phòng Hành chính tư pháp"))
            let today = VietnamTime.local(Date()).date.vietnamese
            let report = try await t.request(
                .GET, "/thong-ke?tu-ngay=\(today)&den-ngay=\(today)",
                headers: try await t.pageSession("lanhdaotinh").headers)
            #expect(report.text.contains("Tiếp nhận không phụ thuộc địa giới hành chính"))
            let boundary = try await BoundaryReceptions.make(
                ReportCriteria(from: VietnamTime.local(Date()).date, to: VietnamTime.local(Date()).date, scope: .everything),
                on: t.app.db)
            #expect(boundary.rows.map(\.centre) == ["UBND phường Vị Thanh"])
            #expect(boundary.rows.map(\.number) == [1])
            let verified = try await Launch.verifyLog(t.app)
            #expect(verified.ok, "\(verified.lines)")
        }
    }

    /// Before 1 July 2025 a commune's desk received only its own procedures; from that day the new
    /// ward's centre receives any agency's, and the former ward, closed, receives nothing.
    @Test func beforeTheDecreeACommuneReceivesOnlyItsOwn() async throws {
        try await TestApp.with(.sqlite) { t in
            let former = try await t.user("phuong1.tiepnhan")
            let ward = try await t.user("vithanh.tiepnhan")
            let service = t.app.motcua.dossiers
            let june = VietnamTime.parseISO("2025-06-30T09:00:00+07:00")!
            await #expect(throws: ServiceError.self) {
                _ = try await service.create(criminalRecordRequest(), actor: Actor(user: former), at: june, on: t.app.db)
            }
            let july = VietnamTime.parseISO("2025-07-01T09:00:00+07:00")!
            await #expect(throws: ServiceError.self) {
                _ = try await service.create(criminalRecordRequest(), actor: Actor(user: former), at: july, on: t.app.db)
            }
            let d = try await service.create(criminalRecordRequest(), actor: Actor(user: ward), at: july, on: t.app.db)
            #expect(d.receivingAgencyID == ward.agencyID)
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Phân công thụ lý": the head gives one officer several dossiers at once; each is assigned with the
/// version the page showed, so a dossier changed in the meantime is reported and the others go through.
@Suite struct AssignmentPageTests {
    func post(_ t: TestApp, _ form: String, session: (headers: HTTPHeaders, csrf: String)?, csrf: Bool = true) async throws -> TestApp.Reply {
        var h = session?.headers ?? [:]
        h.contentType = .urlEncodedForm
        return try await t.request(.POST, "/phan-cong", headers: h, body: ByteBuffer(string: form + (csrf ? "&_csrf=" + (session?.csrf ?? "") : "")))
    }

    @Test(arguments: TestDatabase.available)
    func headAssignsSeveralDossiersAtOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            var codes: [String] = []
            for _ in 0..<4 {
                let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
                let code = try created.decode(DossierDetail.self).dossier.code
                #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/hand_over", token: reception, json: ActionRequest(version: 1)).status == .ok)
                codes.append(code)
            }
            let head = try await t.pageSession("stp.hctp.truongphong")
            let officer = try await t.user("stp.hctp.cv1")
            let page = try await t.request(.GET, "/phan-cong", headers: head.headers)
            #expect(page.status == .ok)
            for code in codes { #expect(page.text.contains("value=\"\(code):2\"")) }
            #expect(page.text.contains("\(officer.fullName) (đang thụ lý 0, quá hạn 0)"))
            #expect(page.text.contains("4 hồ sơ chờ phân công"))

            // Without the form token nothing happens.
            let forged = try await post(t, "dossier[]=\(codes[0]):2&officer=\(officer.id!)", session: head, csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await t.dossier(codes[0]).assignedOfficerID == nil)
            // No officer chosen: a Vietnamese message, and the ticked boxes stay ticked.
            let noOfficer = try await post(t, "dossier[]=\(codes[0]):2&officer=", session: head)
            #expect(noOfficer.status == .unprocessableEntity)
            #expect(noOfficer.text.contains("Hãy chọn cán bộ thụ lý.") && noOfficer.text.contains("value=\"\(codes[0]):2\" aria-label=\"Chọn \(codes[0])\" checked"))

            // Two at once.
            let two = try await post(t, "dossier[]=\(codes[0]):2&dossier[]=\(codes[1]):2&officer=\(officer.id!)&opinion=Giao+x%E1%BB%AD+l%C3%BD", session: head)
            #expect(two.status == .seeOther)
            #expect(two.headers.first(name: .location) == "/phan-cong?da-phan-cong=2")
            for code in codes.prefix(2) {
                let d = try await t.dossier(code)
                #expect(d.assignedOfficerID == officer.id && d.state == DossierState(.processing, .inProgress))
                #expect(try await t.logCount(code) == 3)
            }
            let after = try await t.request(.GET, "/phan-cong?da-phan-cong=2", headers: head.headers)
            #expect(after.text.contains("Đã phân công 2 hồ sơ.") && after.text.contains("(đang thụ lý 2, quá hạn 0)"))
            #expect(!after.text.contains(codes[0]))

            // A stale version (someone acted first) is reported; the other dossier is assigned.
            let mixed = try await post(t, "dossier[]=\(codes[0]):2&dossier[]=\(codes[2]):2&officer=\(officer.id!)", session: head)
            #expect(mixed.status == .ok)
            #expect(mixed.text.contains("Đã phân công 1 hồ sơ; 1 hồ sơ chưa phân công được:") && mixed.text.contains("\(codes[0]):"))
            #expect(try await t.dossier(codes[2]).assignedOfficerID == officer.id)
            #expect(try await t.logCount(codes[0]) == 3)

            // A dossier outside the head's department (or none at all) is reported as not found.
            let foreign = try await post(t, "dossier[]=KHONG-CO:1&officer=\(officer.id!)", session: head)
            #expect(foreign.status == .conflict)
            #expect(foreign.text.contains("KHONG-CO: "))

            // Another role has no such page.
            let officerSession = try await t.pageSession("stp.hctp.cv1")
            #expect(try await t.request(.GET, "/phan-cong", headers: officerSession.headers).status == .forbidden)
            #expect(try await post(t, "dossier[]=\(codes[3]):2&officer=\(officer.id!)", session: officerSession).status == .forbidden)
            #expect(try await t.dossier(codes[3]).assignedOfficerID == nil)
        }
    }

    /// Thirty heads' clicks on the same dossier at once: exactly one assignment, one log entry.
    @Test(arguments: TestDatabase.available)
    func concurrentAssignmentsOfOneDossierGiveOneSuccess(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/hand_over", token: reception, json: ActionRequest(version: 1)).status == .ok)
            let head = try await t.pageSession("stp.hctp.truongphong")
            let officers = [try await t.user("stp.hctp.cv1"), try await t.user("stp.hctp.cv2")]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<30 {
                    group.addTask { try await post(t, "dossier[]=\(code):2&officer=\(officers[i % 2].id!)", session: head).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .seeOther || $0 == .conflict })
            #expect(try await t.logCount(code) == 3)
            let d = try await t.dossier(code)
            #expect(d.version == 3 && officers.map(\.id).contains(d.assignedOfficerID))
        }
    }
}

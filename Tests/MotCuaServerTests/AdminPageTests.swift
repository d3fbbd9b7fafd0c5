import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Quản trị người dùng": create an account (errors beside the fields, typed values kept, never the
/// password), disable it (its sessions end, it cannot log in), enable it, set a new password; every
/// change in "Nhật ký quản trị" with who, when, old and new; only administrators.
@Suite struct AdminPageTests {
    @Test(arguments: TestDatabase.available)
    func administratorManagesAccountsAndEveryChangeIsAudited(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let hctp = try await t.user("stp.hctp.truongphong")
            let agency = hctp.agencyID!.uuidString, department = hctp.departmentID!.uuidString
            // Errors beside the fields; what was typed is kept, the password is not sent back.
            var r = try await t.post("/quan-tri/nguoi-dung", "username=A&fullName=Ng%C3%B4+V%C4%83n+T%C3%A2m&roles[]=officer&agency=\(agency)&password=abc", session: admin)
            #expect(r.status == .unprocessableEntity)
            #expect(r.text.contains("Tên đăng nhập gồm 3 đến 50") && r.text.contains("Chuyên viên và lãnh đạo phòng cần chọn phòng chuyên môn.")
                    && r.text.contains("Mật khẩu mới chưa đạt yêu cầu") && r.text.contains("value=\"Ngô Văn Tâm\"") && !r.text.contains("value=\"abc\""))
            r = try await t.post("/quan-tri/nguoi-dung", "username=stp.hctp.cv1&fullName=X&roles[]=officer&agency=\(agency)&department=\(department)&password=HauGiang%232027", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Tên đăng nhập này đã có."))
            // Created, and it can log in.
            r = try await t.post("/quan-tri/nguoi-dung", "username=stp.hctp.cv9&fullName=Ng%C3%B4+V%C4%83n+T%C3%A2m&roles[]=officer&agency=\(agency)&department=\(department)&password=HauGiang%232027", session: admin)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/quan-tri/nguoi-dung?da-luu=tao")
            let created = try await t.user("stp.hctp.cv9")
            #expect(created.roles == [.officer] && created.departmentID == hctp.departmentID && created.fullName == "Ngô Văn Tâm")
            let token = try await t.login("stp.hctp.cv9", password: "HauGiang#2027")
            #expect(try await t.request(.GET, "/api/v1/me", token: token).status == .ok)
            // Disabled: the session ends and logging in is refused.
            r = try await t.post("/quan-tri/nguoi-dung/\(created.id!)/khoa", "", session: admin)
            #expect(r.status == .seeOther)
            #expect(try await t.request(.GET, "/api/v1/me", token: token).status == .unauthorized)
            let refused = try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: "stp.hctp.cv9", password: "HauGiang#2027"))
            #expect(refused.status == .forbidden && refused.detail.contains("Tài khoản đã bị khoá"))
            #expect(try await t.post("/quan-tri/nguoi-dung/\(created.id!)/khoa", "", session: admin).status == .conflict)
            // Enabled again, with a new password set by the administrator.
            #expect(try await t.post("/quan-tri/nguoi-dung/\(created.id!)/mo-khoa", "", session: admin).status == .seeOther)
            #expect(try await t.post("/quan-tri/nguoi-dung/\(created.id!)/mat-khau", "password=123", session: admin).status == .unprocessableEntity)
            #expect(try await t.post("/quan-tri/nguoi-dung/\(created.id!)/mat-khau", "password=ViThanh%402028", session: admin).status == .seeOther)
            _ = try await t.login("stp.hctp.cv9", password: "ViThanh@2028")
            // One's own account cannot be disabled.
            let me = try await t.user("quantri")
            #expect(try await t.post("/quan-tri/nguoi-dung/\(me.id!)/khoa", "", session: admin).status == .conflict)
            // The audit log: each change, who, old and new; never a password.
            let entries = try await t.audit()
            #expect(entries.map(\.summary) == ["Tạo tài khoản", "Khoá tài khoản", "Mở khoá tài khoản", "Đặt lại mật khẩu"])
            #expect(entries.allSatisfy { $0.actorName == me.fullName && $0.entityID == "stp.hctp.cv9" })
            let page = try await t.request(.GET, "/quan-tri/nhat-ky", headers: admin.headers)
            #expect(page.text.contains("Trạng thái: Hoạt động → Đã khoá") && page.text.contains("Vai trò: Chuyên viên thụ lý") && !page.text.contains("— →"))
            #expect(!page.text.contains("HauGiang") && !page.text.contains("ViThanh@2028"))
            let list = try await t.request(.GET, "/quan-tri/nguoi-dung?q=cv9", headers: admin.headers)
            #expect(list.text.contains("Ngô Văn Tâm") && list.text.contains("Tổng số: 1 tài khoản"))
            // Other roles: no administration, and nothing changes.
            let head = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.request(.GET, "/quan-tri/nguoi-dung", headers: head.headers).status == .forbidden)
            #expect(try await t.post("/quan-tri/nguoi-dung/\(created.id!)/khoa", "", session: head).status == .forbidden)
            #expect(try await t.request(.GET, "/quan-tri/nhat-ky", headers: head.headers).status == .forbidden)
            #expect(try await t.audit().count == 4)
        }
    }

    @Test(arguments: TestDatabase.available)
    func agenciesAreRenamedAndClosedKeepingTheirHistory(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let reception = try await t.login("stp.tiepnhan")
            let before = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier
            let stp = try #require(try await AgencyModel.find(before.agencyId, on: t.app.db))
            let tree = try await t.request(.GET, "/quan-tri/co-quan", headers: admin.headers)
            #expect(tree.status == .ok && tree.text.contains(stp.code) && tree.text.contains(stp.name))
            // Renamed (name and code): audited; the dossier keeps its code and its agency.
            var r = try await t.post("/quan-tri/co-quan/\(stp.id!)/doi-ten", "name=S%E1%BB%9F+T%C6%B0+ph%C3%A1p+th%C3%A0nh+ph%E1%BB%91+C%E1%BA%A7n+Th%C6%A1&code=000.00.12.H92", session: admin)
            #expect(r.status == .seeOther)
            #expect(try await AgencyModel.find(stp.id, on: t.app.db)?.name == "Sở Tư pháp thành phố Cần Thơ")
            #expect(try await t.dossier(before.code).agencyID == stp.id)
            let other = try #require(try await AgencyModel.query(on: t.app.db).filter(\.$name == "Sở Tài chính").first())
            r = try await t.post("/quan-tri/co-quan/\(stp.id!)/doi-ten", "name=X&code=\(other.code)", session: admin)
            #expect(r.status == .conflict && r.text.contains("đã thuộc cơ quan khác"))
            // Closed from today, merged into another: no new dossier; the open one carried to the successor, logged.
            let today = VietnamTime.local(Date()).date.iso
            // Asked once more first, saying what it will do; nothing changes until confirmed.
            r = try await t.post("/quan-tri/co-quan/\(stp.id!)/giai-the", "effectiveTo=\(today)&successor=\(other.id!)", session: admin)
            #expect(r.status == .ok && r.text.contains("Sáp nhập Sở Tư pháp thành phố Cần Thơ vào \(other.name)?") && r.text.contains("ngừng tiếp nhận hồ sơ mới từ ngày"))
            #expect(r.text.contains("1 hồ sơ đang giải quyết chuyển sang Sở Tài chính") && r.text.contains("name=\"xac-nhan\" value=\"1\""))
            #expect(try await AgencyModel.find(stp.id, on: t.app.db)?.effectiveTo == nil)
            r = try await t.post("/quan-tri/co-quan/\(stp.id!)/giai-the", "effectiveTo=\(today)&successor=\(other.id!)&xac-nhan=1", session: admin)
            #expect(r.status == .seeOther)
            let closed = try #require(try await AgencyModel.find(stp.id, on: t.app.db))
            #expect(closed.effectiveTo == today && closed.successorID == other.id)
            let refused = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            #expect(refused.status == .unprocessableEntity && refused.detail.contains("đã ngừng tiếp nhận hồ sơ từ ngày"))
            let carried = try await t.dossier(before.code)
            #expect(carried.agencyID == other.id && carried.version == before.version + 1)
            let department = try #require(try await DepartmentModel.find(carried.departmentID, on: t.app.db))
            #expect(department.agencyID == other.id)
            let transfer = try #require(try await LogEntryModel.query(on: t.app.db).filter(\.$dossierID == carried.id!).sort(\.$seq, .descending).first())
            #expect(transfer.action == AgencySuccession.transferAction && transfer.opinion?.contains("Sở Tài chính") == true)
            #expect(try await ReportTallyStore.check(on: t.app.snapshotReads).isEmpty)
            #expect(try await Launch.verifyLog(t.app).ok)
            // The successor's desk now has it; the closed agency's does not.
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(before.code)", token: try await t.login("stc.tiepnhan")).status == .ok)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(before.code)", token: reception).status == .notFound)
            #expect(try await t.post("/quan-tri/co-quan/\(stp.id!)/giai-the", "effectiveTo=\(today)", session: admin).status == .conflict)
            r = try await t.post("/quan-tri/co-quan/\(other.id!)/giai-the", "effectiveTo=30/02/2026", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Ngày hiệu lực không hợp lệ"))
            let audit = try await t.audit().map(\.summary)
            #expect(audit == ["Đổi tên cơ quan", "Sáp nhập cơ quan"])
            let head = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.post("/quan-tri/co-quan/\(other.id!)/giai-the", "effectiveTo=\(today)", session: head).status == .forbidden)
        }
    }
}

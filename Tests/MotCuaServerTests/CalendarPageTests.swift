import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Lịch làm việc": the administrator adds, removes and swaps days of a year, imports and exports
/// its file; each change is checked, audited, refused whole when wrong or made from a stale page,
/// and in force at once for new deadlines (not for due dates already given).
@Suite struct CalendarPageTests {
    func fingerprint(_ page: String) throws -> String {
        let marker = "name=\"fingerprint\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }

    func entries(_ t: TestApp, year: Int) async throws -> [String] {
        try await CalendarEntryModel.query(on: t.app.db).filter(\.$year == year).sort(\.$date).all().map { "\($0.date) \($0.kind)" }
    }

    @Test(arguments: TestDatabase.available)
    func administratorEditsAYearAndNewDeadlinesFollow(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            // 2030 was never stored: the rules' pre-fill (Tết 2030 begins on Sunday 3 February).
            var page = try await t.request(.GET, "/quan-tri/lich-lam-viec?nam=2030", headers: admin.headers)
            #expect(page.status == .ok && page.text.contains("Lịch làm việc năm 2030") && page.text.contains("chưa có bảng lịch riêng"))
            #expect(page.text.contains("01/01/2030") && page.text.contains("Ngày nghỉ") && page.text.contains("Tháng 12"))
            let prefill = try fingerprint(page.text)
            // Refused with the reason, the typed values kept, nothing stored.
            var r = try await t.post("/quan-tri/lich-lam-viec/2030/them", "fingerprint=\(prefill)&date=05%2F01%2F2030&kind=day_off&description=Ngh%E1%BB%89+th%E1%BB%AD", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Thứ Bảy") && r.text.contains("vốn là ngày nghỉ hằng tuần") && r.text.contains("value=\"Nghỉ thử\""))
            r = try await t.post("/quan-tri/lich-lam-viec/2030/them", "fingerprint=\(prefill)&date=31%2F02%2F2030&kind=day_off&description=x", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Nhập ngày dạng dd/mm/yyyy.") && r.text.contains("value=\"31/02/2030\""))
            r = try await t.post("/quan-tri/lich-lam-viec/2030/them", "fingerprint=\(prefill)&date=01%2F01%2F2030&kind=day_off&description=x", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("đã có trong lịch"))
            r = try await t.post("/quan-tri/lich-lam-viec/2030/hoan-doi", "fingerprint=\(prefill)&dayOff=02%2F01%2F2030&workingDay=07%2F01%2F2030&swapDescription=Ngh%E1%BB%89+b%C3%B9", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("vốn là ngày làm việc, không thể ghi là ngày làm bù"))
            #expect(try await entries(t, year: 2030).isEmpty)
            #expect(try await CalendarYearModel.query(on: t.app.db).filter(\.$year == 2030).count() == 0)
            // A swap: Wednesday 2 January off, Saturday 12 January worked. The year is now stored.
            r = try await t.post("/quan-tri/lich-lam-viec/2030/hoan-doi", "fingerprint=\(prefill)&dayOff=02%2F01%2F2030&workingDay=12%2F01%2F2030&swapDescription=Ngh%E1%BB%89+b%C3%B9+T%E1%BA%BFt+D%C6%B0%C6%A1ng+l%E1%BB%8Bch", session: admin)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/quan-tri/lich-lam-viec?nam=2030&da-luu=hoan-doi")
            let stored = try await entries(t, year: 2030)
            #expect(stored.contains("2030-01-02 day_off") && stored.contains("2030-01-12 working_day") && stored.contains("2030-01-01 day_off"))
            let jan2 = LocalDate(year: 2030, month: 1, day: 2)!, jan12 = LocalDate(year: 2030, month: 1, day: 12)!
            #expect(!t.app.motcua.calendar.isWorkingDay(jan2) && t.app.motcua.calendar.isWorkingDay(jan12))
            // A change made from the page as it was before is a conflict; nothing changes.
            r = try await t.post("/quan-tri/lich-lam-viec/2030/them", "fingerprint=\(prefill)&date=03%2F01%2F2030&kind=day_off&description=Ngh%E1%BB%89", session: admin)
            #expect(r.status == .conflict && r.text.contains("vừa được người khác thay đổi"))
            #expect(try await entries(t, year: 2030) == stored)
            // Removed again from the current page.
            page = try await t.request(.GET, "/quan-tri/lich-lam-viec?nam=2030", headers: admin.headers)
            #expect(page.text.contains("Bảng lịch đã lưu") && page.text.contains("Làm bù cho ngày 02/01/2030"))
            // Asked once more, saying what the day becomes; nothing changes until confirmed.
            r = try await t.post("/quan-tri/lich-lam-viec/2030/xoa", "fingerprint=\(try fingerprint(page.text))&date=2030-01-12", session: admin)
            #expect(r.status == .ok && r.text.contains("Xoá ngày 12/01/2030 khỏi lịch làm việc?") && r.text.contains("trở lại là ngày nghỉ hằng tuần"))
            #expect(try await entries(t, year: 2030).contains("2030-01-12 working_day"))
            r = try await t.post("/quan-tri/lich-lam-viec/2030/xoa", "fingerprint=\(try fingerprint(page.text))&date=2030-01-12&xac-nhan=1", session: admin)
            #expect(r.status == .seeOther)
            let afterRemoval = try await entries(t, year: 2030)
            #expect(!afterRemoval.contains("2030-01-12 working_day"))
            #expect(!t.app.motcua.calendar.isWorkingDay(jan12))
            // Every change audited with the dates, before and after.
            let audit = try await AuditEntryModel.query(on: t.app.db).filter(\.$entity == "calendar").sort(\.$at).sort(\.$id).all()
            #expect(audit.map(\.summary) == ["Hoán đổi ngày làm việc", "Xoá ngày khỏi lịch làm việc"])
            #expect(audit[0].changesJSON.contains("02/01/2030") && audit[0].changesJSON.contains("12/01/2030") && audit[1].changesJSON.contains("Ngày làm bù"))

            // Export, then import: the file replaces the year whole.
            let csv = try await t.request(.GET, "/quan-tri/lich-lam-viec/2030/xuat?dinh-dang=csv", headers: admin.headers)
            #expect(csv.status == .ok && csv.text.hasPrefix("date,kind,description\n2030-01-01,day_off,") && csv.text.contains("2030-01-02,day_off,"))
            #expect(try await t.request(.GET, "/quan-tri/lich-lam-viec/2030/xuat?dinh-dang=xml", headers: admin.headers).status == .unprocessableEntity)
            func upload(_ text: String, name: String, csrf: String? = admin.csrf) async throws -> TestApp.Reply {
                let boundary = "motcua-test-boundary"
                var h = admin.headers
                h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n--\(boundary)--\r\n"
                return try await t.request(.POST, "/quan-tri/lich-lam-viec/nhap?nam=2030" + (csrf.map { "&_csrf=\($0)" } ?? ""), headers: h, body: ByteBuffer(string: body))
            }
            let file = "date,kind,description\n2031-01-01,day_off,Tết Dương lịch\n2031-01-02,day_off,Nghỉ thêm\n"
            #expect(try await upload(file, name: "lich.csv", csrf: nil).status == .forbidden)
            r = try await upload("date,kind,description\n2031-01-01,holiday,x\n", name: "lich.csv")
            #expect(r.status == .unprocessableEntity && r.text.contains("dòng 2") && r.text.contains("Không có thay đổi nào được ghi."))
            #expect(try await upload(file, name: "lich.txt").status == .unprocessableEntity)
            r = try await upload(file, name: "lich.csv")
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/quan-tri/lich-lam-viec?nam=2031&da-luu=nhap")
            #expect(try await entries(t, year: 2031) == ["2031-01-01 day_off", "2031-01-02 day_off"])
            #expect(!t.app.motcua.calendar.isWorkingDay(LocalDate(year: 2031, month: 1, day: 2)!))

            // Other roles: no calendar administration, and nothing changes.
            let head = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.request(.GET, "/quan-tri/lich-lam-viec", headers: head.headers).status == .forbidden)
            #expect(try await t.post("/quan-tri/lich-lam-viec/2031/xoa", "fingerprint=x&date=2031-01-02", session: head).status == .forbidden)
            #expect(try await t.post("/quan-tri/lich-lam-viec/2031/xoa", "fingerprint=x&date=2031-01-02", session: (admin.headers, "forged")).status == .forbidden)
            #expect(try await entries(t, year: 2031).count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aDayOffTakesEffectForNewDossiersOnly(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let reception = try await t.login("stp.tiepnhan")
            let first = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier
            // The next working day becomes a day off.
            let today = VietnamTime.local(Date()).date
            let day = try t.app.motcua.calendar.nextWorkingDay(after: today)
            let page = try await t.request(.GET, "/quan-tri/lich-lam-viec?nam=\(day.year)", headers: admin.headers)
            let r = try await t.post("/quan-tri/lich-lam-viec/\(day.year)/them", "fingerprint=\(try fingerprint(page.text))&date=\(day.iso)&kind=day_off&description=Ngh%E1%BB%89+%C4%91%E1%BB%99t+xu%E1%BA%A5t", session: admin)
            #expect(r.status == .seeOther)
            let second = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier
            let firstDue = try #require(try await t.dossier(first.code).dueAt), secondDue = try #require(try await t.dossier(second.code).dueAt)
            // The later dossier's ten working days skip the new day off: its due date is a working day later
            // (plus the working time between the two receipts, seconds, more on a busy machine).
            let between = try t.app.motcua.calendar.workingSeconds(from: firstDue, to: secondDue)
            #expect((8 * 3600...8 * 3600 + 600).contains(between), "\(between) s from \(firstDue) to \(secondDue), day off \(day.iso)")
            #expect(VietnamTime.local(secondDue).date > VietnamTime.local(firstDue).date)
            // The dossier received before keeps its due date.
            #expect(try await t.dossier(first.code).dueAt == firstDue)
        }
    }

    /// Twenty administrators' identical changes at once from the same page: exactly one applies.
    @Test(arguments: TestDatabase.available)
    func concurrentChangesFromOnePageApplyOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let page = try await t.request(.GET, "/quan-tri/lich-lam-viec?nam=2032", headers: admin.headers)
            let print = try fingerprint(page.text)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await t.post("/quan-tri/lich-lam-viec/2032/them", "fingerprint=\(print)&date=0\(i % 2 + 5)%2F01%2F2032&kind=day_off&description=Ngh%E1%BB%89", session: admin).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1)
            #expect(statuses.allSatisfy { $0 == .seeOther || $0 == .conflict }, "\(statuses)")
            let added = try await entries(t, year: 2032).filter { $0.hasPrefix("2032-01-05") || $0.hasPrefix("2032-01-06") }
            #expect(added.count == 1)
            #expect(try await AuditEntryModel.query(on: t.app.db).filter(\.$entity == "calendar").count() == 1)
        }
    }
}

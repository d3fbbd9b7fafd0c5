import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Tiếp nhận hồ sơ" at the counter: find the procedure, see the appointment before saving, keep what
/// was typed on an error with the message beside the field, save, print the receipt.
@Suite struct ReceptionPageTests {
    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test(arguments: TestDatabase.available)
    func deskReceivesAtTheCounterAndPrintsTheReceipt(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let desk = try await t.pageSession("stp.tiepnhan")
            let code = "1.001978.000.00.00.H28"
            let procedure = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$code == code).first())
            // Found by a word of its name without diacritics.
            let word = SearchText.normalise(procedure.name).split(separator: " ").last!
            let search = try await t.request(.GET, "/tiep-nhan?q=\(word)", headers: desk.headers)
            #expect(search.status == .ok && search.text.contains("/tiep-nhan?procedure=\(code)"))
            let form = try await t.request(.GET, "/tiep-nhan?procedure=\(code)", headers: desk.headers)
            #expect(form.text.contains("Nếu tiếp nhận bây giờ, ngày hẹn trả kết quả là"))
            #expect(form.text.contains("components[c1]"))

            // A missing name: the message beside the field, and the address typed is kept.
            let address = "Số 5, đường 30/4, phường I, thành phố Vị Thanh"
            var r = try await t.post("/tiep-nhan", "procedure=\(code)&name=&idNumber=092099000111&address=\(Self.encoded(address))&components[c1]=on&components[n1]=1", session: desk)
            #expect(r.status == .unprocessableEntity)
            #expect(r.text.contains("Nhập họ tên người nộp.") && r.text.contains(address) && r.text.contains("value=\"092099000111\""))
            #expect(try await DossierModel.query(on: t.app.db).count() == 0)
            // A bad count is refused beside its component.
            r = try await t.post("/tiep-nhan", "procedure=\(code)&name=A&idNumber=1&address=B&components[c1]=on&components[n1]=0", session: desk)
            #expect(r.status == .unprocessableEntity && r.text.contains("Số bản từ 1 đến 100."))

            // Saved: to the receipt, with the appointment and the components handed in.
            r = try await t.post("/tiep-nhan", "procedure=\(code)&name=\(Self.encoded("Phạm Thị Lan"))&idNumber=092099000111&birthDate=03/02/1985&address=\(Self.encoded(address))&channel=direct&resultDelivery=counter&components[c1]=on&components[n1]=2", session: desk)
            #expect(r.status == .seeOther)
            let location = try #require(r.headers.first(name: .location))
            let d = try #require(try await DossierModel.query(on: t.app.db).first())
            #expect(location == "/ho-so/\(d.code)/mau/01")
            let deskUser = try await t.user("stp.tiepnhan")
            #expect(d.applicantName == "Phạm Thị Lan" && d.state == DossierState(.received) && d.receivingOfficerID == deskUser.id)
            #expect(d.applicantBirthDate == "1985-02-03")
            let components = try await DossierComponentModel.query(on: t.app.db).filter(\.$dossierID == d.id!).sort(\.$position).all()
            #expect(components.map(\.handedInCount) == [2] + Array(repeating: 0, count: components.count - 1))
            let receipt = try await t.request(.GET, location, headers: desk.headers)
            #expect(receipt.status == .ok && receipt.text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))
            #expect(receipt.text.contains(FormContext.clockTime(d.appointmentAt!)) && receipt.text.contains(d.lookupSecret) && receipt.text.contains("Phạm Thị Lan"))

            // A returning applicant: their details from the identity number.
            let again = try await t.request(.GET, "/tiep-nhan?procedure=\(code)&idNumber=092099000111", headers: desk.headers)
            #expect(again.text.contains("Đã điền thông tin của Phạm Thị Lan") && again.text.contains("value=\"Phạm Thị Lan\""))

            // Not the desk: no counter.
            let officer = try await t.pageSession("stp.hctp.cv1")
            #expect(try await t.request(.GET, "/tiep-nhan", headers: officer.headers).status == .forbidden)
            #expect(try await t.post("/tiep-nhan", "procedure=\(code)&name=A&idNumber=1&address=B", session: officer).status == .forbidden)
            // Another agency's procedure is not offered nor received here.
            let foreign = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$agencyID != procedure.agencyID).first())
            r = try await t.post("/tiep-nhan", "procedure=\(foreign.code)&name=A&idNumber=1&address=B", session: desk)
            #expect(r.status == .unprocessableEntity && r.text.contains("Hãy chọn thủ tục hành chính."))
            #expect(try await DossierModel.query(on: t.app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func deskQueueShowsTheWaitAndHandsOverSeveralAtOnce(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // An online submission, waiting for the desk; two received at the counter.
            let citizen = try await t.login("congdan1")
            let online = try await t.request(.POST, "/api/v1/dossiers", token: citizen, json: criminalRecordRequest(channel: nil))
            #expect(online.status == .created)
            let onlineCode = try online.decode(DossierDetail.self).dossier.code
            let reception = try await t.login("stp.tiepnhan")
            var codes: [String] = []
            for _ in 0..<2 {
                codes.append(try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code)
            }
            // Submitted long ago in working time: flagged past 8 working hours.
            let d = try await t.dossier(onlineCode)
            d.submittedAt = Date().addingTimeInterval(-14 * 24 * 3600)
            try await d.save(on: t.app.db)
            let desk = try await t.pageSession("stp.tiepnhan")
            let queue = try await t.request(.GET, "/ho-so?waiting=reception&sort=received_at", headers: desk.headers)
            #expect(queue.text.contains("Đã chờ (giờ làm việc)") && queue.text.contains("(quá 8 giờ)"))
            #expect(queue.text.contains("value=\"\(codes[0]):1\" form=\"ban-giao\"") && !queue.text.contains("value=\"\(onlineCode):"))
            // Both handed over at once; a stale one is reported.
            var r = try await t.post("/ban-giao", "dossier[]=\(codes[0]):1&dossier[]=\(codes[1]):1", session: desk)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/ho-so?status=received&sort=received_at&da-ban-giao=2")
            for code in codes { #expect(try await t.dossier(code).state == DossierState(.processing, .awaitingAssignment)) }
            r = try await t.post("/ban-giao", "dossier[]=\(codes[0]):1", session: desk)
            #expect(r.status == .conflict && r.text.contains("Chưa bàn giao được hồ sơ nào:") && r.text.contains("\(codes[0]):"))
            r = try await t.post("/ban-giao", "dossier[]=khong-hop-le", session: desk)
            #expect(r.status == .unprocessableEntity && r.text.contains("Hãy chọn ít nhất một hồ sơ."))
            let officer = try await t.pageSession("stp.hctp.cv1")
            #expect(try await t.post("/ban-giao", "dossier[]=\(codes[0]):2", session: officer).status == .forbidden)
        }
    }

    func multipart(_ data: Data, name: String, component: Int?) -> (body: ByteBuffer, type: String) {
        let boundary = "----motcua\(UUID().uuidString)"
        var body = Data()
        if let component { body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n\(component)\r\n".utf8)) }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return (ByteBuffer(data: body), "multipart/form-data; boundary=\(boundary)")
    }

    @Test(arguments: TestDatabase.available)
    func scansAreUploadedFromTheComponentsTab(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            let desk = try await t.pageSession("stp.tiepnhan")
            let tab = try await t.request(.GET, "/ho-so/\(code)?tab=thanh-phan", headers: desk.headers)
            #expect(tab.text.contains("action=\"/ho-so/\(code)/tep?_csrf=\(desk.csrf)\"") && tab.text.contains("enctype=\"multipart/form-data\""))
            let (body, type) = multipart(minimalPDF(), name: "ban-quet.pdf", component: 1)
            var headers = desk.headers
            headers.replaceOrAdd(name: .contentType, value: type)
            // Without the form token in the address: refused, nothing stored.
            #expect(try await t.request(.POST, "/ho-so/\(code)/tep", headers: headers, body: body).status == .forbidden)
            #expect(try await DossierFileModel.query(on: t.app.db).count() == 0)
            let r = try await t.request(.POST, "/ho-so/\(code)/tep?_csrf=\(desk.csrf)", headers: headers, body: body)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/ho-so/\(code)?tab=thanh-phan&da-tai-len=1")
            let file = try #require(try await DossierFileModel.query(on: t.app.db).first())
            let after = try await t.request(.GET, "/ho-so/\(code)?tab=thanh-phan&da-tai-len=1", headers: desk.headers)
            #expect(after.text.contains("Đã tải lên tệp.") && after.text.contains("ban-quet.pdf") && after.text.contains("\(file.id!.uuidString)?xem=1"))
            let view = try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(file.id!.uuidString)?xem=1", headers: desk.headers)
            #expect(view.status == .ok && view.headers.first(name: .contentDisposition)?.hasPrefix("inline") == true)
            let download = try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(file.id!.uuidString)", headers: desk.headers)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(file.id!.uuidString)?xem=", headers: desk.headers).status == .unprocessableEntity)
            // A disguised file: refused on the tab, in Vietnamese, still logged in.
            let (fake, fakeType) = multipart(Data("MZ not a pdf".utf8), name: "hoa-don.pdf", component: 1)
            headers.replaceOrAdd(name: .contentType, value: fakeType)
            let refused = try await t.request(.POST, "/ho-so/\(code)/tep?_csrf=\(desk.csrf)", headers: headers, body: fake)
            #expect(refused.status == .unsupportedMediaType && refused.text.contains("Đăng xuất") && refused.text.contains("Thành phần hồ sơ"))
            #expect(try await DossierFileModel.query(on: t.app.db).count() == 1)
            // The officer of another stage sees no upload form.
            let officer = try await t.pageSession("stp.hctp.cv1")
            #expect(!(try await t.request(.GET, "/ho-so/\(code)?tab=thanh-phan", headers: officer.headers).text.contains("enctype")))
        }
    }

    /// "Sổ theo dõi hồ sơ": the day's received dossiers with their hand-over, and the day's returned
    /// ones with how and to whom; only the desk's own agency; a bad date explained in Vietnamese.
    @Test(arguments: TestDatabase.available)
    func theDesksLogBookListsTheDaysReceiptsAndReturns(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
            let officer = try await t.login("stp.hctp.cv1"), leader = try await t.login("stp.lanhdao")
            let officerID = try await t.user("stp.hctp.cv1").id
            let returned = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest(name: "Lê Văn Bảy")).decode(DossierDetail.self).dossier.code
            let open = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest(name: "Phạm Thị Tám")).decode(DossierDetail.self).dossier.code
            let steps: [(String, String, ActionRequest)] = [
                ("hand_over", reception, ActionRequest(version: 1)), ("assign", head, ActionRequest(version: 2, officer: officerID)),
                ("propose", officer, ActionRequest(version: 3, opinion: "Đủ điều kiện", proposal: .approve)),
                ("submit_for_signature", head, ActionRequest(version: 4)), ("approve", leader, ActionRequest(version: 5)),
                ("return_result", reception, ActionRequest(version: 6, delivery: .counter, recipient: "Lê Văn Bảy")),
            ]
            for (action, token, body) in steps {
                if action == "propose" { _ = try await t.upload(minimalPDF("Kết quả"), name: "ket-qua.pdf", component: nil, to: returned, token: officer) }
                #expect(try await t.request(.POST, "/api/v1/dossiers/\(returned)/actions/\(action)", token: token, json: body).status == .ok, "\(action)")
            }
            let desk = try await t.pageSession("stp.tiepnhan")
            var book = try await t.request(.GET, "/so-theo-doi", headers: desk.headers)
            let today = VietnamTime.local(Date()).date.vietnamese
            #expect(book.status == .ok && book.text.contains("Hồ sơ tiếp nhận ngày \(today)") && book.text.contains("Tổng số: 2 hồ sơ"))
            #expect(book.text.contains(returned) && book.text.contains(open) && book.text.contains("Phạm Thị Tám") && book.text.contains("Sổ theo dõi hồ sơ"))
            book = try await t.request(.GET, "/so-theo-doi?loai=tra-ket-qua&ngay=\(today.replacingOccurrences(of: "/", with: "%2F"))", headers: desk.headers)
            #expect(book.text.contains("Tổng số: 1 hồ sơ") && book.text.contains(returned) && !book.text.contains(open))
            #expect(book.text.contains("Lê Văn Bảy - Trực tiếp tại Bộ phận Một cửa"))
            // Yesterday's book is empty; a bad date is explained and today's book shown.
            let yesterday = VietnamTime.local(Date()).date.adding(days: -1).iso
            #expect(try await t.request(.GET, "/so-theo-doi?ngay=\(yesterday)", headers: desk.headers).text.contains("Không có hồ sơ nào trong ngày."))
            book = try await t.request(.GET, "/so-theo-doi?ngay=32%2F13%2F2026", headers: desk.headers)
            #expect(book.status == .unprocessableEntity && book.text.contains("không hợp lệ") && book.text.contains("Tổng số: 2 hồ sơ"))
            // Another agency's desk sees its own (empty) book; an officer has none.
            let other = try await t.pageSession("vithanh.tiepnhan")
            book = try await t.request(.GET, "/so-theo-doi", headers: other.headers)
            #expect(book.status == .ok && !book.text.contains(returned) && book.text.contains("Tổng số: 0 hồ sơ"))
            #expect(try await t.request(.GET, "/so-theo-doi", headers: try await t.pageSession("stp.hctp.cv1").headers).status == .forbidden)
        }
    }
}

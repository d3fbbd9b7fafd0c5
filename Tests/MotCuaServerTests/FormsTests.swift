import Fluent
import Foundation
import MotCuaCore
import MotCuaTestSupport
import Testing
import Vapor
@testable import MotCuaServer

/// The printed forms of both sets, drawn from real dossiers: each form's key fields, the forms a
/// dossier does not have yet, the log book for a range, the PDF read back by pdftotext and its QR
/// code by zbarimg.
@Suite(.serialized) struct FormsTests {
    /// One dossier received, apologised for, asked to supplement components 1 and 2, then
    /// withdrawn; another submitted online and refused at intake. Returns their codes.
    func dossiers(_ t: TestApp) async throws -> (full: String, refused: String) {
        let desk = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
        let officer = try await t.login("stp.hctp.cv1"), citizen = try await t.login("congdan1")
        let officerID = try await t.user("stp.hctp.cv1").id!
        var detail = try await t.request(.POST, "/api/v1/dossiers", token: desk, json: criminalRecordRequest()).decode(DossierDetail.self)
        func act(_ action: String, _ token: String, _ configure: (inout ActionRequest) -> Void = { _ in }) async throws {
            var body = ActionRequest(version: detail.dossier.version)
            configure(&body)
            let r = try await t.request(.POST, "/api/v1/dossiers/\(detail.dossier.code)/actions/\(action)", token: token, json: body)
            #expect(r.status == .ok, "\(action): \(r.text)")
            detail = try r.decode(DossierDetail.self)
        }
        try await act("hand_over", desk)
        try await act("assign", head) { $0.officer = officerID }
        try await act("apologise", head) { $0.reason = "Chờ kết quả xác minh của Công an tỉnh"; $0.appointment = "2099-01-15T08:00:00+07:00" }
        try await act("request_supplement", officer) { $0.reason = "Bản sao chưa chứng thực"; $0.components = [2, 1] }
        try await act("withdraw", desk) { $0.reason = "Người nộp đề nghị rút hồ sơ" }
        let full = detail.dossier.code

        detail = try await t.request(.POST, "/api/v1/dossiers", token: citizen, json: criminalRecordRequest(name: "Trần Thị Bình", channel: .online)).decode(DossierDetail.self)
        try await act("reject", desk) { $0.reason = "Thủ tục không thuộc thẩm quyền của Sở Tư pháp" }
        return (full, detail.dossier.code)
    }

    @Test(arguments: TestDatabase.available)
    func everyFormOfBothSetsShowsItsDossier(db: TestDatabase) async throws {
        for set in FormSet.allCases {
            try await TestApp.with(db, environment: ["MOTCUA_FORM_SET": set.rawValue]) { t in
                let (code, refused) = try await dossiers(t)
                let desk = try await t.pageSession("stp.tiepnhan")
                let d = try await t.dossier(code)
                let received = PageTime.date(d.receivedAt!)
                func form(_ f: PrintedForm, _ dossier: String = code) async throws -> TestApp.Reply {
                    try await t.request(.GET, "/ho-so/\(dossier)/mau/\(set.number(of: f)!)", headers: desk.headers)
                }
                // Every form: the national heading, the agency under its governing body, the title and number.
                for f in set.forms where f != .logBook {
                    let page = try await form(f, f == .refusal ? refused : code)
                    #expect(page.status == .ok, "\(set) \(f): \(page.text.prefix(300))")
                    for text in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND THÀNH PHỐ CẦN THƠ", "SỞ TƯ PHÁP",
                                 set.title(of: f), "Mẫu số \(set.number(of: f)!) (\(set.circular))", "Cần Thơ, ngày "] {
                        #expect(page.text.contains(text), "\(set) \(f): \(text)")
                    }
                    #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src") == false)
                }
                let receipt = try await form(.receipt).text
                for text in [code, "Nguyễn Văn Ánh", "092012345678", "200.000 đồng", "Lý lịch tư pháp".lowercased(), d.lookupSecret,
                             FormContext.clockTime(d.receivedAt!), "<svg", "/tra-cuu?code=\(code)&amp;secret=\(d.lookupSecret)",
                             "Vào Sổ theo dõi hồ sơ ngày \(received), số thứ tự: 1", "NGƯỜI TIẾP NHẬN HỒ SƠ"] {
                    #expect(receipt.lowercased().contains(text.lowercased()), "receipt: \(text)")
                }
                #expect(receipt.contains(#/\d\d giờ \d\d phút, ngày \d\d\/\d\d\/\d{4}/#))
                let components = try await DossierComponentModel.query(on: t.app.db).filter(\.$dossierID == d.id!).sort(\.$position).all()
                let supplement = try await form(.supplementRequest).text
                #expect(supplement.contains("Bản sao chưa chứng thực") && supplement.contains(components[0].name) && supplement.contains(components[1].name))
                // What to bring is never "0": the copies missing, or all required ones again.
                #expect(!supplement.contains("<td class=\"n\">0</td>"), "\(set): Số lượng 0")
                let apology = try await form(.apology).text
                #expect(apology.contains("Chờ kết quả xác minh của Công an tỉnh") && apology.contains("15/01/2099 08:00") && apology.contains("Kính gửi"))
                #expect(apology.contains(set == .circular03of2025 ? "đề nghị gia hạn thời gian giải quyết" : "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào"))
                let refusal = try await form(.refusal, refused).text
                #expect(refusal.contains("Trần Thị Bình") && refusal.contains("Thủ tục không thuộc thẩm quyền của Sở Tư pháp"))
                let slip = try await form(.controlSlip).text
                #expect(slip.contains("Bàn giao hồ sơ") && slip.contains("Nguyễn Văn Ánh") && slip.contains(PageTime.dateTime(d.receivedAt!)))
                if set == .circular03of2025 {
                    let stop = try await form(.stopNotice).text
                    #expect(stop.contains("Người nộp đề nghị rút hồ sơ") && stop.contains("dừng giải quyết"))
                } else {
                    #expect(set.number(of: .stopNotice) == nil)
                }

                // What a dossier does not have is a clear refusal, not an empty form.
                var r = try await form(.refusal)
                #expect(r.status == .conflict && r.text.contains("không bị từ chối tiếp nhận"))
                r = try await form(.receipt, refused)
                #expect(r.status == .conflict && r.text.contains("chưa được tiếp nhận"))
                r = try await t.request(.GET, "/ho-so/\(code)/mau/0\(set.forms.count + 1)", headers: desk.headers)
                #expect(r.status == .notFound && r.text.contains("không có mẫu số"))
                r = try await t.request(.GET, "/ho-so/\(code)/mau/01?format=docx", headers: desk.headers)
                #expect(r.status == .badRequest)
                // Another agency's desk does not see the dossier at all.
                r = try await t.request(.GET, "/ho-so/\(code)/mau/01", headers: try await t.pageSession("vithanh.tiepnhan").headers)
                #expect(r.status == .notFound)

                // The dossier page lists the forms it has, in this set's numbering.
                let page = try await t.request(.GET, "/ho-so/\(code)", headers: desk.headers).text
                #expect(page.contains("/ho-so/\(code)/mau/\(set.number(of: .apology)!)") && !page.contains("/ho-so/\(code)/mau/\(set.number(of: .refusal)!)\""))

                // The log book form, from the dossier (redirect) or a range.
                r = try await form(.logBook)
                #expect(r.status == .seeOther && r.headers.first(name: .location) == "/so-theo-doi?from=\(received)&to=\(received)")
                let book = try await t.request(.GET, "/so-theo-doi?from=\(received)&to=\(received)", headers: desk.headers)
                #expect(book.status == .ok && book.text.contains(set.title(of: .logBook)) && book.text.contains(code) && book.text.contains("Ngày \(received)"))
                #expect(book.text.contains("size: A4 landscape"))
                r = try await t.request(.GET, "/so-theo-doi?from=02/01/2026&to=01/01/2026", headers: desk.headers)
                #expect(r.status == .unprocessableEntity && r.text.contains("phải không sau"))
                r = try await t.request(.GET, "/so-theo-doi?from=01/01/2025&to=31/12/2026", headers: desk.headers)
                #expect(r.status == .unprocessableEntity && r.text.contains("tối đa 366 ngày"))
                r = try await t.request(.GET, "/so-theo-doi?from=x", headers: desk.headers)
                #expect(r.status == .unprocessableEntity)
                r = try await t.request(.GET, "/so-theo-doi?from=\(received)", headers: try await t.pageSession("stp.hctp.cv1").headers)
                #expect(r.status == .forbidden)
            }
        }
    }

    /// Runs a program of Debian's and returns what it printed.
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        try MotcuaProcess.run(program: URL(fileURLWithPath: program), arguments).out
    }

    @Test func theReceiptPrintsToAPDFWithItsTextAndAReadableQRCode() async throws {
        try await TestApp.with(.sqlite) { t in
            let (code, _) = try await dossiers(t)
            let desk = try await t.pageSession("stp.tiepnhan")
            let r = try await t.request(.GET, "/ho-so/\(code)/mau/01?format=pdf", headers: desk.headers)
            #expect(r.status == .ok && r.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
            #expect(r.headers.first(name: .contentDisposition) == "attachment; filename=\"\(code)-mau-01.pdf\"")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forms-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let pdf = folder.appendingPathComponent("mau-01.pdf")
            try r.body.write(to: pdf)
            let text = try Self.run("/usr/bin/pdftotext", ["-layout", pdf.path, "-"])
            for expected in [code, "Độc lập - Tự do - Hạnh phúc", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Văn Ánh", "200.000 đồng"] {
                #expect(text.contains(expected), "pdftotext: \(expected)")
            }
            #expect(try Self.run("/usr/bin/pdfinfo", [pdf.path]).contains(#/Pages:\s+1\n/#), "the receipt fits one A4 page")
            _ = try Self.run("/usr/bin/pdftoppm", ["-r", "300", "-png", "-f", "1", "-l", "1", pdf.path, folder.appendingPathComponent("page").path])
            let image = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".png") })
            let decoded = try Self.run("/usr/bin/zbarimg", ["--raw", "-q", folder.appendingPathComponent(image).path])
            let d = try await t.dossier(code)
            for expected in ["Mã hồ sơ: \(code)", "Mã thủ tục: 1.001978.000.00.00.H28", "Số định danh: 092012345678",
                             "Văn bản: Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Hệ thống: Phần mềm một cửa điện tử MotCua", "Thời gian: ",
                             "/tra-cuu?code=\(code)&secret=\(d.lookupSecret)"] {
                #expect(decoded.contains(expected), "QR: \(expected) in \(decoded)")
            }
        }
    }

    @Test func aBurstOfPDFDownloadsIsBoundedAndNoneFails() async throws {
        try await TestApp.with(.sqlite) { t in
            let (code, _) = try await dossiers(t)
            let desk = try await t.pageSession("stp.tiepnhan")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 { group.addTask { try await t.request(.GET, "/ho-so/\(code)/mau/06?format=pdf", headers: desk.headers).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            // Two print at once and eight wait: the rest are told to come back, nothing else.
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .serviceUnavailable }, "\(statuses)")
            #expect(statuses.filter { $0 == .ok }.count >= 10)
        }
    }

    @Test func withoutChromiumThePDFIsRefusedInVietnameseAndThePageStillPrints() async throws {
        try await TestApp.with(.sqlite, environment: ["MOTCUA_CHROMIUM": ""]) { t in
            let (code, _) = try await dossiers(t)
            let desk = try await t.pageSession("stp.tiepnhan")
            let r = try await t.request(.GET, "/ho-so/\(code)/mau/01?format=pdf", headers: desk.headers)
            #expect(r.status == .serviceUnavailable && r.text.contains("chưa cài Chromium"))
            #expect(try await t.request(.GET, "/ho-so/\(code)/mau/01", headers: desk.headers).status == .ok)
        }
    }

    @Test func anUnknownFormSetStopsTheServerWithTheChoices() {
        #expect(throws: (any Error).self) { try Settings(environment: ["MOTCUA_FORM_SET": "tt99-2030"]) }
        #expect(try! Settings(environment: [:]).formSet == .circular03of2025)
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// The catalogue's administration: departments, fields and procedures are added and edited from
/// the pages, checked (errors beside the fields, typed values kept), audited, protected against a
/// stale form, and only by administrators. A procedure's new terms apply to dossiers received
/// afterwards; dossiers already received keep theirs.
@Suite struct CataloguePageTests {
    func hidden(_ page: String, _ name: String) throws -> String {
        let marker = "name=\"\(name)\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }

    func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    @Test func everyDemoProcedureMeetsTheCatalogueRules() async throws {
        try await TestApp.with(.sqlite) { t in
            for p in try await ProcedureModel.query(on: t.app.db).all() {
                let problems = try p.terms.problems
                #expect(problems.isEmpty, "\(p.code): \(problems)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func departmentsAndFieldsAreAddedAndRenamed(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let head = try await t.user("stp.hctp.truongphong")
            let agency = head.agencyID!.uuidString
            var r = try await t.post("/quan-tri/phong-ban", "agency=\(agency)&name=", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Nhập tên (tối đa 200 ký tự)."))
            r = try await t.post("/quan-tri/phong-ban", "agency=\(agency)&name=Ph%C3%B2ng+C%C3%B4ng+ch%E1%BB%A9ng", session: admin)
            #expect(r.status == .seeOther)
            r = try await t.post("/quan-tri/phong-ban", "agency=\(agency)&name=Ph%C3%B2ng+C%C3%B4ng+ch%E1%BB%A9ng", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("đã có phòng Phòng Công chứng") && r.text.contains("value=\"Phòng Công chứng\""))
            let created = try #require(try await DepartmentModel.query(on: t.app.db).filter(\.$name == "Phòng Công chứng").first())
            #expect(created.agencyID == head.agencyID)
            // Renamed from the list; a second rename from the same (now stale) list is a conflict.
            r = try await t.post("/quan-tri/phong-ban/\(created.id!)", "shownName=Ph%C3%B2ng+C%C3%B4ng+ch%E1%BB%A9ng&name=Ph%C3%B2ng+C%C3%B4ng+ch%E1%BB%A9ng+s%E1%BB%91+1", session: admin)
            #expect(r.status == .seeOther)
            #expect(try await DepartmentModel.find(created.id, on: t.app.db)?.name == "Phòng Công chứng số 1")
            r = try await t.post("/quan-tri/phong-ban/\(created.id!)", "shownName=Ph%C3%B2ng+C%C3%B4ng+ch%E1%BB%A9ng&name=Ph%C3%B2ng+kh%C3%A1c", session: admin)
            #expect(r.status == .conflict)
            #expect(try await DepartmentModel.find(created.id, on: t.app.db)?.name == "Phòng Công chứng số 1")
            let list = try await t.request(.GET, "/quan-tri/phong-ban?co-quan=\(agency)", headers: admin.headers)
            #expect(list.status == .ok && list.text.contains("Phòng Công chứng số 1") && list.text.contains("Phòng Hành chính tư pháp"))
            // Fields: the code is unique.
            r = try await t.post("/quan-tri/linh-vuc", "code=LLTP&name=Tr%C3%B9ng", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Mã LLTP đã thuộc lĩnh vực"))
            r = try await t.post("/quan-tri/linh-vuc", "code=tp&name=C%C3%B4ng+ch%E1%BB%A9ng", session: admin)
            #expect(r.status == .seeOther)
            let field = try #require(try await FieldModel.query(on: t.app.db).filter(\.$code == "TP").first())
            r = try await t.post("/quan-tri/linh-vuc/\(field.id!)", "shownCode=TP&shownName=C%C3%B4ng+ch%E1%BB%A9ng&code=LLTP&name=C%C3%B4ng+ch%E1%BB%A9ng", session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Mã LLTP đã thuộc lĩnh vực"))
            r = try await t.post("/quan-tri/linh-vuc/\(field.id!)", "shownCode=TP&shownName=C%C3%B4ng+ch%E1%BB%A9ng&code=CCHT&name=C%C3%B4ng+ch%E1%BB%A9ng%2C+ch%E1%BB%A9ng+th%E1%BB%B1c", session: admin)
            #expect(r.status == .seeOther)
            #expect(try await FieldModel.find(field.id, on: t.app.db)?.code == "CCHT")
            let audit = try await t.audit().map(\.summary)
            #expect(audit == ["Thêm phòng chuyên môn", "Đổi tên phòng chuyên môn", "Thêm lĩnh vực", "Sửa lĩnh vực"])
            // Other roles and forged forms change nothing.
            let headSession = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.request(.GET, "/quan-tri/linh-vuc", headers: headSession.headers).status == .forbidden)
            #expect(try await t.post("/quan-tri/linh-vuc", "code=X1&name=X", session: headSession).status == .forbidden)
            #expect(try await t.post("/quan-tri/linh-vuc", "code=X1&name=X", session: (admin.headers, "forged")).status == .forbidden)
            #expect(try await FieldModel.query(on: t.app.db).filter(\.$code == "X1").count() == 0)
            #expect(try await t.request(.GET, "/quan-tri/khong-co", headers: admin.headers).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aProcedureIsAddedEditedAndOnlyNewDossiersTakeItsNewTerms(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let reception = try await t.login("stp.tiepnhan")
            let before = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
            let procedure = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$code == before.procedure.code).first())
            var page = try await t.request(.GET, "/quan-tri/thu-tuc/\(procedure.id!)", headers: admin.headers)
            #expect(page.status == .ok && page.text.contains(procedure.name) && page.text.contains("to-khai-lltp.docx") && page.text.contains("Thu trước khi giải quyết"))
            let fingerprint = try hidden(page.text, "fingerprint")
            let head = try await t.user("stp.hctp.truongphong")
            func form(time: String, steps: [(String, String)], fee: String = "200.000", code: String = procedure.code, fingerprint: String = fingerprint) -> String {
                encode([("fingerprint", fingerprint), ("code", code), ("name", procedure.name), ("field", procedure.fieldID.uuidString),
                        ("agency", head.agencyID!.uuidString), ("department", head.departmentID!.uuidString), ("timeAmount", time),
                        ("timeUnit", "working_days"), ("onlineTimeAmount", ""), ("feeVND", fee), ("feeTiming", "before"), ("onlineLevel", "full"),
                        ("resultType", "Phiếu lý lịch tư pháp"),
                        ("componentName[]", "Tờ khai"), ("componentForm[]", "original"), ("componentCount[]", "1"), ("componentMandatory[]", "1"), ("componentBlank[]", "to-khai.docx"),
                        ("componentName[]", "Căn cước"), ("componentForm[]", "copy"), ("componentCount[]", "1"), ("componentMandatory[]", "0"), ("componentBlank[]", ""),
                        ("componentName[]", ""), ("componentForm[]", "copy"), ("componentCount[]", "1"), ("componentMandatory[]", "1"), ("componentBlank[]", "")]
                       + steps.flatMap { [("stepName[]", $0.0), ("stepShare[]", $0.1)] })
            }
            // Steps that do not add up to the time: refused beside the steps, what was typed kept.
            var r = try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form(time: "12", steps: [("Tiếp nhận", "0,5"), ("Thụ lý", "10")]), session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Tổng thời gian các bước (10,5) phải bằng thời hạn giải quyết (12 ngày làm việc).")
                    && r.text.contains("value=\"12\"") && r.text.contains("value=\"Tờ khai\""))
            r = try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form(time: "12", steps: [("Tiếp nhận", "0,5"), ("Thụ lý", "11,5")], fee: "abc"), session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Nhập phí, lệ phí bằng số đồng"))
            // Saved: 12 working days, two components (the blank row dropped).
            r = try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form(time: "12", steps: [("Tiếp nhận", "0,5"), ("Thụ lý", "11,5")]), session: admin)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/quan-tri/thu-tuc/\(procedure.id!)?da-luu=sua")
            let saved = try #require(try await ProcedureModel.find(procedure.id, on: t.app.db)).terms
            #expect(saved.timeAmount == 12 && saved.components == [ComponentRequirement(name: "Tờ khai", form: .original, count: 1, mandatory: true, blankForm: "to-khai.docx"),
                                                                   ComponentRequirement(name: "Căn cước", form: .copy, count: 1, mandatory: false)])
            #expect(saved.steps == [ProcessStep(name: "Tiếp nhận", share: 0.5), ProcessStep(name: "Thụ lý", share: 11.5)])
            // The same (now stale) form again: a conflict, the latest version shown, nothing written.
            r = try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form(time: "15", steps: [("Thụ lý", "15")]), session: admin)
            #expect(r.status == .conflict && r.text.contains("vừa được người khác thay đổi") && r.text.contains("value=\"12\""))
            #expect(try #require(try await ProcedureModel.find(procedure.id, on: t.app.db)).terms.timeAmount == 12)
            // The dossier received before keeps 10 days; a new one takes 12.
            let old = try await t.request(.GET, "/api/v1/dossiers/\(before.dossier.code)", token: reception).decode(DossierDetail.self)
            #expect(old.procedure.timeAmount == 10 && old.procedure.components.count == 3)
            let after = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
            #expect(after.procedure.timeAmount == 12 && after.procedure.components.count == 2)
            // A new procedure; its code must be new.
            page = try await t.request(.GET, "/quan-tri/thu-tuc/moi", headers: admin.headers)
            #expect(page.status == .ok && page.text.contains("Thêm thủ tục hành chính"))
            r = try await t.post("/quan-tri/thu-tuc/moi", form(time: "3", steps: [("Thụ lý", "3")], fingerprint: ""), session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("đã thuộc thủ tục khác"))
            r = try await t.post("/quan-tri/thu-tuc/moi", form(time: "3", steps: [("Thụ lý", "3")], fee: "0", code: "2.000001.000.00.00.H28", fingerprint: ""), session: admin)
            #expect(r.status == .unprocessableEntity && r.text.contains("Phí, lệ phí bằng 0: chọn"))
            r = try await t.post("/quan-tri/thu-tuc/moi", form(time: "3", steps: [("Thụ lý", "3")], code: "2.000001.000.00.00.H28", fingerprint: ""), session: admin)
            #expect(r.status == .seeOther)
            let list = try await t.request(.GET, "/quan-tri/thu-tuc?q=2.000001", headers: admin.headers)
            #expect(list.text.contains("2.000001.000.00.00.H28") && list.text.contains("Tổng số: 1 thủ tục") && list.text.contains("3 ngày làm việc"))
            // Audited field by field.
            let audit = try await AuditEntryModel.query(on: t.app.db).filter(\.$entity == "procedure").sort(\.$at).sort(\.$id).all()
            #expect(audit.map(\.summary) == ["Sửa thủ tục hành chính", "Thêm thủ tục hành chính"])
            #expect(audit[0].changesJSON.contains("Thời hạn giải quyết") && audit[0].changesJSON.contains("10 ngày làm việc") && audit[0].changesJSON.contains("12 ngày làm việc"))
            // Not for other roles.
            let headSession = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.request(.GET, "/quan-tri/thu-tuc", headers: headSession.headers).status == .forbidden)
            #expect(try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form(time: "1", steps: [("Thụ lý", "1")]), session: headSession).status == .forbidden)
        }
    }

    /// A blank form's file: uploaded for a component (PDF, Word or Excel by content), downloadable by
    /// anyone at /mau-don/{code}/{position}, kept through a save of the procedure's form, never
    /// pointed at another file of the store, kept by the store's garbage collection.
    @Test(arguments: TestDatabase.available)
    func aBlankFormIsUploadedAndDownloaded(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let admin = try await t.pageSession("quantri")
            let procedure = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$code == "1.001978.000.00.00.H28").first())
            func upload(_ data: Data, name: String, component: Int, fingerprint: String) async throws -> TestApp.Reply {
                let boundary = "motcua-blank-form"
                var h = admin.headers
                h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n\(component)\r\n".utf8)
                body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8))
                body.append(data)
                body.append(Data("\r\n--\(boundary)--\r\n".utf8))
                return try await t.request(.POST, "/quan-tri/thu-tuc/\(procedure.id!)/mau-don?_csrf=\(admin.csrf)&fingerprint=\(fingerprint)", headers: h, body: ByteBuffer(data: body))
            }
            var page = try await t.request(.GET, "/quan-tri/thu-tuc/\(procedure.id!)", headers: admin.headers)
            let fingerprint = try hidden(page.text, "fingerprint")
            let pdf = minimalPDF("Tờ khai")
            // Refused: not a document, no such component, a stale version; nothing stored.
            var r = try await upload(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!, name: "anh.pdf", component: 1, fingerprint: fingerprint)
            #expect(r.status == .unsupportedMediaType && r.text.contains("phải là tệp PDF, Word hoặc Excel"))
            #expect(try await upload(pdf, name: "to-khai.pdf", component: 9, fingerprint: fingerprint).status == .unprocessableEntity)
            #expect(try await upload(pdf, name: "to-khai.pdf", component: 1, fingerprint: "cu").status == .conflict)
            #expect(try await t.request(.GET, "/mau-don/\(procedure.code)/1").status == .notFound)
            // Uploaded, then downloaded by anyone.
            r = try await upload(pdf, name: "to-khai-lltp.pdf", component: 1, fingerprint: fingerprint)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/quan-tri/thu-tuc/\(procedure.id!)?da-luu=mau-don")
            let terms = try #require(try await ProcedureModel.find(procedure.id, on: t.app.db)).terms
            #expect(terms.components[0].blankForm == "to-khai-lltp.pdf" && terms.components[0].blankFormSHA256 == Checksum.sha256(pdf))
            let file = try await t.request(.GET, "/mau-don/\(procedure.code)/1")
            #expect(file.status == .ok && file.body == pdf && file.headers.first(name: .contentType) == "application/pdf")
            #expect(file.headers.first(name: .contentDisposition)?.contains("to-khai-lltp.pdf") == true)
            #expect(try await t.request(.GET, "/mau-don/\(procedure.code)/2").status == .notFound)
            #expect(try await t.request(.GET, "/mau-don/khong-co/1").status == .notFound)
            // Saved again from the page: the file stays; a checksum slipped into the form for another component does not.
            page = try await t.request(.GET, "/quan-tri/thu-tuc/\(procedure.id!)", headers: admin.headers)
            #expect(page.text.contains("href=\"/mau-don/\(procedure.code)/1\""))
            let reception = try await t.login("stp.tiepnhan")
            let dossier = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            let scan = try await t.upload(minimalPDF("bản quét"), name: "scan.pdf", component: 1, to: dossier, token: reception)
            #expect(scan.status == .created)
            let head = try await t.user("stp.hctp.truongphong")
            let form = encode([("fingerprint", try hidden(page.text, "fingerprint")), ("code", procedure.code), ("name", procedure.name), ("field", procedure.fieldID.uuidString),
                               ("agency", head.agencyID!.uuidString), ("department", head.departmentID!.uuidString), ("timeAmount", "10"), ("timeUnit", "working_days"),
                               ("onlineTimeAmount", ""), ("feeVND", "200000"), ("feeTiming", "before"), ("onlineLevel", "full"), ("resultType", "Phiếu lý lịch tư pháp"),
                               ("componentName[]", "Tờ khai"), ("componentForm[]", "original"), ("componentCount[]", "1"), ("componentMandatory[]", "1"),
                               ("componentBlank[]", "to-khai-lltp.pdf"), ("componentBlankFile[]", Checksum.sha256(pdf)),
                               ("componentName[]", "Căn cước"), ("componentForm[]", "copy"), ("componentCount[]", "1"), ("componentMandatory[]", "1"),
                               ("componentBlank[]", "scan.pdf"), ("componentBlankFile[]", Checksum.sha256(minimalPDF("bản quét"))),
                               ("stepName[]", "Thụ lý"), ("stepShare[]", "10")])
            #expect(try await t.post("/quan-tri/thu-tuc/\(procedure.id!)", form, session: admin).status == .seeOther)
            let saved = try #require(try await ProcedureModel.find(procedure.id, on: t.app.db)).terms
            #expect(saved.components[0].blankFormSHA256 == Checksum.sha256(pdf) && saved.components[1].blankFormSHA256 == nil)
            // The store's garbage collection keeps it.
            _ = try await FileService.collectGarbage(context: t.app.motcua, grace: 0, now: Date().addingTimeInterval(3600), on: t.app.db)
            #expect(try await t.request(.GET, "/mau-don/\(procedure.code)/1").status == .ok)
            let audit = try await AuditEntryModel.query(on: t.app.db).filter(\.$summary == "Tải lên mẫu đơn, tờ khai").count()
            #expect(audit == 1)
        }
    }
}

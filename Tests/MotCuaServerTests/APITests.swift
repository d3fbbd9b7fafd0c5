import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

@Suite(.serialized) struct APITests {
    /// Every route registered under /api/v1 is in openapi.yaml, and every path of the document is served.
    @Test func openAPIDocumentMatchesTheRoutes() async throws {
        try await TestApp.with(.sqlite) { t in
            let registered = Set(t.app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1") ? "\(route.method.rawValue.lowercased()) \(path)" : nil
            })
            let yaml = try String(contentsOfFile: "openapi.yaml", encoding: .utf8)
            var documented = Set<String>()
            var current: String?
            for line in yaml.split(separator: "\n") {
                if line.hasPrefix("  /") { current = String(line.dropFirst(2).dropLast()) ; continue }
                if !line.hasPrefix("   ") { current = line.hasPrefix("  ") ? current : nil }
                if let current, line.hasPrefix("    "), !line.hasPrefix("     ") {
                    let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                    if ["get", "post", "put", "patch", "delete"].contains(String(key)) { documented.insert("\(key) \(current)") }
                }
            }
            #expect(!registered.isEmpty)
            #expect(registered == documented, "only served: \(registered.subtracting(documented)); only documented: \(documented.subtracting(registered))")
            let served = try await t.request(.GET, "/openapi.yaml")
            #expect(served.status == .ok)
            #expect(served.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func loginLockoutAndSessions(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let none = try await t.request(.GET, "/api/v1/me")
            #expect(none.status == .unauthorized)
            #expect(none.headers.contentType?.subType == "problem+json")
            #expect(none.detail == "Vui lòng đăng nhập.")
            for _ in 0..<5 {
                let r = try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: "stp.lanhdao", password: "sai mật khẩu"))
                #expect(r.status == .unauthorized)
            }
            let locked = try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: "stp.lanhdao", password: DemoLoader.password))
            #expect(locked.status == .tooManyRequests)
            #expect(locked.detail.contains("tạm khoá"))
            // Another account is not affected; its token works and logging out ends it.
            let token = try await t.login("stp.tiepnhan")
            #expect(try await t.request(.GET, "/api/v1/me", token: token).status == .ok)
            #expect(try await t.request(.POST, "/api/v1/logout", token: token).status == .noContent)
            #expect(try await t.request(.GET, "/api/v1/me", token: token).status == .unauthorized)
            // The page login sets a session cookie stored in the database.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let page = try await t.request(.POST, "/dang-nhap", headers: headers, body: ByteBuffer(string: "username=stp.tiepnhan&password=MotCua%402026"))
            #expect(page.status == .seeOther)
            let cookie = try #require(page.headers.first(name: .setCookie))
            #expect(cookie.contains("motcua_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let value = String(cookie.split(separator: ";")[0])
            let list = try await t.request(.GET, "/ho-so", headers: ["Cookie": value])
            #expect(list.status == .ok)
            #expect(list.text.contains("Tra cứu hồ sơ"))
            #expect(try await SessionModel.query(on: t.app.db).count() >= 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func searchFiltersPaginationAndScope(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 60) { t in
            let monitor = try await t.login("lanhdaotinh")
            let all = try await t.request(.GET, "/api/v1/dossiers?per=100", token: monitor).decode(Paged<DossierSummary>.self)
            #expect(all.total == 60)
            // A head sees only the department's dossiers.
            let head = try await t.user("stp.hctp.truongphong")
            let headToken = try await t.login("stp.hctp.truongphong")
            let mine = try await t.request(.GET, "/api/v1/dossiers?per=100", token: headToken).decode(Paged<DossierSummary>.self)
            #expect(mine.items.allSatisfy { $0.departmentId == head.departmentID })
            #expect(mine.total == all.items.filter { $0.departmentId == head.departmentID }.count)
            // Someone else's dossier answers 404 to the head, like a missing one.
            if let other = all.items.first(where: { $0.departmentId != head.departmentID }) {
                #expect(try await t.request(.GET, "/api/v1/dossiers/\(other.code)", token: headToken).status == .notFound)
            }
            #expect(try await t.request(.GET, "/api/v1/dossiers/KHONG-CO", token: headToken).status == .notFound)
            // Free text without diacritics finds a name with them.
            let sample = all.items[0]
            let plain = SearchText.normalise(sample.applicantName).split(separator: " ").suffix(2).joined(separator: " ")
            let found = try await t.request(.GET, "/api/v1/dossiers?per=100&q=\(plain.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: monitor)
                .decode(Paged<DossierSummary>.self)
            #expect(found.items.contains { $0.code == sample.code })
            let byCode = try await t.request(.GET, "/api/v1/dossiers?q=\(sample.code.prefix(20))", token: monitor).decode(Paged<DossierSummary>.self)
            #expect(byCode.items.allSatisfy { $0.code.hasPrefix(String(sample.code.prefix(20))) })
            // Status filter, pagination and sort.
            let returned = try await t.request(.GET, "/api/v1/dossiers?status=returned&per=100", token: monitor).decode(Paged<DossierSummary>.self)
            #expect(returned.items.allSatisfy { $0.status == "returned" })
            let page2 = try await t.request(.GET, "/api/v1/dossiers?per=7&page=2&sort=code", token: monitor).decode(Paged<DossierSummary>.self)
            let sorted = all.items.map(\.code).sorted()
            #expect(page2.items.map(\.code) == Array(sorted[7..<14]))
            let bad = try await t.request(.GET, "/api/v1/dossiers?from=2025-13-01", token: monitor)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.detail.contains("YYYY-MM-DD"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func filesAreStoredByContentAndVersioned(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let code = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
            func upload(_ data: Data, name: String, component: Int?) async throws -> TestApp.Reply {
                try await t.upload(data, name: name, component: component, to: code, token: reception)
            }
            let pdf1 = minimalPDF("tờ khai"), pdf2 = minimalPDF("tờ khai bổ sung")
            let first = try await upload(pdf1, name: "to-khai.pdf", component: 1)
            #expect(first.status == .created, "\(first.text)")
            let second = try await upload(pdf2, name: "to-khai-bo-sung.pdf", component: 1)
            let v1 = try first.decode(FileView.self), v2 = try second.decode(FileView.self)
            #expect(v1.version == 1 && v2.version == 2)
            #expect(v1.sha256 == FileStore.sha256(pdf1))
            // Both versions stay readable, checked against their checksum.
            let got = try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(v1.id)", token: reception)
            #expect(got.status == .ok && got.body == pdf1)
            // Refused by content, whatever the name.
            let text = try await upload(Data("không phải PDF".utf8), name: "gia-mao.pdf", component: 2)
            #expect(text.status == .unsupportedMediaType)
            #expect(text.detail.contains("Loại tệp không được chấp nhận"))
            let big = try await upload(Data("%PDF-".utf8) + Data(repeating: 0x20, count: 1_100_000), name: "lon.pdf", component: 2)
            #expect(big.status == .payloadTooLarge)
            let png = try await upload(tinyPNG, name: "anh.jpg", component: 3)
            #expect(png.status == .created)
            #expect(try png.decode(FileView.self).contentType == "image/png")
            // A damaged stored file is reported, not served.
            let path = t.app.motcua.files.path(for: v2.sha256)
            try Data("%PDF-hỏng".utf8).write(to: path)
            let damaged = try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(v2.id)", token: reception)
            #expect(damaged.status == .internalServerError)
            #expect(damaged.detail.contains("bị hỏng"))
            let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
            #expect(detail.files.count == 3)
            #expect(detail.log.filter { $0.action == "upload_file" }.count == 3)
            #expect(try await Launch.verifyLog(t.app).ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func publicLookupNeedsTheSecret(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            let d = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
            let ok = try await t.request(.GET, "/api/v1/lookup?code=\(d.dossier.code)&secret=\(d.lookupSecret)")
            #expect(ok.status == .ok)
            #expect(try ok.decode(PublicLookup.self).statusName == "Chờ bàn giao")
            let wrongSecret = String(format: "%04d", (Int(d.lookupSecret)! + 1) % 10000)
            #expect(try await t.request(.GET, "/api/v1/lookup?code=\(d.dossier.code)&secret=\(wrongSecret)").status == .notFound)
            let page = try await t.request(.GET, "/tra-cuu?code=\(d.dossier.code)&secret=\(d.lookupSecret)")
            #expect(page.text.contains("Chờ bàn giao"))
            // The procedure's name comes from the terms' version; spaces around a pasted code are
            // dropped; the explanation's link carries the code as found (RFC 3986 unreserved kept).
            let pasted = try await t.request(.GET, "/tra-cuu?code=+\(d.dossier.code.lowercased())+&secret=\(d.lookupSecret)")
            #expect(pasted.status == .ok && pasted.text.contains("<td>Cấp Phiếu lý lịch tư pháp"))
            #expect(pasted.text.contains("code=\(d.dossier.code)&amp;secret=\(d.lookupSecret)&amp;giai-thich=1"))
            // A code given twice cannot be read (which one was meant?): 422; a code that does not
            // exist is 404 like a wrong secret.
            for path in ["/tra-cuu", "/api/v1/lookup"] {
                let twice = try await t.request(.GET, path + "?code=\(d.dossier.code)&code=X&secret=\(d.lookupSecret)")
                #expect(twice.status == .unprocessableEntity && twice.text.contains("Địa chỉ tra cứu không hợp lệ"))
            }
            let unknown = try await t.request(.GET, "/tra-cuu?code=000.00.12.H28-000000-0001&secret=1234")
            #expect(unknown.status == .notFound && unknown.text.contains("Không tìm thấy hồ sơ"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedInVietnamese(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let reception = try await t.login("stp.tiepnhan")
            var request = criminalRecordRequest()
            request.applicant.name = "  "
            let r1 = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request)
            #expect(r1.status == .unprocessableEntity && r1.detail.contains("Thiếu họ tên"))
            request = criminalRecordRequest()
            request.procedureCode = "2.000575.VT.H28"   // another agency's procedure
            let r2 = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request)
            #expect(r2.status == .unprocessableEntity)
            let r3 = try await t.request(.POST, "/api/v1/dossiers", token: reception, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{\"procedureCode\": 5}"))
            #expect(r3.status == .unprocessableEntity)
            #expect(r3.headers.contentType?.subType == "problem+json")
            let leader = try await t.login("stp.lanhdao")
            let r4 = try await t.request(.POST, "/api/v1/dossiers", token: leader, json: criminalRecordRequest())
            #expect(r4.status == .forbidden)
            #expect(try await DossierModel.query(on: t.app.db).count() == 0)
            let unknown = try await t.request(.GET, "/khong-co-trang-nay")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("Không tìm thấy"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func demoProvinceLoadsThroughTheServices(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 120) { t in
            #expect(try await DossierModel.query(on: t.app.db).count() == 120)
            #expect(try await ProcedureModel.query(on: t.app.db).count() >= 20)
            let statuses = Set(try await DossierModel.query(on: t.app.db).all().map(\.status))
            #expect(statuses.isSuperset(of: ["returned", "processing"]))
            #expect(try await Launch.verifyLog(t.app).ok)
            // The load dropped the secondary indexes of an empty database and built them again.
            let sql = t.app.db as! any SQLDatabase
            let query: SQLQueryString = db == .sqlite ? "SELECT name FROM sqlite_master WHERE type = 'index'" : "SELECT indexname AS name FROM pg_indexes"
            let names = Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
            #expect(names.isSuperset(of: SecondaryIndex.bulkLoaded.map(\.name)), "\(names)")
            // A load cut short leaves them missing until the next start, which makes them again.
            try await SecondaryIndex.bulkLoaded[0].drop(on: sql)
            try await Launch.migrate(t.app)
            let again = Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
            #expect(again.isSuperset(of: SecondaryIndex.bulkLoaded.map(\.name)))
        }
    }
}

import Fluent
import MotCuaTestSupport
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// The holes an independent attacker found (issue 7), each closed and kept closed, on both databases.
@Suite(.serialized) struct HardeningTests {
    func received(_ t: TestApp) async throws -> DossierDetail {
        let reception = try await t.login("stp.tiepnhan")
        return try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
    }

    func wrong(_ secret: String, _ n: Int = 1) -> String { String(format: "%04d", (Int(secret)! + n) % 10000) }

    @Test(arguments: TestDatabase.available)
    func lookupGuessesAreLimitedPerCodeAndPerAddress(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let d = try await received(t)
            let code = d.dossier.code
            // Five wrong secrets are answered "not found"; then the code is locked, the right secret included.
            for n in 1...5 {
                #expect(try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(wrong(d.lookupSecret, n))").status == .notFound)
            }
            let locked = try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(d.lookupSecret)")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.detail.contains("Đã nhập sai mã tra cứu quá nhiều lần"))
            let retry = try #require(locked.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect(retry > 0 && retry <= 15 * 60)
            // The page says the same, with the same status.
            let page = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(d.lookupSecret)")
            #expect(page.status == .tooManyRequests && page.text.contains("Đã nhập sai mã tra cứu quá nhiều lần"))
            #expect(page.headers.first(name: "Retry-After") != nil)
            #expect(try await t.request(.GET, "/api/v1/lookup?code=STP-999999-0001&secret=0000").status == .notFound)
            // When the lock has passed (moved back in time here), the right secret works again, and
            // the attempt that starts a new window removes the rows that have expired.
            let sql = t.app.db as! any SQLDatabase
            try await sql.raw("UPDATE throttles SET window_start = window_start - 3600, locked_until = locked_until - 3600").run()
            func rows() async throws -> Int { try await sql.raw("SELECT count(*) AS n FROM throttles").first()!.decode(column: "n", as: Int.self) }
            #expect(try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(d.lookupSecret)").status == .ok)
            #expect(try await rows() == 3, "a right secret writes nothing")
            #expect(try await t.request(.GET, "/api/v1/lookup?code=STP-888888-0001&secret=0000").status == .notFound)
            #expect(try await rows() == 2, "the wrong guess that starts a new window removes the expired rows")
            // One address guessing across many codes is stopped after 20 wrong answers (one made above).
            var statuses: [HTTPStatus] = []
            for n in 1...25 { statuses.append(try await t.request(.GET, "/api/v1/lookup?code=STP-000000-\(String(format: "%04d", n))&secret=1234").status) }
            #expect(statuses.prefix(19).allSatisfy { $0 == .notFound })
            #expect(statuses.suffix(6).allSatisfy { $0 == .tooManyRequests })
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentLookupGuessesGetNoMoreThanTheLimit(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let d = try await received(t)
            // 32 right lookups at once (a family refreshing, a commune office behind one address): all
            // answered, nothing written, and the right secret still works after.
            let right = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<32 {
                    group.addTask { try await t.request(.GET, "/api/v1/lookup?code=\(d.dossier.code)&secret=\(d.lookupSecret)").status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(right.allSatisfy { $0 == .ok }, "\(right)")
            let written = try await (t.app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM throttles").first()!.decode(column: "n", as: Int.self)
            #expect(written == 0)
            // 40 guesses at once, the right one among them: at most 5 wrong ones are compared and
            // answered; the right one is answered only if it came before the fifth wrong one.
            let statuses = try await withThrowingTaskGroup(of: (Int, HTTPStatus).self) { group in
                for n in 0..<40 {
                    let secret = n == 39 ? d.lookupSecret : wrong(d.lookupSecret, n + 1)
                    group.addTask { (n, try await t.request(.GET, "/api/v1/lookup?code=\(d.dossier.code)&secret=\(secret)").status) }
                }
                return try await group.reduce(into: [Int: HTTPStatus]()) { $0[$1.0] = $1.1 }
            }
            #expect(statuses.values.filter { $0 == .notFound }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0.key != 39 }.allSatisfy { [.notFound, .tooManyRequests].contains($0.value) })
            #expect([.ok, .tooManyRequests].contains(statuses[39]))
            #expect(try await t.request(.GET, "/api/v1/lookup?code=\(d.dossier.code)&secret=\(d.lookupSecret)").status == .tooManyRequests)

            // Three wrong secrets already counted, then 20 at once that all read that count: two more
            // are compared, never five more.
            let other = try await received(t)
            for n in 1...3 {
                #expect(try await t.request(.GET, "/api/v1/lookup?code=\(other.dossier.code)&secret=\(wrong(other.lookupSecret, n))").status == .notFound)
            }
            let late = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<20 {
                    let secret = wrong(other.lookupSecret, n + 10)
                    group.addTask { try await t.request(.GET, "/api/v1/lookup?code=\(other.dossier.code)&secret=\(secret)").status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(late.filter { $0 == .notFound }.count == 2, "\(late)")
            #expect(try await t.request(.GET, "/api/v1/lookup?code=\(other.dossier.code)&secret=\(other.lookupSecret)").status == .tooManyRequests)
        }
    }

    @Test(arguments: TestDatabase.available)
    func loginLockoutHoldsUnderConcurrencyAndHidesWhichAccountsExist(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            func login(_ username: String, _ password: String) async throws -> TestApp.Reply {
                try await t.request(.POST, "/api/v1/login", json: LoginRequest(username: username, password: password))
            }
            // 30 wrong passwords at once, then the right one: locked.
            let burst = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<30 { group.addTask { try await login("stp.lanhdao", "sai mật khẩu").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(burst.filter { $0 == .unauthorized }.count == 5, "\(burst)")
            #expect(burst.filter { $0 == .tooManyRequests }.count == 25)
            #expect(try await login("stp.lanhdao", DemoLoader.password).status == .tooManyRequests)
            // 100 at once on another account: never a server error.
            let hundred = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<100 { group.addTask { try await login("stp.tiepnhan", "sai").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(hundred.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests }, "\(Set(hundred.map(\.code)))")
            #expect(try await login("stp.tiepnhan", DemoLoader.password).status == .tooManyRequests)
            // An unknown username is answered exactly as a known one, lock included.
            var known: [TestApp.Reply] = [], unknown: [TestApp.Reply] = []
            for _ in 0..<6 {
                known.append(try await login("stp.hctp.cv1", "sai"))
                unknown.append(try await login("khong.co.tai.khoan", "sai"))
            }
            #expect(known.map(\.status) == unknown.map(\.status))
            #expect(known.map(\.detail) == unknown.map(\.detail))
            #expect(known.last?.status == .tooManyRequests)
            // Another account is untouched.
            #expect(try await login("stp.hctp.cv2", DemoLoader.password).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func crossSitePostsAreRefused(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let d = try await received(t)
            let code = d.dossier.code
            let (session, csrf) = try await t.pageSession("stp.tiepnhan")
            func form(_ body: String, _ extra: HTTPHeaders = [:]) async throws -> TestApp.Reply {
                var h = session
                h.contentType = .urlEncodedForm
                for (n, v) in extra { h.replaceOrAdd(name: n, value: v) }
                return try await t.request(.POST, "/ho-so/\(code)/thao-tac/withdraw", headers: h, body: ByteBuffer(string: body))
            }
            // Without the form token, with a wrong one, or from another site: 403 and nothing changes.
            #expect(try await form("version=1&reason=r%C3%BAt").status == .forbidden)
            #expect(try await form("version=1&reason=x&_csrf=\(String(repeating: "0", count: 64))").status == .forbidden)
            let evil = try await form("version=1&reason=x&_csrf=\(csrf)", ["Origin": "http://evil.example", "Host": "localhost:8080"])
            #expect(evil.status == .forbidden && evil.text.contains("không xuất phát từ trang của hệ thống"))
            // The API does not take the cookie with a form or multipart body, nor without our Origin.
            var formHeaders = session
            formHeaders.contentType = .urlEncodedForm
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/withdraw", headers: formHeaders, body: ByteBuffer(string: "version=1&reason=x")).status == .forbidden)
            var jsonHeaders = session
            jsonHeaders.contentType = .json
            #expect(try await t.request(.POST, "/api/v1/dossiers", headers: jsonHeaders, body: ByteBuffer(data: try JSONEncoder().encode(criminalRecordRequest()))).status == .forbidden)
            var multipart = session
            multipart.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=x")
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/files", headers: multipart, body: ByteBuffer(string: "--x--\r\n")).status == .forbidden)
            #expect(try await t.dossier(code).state == DossierState(.received))
            #expect(try await t.logCount(code) == 1)
            // Our own page's form and our own origin's JSON pass.
            jsonHeaders.replaceOrAdd(name: "Origin", value: "http://localhost:8080")
            jsonHeaders.replaceOrAdd(name: "Host", value: "localhost:8080")
            let own = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/request_payment", headers: jsonHeaders, body: ByteBuffer(string: "{\"version\":1,\"amount\":200000}"))
            #expect(own.status == .ok, "\(own.text)")
            let done = try await form("version=2&reason=C%C3%B4ng+d%C3%A2n+xin+r%C3%BAt&_csrf=\(csrf)")
            #expect(done.status == .seeOther)
            #expect(try await t.dossier(code).state == DossierState(.withdrawn))
            // Logging out is a form like the others.
            var out = session
            out.contentType = .urlEncodedForm
            #expect(try await t.request(.POST, "/dang-xuat", headers: out, body: ByteBuffer(string: "")).status == .forbidden)
            #expect(try await t.request(.POST, "/dang-xuat", headers: out, body: ByteBuffer(string: "_csrf=\(csrf)")).status == .seeOther)
            // Security headers on pages, API answers and errors.
            for path in ["/", "/api/v1/me", "/khong-co"] {
                let r = try await t.request(.GET, path)
                #expect(r.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(r.headers.first(name: "Content-Security-Policy")?.contains("unsafe-inline") == false)
                #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(r.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(r.headers.first(name: "X-Frame-Options") == "DENY")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func cookieIsSecureWhenThePublicAddressIsHTTPS(db: TestDatabase) async throws {
        try await TestApp.with(db, environment: ["MOTCUA_PUBLIC_URL": "https://motcua.haugiang.gov.vn"]) { t in
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let r = try await t.request(.POST, "/dang-nhap", headers: headers, body: ByteBuffer(string: "username=stp.tiepnhan&password=MotCua%402026"))
            #expect(try #require(r.headers.first(name: .setCookie)).contains("Secure"))
            #expect(r.headers.first(name: "Strict-Transport-Security") != nil)
            // The configured origin is the one accepted.
            headers.replaceOrAdd(name: "Origin", value: "http://motcua.haugiang.gov.vn")
            #expect(try await t.request(.POST, "/dang-nhap", headers: headers, body: ByteBuffer(string: "username=stp.tiepnhan&password=MotCua%402026")).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheTableSaysWhoMayUpload(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let code = try await received(t).dossier.code
            // The monitor and the administrator never upload; a leader or an officer not in this state.
            for (username, status) in [("lanhdaotinh", HTTPStatus.forbidden), ("quantri", .forbidden), ("stp.lanhdao", .conflict), ("stp.hctp.cv1", .conflict)] {
                let token = try await t.login(username)
                let r = try await t.upload(minimalPDF(), name: "x.pdf", component: 1, to: code, token: token)
                #expect(r.status == status, "\(username): \(r.status)")
            }
            #expect(try await t.logCount(code) == 1)
            #expect(try await t.dossier(code).version == 1)
            #expect(try await DossierFileModel.query(on: t.app.db).count() == 0)
            // The action endpoint does not take uploads without a file.
            let reception = try await t.login("stp.tiepnhan")
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/upload_file", token: reception, json: ActionRequest(version: 1, fileCount: 1)).status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func parallelUploadsNeitherConflictNorLeaveOrphans(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let code = try await received(t).dossier.code
            let reception = try await t.login("stp.tiepnhan")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<30 {
                    group.addTask { try await t.upload(minimalPDF("bản chụp \(n)"), name: "ban-chup-\(n).pdf", component: 1 + n % 3, to: code, token: reception).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try await DossierFileModel.query(on: t.app.db).count() == 30)
            let stored = try FileManager.default.subpathsOfDirectory(atPath: t.app.motcua.files.directory.path)
                .filter { $0.split(separator: "/").last?.count == 64 }
            #expect(stored.count == 30)
            // The staff's next action still holds the version they saw.
            #expect(try await t.dossier(code).version == 1)
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/hand_over", token: reception, json: ActionRequest(version: 1)).status == .ok)
            #expect(try await Launch.verifyLog(t.app).ok)
            // Bytes that no row references (a failed upload) are collected once old; referenced ones never.
            let orphan = try t.app.motcua.files.put(minimalPDF("mồ côi")).sha256
            let orphanPath = t.app.motcua.files.path(for: orphan).path
            let fresh = try await Launch.collectFileGarbage(t.app, graceMinutes: 60)
            #expect(fresh.removed == 0 && FileManager.default.fileExists(atPath: orphanPath))
            let past = Date().addingTimeInterval(-7200)
            for path in stored { try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: t.app.motcua.files.directory.path + "/" + path) }
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: orphanPath)
            let collected = try await Launch.collectFileGarbage(t.app, graceMinutes: 60)
            #expect(collected.removed == 1 && collected.kept == 30)
            #expect(!FileManager.default.fileExists(atPath: orphanPath))
            let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
            for f in detail.files.prefix(3) {
                #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(f.id)", token: reception).status == .ok)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRemovedLastLogEntryIsDetected(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 20) { t in
            #expect(try await Launch.verifyLog(t.app).ok)
            let sql = t.app.db as! any SQLDatabase
            let d = try await DossierModel.query(on: t.app.db).filter(\.$logSeq > 2).first()!
            let last = try #require(d.logSeq)
            try await sql.raw("DELETE FROM log_entries WHERE dossier_id = \(bind: d.id!) AND seq = \(bind: last)").run()
            let (lines, ok) = try await Launch.verifyLog(t.app)
            #expect(!ok)
            #expect(lines.contains { $0.contains(d.code) && $0.contains("mốc") }, "\(lines)")
            let cli = try MotcuaProcess.run(["verify-log", "--database", t.database, "--data-dir", t.directory.path])
            #expect(cli.status == 1)
            #expect(cli.out.contains("HỎNG: hồ sơ \(d.code)"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func smallerHolesAreClosed(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 20) { t in
            let monitor = try await t.login("lanhdaotinh")
            // LIKE wildcards match nothing rather than everything.
            for q in ["%25", "_", "%25%25", "%5C"] {
                let r = try await t.request(.GET, "/api/v1/dossiers?q=\(q)", token: monitor).decode(Paged<DossierSummary>.self)
                #expect(r.total == 0, "q=\(q)")
            }
            // Control characters in typed fields are refused; nothing is written.
            let reception = try await t.login("stp.tiepnhan")
            let before = try await DossierModel.query(on: t.app.db).count()
            var request = criminalRecordRequest()
            request.applicant.name = "Nguyễn\u{0}Văn A"
            let nul = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request)
            #expect(nul.status == .unprocessableEntity && nul.detail.contains("ký tự điều khiển"))
            request = criminalRecordRequest()
            request.contentSummary = "Xin cấp\u{1B}[31m phiếu"
            #expect(try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request).status == .unprocessableEntity)
            #expect(try await DossierModel.query(on: t.app.db).count() == before)
            let d = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest()).decode(DossierDetail.self)
            let bell = try await t.request(.POST, "/api/v1/dossiers/\(d.dossier.code)/actions/withdraw", token: reception, json: ActionRequest(version: 1, reason: "rút\u{7}"))
            #expect(bell.status == .unprocessableEntity)
            // A file that only starts like a PDF or an image is refused.
            let elf = Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0x90, count: 4000))
            let pdfHeader = Data("%PDF-1.7\n".utf8), fakeTrailer = Data("\nstartxref\n9\n%%EOF\n".utf8)
            let pngSignature = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), jpegStart = Data([0xFF, 0xD8, 0xFF, 0xE0])
            let zipStart = Data([0x50, 0x4B, 0x03, 0x04]), word = Data("word/".utf8)
            let fakes: [Data] = [pdfHeader + elf, pdfHeader + elf + fakeTrailer, pngSignature + elf, jpegStart + elf, zipStart + elf + word]
            for fake in fakes {
                let r = try await t.upload(fake, name: "gia-mao.pdf", component: 1, to: d.dossier.code, token: reception)
                #expect(r.status == .unsupportedMediaType)
            }
            #expect(try await t.upload(minimalPDF(), name: "that.pdf", component: 1, to: d.dossier.code, token: reception).status == .created)
            // Malformed forms are refused, not half-read: a byte above 127 in a part's header name
            // (it made MultipartKit's parser trap), a part without headers, no closing delimiter,
            // a repeated field, a component that is not a number from 1, an unknown field.
            var multipart = HTTPHeaders()
            multipart.bearerAuthorization = BearerAuthorization(token: reception)
            multipart.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=B")
            let pdf = String(decoding: minimalPDF(), as: UTF8.self)
            for body in ["--B\r\n6\u{86}\u{F3}S°--B--\r\n", "--B\r\n\r\nabc\r\n--B--\r\n",
                         "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n\(pdf)",
                         "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n\(pdf)\r\n--B\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n2\r\n--B--\r\n",
                         "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n\(pdf)\r\n--B\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n[1]\r\n--B--\r\n",
                         "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n\(pdf)\r\n--B\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n0\r\n--B--\r\n",
                         "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n\(pdf)\r\n--B\r\nContent-Disposition: form-data; name=\"khác\"\r\n\r\n1\r\n--B--\r\n"] {
                let r = try await t.request(.POST, "/api/v1/dossiers/\(d.dossier.code)/files", headers: multipart, body: ByteBuffer(string: body))
                #expect(r.status == .unprocessableEntity, "\(body.prefix(40)): \(r.status)")
            }
            let named = try await t.request(.POST, "/api/v1/dossiers/\(d.dossier.code)/files", headers: multipart, body: ByteBuffer(string:
                "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tờ khai.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\(pdf)\r\n--B\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n2\r\n--B--\r\n"))
            #expect(named.status == .created, "\(named.text)")
            #expect(try named.decode(FileView.self).fileName == "tờ khai.pdf")
            #expect(try named.decode(FileView.self).component == 2)
            // An overlong address gets 414, not a closed connection.
            let long = try await t.request(.GET, "/api/v1/dossiers?q=" + String(repeating: "a", count: 100_000), token: monitor)
            #expect(long.status == .uriTooLong)
            #expect(long.detail.contains("quá dài"))
        }
    }
}

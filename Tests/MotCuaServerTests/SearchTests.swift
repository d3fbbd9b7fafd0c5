import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
@testable import MotCuaServer

/// "Tra cứu hồ sơ": the free text goes through the full-text index (FTS5 on SQLite, a GIN tsvector
/// index on PostgreSQL) and finds exactly the dossiers whose applicant has every typed word as a
/// word prefix, diacritics optional; each filter finds exactly what a scan here finds; counts stop
/// at the list's window.
@Suite struct SearchTests {
    static func codes(_ t: TestApp, _ query: String, token: String) async throws -> Set<String> {
        let r = try await t.request(.GET, "/api/v1/dossiers?per=100&\(query)", token: token)
        #expect(r.status == .ok, "\(query): \(r.text)")
        let page = try r.decode(Paged<DossierSummary>.self)
        #expect(page.total == page.items.count && page.totalIsExact, "\(query)")
        return Set(page.items.map(\.code))
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test(arguments: TestDatabase.available)
    func freeTextIsAWordPrefixSearchThroughTheIndex(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 80) { t in
            let monitor = try await t.login("lanhdaotinh")
            let all = try await DossierModel.query(on: t.app.db).all()
            func expected(_ q: String) -> Set<String> {
                let words = SearchText.normalise(q).split(separator: " ")
                return Set(all.filter { d in
                    let name = d.applicantSearch.split(separator: " ")
                    return words.allSatisfy { w in name.contains { $0.hasPrefix(w) } }
                }.map(\.code))
            }
            let sample = all[7]
            let words = sample.applicantName.split(separator: " ").map(String.init)
            var queries = [sample.applicantName, SearchText.normalise(sample.applicantName), words.map { String($0.prefix(2)) }.joined(separator: " "),
                           words.last!, String(SearchText.normalise(words[0]).prefix(3)), "NGUYỄN", "nguyen van", "tran thi", "le"]
            queries += ["đặng", "dang"]
            for q in queries {
                let found = try await Self.codes(t, "q=\(Self.encoded(q))", token: monitor)
                #expect(found == expected(q), "q=\(q)")
                if q == sample.applicantName { #expect(found.contains(sample.code)) }
            }
            // The check made on each row (when other filters narrow more than the words) finds what the index finds.
            let sql = t.app.db as! any SQLDatabase
            struct Row: Decodable { let code: String }
            for q in queries + ["nguyen van a", "a", "th", "thi", "quynh", "nguyen thi", "van an"] {
                let words = IndexDossierText.words(q)
                let byIndex = try await sql.raw("SELECT code FROM dossiers WHERE \(NameSearchIndex.matching(words, dialect: sql.dialect.name))").all(decoding: Row.self)
                let perRow = try await sql.raw("SELECT code FROM dossiers WHERE \(IndexDossierText.checkedPerRow(words))").all(decoding: Row.self)
                #expect(Set(byIndex.map(\.code)) == Set(perRow.map(\.code)) && Set(perRow.map(\.code)) == expected(q), "q=\(q)")
            }
            // A name search's pages, in every order, are the whole list's slices, sorted as without a name
            // (PostgreSQL reads the matches once and sorts them itself: DossierQuery.pageOfFew).
            for sort in ["-received_at", "received_at", "due_at", "-due_at", "code", "-code"] {
                let whole = try await t.request(.GET, "/api/v1/dossiers?q=nguyen&per=100&sort=\(sort)", token: monitor).decode(Paged<DossierSummary>.self)
                #expect(Set(whole.items.map(\.code)) == expected("nguyen") && whole.total == whole.items.count && whole.totalIsExact)
                var paged: [String] = []
                for page in 1...((whole.items.count + 2) / 3) {
                    paged += try await t.request(.GET, "/api/v1/dossiers?q=nguyen&per=3&page=\(page)&sort=\(sort)", token: monitor).decode(Paged<DossierSummary>.self).items.map(\.code)
                }
                #expect(paged == whole.items.map(\.code), "sort=\(sort)")
                // The same order as the list without the name, restricted to the name's dossiers.
                let unfiltered = try await t.request(.GET, "/api/v1/dossiers?per=100&sort=\(sort)", token: monitor).decode(Paged<DossierSummary>.self)
                #expect(unfiltered.items.map(\.code).filter(expected("nguyen").contains) == whole.items.map(\.code), "sort=\(sort)")
            }
            // "nguyen van a" finds "Nguyễn Văn Ánh" and "Nguyễn Văn An" alike.
            #expect(expected("nguyen van a").isSubset(of: try await Self.codes(t, "q=nguyen%20van%20a", token: monitor)))
            // The search syntax of either database is not reachable from the box: quotes, stars,
            // operators and brackets are spaces; nothing answers 500.
            for q in ["\"", "*", "nguyen*", "NEAR(a b)", "a OR b", "-nguyen", "nguyen:*", "!a", "a & b | c", "(", "^a", "a''", "\\"] {
                let r = try await t.request(.GET, "/api/v1/dossiers?q=\(Self.encoded(q))", token: monitor)
                #expect(r.status == .ok, "q=\(q): \(r.text)")
            }
            // A dossier received now is found at once (the index is kept by the database itself).
            let reception = try await t.login("stp.tiepnhan")
            var request = criminalRecordRequest()
            request.applicant.name = "Hoàng Thị Quỳnh Xuyến"
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: request)
            #expect(created.status == .created)
            let code = try created.decode(DossierDetail.self).dossier.code
            #expect(try await Self.codes(t, "q=xuye%20quynh", token: monitor) == [code])
            #expect(try await Self.codes(t, "q=Xuy%E1%BA%BFn", token: monitor) == [code])
            // The plan uses the text index, not a scan of the dossiers.
            if sql.dialect.name == "sqlite" {
                let plan = try await sql.raw("EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE \(NameSearchIndex.matching(["xuyen"], dialect: "sqlite"))").all()
                let details = try plan.map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
                #expect(details.contains("VIRTUAL TABLE INDEX") && !details.contains("SCAN dossiers"), "\(details)")
            } else {
                // The index's tokens are those the search asks for.
                struct Tokens: Decodable { let t: String }
                let stored = try await sql.raw("SELECT motcua_name_prefixes('nguyen van le h')::text AS t").first(decoding: Tokens.self)!.t
                #expect(Set(stored.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) })
                        == NameSearchIndex.tokens("nguyen van le h") && NameSearchIndex.tokens("nguyen van le h") == ["n_", "ng_", "ngu_", "nguy_", "nguye_", "nguyen", "v_", "va_", "van", "l_", "le", "h"])
                // A word typed is answered by the index alone: no name to check on the rows.
                let count = try await sql.raw("EXPLAIN SELECT count(*) FROM dossiers WHERE \(NameSearchIndex.tokensCondition(["xuyen"]))").all()
                let countPlan = try count.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: " | ")
                #expect(!countPlan.contains("Filter"), "\(countPlan)")
                try await sql.raw("SET enable_seqscan = off").run()
                let plan = try await sql.raw("EXPLAIN SELECT id FROM dossiers WHERE \(NameSearchIndex.matching(["xuyen"], dialect: "postgresql"))").all()
                let text = try plan.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: " | ")
                #expect(text.contains("idx_dossiers_name_prefixes"), "\(text)")
                try await sql.raw("SET enable_seqscan = on").run()
            }
        }
    }

    /// The three ways a name search can be answered find the same dossiers as a scan of the names:
    /// the index's condition, the check on each row (a common word over many dossiers), and the
    /// index's own count of the province (which decides between them).
    @Test(arguments: TestDatabase.available)
    func theIndexTheRowCheckAndTheCountAgree(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 120) { t in
            let sql = try #require(t.app.db as? any SQLDatabase)
            let all = try await DossierModel.query(on: t.app.db).all()
            struct Row: Decodable { let id: UUID }
            for typed in ["nguyen", "van", "h", "thi h", "nguyen van", "le", "tran thi h", "xyz"] {
                let words = IndexDossierText.words(typed)
                let expected = Set(all.filter { d in
                    let name = d.applicantSearch.split(separator: " ")
                    return words.allSatisfy { w in name.contains { $0.hasPrefix(w) } }
                }.map(\.id!))
                func ids(_ condition: SQLQueryString) async throws -> Set<UUID> {
                    Set(try await sql.raw("SELECT id FROM dossiers WHERE \(condition)").all(decoding: Row.self).map(\.id))
                }
                #expect(try await ids(NameSearchIndex.matching(words, dialect: sql.dialect.name)) == expected, "\(typed)")
                #expect(try await ids(IndexDossierText.checkedPerRow(words)) == expected, "\(typed)")
                #expect(try await NameSearchIndex.indexCount(words, limit: 10_000, on: sql) == expected.count, "\(typed)")
                #expect(try await NameSearchIndex.indexCount(words, limit: 2, on: sql) == min(expected.count, 3), "\(typed)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyFilterFindsWhatAScanFinds(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 80) { t in
            let monitor = try await t.login("lanhdaotinh")
            let all = try await DossierModel.query(on: t.app.db).all()
            let sample = all.first { $0.dueAt != nil }!
            #expect(try await Self.codes(t, "idNumber=\(sample.applicantIDNumber)", token: monitor)
                    == Set(all.filter { $0.applicantIDNumber == sample.applicantIDNumber }.map(\.code)))
            #expect(try await Self.codes(t, "field=\(sample.fieldID)", token: monitor) == Set(all.filter { $0.fieldID == sample.fieldID }.map(\.code)))
            #expect(try await Self.codes(t, "procedure=\(sample.procedureCode)", token: monitor)
                    == Set(all.filter { $0.procedureCode == sample.procedureCode }.map(\.code)))
            #expect(try await Self.codes(t, "department=\(sample.departmentID)&channel=\(sample.channel)", token: monitor)
                    == Set(all.filter { $0.departmentID == sample.departmentID && $0.channel == sample.channel }.map(\.code)))
            // Due dates by local day, both ends included.
            let day = VietnamTime.local(sample.dueAt!).date
            let inDay = Set(all.filter { $0.dueAt.map { VietnamTime.local($0).date == day } ?? false }.map(\.code))
            #expect(try await Self.codes(t, "dueFrom=\(day.iso)&dueTo=\(day.iso)", token: monitor) == inDay)
            #expect(inDay.contains(sample.code))
            // Overdue by due date (SQLite sorts these few itself): in due order, exactly the running ones past due.
            let overdue = try await t.request(.GET, "/api/v1/dossiers?per=100&due=overdue&sort=due_at", token: monitor).decode(Paged<DossierSummary>.self)
            let now = Date()
            let late = all.filter { ($0.status == "received" || $0.status == "processing") && ($0.dueAt ?? .distantFuture) < now }
                .sorted { ($0.dueAt!, $0.code) < ($1.dueAt!, $1.code) }
            #expect(overdue.items.map(\.code) == late.map(\.code))
            let reversed = try await t.request(.GET, "/api/v1/dossiers?per=100&due=overdue&sort=-due_at", token: monitor).decode(Paged<DossierSummary>.self)
            #expect(reversed.items.map(\.code) == late.reversed().map(\.code))
            for bad in ["idNumber=12%2734", "dueFrom=2026-02-30", "agency=khong-phai-uuid", "field=", "page=501&per=20", "page=101&per=100", "page=9223372036854775807", "page=-9223372036854775808"] {
                let r = try await t.request(.GET, "/api/v1/dossiers?\(bad)", token: monitor)
                #expect(r.status == .unprocessableEntity, "\(bad): \(r.text)")
            }
            #expect(try await t.request(.GET, "/api/v1/dossiers?page=500&per=20", token: monitor).status == .ok)
            // The page's empty selects mean "all", and the page shows names, not ids.
            let (cookie, _) = try await t.pageSession("lanhdaotinh")
            let page = try await t.request(.GET, "/ho-so?q=&idNumber=&status=&procedure=&field=&agency=&department=&channel=&from=&to=&dueFrom=&dueTo=", headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("Tổng số: 80 hồ sơ"))
            let procedure = try await ProcedureModel.query(on: t.app.db).filter(\.$code == sample.procedureCode).first()!
            #expect(page.text.contains(procedure.name))
            // The page's date fields take dd/MM/yyyy and show it back.
            let byDay = try await t.request(.GET, "/ho-so?per=100&dueFrom=\(day.vietnamese)&dueTo=\(day.vietnamese)", headers: cookie)
            #expect(byDay.text.contains("Tổng số: \(inDay.count) hồ sơ") && byDay.text.contains("value=\"\(day.vietnamese)\""))
            let bad = try await t.request(.GET, "/ho-so?dueFrom=30/02/2026", headers: cookie)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Hạn xử lý từ ngày") && bad.text.contains("Đăng xuất"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func countsStopAtTheWindow(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 30) { t in
            let query = DossierModel.query(on: t.app.db)
            let capped = try await MatchCount.of(query, limit: 10, on: t.app.db)
            let exact = try await MatchCount.of(query, limit: 30, on: t.app.db)
            let returned = try await MatchCount.of(query.copy().filter(\.$status == "returned"), limit: 1000, on: t.app.db)
            let scanned = try await DossierModel.query(on: t.app.db).filter(\.$status == "returned").count()
            #expect(capped == MatchCount(value: 10, isExact: false))
            #expect(exact == MatchCount(value: 30, isExact: true))
            #expect(returned == MatchCount(value: scanned, isExact: true))
            #expect(MatchCount(value: 10_000, isExact: false).vietnamese == "hơn 10.000")
            #expect(PageTime.number(1_234_567) == "1.234.567" && PageTime.number(999) == "999" && PageTime.number(0) == "0")
        }
    }

    @Test(arguments: TestDatabase.available)
    func eachRoleSeesItsOwnMenuAndRowActions(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 40) { t in
            let entries = ["Phân công thụ lý", "Xét duyệt hồ sơ", "Hồ sơ đang thụ lý", "Hồ sơ chờ ký duyệt", "Hồ sơ chờ tiếp nhận", "Tra cứu hồ sơ"]
            let expected: [String: Set<String>] = [
                "stp.hctp.truongphong": ["Phân công thụ lý", "Xét duyệt hồ sơ", "Tra cứu hồ sơ"],
                "stp.hctp.cv1": ["Hồ sơ đang thụ lý", "Tra cứu hồ sơ"],
                "stp.lanhdao": ["Hồ sơ chờ ký duyệt", "Tra cứu hồ sơ"],
                "stp.tiepnhan": ["Hồ sơ chờ tiếp nhận", "Tra cứu hồ sơ"],
            ]
            for (username, mine) in expected {
                let (cookie, _) = try await t.pageSession(username)
                let home = try await t.request(.GET, "/trang-chu", headers: cookie).text
                let start = try #require(home.range(of: "class=\"menu\""))
                let menu = String(home[start.lowerBound...].split(separator: "</nav>")[0])
                for entry in entries { #expect(menu.contains(">\(entry)<") == mine.contains(entry), "\(username): \(entry)") }
                #expect(menu.contains("Thông tin tài khoản") && menu.contains("aria-current=\"page\">Trang chủ"))
            }
            // The head's row menu offers the assignment of a dossier waiting for it, and nothing on another.
            let (cookie, _) = try await t.pageSession("stp.hctp.truongphong")
            let waiting = try await t.request(.GET, "/ho-so?step=awaiting_assignment", headers: cookie).text
            let head = try await t.user("stp.hctp.truongphong")
            let first = try await DossierModel.query(on: t.app.db).filter(\.$departmentID == head.departmentID!)
                .filter(\.$step == Step.awaitingAssignment.rawValue).first()
            if let first { #expect(waiting.contains("/ho-so/\(first.code)#thao-tac-assign")) }
            #expect(!waiting.contains("#thao-tac-sign"))
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Thống kê báo cáo" through HTTP: the scope of each role, the API's JSON, the CSV and the Excel
/// file (read back with openpyxl) carrying the screen's numbers, bad input refused.
@Suite(.serialized) struct ReportPageTests {
    static let period = "from=2024-01-01&to=2026-12-31"

    @Test(arguments: TestDatabase.available)
    func eachRoleSeesItsScopeAndTheFilesCarryTheScreensNumbers(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 400) { t in
            let dossiers = try await DossierModel.query(on: t.app.db).filter(\.$receivedAt != nil).all()
            // Monitor: every received dossier; leader: the agency's; head: the department's.
            for (username, expectedCount) in [
                ("lanhdaotinh", dossiers.count),
                ("stp.lanhdao", try await { let u = try await t.user("stp.lanhdao"); return dossiers.filter { $0.agencyID == u.agencyID }.count }()),
                ("stp.hctp.truongphong", try await { let u = try await t.user("stp.hctp.truongphong")
                    return dossiers.filter { $0.agencyID == u.agencyID && $0.departmentID == u.departmentID }.count }()),
            ] {
                let token = try await t.login(username)
                let r = try await t.request(.GET, "/api/v1/reports/summary?group=procedure&\(Self.period)", token: token)
                #expect(r.status == .ok, "\(username): \(r.text)")
                let total = try #require(r.json["total"] as? [String: Any])
                #expect(total["received"] as? Int == expectedCount, "\(username)")
                let rows = try #require(r.json["rows"] as? [[String: Any]])
                for row in rows + [total] {
                    let n = { (k: String) in row[k] as! Int }
                    #expect(n("received") == n("newOnline") + n("newDirect") + n("carriedOver"))
                    #expect(n("received") == n("resolved") + n("inProgress"))
                    #expect(n("resolved") == n("early") + n("onTime") + n("late"))
                    #expect(n("inProgress") == n("withinTime") + n("overdue"))
                    #expect(row.keys.contains("onTimeRate"))
                }
                // The page shows the same total.
                let session = try await t.pageSession(username)
                let page = try await t.request(.GET, "/thong-ke?nhom=thu-tuc&tu-ngay=01/01/2024&den-ngay=31/12/2026", headers: session.headers)
                #expect(page.status == .ok)
                #expect(page.text.contains(">Thống kê báo cáo</a>"), "menu entry")
                #expect(page.text.contains("cot=received\">\(PageTime.number(expectedCount))</a>"), "\(username): total on the page")
            }
            // Other roles: refused, on the page and in the API.
            for username in ["stp.tiepnhan", "stp.hctp.cv1"] {
                let token = try await t.login(username)
                #expect(try await t.request(.GET, "/api/v1/reports/summary?\(Self.period)", token: token).status == .forbidden)
                let session = try await t.pageSession(username)
                #expect(try await t.request(.GET, "/thong-ke", headers: session.headers).status == .forbidden)
                #expect(!(try await t.request(.GET, "/trang-chu", headers: session.headers).text.contains("/thong-ke")))
            }
            #expect(try await t.request(.GET, "/api/v1/reports/summary?\(Self.period)").status == .unauthorized)

            // Bad input: a clear 422, on the page with what was typed kept.
            let token = try await t.login("lanhdaotinh")
            for bad in ["group=district&\(Self.period)", "from=2026-02-30&to=2026-03-01", "from=2026-03-01&to=2026-02-01",
                        "from=1900-01-01&to=2026-01-01", "\(Self.period)&format=pdf", "from=2026-1-1&to=2026-02-01"] {
                let r = try await t.request(.GET, "/api/v1/reports/summary?\(bad)", token: token)
                #expect(r.status == .unprocessableEntity, "\(bad)")
                #expect(!r.detail.isEmpty)
            }
            let session = try await t.pageSession("lanhdaotinh")
            let refused = try await t.request(.GET, "/thong-ke?tu-ngay=31/02/2026&den-ngay=01/03/2026", headers: session.headers)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("value=\"31/02/2026\"") && refused.text.contains("Từ ngày không đúng dạng"))
            #expect(refused.text.contains("Đăng xuất"))

            // JSON, CSV and Excel carry the same rows in the same order.
            let json = try await t.request(.GET, "/api/v1/reports/summary?group=agency&\(Self.period)", token: token)
            let rows = try #require(json.json["rows"] as? [[String: Any]]) + [try #require(json.json["total"] as? [String: Any])]
            let keys = ["received", "newOnline", "newDirect", "carriedOver", "resolved", "early", "onTime", "late", "inProgress", "withinTime", "overdue"]
            let expected = rows.map { row in keys.map { row[$0] as! Int } }
            let csv = try await t.request(.GET, "/api/v1/reports/summary?group=agency&\(Self.period)&format=csv", token: token)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
            let records = try CSV.parse(csv.text).map(\.fields)
            #expect(records.first?.count == 15)
            #expect(records.dropFirst().map { $0[3..<14].map { Int($0)! } } == expected)
            #expect(records.last?[2] == "Tổng cộng")

            let xlsx = try await t.request(.GET, "/api/v1/reports/summary?group=agency&\(Self.period)&format=xlsx", token: token)
            #expect(xlsx.status == .ok)
            let file = t.directory.appendingPathComponent("summary.xlsx")
            try xlsx.body.write(to: file)
            let cells = try Self.openpyxl(file)
            #expect(cells.first?.first as? String == "STT")
            #expect(cells.first?[2] as? String == "Cơ quan")
            #expect(cells.dropFirst().map { row in row[3..<14].map { $0 as? Int ?? -1 } } == expected)
            // Names are text, rates numbers from 0 to 1.
            #expect(cells.dropFirst().allSatisfy { $0[2] is String })
            #expect(cells.dropFirst().allSatisfy { ($0[14] as? Double).map { (0...1).contains($0) } ?? ($0[14] is NSNull) })
            // The page's Excel link gives the same numbers.
            let fromPage = try await t.request(.GET, "/thong-ke?nhom=co-quan&tu-ngay=01/01/2024&den-ngay=31/12/2026&tep=xlsx", headers: session.headers)
            try fromPage.body.write(to: file)
            #expect(try Self.openpyxl(file).dropFirst().map { row in row[3..<14].map { $0 as? Int ?? -1 } } == expected)
            // The print view carries the national heading and the same total.
            let print = try await t.request(.GET, "/thong-ke?nhom=co-quan&tu-ngay=01/01/2024&den-ngay=31/12/2026&in=1", headers: session.headers)
            #expect(print.text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && print.text.contains("size: A4 landscape"))
            #expect(print.text.contains(">\(PageTime.number(expected.last![0]))</a>"))
            // A drill-down list counts what its number says.
            let list = try await t.request(.GET, "/thong-ke/ho-so?nhom=co-quan&tu-ngay=01/01/2024&den-ngay=31/12/2026&cot=late", headers: session.headers)
            #expect(list.text.contains("class=\"total\">\(PageTime.number(expected.last![7]))<"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func customReportHasExactlyTheTickedColumnsAndIsSavedSharedRenamedAndDeleted(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 300) { t in
            let leader = try await t.user("stp.lanhdao")
            let expected = try await DossierModel.query(on: t.app.db).filter(\.$receivedAt != nil).filter(\.$agencyID == leader.agencyID!).count()
            let session = try await t.pageSession("stp.lanhdao")
            let criteria = "tu-ngay=01/01/2024&den-ngay=31/12/2026"
            // Columns in the order ticked.
            let page = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=20&cot[]=1&cot[]=24&\(criteria)", headers: session.headers)
            #expect(page.status == .ok)
            // The headings in the ticked order, each sortable one a link that sorts by it.
            let headings = page.text.matches(of: #/<th>(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th>/#).map { String($0.1) }
            #expect(headings.suffix(3) == ["Trạng thái", "Mã hồ sơ", "Tình trạng hạn xử lý"], "\(headings)")
            #expect(page.text.contains("sap-xep=20\">Trạng thái</a>") && page.text.contains("<th>Tình trạng hạn xử lý</th>"))
            #expect(page.text.contains("class=\"total\">\(PageTime.number(expected))<"))
            let file = t.directory.appendingPathComponent("custom.xlsx")
            try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=20&cot[]=1&cot[]=24&\(criteria)&tep=xlsx", headers: session.headers).body.write(to: file)
            let cells = try Self.openpyxl(file)
            #expect(cells.first?.compactMap { $0 as? String } == ["Trạng thái", "Mã hồ sơ", "Tình trạng hạn xử lý"])
            #expect(cells.count == expected + 1)
            let csv = try await t.request(.GET, "/thong-ke/tuy-chon?cot[]=1&\(criteria)&tep=csv", headers: session.headers)
            #expect(try CSV.parse(csv.text).count == expected + 1)
            // Bad columns and dates: 422 on the page, the form kept.
            for bad in ["cot[]=25&\(criteria)", "tu-ngay=01/01/2026&den-ngay=31/01/2026&trang-thai=x", "cot[]=1&tu-ngay=99/99/2026"] {
                let r = try await t.request(.GET, "/thong-ke/tuy-chon?\(bad)", headers: session.headers)
                #expect(r.status == .unprocessableEntity, "\(bad)")
                #expect(r.text.contains("class=\"error\""))
            }

            // Saved, shared within the agency: a head of the same agency sees it, another agency's leader does not.
            var form = session.headers
            form.contentType = .urlEncodedForm
            func post(_ path: String, _ body: String, headers: HTTPHeaders = form, csrf: String = session.csrf) async throws -> TestApp.Reply {
                try await t.request(.POST, path, headers: headers, body: ByteBuffer(string: body + "&_csrf=\(csrf)"))
            }
            let query = "cot[]=1&cot[]=7&\(criteria)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await post("/thong-ke/tuy-chon/luu", "name=H%E1%BB%93%20s%C6%A1%20STP&shared=1&query=\(query)").status == .seeOther)
            let saved = try #require(try await SavedReportModel.query(on: t.app.db).first())
            #expect(saved.name == "Hồ sơ STP" && saved.shared && saved.ownerID == leader.id)
            let head = try await t.pageSession("stp.hctp.truongphong")
            #expect(try await t.request(.GET, "/thong-ke/tuy-chon", headers: head.headers).text.contains("Hồ sơ STP"))
            let other = try await t.pageSession("vithanh.lanhdao")
            #expect(!(try await t.request(.GET, "/thong-ke/tuy-chon", headers: other.headers).text.contains("Hồ sơ STP")))
            // Reopened: the saved columns and criteria.
            let reopened = try await t.request(.GET, "/thong-ke/tuy-chon?" + saved.query, headers: head.headers)
            #expect(reopened.text.contains(">Mã hồ sơ</a></th><th><a href=") && reopened.text.contains(">Chủ hồ sơ</a></th></tr></thead>"))
            // Only the owner renames or deletes; a form without its token is refused.
            var headForm = head.headers
            headForm.contentType = .urlEncodedForm
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/doi-ten", "name=X", headers: headForm, csrf: head.csrf).status == .notFound)
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/xoa", "", headers: headForm, csrf: head.csrf).status == .notFound)
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/xoa", "", csrf: "forged").status == .forbidden)
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/doi-ten", "name=B%C3%A1o%20c%C3%A1o%20m%E1%BB%9Bi").status == .seeOther)
            #expect(try await SavedReportModel.find(saved.id, on: t.app.db)?.name == "Báo cáo mới")
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/doi-ten", "name=").status == .unprocessableEntity)
            #expect(try await post("/thong-ke/tuy-chon/\(saved.id!)/xoa", "").status == .seeOther)
            #expect(try await SavedReportModel.query(on: t.app.db).count() == 0)
            // A query that is not a valid report is not saved.
            #expect(try await post("/thong-ke/tuy-chon/luu", "name=Y&query=cot%5B%5D%3D99").status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyReportOpensForEachRoleWithinItsScope(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 400) { t in
            let all = try await DossierModel.query(on: t.app.db).all()
            let agencies = try await AgencyModel.query(on: t.app.db).all()
            let start = VietnamTime.instant(LocalDate(year: 2024, month: 1, day: 1)!, secondOfDay: 0)
            let end = VietnamTime.instant(LocalDate(year: 2027, month: 1, day: 1)!, secondOfDay: 0)
            func within(_ d: Date?) -> Bool { d.map { $0 >= start && $0 < end } ?? false }
            // The list reports' rules, written out again.
            let rules: [String: (DossierModel) -> Bool] = [
                "received-direct": { within($0.receivedAt) && $0.channel != "online" },
                "received-online": { within($0.receivedAt) && $0.channel == "online" },
                "returned": { $0.status == "returned" && within($0.returnedAt) },
                "completed": { $0.status == "completed" && within($0.completedAt) },
                "refused": { $0.status == "refused" && within($0.finishedAt) },
                "withdrawn": { $0.status == "withdrawn" && within($0.finishedAt) },
                "processing": { $0.status == "processing" && within($0.receivedAt) },
                "awaiting-supplement": { $0.status == "awaiting_supplement" && within($0.receivedAt ?? $0.submittedAt) },
                "awaiting-reception": { $0.status == "submitted" && within($0.submittedAt) },
                "awaiting-hand-over": { $0.status == "received" && within($0.receivedAt) },
                "awaiting-payment": { $0.status == "awaiting_payment" && within($0.receivedAt) },
            ]
            for username in ["lanhdaotinh", "stp.lanhdao", "stp.hctp.truongphong"] {
                let user = try await t.user(username)
                let inScope = all.filter { user.scope.contains(agency: $0.agencyID, department: $0.departmentID, owner: nil) }
                let outside = agencies.filter { !user.scope.contains(agency: $0.id!, department: user.departmentID, owner: nil) }.map(\.name)
                let token = try await t.login(username)
                let session = try await t.pageSession(username)
                for report in StandardReport.allCases {
                    let api = try await t.request(.GET, "/api/v1/reports/\(report.rawValue)?\(Self.period)", token: token)
                    #expect(api.status == .ok, "\(username) \(report)")
                    let rows = try #require(api.json["rows"] as? [[Any]])
                    if let rule = rules[report.rawValue] {
                        #expect(rows.last?[3] as? Int == inScope.filter(rule).count, "\(username) \(report)")
                    }
                    let page = try await t.request(.GET, "/thong-ke/bao-cao/\(report.rawValue)?tu-ngay=01/01/2024&den-ngay=31/12/2026", headers: session.headers)
                    #expect(page.status == .ok, "\(username) \(report)")
                    for name in outside { #expect(!page.text.contains(">\(name)<"), "\(username) \(report) shows \(name)") }
                }
                let satisfaction = try await t.request(.GET, "/api/v1/reports/satisfaction?\(Self.period)", token: token)
                let rated = inScope.filter { $0.rating != nil && within($0.ratedAt) }.count
                #expect((satisfaction.json["rows"] as? [[Any]])?.last?[3] as? Int == rated, "\(username) ratings")
                let officers = try await t.request(.GET, "/api/v1/reports/officers?\(Self.period)", token: token)
                let handled = inScope.filter { $0.assignedOfficerID != nil && within($0.finishedAt) && ["early", "on_time", "late"].contains($0.resolution ?? "") }.count
                #expect((officers.json["rows"] as? [[Any]])?.last?[2] as? Int == handled, "\(username) officers")
                for path in ["/thong-ke", "/thong-ke/bao-cao", "/thong-ke/tuy-chon?cot[]=1&cot[]=5&tu-ngay=01/01/2024&den-ngay=31/12/2026", "/thong-ke/chi-so-766"] {
                    let page = try await t.request(.GET, path, headers: session.headers)
                    #expect(page.status == .ok, "\(username) \(path)")
                    for name in outside { #expect(!page.text.contains(">\(name)<"), "\(username) \(path) shows \(name)") }
                }
                let quality = try await t.request(.GET, "/api/v1/reports/quality-index", token: token)
                #expect(quality.status == .ok)
            }
            // A unit outside the user's scope is refused.
            let token = try await t.login("stp.lanhdao")
            let other = try #require(agencies.first { $0.code == "000.00.20.H28" })
            #expect(try await t.request(.GET, "/api/v1/reports/returned?\(Self.period)&unit=\(other.id!)", token: token).status == .unprocessableEntity)
            #expect(try await t.request(.GET, "/api/v1/reports/nothing?\(Self.period)", token: token).status == .notFound)
        }
    }

    /// 3.5.12: every number of the unit summary opens the list of exactly those dossiers.
    @Test(arguments: TestDatabase.available)
    func theUnitSummarysNumbersOpenTheirDossiers(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 300) { t in
            let session = try await t.pageSession("lanhdaotinh")
            let unit = try #require(try await t.user("stp.lanhdao").agencyID)
            let page = try await t.request(.GET, "/thong-ke/bao-cao/unit-summary?tu-ngay=01/01/2024&den-ngay=31/12/2026&don-vi=\(unit)", headers: session.headers)
            #expect(page.status == .ok)
            let pattern = try Regex(#"<a href="(/thong-ke/ho-so\?[^"]+)">([0-9.]+)</a>"#)
            let links = page.text.matches(of: pattern).map { m in
                (String(m.output[1].substring!).replacingOccurrences(of: "&amp;", with: "&"), String(m.output[2].substring!))
            }
            #expect(links.count > 20)
            #expect(links.allSatisfy { $0.0.contains("don-vi=\(unit)") && $0.0.contains("nhom=thu-tuc") })
            for (link, number) in links {
                let list = try await t.request(.GET, link, headers: session.headers)
                #expect(list.status == .ok && list.text.contains("class=\"total\">\(number)<"), "\(link)")
            }
            // A list report narrowed to the unit lists that unit's dossiers only: its count is the API's for the unit.
            let token = try await t.login("lanhdaotinh")
            let returned = try await t.request(.GET, "/api/v1/reports/returned?\(Self.period)&unit=\(unit)", token: token)
            let unitTotal = try #require((returned.json["rows"] as? [[Any]])?.last?[3] as? Int)
            #expect(unitTotal > 0)
            let all = try await t.request(.GET, "/api/v1/reports/returned?\(Self.period)", token: token)
            #expect(try #require((all.json["rows"] as? [[Any]])?.last?[3] as? Int) > unitTotal)
            let list = try await t.request(.GET, "/thong-ke/bao-cao/returned?tu-ngay=01/01/2024&den-ngay=31/12/2026&don-vi=\(unit)&trang=1", headers: session.headers)
            #expect(list.status == .ok && list.text.contains("class=\"total\">\(PageTime.number(unitTotal))<"))
            // A unit outside the leader's scope is refused.
            let leader = try await t.pageSession("vithanh.lanhdao")
            #expect(try await t.request(.GET, "/thong-ke/ho-so?nhom=thu-tuc&tu-ngay=01/01/2024&den-ngay=31/12/2026&cot=received&don-vi=\(unit)", headers: leader.headers).status == .unprocessableEntity)
        }
    }

    /// A unit narrows a province-wide scope to that agency and never moves a narrower scope elsewhere.
    @Test func aUnitNarrowsOnlyAProvinceWideScope() {
        let a = UUID(), b = UUID(), d = UUID()
        let from = LocalDate(year: 2026, month: 1, day: 1)!, to = LocalDate(year: 2026, month: 12, day: 31)!
        #expect(ReportCriteria(from: from, to: to, scope: .everything).narrowed(to: a).scope == .agency(a))
        #expect(ReportCriteria(from: from, to: to, scope: .everything).narrowed(to: nil).scope == .everything)
        #expect(ReportCriteria(from: from, to: to, scope: .agency(a)).narrowed(to: b).scope == .agency(a))
        #expect(ReportCriteria(from: from, to: to, scope: .department(agency: a, department: d)).narrowed(to: b).scope == .department(agency: a, department: d))
    }

    @Test(arguments: TestDatabase.available)
    func mergedAgenciesShowAsTheyWereOrUnderTheirSuccessor(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 300) { t in
            let agencies = try await AgencyModel.query(on: t.app.db).all()
            // The demo's history: UBND thị xã Long Mỹ, closed on 01/07/2025, merged into UBND phường Long Mỹ.
            let old = try #require(agencies.first { $0.code == "000.00.22.H28" })
            let successor = try #require(agencies.first { $0.id == old.successorID })
            #expect(successor.name == "UBND phường Long Mỹ" && successor.effectiveTo == nil)
            let from = LocalDate(year: 2024, month: 1, day: 1)!, to = LocalDate(year: 2026, month: 12, day: 31)!
            let asWere = try await SummaryReport.make(ReportCriteria(from: from, to: to, scope: .everything), now: Date(), on: t.app.db)
            let merged = try await SummaryReport.make(ReportCriteria(from: from, to: to, underSuccessor: true, scope: .everything), now: Date(), on: t.app.db)
            let before = try #require(asWere.rows.first { $0.id == old.id }), kept = try #require(asWere.rows.first { $0.id == successor.id })
            #expect(merged.rows.first { $0.id == old.id } == nil)
            #expect(merged.rows.first { $0.id == successor.id }?.counts == kept.counts + before.counts)
            #expect(merged.total == asWere.total)
            // The successor's drill-down lists the old agency's dossiers too.
            let listed = try await SummaryDrillDown(criteria: ReportCriteria(from: from, to: to, underSuccessor: true, scope: .everything),
                                                    column: .received, groupID: successor.id, now: Date()).run(page: 1, per: 1, on: t.app.db)
            #expect(listed.total == kept.counts.received + before.counts.received)
        }
    }

    /// The cells of the first sheet as openpyxl reads them (None as NSNull).
    static func openpyxl(_ file: URL) throws -> [[Any]] {
        let script = """
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            print(json.dumps([[c.value for c in row] for row in ws.iter_rows()]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openpyxl could not read the workbook")
        return try JSONSerialization.jsonObject(with: data) as? [[Any]] ?? []
    }
}

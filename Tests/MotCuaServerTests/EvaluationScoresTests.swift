import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// Indicators 5 to 8 of the Thông tư 01/2018 evaluation are entered per agency and year by its
/// leader or the province's, count in that agency's row only, are audited, and a stale or duplicate
/// save is a conflict.
@Suite(.serialized) struct EvaluationScoresTests {
    static func form(_ agency: UUID, year: Int, _ scores: [String], version: Int, csrf: String = "") -> String {
        "co-quan=\(agency.uuidString)&nam=\(year)&cs5=\(scores[0])&cs6=\(scores[1])&cs7=\(scores[2])&cs8=\(scores[3])&phien-ban=\(version)"
    }

    @Test(arguments: TestDatabase.available)
    func scoresAreEnteredPerAgencyAndCountInItsRowOnly(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 400) { t in
            let year = VietnamTime.local(Date()).date.year
            let stp = try #require(try await AgencyModel.query(on: t.app.db).filter(\.$code == "000.00.12.H28").first()).id!
            let monitor = try await t.pageSession("lanhdaotinh")
            let report = "/thong-ke/bao-cao/agency-evaluation?tu-ngay=01/01/\(year)&den-ngay=31/12/\(year)"
            let before = try await t.request(.GET, report, headers: monitor.headers).text
            #expect(before.contains("Chỉ số 5 đến 8 chưa nhập được tính 0 điểm.") && before.contains("Sở Tư pháp"))

            // The page shows the agency's link to its scores; the form saves them.
            #expect(try await t.request(.GET, report, headers: monitor.headers).text.contains("/thong-ke/danh-gia/diem?co-quan=\(stp.uuidString)&amp;nam=\(year)"))
            let page = try await t.request(.GET, "/thong-ke/danh-gia/diem?co-quan=\(stp.uuidString)&nam=\(year)", headers: monitor.headers)
            #expect(page.status == .ok && page.text.contains("Sở Tư pháp") && page.text.contains("name=\"phien-ban\" value=\"0\""))
            var r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["2", "2", "1", "0"], version: 0, csrf: monitor.csrf), session: monitor)
            #expect(r.status == .seeOther, "\(r.text.prefix(300))")
            let stored = try #require(try await EvaluationScoreModel.query(on: t.app.db).filter(\.$agencyID == stp).first())
            #expect(stored.scores == [2, 2, 1, 0] && stored.version == 1 && stored.year == year)

            // The report: Sở Tư pháp's row carries 2, 2, 1, 0; another agency's still 0.
            let csv = try await t.request(.GET, report + "&tep=csv", headers: monitor.headers).text
            let stpRow = try #require(csv.split(whereSeparator: \.isNewline).first { $0.contains("Sở Tư pháp") })
            let cells = stpRow.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells[7...10].map { Double($0.replacingOccurrences(of: "\"", with: "")) } == [2, 2, 1, 0], "\(stpRow)")
            if let other = csv.split(whereSeparator: \.isNewline).first(where: { $0.contains("Sở Kế hoạch") }) {
                #expect(other.split(separator: ",", omittingEmptySubsequences: false)[7...10].allSatisfy { Double($0) == 0 })
            }

            // A stale version is a conflict that keeps what was typed; nothing changes.
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["1", "1", "1", "1"], version: 0, csrf: monitor.csrf), session: monitor)
            #expect(r.status == .conflict && r.text.contains("vừa được người khác cập nhật") && r.text.contains("name=\"phien-ban\" value=\"1\""))
            #expect(try await EvaluationScoreModel.query(on: t.app.db).filter(\.$agencyID == stp).first()?.scores == [2, 2, 1, 0])
            // Bad scores, another agency's leader, a head, a forged form.
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["3", "", "", ""], version: 1, csrf: monitor.csrf), session: monitor)
            #expect(r.status == .unprocessableEntity && r.text.contains("2, 1 hoặc 0"))
            let otherLeader = try await t.pageSession("vithanh.lanhdao")
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["0", "0", "0", "0"], version: 1, csrf: otherLeader.csrf), session: otherLeader)
            #expect(r.status == .notFound)
            let head = try await t.pageSession("stp.hctp.truongphong")
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["0", "0", "0", "0"], version: 1, csrf: head.csrf), session: head)
            #expect(r.status == .forbidden)
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["0", "0", "0", "0"], version: 1), session: (monitor.headers, "gia-mao"))
            #expect(r.status == .forbidden)
            #expect(try await EvaluationScoreModel.query(on: t.app.db).filter(\.$agencyID == stp).first()?.version == 1)

            // The agency's own leader changes one score: audited field by field.
            let leader = try await t.pageSession("stp.lanhdao")
            r = try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["2", "2", "2", "0"], version: 1, csrf: leader.csrf), session: leader)
            #expect(r.status == .seeOther)
            let audit = try await AuditEntryModel.query(on: t.app.db).filter(\.$entity == "evaluation_scores").sort(\.$at).all()
            #expect(audit.count == 2 && audit.last?.changesJSON.contains("7. Thái độ của cán bộ") == true)

            // Twenty identical saves at once from the same version: one wins.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await t.post("/thong-ke/danh-gia/diem", Self.form(stp, year: year, ["1", "1", "1", "1"], version: 2, csrf: leader.csrf), session: leader).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1 && statuses.filter { $0 == .conflict }.count == 19, "\(statuses)")
            #expect(try await EvaluationScoreModel.query(on: t.app.db).filter(\.$agencyID == stp).first()?.version == 3)
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import MotCuaTestSupport
import Vapor
@testable import MotCuaServer

/// "Đánh giá mức độ hài lòng" from the portal with the code and lookup secret (DOMAIN.md section
/// 10): once per returned dossier, the answers in the log in words, counted by the reports.
@Suite(.serialized) struct PortalRatingTests {
    func form(_ t: TestApp, _ body: String, origin: String? = nil) async throws -> TestApp.Reply {
        var h = HTTPHeaders()
        h.contentType = .urlEncodedForm
        if let origin { h.replaceOrAdd(name: "Origin", value: origin) }
        return try await t.request(.POST, "/danh-gia", headers: h, body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabase.available)
    func anApplicantRatesAReturnedDossierOnceFromThePortal(db: TestDatabase) async throws {
        try await TestApp.with(db, dossiers: 80) { t in
            let returned = try #require(
                try await DossierModel.query(on: t.app.db).filter(\.$status == Status.returned.rawValue)
                    .filter(\.$rating == nil).first())
            let code = returned.code, secret = returned.lookupSecret
            let sql = t.app.db as! any SQLDatabase
            let year = Date().addingTimeInterval(-400 * 86_400)...Date().addingTimeInterval(86_400)
            func verySatisfied() async throws -> Int {
                try await StandardReport.ratings(
                    group: "agency_id", start: year.lowerBound, end: year.upperBound, scope: "1 = 1", on: sql
                )[returned.agencyID]?[0] ?? 0
            }
            let countedBefore = try await verySatisfied()

            // The lookup (the receipt's QR code opens it) leads to the rating.
            let lookup = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secret)").text
            #expect(lookup.contains("/danh-gia?code=") && lookup.contains("Đánh giá mức độ hài lòng"))
            let page = try await t.request(.GET, "/danh-gia?code=\(code)&secret=\(secret)")
            #expect(page.status == .ok && page.text.contains("Gửi đánh giá") && page.text.contains("Rất hài lòng"))
            #expect(page.text.contains("Thái độ, tác phong của cán bộ") && page.text.contains("thuận tiện"))
            let base = "code=\(code)&secret=\(secret)&version=\(returned.version)"

            // Refused with the typed values kept, nothing written: an answer missing, control characters, a wrong secret, another site.
            let logBefore = try await t.logCount(code)
            let missing = try await form(t, base + "&overall=very_satisfied&convenience=1&comment=C%C3%A1n+b%E1%BB%99+t%E1%BA%ADn+t%C3%ACnh")
            #expect(missing.status == .unprocessableEntity && missing.text.contains("Chọn câu trả lời"))
            #expect(missing.text.contains("Cán bộ tận tình") && missing.text.contains("value=\"very_satisfied\" required checked"))
            #expect(try await form(t, base + "&overall=very_satisfied&convenience=1&attitude=1&comment=a%00b").status == .unprocessableEntity)
            #expect(try await form(t, base + "&overall=tuyet-voi&convenience=1&attitude=1").status == .unprocessableEntity)
            let wrong = secret == "0000" ? "1111" : "0000"
            #expect(try await form(t, "code=\(code)&secret=\(wrong)&version=\(returned.version)&overall=dissatisfied&convenience=3&attitude=3").status == .notFound)
            #expect(try await form(t, base + "&overall=dissatisfied&convenience=3&attitude=3", origin: "https://ke-gia-mao.example").status == .forbidden)
            #expect(try await t.dossier(code).rating == nil)
            #expect(try await t.logCount(code) == logBefore)

            let done = try await form(t, base + "&overall=very_satisfied&convenience=1&attitude=1&comment=C%C3%A1n+b%E1%BB%99+t%E1%BA%ADn+t%C3%ACnh")
            #expect(done.status == .ok && done.text.contains("Cảm ơn bạn đã đánh giá") && done.text.contains("Rất hài lòng"), "\(done.text)")
            let rated = try await t.dossier(code)
            #expect(rated.rating == Satisfaction.verySatisfied.rawValue && rated.ratedAt != nil)
            let entry = try #require(try await LogEntryModel.query(on: t.app.db).filter(\.$dossierID == rated.id!).sort(\.$seq, .descending).first())
            #expect(entry.action == "rate" && entry.actorName == returned.applicantName)
            #expect(entry.opinion == "Sự thuận tiện: Thuận tiện. Thái độ của cán bộ: Tận tình, chu đáo. Ý kiến: Cán bộ tận tình")
            #expect(try await verySatisfied() == countedBefore + 1)

            // Once: the same again, or another answer, changes nothing.
            let again = try await form(t, "code=\(code)&secret=\(secret)&version=\(rated.version)&overall=dissatisfied&convenience=3&attitude=3")
            #expect(again.status == .conflict || again.status == .unprocessableEntity, "\(again.status)")
            #expect(try await t.dossier(code).rating == Satisfaction.verySatisfied.rawValue)
            #expect(try await t.logCount(code) == logBefore + 1)
            let shown = try await t.request(.GET, "/danh-gia?code=\(code)&secret=\(secret)").text
            #expect(shown.contains("Bạn đã đánh giá hồ sơ này") && !shown.contains("Gửi đánh giá"))
            let lookedUp = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secret)").text
            #expect(lookedUp.contains("Đánh giá của bạn") && !lookedUp.contains("/danh-gia?code="))

            // A dossier not yet returned cannot be rated.
            let open = try #require(
                try await DossierModel.query(on: t.app.db).filter(\.$status == Status.processing.rawValue).first())
            let early = try await t.request(.GET, "/danh-gia?code=\(open.code)&secret=\(open.lookupSecret)").text
            #expect(early.contains("Hồ sơ chưa trả kết quả"))
            let refused = try await form(t, "code=\(open.code)&secret=\(open.lookupSecret)&version=\(open.version)&overall=satisfied&convenience=1&attitude=1")
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(try await t.dossier(open.code).rating == nil)
        }
    }
}

import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// "Vì sao hạn xử lý là ngày này?" (issue 24, point 4) on the dossier's page, in the public lookup,
/// in the API and on the control slip: a dossier received before Tết 2026 and asked twice to
/// supplement, and one received at the counter on a Friday evening.
@Suite struct DueExplanationPageTests {
    static func at(_ iso: String) -> Date { VietnamTime.parseISO(iso)! }

    @Test func aDossierAcrossTetWithTwoSupplementRoundsIsExplained() async throws {
        try await TestApp.with(.sqlite) { t in
            let service = t.app.motcua.dossiers
            let officer = try await t.user("stp.hctp.cv1")
            let acting = Actor(
                id: officer.id, name: officer.fullName, roles: [.reception, .officer, .head], scope: .everything)
            let d = try await service.create(
                criminalRecordRequest(), actor: acting, at: Self.at("2026-02-10T09:00:00+07:00"), on: t.app.db)
            let code = d.code
            var version = d.version
            func act(_ action: Action, _ iso: String, _ inputs: ActionInputs = ActionInputs()) async throws {
                version = try await service.perform(
                    action, code: code, inputs: inputs, expectedVersion: version, actor: acting, at: Self.at(iso),
                    on: t.app.db
                ).version
            }
            try await act(.handOver, "2026-02-10T10:00:00+07:00")
            try await act(.assign, "2026-02-10T11:00:00+07:00", ActionInputs(officer: officer.id))
            try await act(.requestSupplement, "2026-02-11T10:00:00+07:00", ActionInputs(reason: "Thiếu bản sao CCCD"))
            try await act(.supplement, "2026-02-24T09:00:00+07:00")
            try await act(.requestSupplement, "2026-02-26T14:00:00+07:00", ActionInputs(reason: "Thiếu tờ khai"))
            try await act(.supplement, "2026-03-02T08:30:00+07:00")
            let stored = try await t.dossier(code)
            let due = try #require(stored.dueAt)

            // The API: the trace's result is the recorded due date, with both pauses and the named Tết days.
            let token = try await t.login("stp.tiepnhan")
            let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: token).decode(DossierDetail.self)
            let e = try #require(detail.dueExplanation)
            #expect(e.due == VietnamTime.iso(due))
            #expect(e.receivedAt == "2026-02-10T09:00:00+07:00" && !e.afterHours)
            #expect(e.pauses.count == 2 && e.pauses.allSatisfy { $0.reason == "supplement" && $0.newDue != nil })
            #expect(e.pauses.last?.newDue == VietnamTime.iso(due))
            let tet = e.skippedDays.filter { $0.reason == "holiday" }
            #expect(tet.count >= 4 && tet.allSatisfy { $0.text.contains("Tết Nguyên đán") }, "\(e.skippedDays)")
            #expect(e.processingTime == "10 ngày làm việc")

            // The page says the same in Vietnamese, on the dossier's first tab.
            let session = try await t.pageSession("stp.tiepnhan")
            let page = try await t.request(.GET, "/ho-so/\(code)", headers: session.headers).text
            #expect(page.contains("Vì sao hạn xử lý là ngày này?"))
            #expect(page.contains("Tiếp nhận lúc 09:00 Thứ Ba 10/02/2026, trong giờ hành chính"))
            #expect(page.components(separatedBy: "Chờ bổ sung hồ sơ từ").count == 3)
            #expect(page.contains("Tết Nguyên đán"))
            #expect(page.contains(e.result) && e.result.contains(VietnamTime.local(due).date.vietnamese))

            // The public lookup: on the page always, in the API when asked.
            let lookup = "code=\(code)&secret=\(stored.lookupSecret)"
            // On the lookup page a link asks for it, so that the lookup itself stays light.
            let publicPage = try await t.request(.GET, "/tra-cuu?\(lookup)").text
            #expect(publicPage.contains("giai-thich=1#vi-sao-han") && !publicPage.contains(e.result))
            let explainedPage = try await t.request(.GET, "/tra-cuu?\(lookup)&giai-thich=1").text
            #expect(explainedPage.contains("id=\"vi-sao-han\"") && explainedPage.contains(e.result))
            let plain = try await t.request(.GET, "/api/v1/lookup?\(lookup)")
            #expect(plain.json["dueExplanation"] == nil)
            let explained = try await t.request(.GET, "/api/v1/lookup?\(lookup)&explain=true")
            #expect((explained.json["dueExplanation"] as? [String: Any])?["due"] as? String == e.due)
            #expect(try await t.request(.GET, "/api/v1/lookup?\(lookup)&explain=yes").status == .unprocessableEntity)

            // The control slip: each step with a deadline says how it was counted.
            let slipHref = try #require(
                page.firstMatch(of: #/href="(/ho-so/[^"]+/mau/[^"]+)"[^>]*>Phiếu kiểm soát/#)?.1)
            let slip = try await t.request(.GET, String(slipHref), headers: session.headers).text
            #expect(slip.contains("làm việc từ"), "\(slip)")
        }
    }

    @Test func aFridayEveningReceiptCountsFromMondayMorning() async throws {
        try await TestApp.with(.sqlite) { t in
            let service = t.app.motcua.dossiers
            let desk = Actor(user: try await t.user("stp.tiepnhan"))
            let d = try await service.create(
                criminalRecordRequest(), actor: desk, at: Self.at("2026-03-06T17:40:00+07:00"), on: t.app.db)
            let session = try await t.pageSession("stp.tiepnhan")
            let page = try await t.request(.GET, "/ho-so/\(d.code)", headers: session.headers).text
            #expect(
                page.contains(
                    "Tiếp nhận lúc 17:40 Thứ Sáu 06/03/2026, ngoài giờ hành chính: thời hạn tính từ 07:00 Thứ Hai 09/03/2026."
                ))
            #expect(page.contains("Thứ Bảy 07/03/2026 và Chủ Nhật 08/03/2026: nghỉ cuối tuần") == false)
            #expect(page.contains("Thứ Bảy 14/03/2026 và Chủ Nhật 15/03/2026: nghỉ cuối tuần"))
            #expect(page.contains("Hạn xử lý: 17:00 Thứ Sáu 20/03/2026."))
        }
    }

    /// Submitted online on a Friday evening, accepted on Monday morning: the time counts from the
    /// acceptance, and the applicant reads why on "Hồ sơ của tôi".
    @Test func theApplicantReadsItOnTheirOwnDossier() async throws {
        try await TestApp.with(.sqlite) { t in
            let service = t.app.motcua.dossiers
            let citizen = try await t.user("congdan1")
            let submitted = try await service.create(
                criminalRecordRequest(channel: nil), actor: Actor(user: citizen), at: Self.at("2026-03-06T20:15:00+07:00"),
                on: t.app.db)
            _ = try await service.perform(
                .accept, code: submitted.code, inputs: ActionInputs(), expectedVersion: submitted.version,
                actor: Actor(user: try await t.user("stp.tiepnhan")), at: Self.at("2026-03-09T07:30:00+07:00"),
                on: t.app.db)
            let session = try await t.pageSession("congdan1")
            let page = try await t.request(.GET, "/ho-so-cua-toi/\(submitted.code)", headers: session.headers).text
            #expect(page.contains("Vì sao hạn xử lý là ngày này?"))
            #expect(page.contains("Tiếp nhận lúc 07:30 Thứ Hai 09/03/2026, trong giờ hành chính"))
        }
    }
}

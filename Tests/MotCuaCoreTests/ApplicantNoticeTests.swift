import Foundation
import Testing
@testable import MotCuaCore

/// The applicant's e-mails, the identity numbers of the portal's accounts, and an organisation's reach.
@Suite struct ApplicantNoticeTests {
    let facts = ApplicantNotice.Facts(
        code: "000.00.12.H28-261203-0001", lookupSecret: "0427", procedureName: "Cấp phiếu lý lịch tư pháp",
        applicantName: "Trần Thị Hoa", appointment: "10/12/2026 16:30", reason: nil, components: [], amount: nil,
        lookupURL: "https://dichvucong.cantho.gov.vn/tra-cuu?code=000.00.12.H28-261203-0001")

    @Test func onlyTheChangesThatConcernTheApplicantAreTold() {
        let told = Action.allCases.filter { ApplicantNotice.of($0, facts) != nil }
        #expect(
            Set(told) == [
                .submit, .receive, .accept, .reject, .requestSupplement, .requestPayment, .approve, .refuse, .apologise,
                .returnResult, .withdraw, .dispatchResult,
            ])
        let events = Set(told.compactMap { ApplicantNotice.of($0, facts)?.event })
        #expect(events.count == told.count - 1, "receive and accept are the same news: received")
    }

    @Test func aNoticeSaysWhatWhyAndWhatIsAsked() throws {
        var f = facts
        f.components = ["Tờ khai yêu cầu cấp phiếu lý lịch tư pháp", "Bản chụp CCCD"]
        f.reason = "Tờ khai thiếu chữ ký"
        let supplement = try #require(ApplicantNotice.of(.requestSupplement, f))
        #expect(supplement.subject == "Yêu cầu bổ sung hồ sơ - hồ sơ 000.00.12.H28-261203-0001")
        #expect(supplement.body.contains("- Tờ khai yêu cầu cấp phiếu lý lịch tư pháp\n- Bản chụp CCCD\nLý do: Tờ khai thiếu chữ ký"))
        #expect(supplement.body.hasPrefix("Kính gửi Trần Thị Hoa,") && supplement.body.contains("mã tra cứu 0427"))
        let received = try #require(ApplicantNotice.of(.receive, facts))
        #expect(received.body.contains("Ngày hẹn trả kết quả: 10/12/2026 16:30."))
        f.amount = "150.000 đồng"
        #expect(try #require(ApplicantNotice.of(.requestPayment, f)).body.contains("Số tiền phải nộp: 150.000 đồng."))
    }

    @Test func anAddressCannotCarryAHeader() {
        #expect(ApplicantNotice.isAddress("hoa.tran@example.vn"))
        for bad in ["", "hoa", "@example.vn", "hoa@", "hoa@vn", "a@b.vn\r\nBcc: x@y.vn", "a b@c.vn", "a@b@c.vn", "<a@b.vn>", "hòa@b.vn", "a@.vn"] {
            #expect(!ApplicantNotice.isAddress(bad), "\(bad)")
        }
    }

    @Test func identityNumbersAreChecked() {
        #expect(IdentityNumber.personalNumberProblem("092190001234", thisYear: 2026) == nil)
        #expect(IdentityNumber.personalNumberProblem("001305001234", thisYear: 2026) == nil, "born 2005")
        #expect(IdentityNumber.personalNumberProblem("09219000123", thisYear: 2026) != nil)
        #expect(IdentityNumber.personalNumberProblem("09219000123a", thisYear: 2026) != nil)
        #expect(IdentityNumber.personalNumberProblem("003190001234", thisYear: 2026) != nil, "003 is no province")
        #expect(IdentityNumber.personalNumberProblem("092399001234", thisYear: 2026) != nil, "born 2099")
        #expect(IdentityNumber.personalNumberProblem("０９２１９０００１２３４", thisYear: 2026) != nil, "wide digits")
        #expect(IdentityNumber.taxCodeProblem("1801234567") == nil && IdentityNumber.taxCodeProblem("1801234567-001") == nil)
        for bad in ["180123456", "18012345678", "1801234567-01", "1801234567-", "18012345a7"] {
            #expect(IdentityNumber.taxCodeProblem(bad) != nil, "\(bad)")
        }
    }

    @Test func anOrganisationsMemberReachesItsDossiersOnly() {
        let member = UUID(), company = UUID(), other = UUID(), agency = UUID()
        let scope = Scope.of(roles: [.citizen], userID: member, agency: nil, department: nil, organisation: company)
        #expect(scope.contains(agency: agency, department: nil, owner: member))
        #expect(scope.contains(agency: agency, department: nil, owner: company))
        #expect(!scope.contains(agency: agency, department: nil, owner: other))
        #expect(!scope.contains(agency: agency, department: nil, owner: nil))
        #expect(!Scope.own(member).contains(agency: agency, department: nil, owner: nil))
    }
}

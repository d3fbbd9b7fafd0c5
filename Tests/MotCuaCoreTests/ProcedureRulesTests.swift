import Foundation
import Testing
@testable import MotCuaCore

/// What the catalogue accepts as a procedure's terms.
@Suite struct ProcedureRulesTests {
    func terms(amount: Double = 10, unit: TimeUnit = .workingDays, online: Double? = nil, fee: Int = 200_000, timing: FeeTiming = .before,
               components: [ComponentRequirement] = [ComponentRequirement(name: "Tờ khai", form: .original)],
               steps: [ProcessStep]? = nil, code: String = "1.001978.000.00.00.H28") -> ProcedureTerms {
        ProcedureTerms(code: code, name: "Cấp Phiếu lý lịch tư pháp", timeAmount: amount, timeUnit: unit, onlineTimeAmount: online, feeVND: fee,
                       feeTiming: timing, onlineLevel: .full, components: components, steps: steps ?? ProcedureTerms.defaultSteps(totalDays: amount), resultType: "Phiếu")
    }

    @Test func validTermsHaveNoProblem() {
        #expect(terms().problems.isEmpty)
        #expect(terms(amount: 2.5, online: 2).problems.isEmpty)
        #expect(terms(amount: 4, unit: .workingHours, fee: 0, timing: .exempt, steps: [ProcessStep(name: "Thụ lý", share: 4)]).problems.isEmpty)
    }

    /// A step's deadline: its share of the processing time in working time from entering it.
    @Test func aStepIsDueAfterItsShareInWorkingTime() throws {
        let steps = [ProcessStep(name: "Tiếp nhận", share: 0.5), ProcessStep(name: "Phân công", share: 0.5),
                     ProcessStep(name: "Thụ lý", share: 2), ProcessStep(name: "Xét duyệt", share: 0.5), ProcessStep(name: "Ký", share: 0.5)]
        let t = terms(amount: 4, steps: steps)
        let calendar = Fixtures.calendar
        // Monday 05/01/2026 08:00 in Vietnam.
        let monday = VietnamTime.instant(LocalDate(year: 2026, month: 1, day: 5)!, secondOfDay: 8 * 3600)
        let inProgress = DossierState(.processing, .inProgress)
        #expect(t.stepDue(for: inProgress, at: monday, on: calendar) == (try? calendar.adding(workingSeconds: 16 * 3600, to: monday)))
        #expect(t.stepDue(for: DossierState(.received), at: monday, on: calendar)
                == (try? calendar.adding(workingSeconds: 4 * 3600, to: monday)))
        #expect(t.stepDue(for: DossierState(.awaitingSupplement), at: monday, on: calendar) == nil)
        #expect(terms(amount: 4, unit: .calendarDays, steps: steps).stepDue(for: inProgress, at: monday, on: calendar) == nil)
        #expect(terms(amount: 4, unit: .workingHours, steps: [ProcessStep(name: "Thụ lý", share: 4)])
                .stepDue(for: DossierState(.received), at: monday, on: calendar)
                == (try? calendar.adding(workingSeconds: 4 * 3600, to: monday)))
    }

    @Test func eachRuleNamesItsTerm() {
        #expect(terms(code: "mã có dấu").problems.keys.contains(.code))
        #expect(terms(amount: 0).problems[.timeAmount] != nil)
        #expect(terms(amount: 2.3).problems[.timeAmount] == "Thời hạn theo ngày làm việc tính đến nửa ngày (ví dụ 0,5; 2,5).")
        #expect(terms(amount: 2.5, unit: .calendarDays, steps: [ProcessStep(name: "Thụ lý", share: 2.5)]).problems[.timeAmount] == "Thời hạn tính theo ngày phải là số nguyên.")
        #expect(terms(online: 12).problems[.onlineTimeAmount] == "Thời hạn nộp trực tuyến không được dài hơn thời hạn chung.")
        #expect(terms(fee: 0).problems[.feeVND] == "Phí, lệ phí bằng 0: chọn \"Miễn phí\".")
        #expect(terms(fee: 5, timing: .exempt).problems[.feeVND] != nil)
        #expect(terms(fee: -1).problems[.feeVND] != nil)
        #expect(terms(components: []).problems[.components] == "Thủ tục cần ít nhất một thành phần hồ sơ.")
        #expect(terms(components: [ComponentRequirement(name: "A", form: .copy, count: 0)]).problems[.components] == "Thành phần thứ 1: số lượng từ 1 đến 99.")
        #expect(terms(steps: [ProcessStep(name: "Thụ lý", share: 9.5)]).problems[.steps]
                == "Tổng thời gian các bước (9,5) phải bằng thời hạn giải quyết (10 ngày làm việc).")
        #expect(terms(steps: [ProcessStep(name: "Thụ lý", share: -1), ProcessStep(name: "B", share: 11)]).problems[.steps] == "Bước thứ 1: thời gian không được âm.")
        #expect(terms(steps: []).problems[.steps] != nil)
    }

    @Test func amountsReadAsVietnameseWriteThem() {
        #expect(ProcedureTerms.amountText(10) == "10")
        #expect(ProcedureTerms.amountText(2.5) == "2,5")
        #expect(ProcedureTerms.amountText(0.125) == "0,125")
    }
}

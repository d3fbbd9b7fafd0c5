import Foundation

/// What the catalogue accepts as a procedure's terms (DOMAIN.md section 3), each problem keyed by
/// the term it is about so that a form can show it beside the field.
extension ProcedureTerms {
    public enum Term: String, Sendable, CaseIterable {
        case code, name, timeAmount, onlineTimeAmount, feeVND, resultType, components, steps
    }

    /// Problems of these terms, none when they can be stored.
    public var problems: [Term: String] {
        var problems: [Term: String] = [:]
        if !(3...60).contains(code.count)
            || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
        {
            problems[.code] =
                "Mã thủ tục gồm 3 đến 60 chữ không dấu, số, dấu chấm hoặc gạch ngang, ví dụ 1.001978.000.00.00.H28."
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 500 || !TextInput.isClean(name) {
            problems[.name] = "Nhập tên thủ tục (tối đa 500 ký tự)."
        }
        let limit: Double = timeUnit == .workingHours ? 2_000 : 365
        func timeProblem(_ amount: Double) -> String? {
            guard amount.isFinite, amount > 0, amount <= limit else {
                return "Thời hạn phải lớn hơn 0 và không quá \(Int(limit)) \(timeUnit.vietnameseName)."
            }
            if timeUnit == .calendarDays, amount != amount.rounded() {
                return "Thời hạn tính theo ngày phải là số nguyên."
            }
            // Working days are counted in half days at most (4 working hours).
            if timeUnit == .workingDays, (amount * 2) != (amount * 2).rounded() {
                return "Thời hạn theo ngày làm việc tính đến nửa ngày (ví dụ 0,5; 2,5)."
            }
            return nil
        }
        if let p = timeProblem(timeAmount) { problems[.timeAmount] = p }
        if let online = onlineTimeAmount {
            if let p = timeProblem(online) {
                problems[.onlineTimeAmount] = p
            } else if online > timeAmount {
                problems[.onlineTimeAmount] = "Thời hạn nộp trực tuyến không được dài hơn thời hạn chung."
            }
        }
        if feeVND < 0 || feeVND > 1_000_000_000 {
            problems[.feeVND] = "Phí, lệ phí từ 0 đến 1.000.000.000 đồng."
        } else if feeTiming == .exempt, feeVND != 0 {
            problems[.feeVND] = "Thủ tục miễn phí thì phí, lệ phí phải là 0."
        } else if feeTiming != .exempt, feeVND == 0 {
            problems[.feeVND] = "Phí, lệ phí bằng 0: chọn \"Miễn phí\"."
        }
        if resultType.trimmingCharacters(in: .whitespaces).isEmpty || resultType.count > 200
            || !TextInput.isClean(resultType)
        {
            problems[.resultType] = "Nhập loại kết quả (ví dụ: Giấy phép, tối đa 200 ký tự)."
        }
        if components.isEmpty {
            problems[.components] = "Thủ tục cần ít nhất một thành phần hồ sơ."
        } else if components.count > 50 {
            problems[.components] = "Tối đa 50 thành phần hồ sơ."
        } else if let bad = components.firstIndex(where: {
            $0.name.trimmingCharacters(in: .whitespaces).isEmpty || $0.name.count > 500 || !TextInput.isClean($0.name)
        }) {
            problems[.components] = "Thành phần thứ \(bad + 1): nhập tên (tối đa 500 ký tự)."
        } else if let bad = components.firstIndex(where: { !(1...99).contains($0.count) }) {
            problems[.components] = "Thành phần thứ \(bad + 1): số lượng từ 1 đến 99."
        }
        if steps.isEmpty || steps.count > 20 {
            problems[.steps] = "Quy trình nội bộ cần từ 1 đến 20 bước."
        } else if let bad = steps.firstIndex(where: {
            $0.name.trimmingCharacters(in: .whitespaces).isEmpty || $0.name.count > 200 || !TextInput.isClean($0.name)
        }) {
            problems[.steps] = "Bước thứ \(bad + 1): nhập tên bước (tối đa 200 ký tự)."
        } else if let bad = steps.firstIndex(where: { !$0.share.isFinite || $0.share < 0 }) {
            problems[.steps] = "Bước thứ \(bad + 1): thời gian không được âm."
        } else if problems[.timeAmount] == nil, abs(steps.reduce(0) { $0 + $1.share } - timeAmount) > 0.001 {
            problems[.steps] =
                """
                Tổng thời gian các bước (\(Self.amountText(steps.reduce(0) { $0 + $1.share }))) phải bằng thời \
                hạn giải quyết (\(Self.amountText(timeAmount)) \(timeUnit.vietnameseName)).
                """
        }
        return problems
    }

    /// A time as a Vietnamese reader writes it: 10, 2,5.
    public static func amountText(_ amount: Double) -> String {
        amount == amount.rounded()
            ? String(Int(amount)) : String(format: "%g", amount).replacingOccurrences(of: ".", with: ",")
    }
}

extension ProcedureTerms {
    /// The deadline of the step a dossier enters (DOMAIN.md section 4: the internal process's
    /// shares of the processing time, in working time from `now`); nil outside the process's steps,
    /// without steps, or for a time counted in calendar days.
    public func stepDue(for state: DossierState, at now: Date, on calendar: WorkingCalendar) -> Date? {
        stepDue(for: state, at: now, on: calendar, tracing: false)?.to
    }

    /// The same, with the days the step's time went through when `tracing` (the control slip's explanation).
    public func stepDue(for state: DossierState, at now: Date, on calendar: WorkingCalendar, tracing: Bool)
        -> WorkingTimeStretch?
    {
        guard let index = state.processStepIndex, index < steps.count, timeUnit != .calendarDays else { return nil }
        let hours =
            timeUnit == .workingHours ? steps[index].share : steps[index].share * ProcessingTime.hoursPerWorkingDay
        return try? calendar.adding(workingSeconds: Int((hours * 3600).rounded()), to: now, tracing: tracing)
    }
}

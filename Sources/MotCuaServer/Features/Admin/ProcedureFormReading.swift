import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// A procedure's form read back: numbers as typed on a Vietnamese page, the catalogue's names checked,
/// the core's rules applied (`ProcedureTerms.problems`), the changes in words for the audit and the
/// claim on the version the form was made from.
extension ProceduresPage {

    /// A number as typed on a Vietnamese page: "2,5" or "2.5"; fees may have thousands dots ("200.000").
    static func decimal(_ text: String?) -> Double? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard !t.isEmpty, t.count <= 12, t.allSatisfy({ $0.isNumber || $0 == "." }), t.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Double(t)
    }

    static func money(_ text: String?) -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "")
            .replacingOccurrences(of: " ", with: "")
        guard !t.isEmpty, t.count <= 12, t.allSatisfy(\.isASCII) else { return nil }
        return Int(t)
    }

    /// The i-th value of one of the form's parallel lists (a component's or step's column), "" past its end.
    static func item(_ list: [String]?, _ i: Int) -> String { i < (list?.count ?? 0) ? list![i] : "" }

    struct Parsed {
        let terms: ProcedureTerms; let field: FieldModel; let agency: AgencyModel; let department: DepartmentModel
    }

    /// The form read into terms and checked; the problems by form field otherwise.
    func parse(_ typed: Typed, except id: UUID?, files: Set<String> = [], on db: any Database) async throws -> (
        parsed: Parsed?, problems: [String: String]
    ) {
        var problems: [String: String] = [:]
        let field =
            try await typed.field.flatMap(UUID.init(uuidString:)).asyncMap { try await FieldModel.find($0, on: db) }
            ?? nil
        if field == nil { problems["field"] = "Chọn lĩnh vực." }
        let agency =
            try await typed.agency.flatMap(UUID.init(uuidString:)).asyncMap { try await AgencyModel.find($0, on: db) }
            ?? nil
        if agency == nil { problems["agency"] = "Chọn cơ quan thực hiện." }
        let department =
            try await typed.department.flatMap(UUID.init(uuidString:)).asyncMap {
                try await DepartmentModel.find($0, on: db)
            } ?? nil
        if department == nil {
            problems["department"] = "Chọn phòng chuyên môn giải quyết."
        } else if let agency, department?.agencyID != agency.id {
            problems["department"] = "Phòng chuyên môn không thuộc cơ quan đã chọn."
        }
        let unit = TimeUnit(rawValue: typed.timeUnit ?? ""), feeTiming = FeeTiming(rawValue: typed.feeTiming ?? ""),
            level = OnlineLevel(rawValue: typed.onlineLevel ?? "")
        if unit == nil { problems["timeAmount"] = "Chọn đơn vị thời hạn." }
        if feeTiming == nil { problems["feeVND"] = "Chọn hình thức thu phí." }
        if level == nil { problems["onlineLevel"] = "Chọn mức độ trực tuyến." }
        let amount = Self.decimal(typed.timeAmount)
        if amount == nil { problems["timeAmount"] = "Nhập thời hạn giải quyết bằng số, ví dụ 10 hoặc 2,5." }
        let onlineText = (typed.onlineTimeAmount ?? "").trimmingCharacters(in: .whitespaces)
        let online = onlineText.isEmpty ? nil : Self.decimal(onlineText)
        if !onlineText.isEmpty, online == nil {
            problems["onlineTimeAmount"] = "Nhập thời hạn bằng số, hoặc để trống nếu như thời hạn chung."
        }
        let fee = Self.money(typed.feeVND?.isEmpty == false ? typed.feeVND : "0")
        if fee == nil { problems["feeVND"] = "Nhập phí, lệ phí bằng số đồng, ví dụ 200.000." }
        // Components: the rows with a name; steps: the rows with a name or a time.
        var components: [ComponentRequirement] = []
        for (i, name) in (typed.componentName ?? []).enumerated()
        where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            func at(_ list: [String]?) -> String { Self.item(list, i) }
            guard let form = ComponentRequirement.Form(rawValue: at(typed.componentForm)),
                let count = Int(at(typed.componentCount).trimmingCharacters(in: .whitespaces))
            else {
                problems["components"] = "Thành phần \"\(name)\": chọn loại bản và nhập số lượng."
                continue
            }
            let blank = at(typed.componentBlank).trimmingCharacters(in: .whitespaces)
            // A blank form's file stays only if it is one this procedure already had (never another file of the store).
            let file = at(typed.componentBlankFile)
            components.append(
                ComponentRequirement(
                    name: name.trimmingCharacters(in: .whitespaces), form: form, count: count,
                    mandatory: at(typed.componentMandatory) != "0",
                    blankForm: blank.isEmpty ? nil : blank,
                    blankFormSHA256: files.contains(file) && !blank.isEmpty ? file : nil))
        }
        var steps: [ProcessStep] = []
        for (i, name) in (typed.stepName ?? []).enumerated() {
            let shareText = Self.item(typed.stepShare, i)
            if name.trimmingCharacters(in: .whitespaces).isEmpty
                && shareText.trimmingCharacters(in: .whitespaces).isEmpty
            {
                continue
            }
            guard let share = Self.decimal(shareText.isEmpty ? "0" : shareText) else {
                problems["steps"] = "Bước \"\(name)\": nhập thời gian bằng số, ví dụ 0,5."
                continue
            }
            steps.append(ProcessStep(name: name.trimmingCharacters(in: .whitespaces), share: share))
        }
        var declaration: EForm?
        let eFormTitle = (typed.eFormTitle ?? "").trimmingCharacters(in: .whitespaces)
        do {
            declaration = try EForm.parse(title: eFormTitle, text: typed.eFormFields ?? "")
            if declaration != nil, eFormTitle.isEmpty || eFormTitle.count > 300 {
                problems["eForm"] = "Nhập tên tờ khai điện tử (tối đa 300 ký tự)."
            }
        } catch { problems["eForm"] = error.message }
        let terms = ProcedureTerms(
            code: (typed.code ?? "").trimmingCharacters(in: .whitespaces),
            name: (typed.name ?? "").trimmingCharacters(in: .whitespaces),
            timeAmount: amount ?? 0, timeUnit: unit ?? .workingDays, onlineTimeAmount: online, feeVND: fee ?? 0,
            feeTiming: feeTiming ?? .exempt, onlineLevel: level ?? .none, components: components, steps: steps,
            resultType: (typed.resultType ?? "").trimmingCharacters(in: .whitespaces), declaration: declaration)
        for (term, message) in terms.problems where problems[term.rawValue] == nil { problems[term.rawValue] = message }
        if problems["code"] == nil,
            let other = try await ProcedureModel.query(on: db).filter(\.$code == terms.code).first(), other.id != id
        {
            problems["code"] = "Mã \(terms.code) đã thuộc thủ tục khác."
        }
        guard problems.isEmpty, let field, let agency, let department else { return (nil, problems) }
        return (Parsed(terms: terms, field: field, agency: agency, department: department), [:])
    }

    /// The audit lines of a change: each term that differs, before and after, in words.
    static func changes(
        from old: (terms: ProcedureTerms?, field: String?, agency: String?, department: String?), to new: Parsed
    ) -> [LogChain.Change] {
        func time(_ t: ProcedureTerms) -> String {
            "\(ProcedureTerms.amountText(t.timeAmount)) \(t.timeUnit.vietnameseName)"
        }
        func components(_ t: ProcedureTerms) -> String {
            t.components.map { c in
                let optional = c.mandatory ? "" : ", không bắt buộc"
                let blank =
                    (c.blankForm.map { ", mẫu \($0)" } ?? "")
                    + (c.blankFormSHA256.map { " (tệp \($0.prefix(8)))" } ?? "")
                return "\(c.name) (\(c.form.vietnameseName), \(c.count)\(optional)\(blank))"
            }.joined(separator: "; ")
        }
        func steps(_ t: ProcedureTerms) -> String {
            t.steps.map { "\($0.name) \(ProcedureTerms.amountText($0.share))" }.joined(separator: "; ")
        }
        let o = old.terms, n = new.terms
        return [
            LogChain.Change(field: "Mã thủ tục", old: o?.code, new: n.code),
            .init(field: "Tên thủ tục", old: o?.name, new: n.name),
            .init(field: "Lĩnh vực", old: old.field, new: new.field.name),
            .init(field: "Cơ quan thực hiện", old: old.agency, new: new.agency.name),
            .init(field: "Phòng chuyên môn", old: old.department, new: new.department.name),
            .init(field: "Thời hạn giải quyết", old: o.map(time), new: time(n)),
            .init(
                field: "Thời hạn nộp trực tuyến", old: o?.onlineTimeAmount.map(ProcedureTerms.amountText),
                new: n.onlineTimeAmount.map(ProcedureTerms.amountText)),
            .init(field: "Phí, lệ phí", old: o.map { PageTime.number($0.feeVND) }, new: PageTime.number(n.feeVND)),
            .init(field: "Hình thức thu phí", old: o?.feeTiming.vietnameseName, new: n.feeTiming.vietnameseName),
            .init(field: "Mức độ trực tuyến", old: o?.onlineLevel.vietnameseName, new: n.onlineLevel.vietnameseName),
            .init(field: "Loại kết quả", old: o?.resultType, new: n.resultType),
            .init(field: "Thành phần hồ sơ", old: o.map(components), new: components(n)),
            .init(field: "Quy trình nội bộ", old: o.map(steps), new: steps(n)),
            .init(
                field: "Tờ khai điện tử", old: o?.declaration.map { $0.title + "\n" + $0.text },
                new: n.declaration.map { $0.title + "\n" + $0.text }),
        ].filter { $0.old != $0.new }
    }

    /// In a transaction: takes the procedure's row (a second writer waits here), then answers it if it
    /// is still the version a form showed, else throws `conflict`.
    static func claim(_ id: UUID, shown: String, on tx: any Database, orElse conflict: ServiceError) async throws
        -> ProcedureModel
    {
        let claimed = try await (tx as! any SQLDatabase).raw(
            "UPDATE procedures SET terms = terms WHERE id = \(bind: id) RETURNING id"
        ).all()
        guard claimed.count == 1, let now = try await ProcedureModel.find(id, on: tx), fingerprint(now) == shown else {
            throw conflict
        }
        return now
    }
}

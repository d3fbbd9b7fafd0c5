import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// What the procedure pages show: the list's rows, the form as typed (every field as text, so a
/// refused form comes back exactly as it was) and a procedure's terms put back into that form.
extension ProceduresPage {
    struct Typed: Content {
        var code: String?; var name: String?; var field: String?; var agency: String?; var department: String?
        var timeAmount: String?; var timeUnit: String?; var onlineTimeAmount: String?
        var feeVND: String?; var feeTiming: String?; var onlineLevel: String?; var resultType: String?
        var componentName: [String]?; var componentForm: [String]?; var componentCount: [String]?
        var componentMandatory: [String]?; var componentBlank: [String]?; var componentBlankFile: [String]?
        var stepName: [String]?; var stepShare: [String]?
        /// The e-form: its title and a field a line (EForm.text).
        var eFormTitle: String?; var eFormFields: String?
        var fingerprint: String?
    }
    typealias Option = SelectOption
    struct ComponentRow: Encodable {
        let position: Int; let name: String; let forms: [Option]; let count: String; let mandatory: Bool;
        let blank: String
        /// The uploaded blank form's checksum (kept through a save) and its download address.
        let file: String; let download: String?
    }
    struct StepRow: Encodable { let name: String; let share: String }
    struct Row: Encodable {
        let id: UUID; let code: String; let name: String; let field: String; let agency: String; let time: String;
        let fee: String; let online: String
    }
    struct ListContext: Encodable {
        let layout: PageLayout; let q: String; let agencies: [Option]; let fields: [Option]; let rows: [Row];
        let total: String
        let notice: String?; let page: Int; let pages: Int; let previous: String?; let next: String?
    }
    struct FormContext: Encodable {
        let layout: PageLayout; let action: String; let isNew: Bool; let typed: Typed
        /// Where a blank form's file is sent (an existing procedure only), the form token and version in the address.
        let uploadAction: String?
        let fields: [Option]; let agencies: [Option]; let departments: [Option]
        let units: [Option]; let feeTimings: [Option]; let onlineLevels: [Option]
        let components: [ComponentRow]; let steps: [StepRow]
        let fieldErrors: [String: String]; let notice: String?; let error: String?
    }

    // MARK: Form

    static func typed(_ p: ProcedureModel) throws -> Typed {
        let t = try p.terms
        return Typed(
            code: t.code, name: t.name, field: p.fieldID.uuidString, agency: p.agencyID.uuidString,
            department: p.departmentID.uuidString,
            timeAmount: ProcedureTerms.amountText(t.timeAmount), timeUnit: t.timeUnit.rawValue,
            onlineTimeAmount: t.onlineTimeAmount.map(ProcedureTerms.amountText),
            feeVND: String(t.feeVND), feeTiming: t.feeTiming.rawValue, onlineLevel: t.onlineLevel.rawValue,
            resultType: t.resultType,
            componentName: t.components.map(\.name), componentForm: t.components.map(\.form.rawValue),
            componentCount: t.components.map { String($0.count) },
            componentMandatory: t.components.map { $0.mandatory ? "1" : "0" },
            componentBlank: t.components.map { $0.blankForm ?? "" },
            componentBlankFile: t.components.map { $0.blankFormSHA256 ?? "" },
            stepName: t.steps.map(\.name), stepShare: t.steps.map { ProcedureTerms.amountText($0.share) },
            eFormTitle: t.declaration?.title, eFormFields: t.declaration?.text, fingerprint: fingerprint(p))
    }

    /// The version of a procedure a form was made from.
    static func fingerprint(_ p: ProcedureModel) -> String {
        Checksum.sha256(
            Data(
                [p.code, p.name, p.fieldID.uuidString, p.agencyID.uuidString, p.departmentID.uuidString, p.termsJSON]
                    .joined(separator: "\n").utf8))
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Tiếp nhận hồ sơ" at the counter (Bộ phận Một cửa): find the procedure by name or code, tick the
/// components handed in with their count, enter the applicant or take a returning one's details by
/// identity number, see the appointment the dossier would get if received now, save (the same
/// intake as the API), then print the receipt.
struct CounterPage {
    struct ProcedureChoice: Encodable { let code: String; let name: String; let time: String }
    struct ComponentRow: Encodable {
        let position: Int; let name: String; let form: String; let required: Int; let mandatory: Bool; let ticked: Bool;
        let count: Int; let error: String?
        /// The blank form to print for the applicant, if the catalogue has its file.
        let blankForm: String?
    }

    /// What the desk typed, kept when the form comes back with an error.
    struct Typed: Content {
        var procedure: String?
        var channel: String?
        var name: String?
        var idNumber: String?
        var birthDate: String?
        var address: String?
        var phone: String?
        var email: String?
        var summary: String?
        var resultDelivery: String?
        /// `c<N>` ticked and `n<N>` its count, for component N (the form's field names).
        var components: [String: String]?
    }

    struct Context: Encodable {
        let layout: PageLayout
        let q: String
        let choices: [ProcedureChoice]
        let procedure: ProcedureChoice?
        let typed: Typed
        let components: [ComponentRow]
        /// The agency no longer receives (merged or dissolved): no form, the reason instead.
        let closed: String?
        /// A procedure search that found nothing.
        let noMatch: String?
        let appointment: String?
        let fee: String
        let found: String?
        let error: String?
        /// Messages beside the fields (field name → message).
        let fieldErrors: [String: String]
    }

    func show(req: Request) async throws -> View {
        let actor = try Self.desk(req)
        var typed = Typed()
        typed.procedure = req.query[String.self, at: "procedure"]
        var found: String?
        // "Tìm theo số định danh": a returning applicant's details from their latest dossier here.
        if let id = req.query[String.self, at: "idNumber"]?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            typed.idNumber = id
            var q = DossierQuery()
            q.idNumber = id
            q.per = 1
            if let last = try await q.run(actor: actor, on: req.db).items.first {
                typed.name = last.applicantName
                typed.birthDate = PageTime.dateField(last.applicantBirthDate)
                typed.address = last.applicantAddress
                typed.phone = last.applicantPhone
                typed.email = last.applicantEmail
                found = "Đã điền thông tin của \(last.applicantName) từ hồ sơ \(last.code)."
            } else {
                found = "Chưa có hồ sơ nào của số định danh \(id): nhập thông tin người nộp."
            }
        }
        return try await render(req, actor: actor, typed: typed, found: found, error: nil, fieldErrors: [:])
    }

    func receive(req: Request) async throws -> Response {
        let actor = try Self.desk(req)
        let typed = try req.content.decode(Typed.self)
        var fieldErrors: [String: String] = [:]
        func blank(_ s: String?) -> Bool { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if blank(typed.name) { fieldErrors["name"] = "Nhập họ tên người nộp." }
        if blank(typed.idNumber) { fieldErrors["idNumber"] = "Nhập số CCCD / mã số thuế." }
        if blank(typed.address) { fieldErrors["address"] = "Nhập địa chỉ." }
        if let b = typed.birthDate, !b.isEmpty, PageTime.parseDate(b) == nil {
            fieldErrors["birthDate"] = "Ngày sinh không hợp lệ (dd/mm/yyyy)."
        }
        guard let procedureCode = typed.procedure,
            let procedure = try await Self.receivable(actor: actor, code: procedureCode, on: req.db).procedures.first
        else {
            return try await again(
                req, actor: actor, typed: typed, error: "Hãy chọn thủ tục hành chính.", fieldErrors: fieldErrors)
        }
        let terms = try procedure.terms
        var handedIn: [DossierService.HandedIn] = []
        for position in 1...max(1, terms.components.count) where position <= terms.components.count {
            let ticked = typed.components?["c\(position)"] != nil
            let countText = typed.components?["n\(position)"] ?? ""
            let count = ticked ? (Int(countText) ?? -1) : 0
            if ticked, !(1...100).contains(count) { fieldErrors["n\(position)"] = "Số bản từ 1 đến 100." }
            handedIn.append(.init(position: position, count: max(0, count)))
        }
        guard fieldErrors.isEmpty else {
            return try await again(
                req, actor: actor, typed: typed, error: "Hồ sơ chưa được lưu: kiểm tra các trường được đánh dấu.",
                fieldErrors: fieldErrors)
        }
        func given(_ s: String?) -> String? { blank(s) ? nil : s!.trimmingCharacters(in: .whitespacesAndNewlines) }
        let input = DossierService.NewDossier(
            procedureCode: procedure.code, channel: typed.channel.flatMap(DossierChannel.init(rawValue:)) ?? .direct,
            applicant: .init(
                kind: "person", name: given(typed.name)!, idNumber: given(typed.idNumber)!,
                birthDate: given(typed.birthDate).flatMap(PageTime.parseDate)?.iso,
                address: given(typed.address)!, phone: given(typed.phone), email: given(typed.email)),
            representative: nil, contentSummary: given(typed.summary), resultDelivery: given(typed.resultDelivery),
            components: handedIn)
        do {
            let d = try await req.motcua.dossiers.create(input, actor: actor, at: Date(), on: req.db)
            return req.redirect(to: "/ho-so/\(d.code)/mau/01")
        } catch {
            let (status, detail) = ProblemMiddleware.explain(error)
            guard status != .internalServerError else { throw error }
            return try await again(req, actor: actor, typed: typed, error: detail, fieldErrors: [:], status: status)
        }
    }

    func again(
        _ req: Request, actor: Actor, typed: Typed, error: String, fieldErrors: [String: String],
        status: HTTPResponseStatus = .unprocessableEntity
    ) async throws -> Response {
        return try await render(
            req, actor: actor, typed: typed, found: nil, error: error, fieldErrors: fieldErrors
        ).encodeResponse(status: status, for: req)
    }

    func render(
        _ req: Request, actor: Actor, typed: Typed, found: String?, error: String?, fieldErrors: [String: String]
    ) async throws -> View {
        let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let (all, others, desk) = try await Self.receivable(actor: actor, on: req.db)
        func choice(_ p: ProcedureModel) -> ProcedureChoice {
            let terms = try? p.terms
            // Another agency's procedure, received here and forwarded: its agency named.
            let name = others[p.agencyID].map { "\(p.name) (\($0))" } ?? p.name
            return ProcedureChoice(code: p.code, name: name, time: terms.map { Self.time($0) } ?? "")
        }
        let words = SearchText.normalise(q).split(separator: " ")
        let choices =
            typed.procedure == nil || !q.isEmpty
            ? all.filter { p in words.allSatisfy { SearchText.normalise(p.name + " " + p.code).contains($0) } }.prefix(
                50
            ).map(choice) : []
        var chosen: ProcedureChoice?
        var rows: [ComponentRow] = []
        var appointment: String?
        var fee = ""
        // A closed agency's desk is told so at once, not after filling in the whole form.
        let closed = desk?.closedMessage(at: Date())
        if let code = typed.procedure, let p = all.first(where: { $0.code == code }), closed == nil {
            chosen = choice(p)
            let terms = try p.terms
            rows = terms.components.enumerated().map { i, c in
                let position = i + 1
                let kept = typed.components
                let ticked = kept.map { $0["c\(position)"] != nil } ?? c.mandatory
                let count = kept?["n\(position)"].flatMap { Int($0) } ?? c.count
                return ComponentRow(
                    position: position, name: c.name, form: c.form.vietnameseName, required: c.count,
                    mandatory: c.mandatory,
                    ticked: ticked, count: count, error: fieldErrors["n\(position)"],
                    blankForm: c.blankFormSHA256 == nil ? nil : "/mau-don/\(terms.code)/\(position)")
            }
            // The appointment if received now, by the same clock the intake starts.
            let channel = typed.channel.flatMap(DossierChannel.init(rawValue:)) ?? .direct
            if let clock = try? req.motcua.dossiers.clock(terms: terms, channel: channel, receivedAt: Date()) {
                appointment = PageTime.dateTime(clock.appointment)
            }
            fee = terms.feeVND > 0 ? PageTime.number(terms.feeVND) + " đồng" : "Không thu"
        }
        return try await req.view.render(
            "Reception/counter",
            Context(
                layout: PageLayout("Tiếp nhận hồ sơ", req), q: q, choices: choices, procedure: chosen, typed: typed,
                components: rows, closed: closed.map { $0 + " Không tiếp nhận được hồ sơ mới tại quầy này." },
                noMatch: !q.isEmpty && choices.isEmpty
                    ? "Không tìm thấy thủ tục nào của cơ quan khớp với “\(q)”: thử tên ngắn hơn hoặc mã thủ tục." : nil,
                appointment: appointment, fee: fee, found: found, error: error, fieldErrors: fieldErrors))
    }

    static func desk(_ req: Request) throws -> Actor {
        let actor = try req.actor()
        // The route's guard let only the desk in; a desk account must also belong to an agency.
        guard actor.agencyID != nil else {
            throw ServiceError(.forbidden, "Tài khoản tiếp nhận chưa thuộc cơ quan nào: liên hệ quản trị hệ thống.")
        }
        return actor
    }

    /// The procedures this desk receives (only the one of `code`, if given), and the names of the other
    /// agencies among them: its agency's own; at a centre (Nghị định 118/2025, from its effective date)
    /// those of every open agency too.
    static func receivable(actor: Actor, code: String? = nil, on db: any Database) async throws -> (
        procedures: [ProcedureModel], others: [UUID: String], desk: AgencyModel?
    ) {
        let own = actor.agencyID!
        func procedures() -> QueryBuilder<ProcedureModel> {
            let query = ProcedureModel.query(on: db).sort(\.$name)
            if let code { query.filter(\.$code == code) }
            return query
        }
        let desk = try await AgencyModel.find(own, on: db)
        guard let kind = desk.flatMap({ AgencyKind(rawValue: $0.kind) }), ReceptionBoundary.receivesForOthers(kind),
            VietnamTime.local(Date()).date >= ReceptionBoundary.inForceFrom
        else {
            return (try await procedures().filter(\.$agencyID == own).all(), [:], desk)
        }
        let today = VietnamTime.local(Date()).date.iso
        let open = try await AgencyModel.query(on: db).group(.or) {
            $0.filter(\.$effectiveTo == nil).filter(\.$effectiveTo > today)
        }.all()
        let others = Dictionary(uniqueKeysWithValues: open.filter { $0.id != own }.map { ($0.id!, $0.name) })
        return (try await procedures().filter(\.$agencyID ~~ Set(open.map { $0.id! })).all(), others, desk)
    }

    static func time(_ t: ProcedureTerms) -> String {
        let amount =
            t.timeAmount.rounded() == t.timeAmount
            ? String(Int(t.timeAmount)) : String(t.timeAmount).replacingOccurrences(of: ".", with: ",")
        switch t.timeUnit {
        case .workingDays: return "\(amount) ngày làm việc"
        case .workingHours: return "\(amount) giờ làm việc"
        case .calendarDays: return "\(amount) ngày"
        }
    }
}

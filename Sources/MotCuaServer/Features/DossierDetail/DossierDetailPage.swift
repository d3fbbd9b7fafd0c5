import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// A dossier's page: its data, components and processing log, and a form for each action the user
/// may take now (`StateMachine.available`, through the service).
struct DossierDetailPage {
    /// One action the user may take, with the inputs its form asks for.
    struct ActionForm: Encodable {
        struct Officer: Encodable { let id: UUID; let name: String }
        let action: String
        let name: String
        let officers: [Officer]
        // The inputs the form asks for (the rule's required inputs); an opinion may always be given.
        let officer, proposal, amount, paymentReceipt, appointment, rating, reason, opinionRequired: Bool
        /// A supplement request may give the applicant their own deadline (optional) and tick the
        /// components to supplement.
        let applicantDeadline: Bool
        struct Component: Encodable { let position: Int; let name: String }
        let components: [Component]
        /// Returning the result asks how and to whom (the applicant by default).
        let deliveries: [SelectOption]
        let recipient: String
        /// Confirming a payment asks how it was paid at the desk.
        let paymentMethods: [SelectOption]
        /// After a refusal, the form that was sent opens again with what was typed in it.
        let open: Bool
        let typedOpinion, typedReason, typedReceipt, typedAmount: String

        init(_ action: Action, officers: [Officer], dossier: DossierRecord, typed: ActionRequest? = nil) {
            let required = StateMachine.rules[action]!.required
            self.action = action.rawValue
            name = action.vietnameseName
            self.officers = officers
            officer = required.contains(.officer)
            proposal = required.contains(.proposal)
            amount = required.contains(.amount)
            paymentReceipt = required.contains(.paymentReceipt)
            appointment = required.contains(.appointment)
            rating = required.contains(.rating)
            reason = required.contains(.reason)
            opinionRequired = required.contains(.opinion)
            applicantDeadline = action == .requestSupplement
            components = action == .requestSupplement ? dossier.components.map { Component(position: $0.position, name: $0.name) } : []
            let usual = ResultDelivery(rawValue: dossier.dossier.resultDelivery) ?? .counter
            deliveries = action == .returnResult ? ResultDelivery.allCases.map { SelectOption(value: $0.rawValue, name: $0.vietnameseName, selected: $0 == usual) } : []
            recipient = action == .returnResult ? typed?.recipient ?? dossier.dossier.applicantName : ""
            let method = typed?.paymentMethod ?? .cash
            paymentMethods = action == .confirmPayment ? PaymentMethod.recordedAtDesk.map { SelectOption(value: $0.rawValue, name: $0.vietnameseName, selected: $0 == method) } : []
            open = typed != nil
            typedOpinion = typed?.opinion ?? ""
            typedReason = typed?.reason ?? ""
            typedReceipt = typed?.paymentReceipt ?? ""
            typedAmount = typed?.amount.map(String.init) ?? ""
        }
    }

    struct Tab: Encodable { let label: String; let href: String; let current: Bool }

    struct Context: Encodable {
        struct Fact: Encodable { let label: String; let value: String }
        struct LogRow: Encodable {
            let seq: Int; let at: String; let actorName: String; let actionName: String; let opinion: String?; let changes: [ChangeText.Line]
        }
        struct PeriodRow: Encodable {
            let state: String; let holder: String; let from: String; let to: String; let due: String
            let finishedBy: String; let timeliness: String; let timelinessClass: String
        }
        struct PauseRow: Encodable { let reason: String; let pausedAt: String; let applicantDeadline: String; let resumedAt: String; let previousDue: String; let newDue: String }
        struct FileRow: Encodable { let name: String; let version: Int; let size: String; let uploadedAt: String; let href: String; let view: String?; let image: Bool }
        struct ComponentRow: Encodable { let position: Int; let name: String; let counts: String; let mandatory: Bool; let files: [FileRow] }
        let layout: PageLayout
        let code: String
        let tab: String
        let tabs: [Tab]
        let version: Int
        let facts: [Fact]
        let periods: [PeriodRow]
        let pauses: [PauseRow]
        let components: [ComponentRow]
        let otherFiles: [FileRow]
        let log: [LogRow]
        let actions: [ActionForm]
        let hasActions: Bool
        /// The user may attach files now (the `upload_file` rule): the tab shows a form per component.
        let canUpload: Bool
        /// The printed forms the dossier has now (mẫu số and title), in the configured set.
        let printedForms: [PrintLink]
        /// The signed result, checked now against the CA.
        let signedResult: SignedView?
        let notice: String?
        let error: String?
    }
    struct PrintLink: Encodable { let number: String; let title: String; let href: String }
    struct SignedView: Encodable {
        let fileName: String; let fileHref: String; let signatureHref: String; let signer: String; let signedAt: String
        let serial: String; let sha256: String; let valid: Bool; let text: String
    }

    static let tabs: [(key: String, label: String)] = [
        ("chung", "Thông tin chung"), ("tien-trinh", "Tiến trình thụ lý"), ("thanh-phan", "Thành phần hồ sơ"), ("nhat-ky", "Nhật ký sửa đổi"),
    ]

    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let done = req.query[String.self, at: "da-thuc-hien"].flatMap(Action.init(rawValue:))
        let uploaded = req.query[String.self, at: "da-tai-len"] != nil
        return try await render(d, actor: actor, notice: uploaded ? "Đã tải lên tệp." : done.map { "Đã thực hiện: \($0.vietnameseName)." },
                                error: nil, on: req)
    }

    /// A file from the "Thành phần hồ sơ" tab: the same upload as the API; back to the tab.
    func upload(req: Request) async throws -> Response {
        do {
            _ = try await DossierDetailAPI.receiveUpload(req)
            return req.redirect(to: "/ho-so/\(req.parameters.get("code")!)?tab=thanh-phan&da-tai-len=1")
        } catch {
            let (status, detail) = ProblemMiddleware.explain(error)
            guard status != .notFound, status != .internalServerError, status != .forbidden else { throw error }
            return try await again(req, error: detail, status: status, tab: "thanh-phan")
        }
    }

    /// An action from the page: the same path as the API (RequestedAction); on success back to the
    /// page with a notice, otherwise the page again with the reason and the error's status code.
    func act(req: Request) async throws -> Response {
        do {
            let (action, d) = try await RequestedAction.perform(req)
            return req.redirect(to: "/ho-so/\(d.code)?da-thuc-hien=\(action.rawValue)")
        } catch {
            let (status, detail) = ProblemMiddleware.explain(error)
            guard status != .notFound, status != .internalServerError else { throw error }
            let conflict = status == .conflict ? " Tải lại trang để xem trạng thái mới nhất của hồ sơ." : ""
            // What was typed, to put back in its form (unreadable input keeps nothing).
            let typed = Action(rawValue: req.parameters.get("action") ?? "").flatMap { action in
                (try? req.content.decode(ActionRequest.self)).map { (action, $0) }
            }
            return try await again(req, error: detail + conflict, status: status, typed: typed)
        }
    }

    /// The dossier's page again after a refused form (an action, a file): the reason, the refusal's
    /// status code, the dossier as it is now.
    func again(_ req: Request, error detail: String, status: HTTPResponseStatus, tab: String? = nil,
               typed: (Action, ActionRequest)? = nil) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let response = try await render(d, actor: actor, notice: nil, error: detail, on: req, tab: tab, typed: typed).encodeResponse(for: req)
        response.status = status
        return response
    }

    static func signedResult(_ d: DossierModel, req: Request) async throws -> SignedView? {
        guard let json = d.resultJSON, let s = try? JSON.decode(SignedResult.self, json) else { return nil }
        let check = await req.motcua.signing.check(s, files: req.motcua.files)
        let base = "/api/v1/dossiers/\(d.code)/files/"
        return SignedView(fileName: s.fileName, fileHref: base + s.fileID.uuidString, signatureHref: base + s.signatureFileID.uuidString,
                          signer: s.signer, signedAt: PageTime.dateTime(s.signedAt), serial: s.certificateSerial, sha256: s.sha256,
                          valid: check.valid, text: check.text)
    }

    static func printedForms(_ record: DossierRecord, set: FormSet, actor: Actor) -> [PrintLink] {
        let logged = Set(record.log.compactMap { Action(rawValue: $0.action) })
        let keepsBook = actor.roles.contains(.reception) || actor.roles.contains(.leader)
        return set.forms.filter { $0.isAvailable(received: record.dossier.receivedAt != nil, logged: logged) && ($0 != .logBook || keepsBook) }.map { form in
            let number = set.number(of: form)!
            return PrintLink(number: number, title: PageText.sentenceCase(set.title(of: form)), href: "/ho-so/\(record.dossier.code)/mau/\(number)")
        }
    }

    func render(_ d: DossierModel, actor: Actor, notice: String?, error: String?, on req: Request, tab: String? = nil,
                typed: (Action, ActionRequest)? = nil) async throws -> View {
        let tab = tab ?? req.query[String.self, at: "tab"].flatMap { key in Self.tabs.contains { $0.key == key } ? key : nil } ?? "chung"
        let record = try await DossierRecord.load(d, on: req.db)
        let now = Date()
        let names = try await ChangeText.Names.load(for: record, on: req.db)
        // Attaching files has its own form (the upload route), not an action form.
        let allowed = req.motcua.dossiers.availableActions(on: d, actor: actor)
        let available = allowed.filter { $0 != .uploadFile }
        let officers = available.contains(.assign) || available.contains(.reassign) ? try await Self.assignableOfficers(for: d, on: req.db) : []
        let forms = available.map { ActionForm($0, officers: $0 == .assign || $0 == .reassign ? officers : [], dossier: record,
                                                typed: typed?.0 == $0 ? typed?.1 : nil) }
        let log = record.log.map { e in
            Context.LogRow(seq: e.seq, at: PageTime.dateTime(e.at), actorName: e.actor, actionName: e.actionName, opinion: e.opinion,
                           changes: e.changes.compactMap { ChangeText.line($0, names: names) })
        }
        let periods = record.timeline(at: now).map { p in
            Context.PeriodRow(state: p.state.vietnameseName, holder: p.holder?.vietnameseName ?? "", from: PageTime.dateTime(p.from),
                              to: p.to.map(PageTime.dateTime) ?? "đang xử lý", due: p.dueAt.map(PageTime.dateTime) ?? "",
                              finishedBy: p.finishedBy.map { name in "\(name)" + (p.finishedWith.flatMap(Action.init(rawValue:)).map { " (\($0.vietnameseName))" } ?? "") } ?? "",
                              timeliness: p.timeliness?.vietnameseName ?? "", timelinessClass: p.timeliness.map(Self.cssClass) ?? "")
        }
        let pauses = (record.clock?.rounds ?? []).map { r in
            Context.PauseRow(reason: r.reason == .supplement ? "Chờ bổ sung hồ sơ" : "Chờ thực hiện nghĩa vụ tài chính", pausedAt: PageTime.dateTime(r.pausedAt),
                             applicantDeadline: r.applicantDeadline.map(PageTime.dateTime) ?? "", resumedAt: r.resumedAt.map(PageTime.dateTime) ?? "chưa tiếp tục",
                             previousDue: PageTime.dateTime(r.previousDue), newDue: r.newDue.map(PageTime.dateTime) ?? "")
        }
        func fileRow(_ f: DossierRecord.File) -> Context.FileRow {
            let href = "/api/v1/dossiers/\(d.code)/files/\(f.file.id!.uuidString)"
            let viewable = ["application/pdf", "image/jpeg", "image/png"].contains(f.file.contentType)
            return Context.FileRow(name: f.file.fileName, version: f.file.version, size: ChangeText.size(f.file.size), uploadedAt: PageTime.dateTime(f.file.uploadedAt),
                                   href: href, view: viewable ? href + "?xem=1" : nil, image: f.file.contentType.hasPrefix("image/"))
        }
        let components = record.components.map { c in
            Context.ComponentRow(position: c.position, name: c.name, counts: "\(c.handedInCount)/\(c.requiredCount)", mandatory: c.mandatory,
                                 files: record.files.filter { $0.component == c.position }.map(fileRow))
        }
        return try await req.view.render("DossierDetail/dossier", Context(
            layout: PageLayout("Hồ sơ \(d.code)", req), code: d.code, tab: tab,
            tabs: Self.tabs.map { Tab(label: $0.label, href: "/ho-so/\(d.code)?tab=\($0.key)", current: $0.key == tab) },
            version: d.version, facts: Self.facts(record, names: names, now: now), periods: periods, pauses: pauses,
            components: components, otherFiles: record.files.filter { $0.component == nil }.map(fileRow), log: log,
            actions: forms, hasActions: !forms.isEmpty, canUpload: allowed.contains(.uploadFile),
            printedForms: Self.printedForms(record, set: req.application.motcua.settings.formSet, actor: actor),
            signedResult: try await Self.signedResult(d, req: req), notice: notice, error: error))
    }

    static func cssClass(_ t: Timeliness) -> String {
        switch t {
        case .early: "early"
        case .late, .overdue: "late"
        case .onTime, .withinTime: ""
        }
    }

    /// "Thông tin chung": the dossier as the desk and the departments read it.
    static func facts(_ r: DossierRecord, names: ChangeText.Names, now: Date) -> [Context.Fact] {
        let d = r.dossier
        var facts: [(String, String?)] = [
            ("Mã hồ sơ", d.code),
            ("Thủ tục", r.procedure.name),
            ("Trạng thái", d.state.vietnameseName),
            ("Tiến độ", d.timeliness(at: now)?.vietnameseName),
            ("Chủ hồ sơ", r.applicant.name),
            ("Số giấy tờ tùy thân", r.applicant.idNumber),
            ("Địa chỉ", r.applicant.address),
            ("Điện thoại", r.applicant.phone.flatMap { $0.isEmpty ? nil : $0 }),
            ("Người nộp thay", r.representative?.name),
            ("Trích yếu", d.contentSummary.isEmpty ? nil : d.contentSummary),
            ("Kênh nộp", DossierChannel(rawValue: d.channel)?.vietnameseName),
            ("Cơ quan tiếp nhận", names.agencies[d.agencyID]),
            ("Phòng chuyên môn", names.departments[d.departmentID]),
            ("Cán bộ thụ lý", d.assignedOfficerID.flatMap { names.users[$0] }),
            ("Nộp lúc", d.submittedAt.map(PageTime.dateTime)),
            ("Tiếp nhận", d.receivedAt.map(PageTime.dateTime)),
            ("Hạn xử lý", d.dueAt.map(PageTime.dateTime)),
            ("Hẹn trả kết quả", d.appointmentAt.map(PageTime.dateTime)),
            ("Hoàn thành", d.completedAt.map(PageTime.dateTime)),
            ("Trả kết quả", d.returnedAt.map(PageTime.dateTime)),
            ("Lệ phí", d.feeVND > 0 ? PageTime.number(d.feeVND) + " đồng" : "Không thu"),
            ("Thanh toán", r.payments.last?.summary),
            ("Mã tra cứu", d.lookupSecret),
        ]
        facts.removeAll { $0.1 == nil }
        return facts.map { Context.Fact(label: $0.0, value: $0.1!) }
    }

    /// The officers who may be assigned the dossier, with their workload beside each name.
    static func assignableOfficers(for d: DossierModel, on db: any Database) async throws -> [ActionForm.Officer] {
        try await OfficerWorkload.of(agency: d.agencyID, department: d.departmentID, on: db).map { ActionForm.Officer(id: $0.id, name: $0.label) }
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// Intake: a new dossier received at the counter or by post (reception) or submitted online
/// (citizen), decided in memory by `plan` (the demo loader uses it too) and written by `create`.
extension DossierService {
    struct Applicant: Content, Sendable {
        var kind: String?  // person / organisation
        var name: String
        var idNumber: String
        var birthDate: String?
        var address: String
        var phone: String?
        var email: String?
    }

    struct HandedIn: Content, Sendable {
        var position: Int
        var count: Int
    }

    struct NewDossier: Content, Sendable {
        var procedureCode: String
        var channel: DossierChannel?
        var applicant: Applicant
        var representative: Applicant?
        var contentSummary: String?
        var resultDelivery: String?
        var components: [HandedIn]?
        /// The e-form's values (field name to text), for a procedure that has one.
        var declaration: [String: String]?
    }

    // MARK: New dossiers

    /// A new dossier decided in memory: the dossier (without its code yet), its components, and
    /// the first log entry once the code is known.
    struct NewDossierPlan {
        let dossier: DossierModel
        let components: [DossierComponentModel]
        let action: Action
        let transition: Transition
        let terms: ProcedureTerms
        /// The terms as the catalogue holds them: their version is written with the dossier.
        let termsJSON: String
        let agencyCode: String
        let day: LocalDate
        /// A centre received it for the competent agency (Nghị định 118/2025): the entry that says so,
        /// written after the reception's.
        let forwarding: (centre: String, competent: String)?

        /// Gives the dossier its code and returns the first log entry.
        func assign(number: Int, actor: Actor, at now: Date, service: DossierService) -> LogChain.Content {
            dossier.code = DossierService.code(agencyCode: agencyCode, day: day, number: number)
            let changes =
                [LogChain.Change(field: "code", old: nil, new: dossier.code)]
                + (dossier.dueAt.map { [LogChain.Change(field: "due_at", old: nil, new: VietnamTime.iso($0))] } ?? [])
            return LogChain.Content(
                dossierID: dossier.id!, seq: 1, at: now, actorID: actor.id, actorName: actor.name,
                action: action.rawValue,
                fromState: nil, toState: transition.to.description, opinion: nil,
                changesJSON: LogChain.Change.json(changes),
                stepDueAt: terms.stepDue(for: transition.to, at: now, on: service.calendar),
                actorUsername: actor.username)
        }

        /// The forwarding entry of a dossier received by a centre for another agency, once coded.
        func forwardingEntry(actor: Actor, at now: Date) -> LogChain.Content? {
            guard let forwarding, let centre = dossier.receivingAgencyID else { return nil }
            return LogChain.Content(
                dossierID: dossier.id!, seq: 2, at: now, actorID: actor.id, actorName: actor.name,
                action: ReceptionBoundary.forwardAction, fromState: transition.to.description,
                toState: transition.to.description,
                opinion: ReceptionBoundary.forwardOpinion(
                    receivedBy: forwarding.centre, competent: forwarding.competent),
                changesJSON: LogChain.Change.json([
                    LogChain.Change(field: "receiving_agency_id", old: nil, new: centre.uuidString),
                    LogChain.Change(field: "agency_id", old: centre.uuidString, new: dossier.agencyID.uuidString),
                ]),
                stepDueAt: nil, actorUsername: actor.username)
        }
    }

    static func code(agencyCode: String, day: LocalDate, number: Int) -> String {
        let c = day.components
        return agencyCode + "-" + pad(c.year % 100, 2) + pad(c.month, 2) + pad(c.day, 2) + "-" + pad(number, 4)
    }

    /// `receive` at the counter or by post (reception), or `submit` online (citizen).
    /// `also` runs in the same transaction once the dossier and its first log entry are written (an
    /// online submission attaches its draft's files there).
    func create(
        _ input: NewDossier, actor: Actor, at now: Date, on db: any Database,
        also: (@Sendable (DossierModel, any Database) async throws -> Void)? = nil
    ) async throws -> DossierModel {
        guard
            let procedure = try await ProcedureModel.rows("WHERE code = \(bind: input.procedureCode) LIMIT 1", on: db)
                .first
        else {
            throw ServiceError(.unprocessableEntity, "Không có thủ tục mã \"\(input.procedureCode)\".")
        }
        guard let agency = try await AgencyModel.rows("WHERE id = \(bind: procedure.agencyID)", on: db).first else {
            throw ServiceError.notFound
        }
        // A desk of another agency: a centre may receive for it (Nghị định 118/2025).
        let desk = actor.roles.contains(.reception) ? actor.agencyID.flatMap { $0 == agency.id ? nil : $0 } : nil
        let centre = try await desk.asyncMap { try await AgencyModel.find($0, on: db) } ?? nil
        let plan = try self.plan(
            input, actor: actor, at: now, procedure: procedure, agency: agency, receivingCentre: centre)
        let created = try await db.transaction { tx in
            // The counter comes first: its write takes SQLite's write lock (and PostgreSQL's row lock)
            // so that concurrent receptions get consecutive numbers.
            let number = try await Self.nextNumber(agencyCode: plan.agencyCode, day: plan.day.iso, on: tx)
            let log = plan.assign(number: number, actor: actor, at: now, service: self)
            try await ProcedureTermVersions.store(plan.termsJSON, name: plan.terms.name, on: tx)
            // A new dossier's chain starts here: its entries and its anchor are known before writing.
            var entries = [LogChain.next(log, after: nil)]
            if let forwarded = plan.forwardingEntry(actor: actor, at: now) {
                entries.append(LogChain.next(forwarded, after: (entries[0].content.seq, entries[0].hash)))
            }
            let entry = entries[entries.count - 1]
            plan.dossier.logSeq = entry.content.seq
            plan.dossier.logHash = entry.hash
            try await [plan.dossier].insert(on: tx)
            try await plan.components.insert(on: tx)
            try await entries.insert(on: tx)
            try await ReportTallyStore.record(plan.dossier.counted.tallies, of: plan.dossier, on: tx)
            try await also?(plan.dossier, tx)
            try await NotificationOutbox.enqueue(
                plan.action, of: plan.dossier, inputs: ActionInputs(), site: site, messaging: messaging, at: now,
                on: tx)
            if let nationalUnitCode {
                try await NationalSync.enqueue(
                    entry.content, of: plan.dossier, statusChanged: true, inputs: ActionInputs(),
                    unitCode: nationalUnitCode, on: tx)
            }
            return plan.dossier
        }
        metrics.action(plan.action)
        return created
    }

    /// Decides a new dossier without touching the database. `terms` may be given to save decoding the
    /// procedure's terms again (the demo loader does).
    func plan(
        _ input: NewDossier, actor: Actor, at now: Date, procedure: ProcedureModel, agency: AgencyModel,
        receivingCentre: AgencyModel? = nil, terms known: ProcedureTerms? = nil
    ) throws -> NewDossierPlan {
        let action: Action = actor.roles.contains(.reception) ? .receive : .submit
        let transition: Transition
        do {
            transition = try StateMachine.decide(
                action, from: nil, actor: ActorContext(roles: actor.roles), inputs: ActionInputs())
        } catch { throw ServiceError.from(error) }
        let channel: DossierChannel = action == .submit ? .online : (input.channel ?? .direct)
        guard action == .submit || channel != .online else {
            throw ServiceError(
                .unprocessableEntity,
                "Hồ sơ trực tuyến do công dân nộp qua cổng dịch vụ công; tại quầy chọn kênh trực tiếp hoặc bưu chính.")
        }
        try validate(input.applicant, label: "người nộp")
        if let summary = input.contentSummary {
            try TextInput.require(summary, label: "Trích yếu nội dung", multiline: true, maxLength: 2000)
        }
        if let delivery = input.resultDelivery, ResultDelivery(rawValue: delivery) == nil {
            throw ServiceError(
                .unprocessableEntity,
                "Hình thức nhận kết quả phải là counter (tại quầy), post (bưu chính) hoặc online (trực tuyến).")
        }
        if let r = input.representative { try validate(r, label: "người nộp thay") }
        var forwardedBy: AgencyModel?
        if action == .receive, !actor.scope.contains(agency: procedure.agencyID, department: nil, owner: nil) {
            guard let centre = receivingCentre, let kind = AgencyKind(rawValue: centre.kind) else {
                throw ServiceError(
                    .unprocessableEntity, "Thủ tục \"\(procedure.name)\" không do cơ quan của bạn tiếp nhận.")
            }
            switch ReceptionBoundary.decide(
                receiving: centre.id!, kind: kind, competent: agency.id!, competentName: agency.name,
                on: VietnamTime.local(now).date)
            {
            case .own: break
            case .forwarded:
                if let closed = centre.closedMessage(at: now) { throw ServiceError(.unprocessableEntity, closed) }
                forwardedBy = centre
            case .refused(let why): throw ServiceError(.unprocessableEntity, why)
            }
        }
        // A closed (merged or dissolved) agency receives nothing from its closing date.
        if let closed = agency.closedMessage(at: now) { throw ServiceError(.unprocessableEntity, closed) }
        let terms = try known ?? procedure.terms
        if action == .submit, terms.onlineLevel == .none {
            throw ServiceError(
                .unprocessableEntity, "Thủ tục \"\(procedure.name)\" chưa cung cấp dịch vụ công trực tuyến.")
        }
        let handedIn = Dictionary((input.components ?? []).map { ($0.position, $0.count) }, uniquingKeysWith: { $1 })
        if let bad = handedIn.keys.first(where: { $0 < 1 || $0 > terms.components.count }) {
            throw ServiceError(.unprocessableEntity, "Thành phần hồ sơ số \(bad) không có trong thủ tục.")
        }
        if handedIn.values.contains(where: { $0 < 0 || $0 > 100 }) {
            throw ServiceError(.unprocessableEntity, "Số bản của thành phần hồ sơ phải từ 0 đến 100.")
        }

        let declaration = try Self.declaration(input.declaration, of: terms, at: now)

        let d = DossierModel()
        d.id = UUID.timeOrdered()
        d.declarationJSON = declaration
        d.lookupSecret = pad(Int.random(in: 0...9999), 4)
        d.supplementRounds = 0
        d.channel = channel.rawValue
        d.set(transition.to)
        d.procedureID = procedure.id!
        d.procedureCode = procedure.code
        d.fieldID = procedure.fieldID
        d.agencyID = procedure.agencyID
        d.departmentID = procedure.departmentID
        d.ownerID = action == .submit ? actor.id : nil
        d.receivingOfficerID = action == .receive ? actor.id : nil
        d.receivingAgencyID = forwardedBy?.id
        d.applicantKind = input.applicant.kind ?? "person"
        d.applicantName = input.applicant.name.trimmingCharacters(in: .whitespaces)
        d.applicantSearch = SearchText.normalise(d.applicantName)
        d.applicantIDNumber = input.applicant.idNumber
        d.applicantBirthDate = input.applicant.birthDate
        d.applicantAddress = input.applicant.address
        d.applicantPhone = input.applicant.phone ?? ""
        d.applicantEmail = input.applicant.email ?? ""
        d.representativeJSON = input.representative.map(JSON.encode)
        d.contentSummary = input.contentSummary ?? terms.name
        d.resultDelivery = input.resultDelivery ?? (channel == .online ? "online" : "counter")
        d.feeVND = terms.feeVND
        d.procedureTermsSHA256 = ProcedureTermVersions.hash(procedure.termsJSON)
        d.version = 1
        d.createdAt = now.wholeSeconds
        d.updatedAt = now.wholeSeconds
        if action == .submit {
            d.submittedAt = now.wholeSeconds
        } else {
            try startClock(d, terms: terms, channel: channel, at: now)
        }
        let components = terms.components.enumerated().map { i, req in
            let c = DossierComponentModel()
            c.id = UUID.timeOrdered()
            c.dossierID = d.id!
            c.position = i + 1
            c.name = req.name
            c.form = req.form.rawValue
            c.requiredCount = req.count
            c.mandatory = req.mandatory
            c.handedInCount = handedIn[i + 1] ?? (action == .receive && req.mandatory ? req.count : 0)
            return c
        }
        return NewDossierPlan(
            dossier: d, components: components, action: action, transition: transition, terms: terms,
            termsJSON: procedure.termsJSON,
            agencyCode: agency.code, day: VietnamTime.local(now).date,
            forwarding: forwardedBy.map { (centre: $0.name, competent: agency.name) })
    }

    /// The e-form's values checked against the procedure's form, as stored (JSON); nil without values.
    static func declaration(_ values: [String: String]?, of terms: ProcedureTerms, at now: Date) throws -> String? {
        guard let values else { return nil }
        guard let form = terms.declaration else {
            throw ServiceError(.unprocessableEntity, "Thủ tục \"\(terms.name)\" không có tờ khai điện tử.")
        }
        if let unknown = values.keys.sorted().first(where: { key in !form.fields.contains { $0.name == key } }) {
            throw ServiceError(.unprocessableEntity, "Tờ khai điện tử không có trường \"\(unknown)\".")
        }
        let checked = form.check(values, thisYear: VietnamTime.local(now).date.year)
        let problems = form.fields.compactMap { checked.problems[$0.name] }
        guard problems.isEmpty else {
            throw ServiceError(.unprocessableEntity, "Tờ khai điện tử: " + problems.joined(separator: " "))
        }
        return JSON.encode(checked.values)
    }

    /// The next number of the day for an agency, atomically on both databases.
    static func nextNumber(agencyCode: String, day: String, on db: any Database) async throws -> Int {
        let row = try await PreparedPostgres.all(
            """
            INSERT INTO dossier_counters (id, agency_code, day, last) VALUES (\(bind: UUID()), \(bind: agencyCode), \
            \(bind: day), 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last = dossier_counters.last + 1
            RETURNING last
            """ as SQLQueryString, on: db as! any SQLDatabase
        ).first
        guard let number = try row?.decode(column: "last", as: Int.self) else {
            throw ServiceError(.internalServerError, "Không cấp được số hồ sơ.")
        }
        guard number <= 9999 else {
            throw ServiceError(
                .serviceUnavailable, "Cơ quan đã tiếp nhận đủ 9999 hồ sơ trong ngày; không thể cấp thêm mã hồ sơ.")
        }
        return number
    }

    func validate(_ a: Applicant, label: String) throws {
        for (text, field) in [
            (a.name, "họ tên"), (a.idNumber, "số định danh"), (a.birthDate, "ngày sinh"), (a.phone, "số điện thoại"),
            (a.email, "thư điện tử"), (a.kind, "loại chủ hồ sơ"),
        ] {
            if let text {
                try TextInput.require(text, label: "Trường \(field) của \(label)", multiline: false, maxLength: 200)
            }
        }
        try TextInput.require(a.address, label: "Địa chỉ của \(label)", multiline: true, maxLength: 500)
        func blank(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if blank(a.name) { throw ServiceError(.unprocessableEntity, "Thiếu họ tên \(label).") }
        if blank(a.idNumber) {
            throw ServiceError(.unprocessableEntity, "Thiếu số định danh (CCCD / mã số thuế) của \(label).")
        }
        if blank(a.address) { throw ServiceError(.unprocessableEntity, "Thiếu địa chỉ của \(label).") }
        if let b = a.birthDate, LocalDate(iso: b) == nil {
            throw ServiceError(.unprocessableEntity, "Ngày sinh của \(label) phải có dạng YYYY-MM-DD.")
        }
        if let k = a.kind, k != "person", k != "organisation" {
            throw ServiceError(
                .unprocessableEntity, "Loại chủ hồ sơ phải là person (cá nhân) hoặc organisation (tổ chức).")
        }
    }
}

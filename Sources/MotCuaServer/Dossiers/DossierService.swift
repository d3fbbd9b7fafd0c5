import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The use cases on dossiers: receive or submit a new one, perform an action on one. Each runs in
/// one transaction: the core decides, this carries out, and the log records it.
struct DossierService: Sendable {
    let calendar: WorkingCalendar
    let policy: ReceiptPolicy
    /// "Ký duyệt" signs the result (Features/Signing); the files it reads and writes.
    let signing: ResultSigning
    let files: FileStore
    /// The portal's address, for the links in the applicant's e-mails.
    let site: URL
    /// Counts each committed action for `/metrics`.
    let metrics: ServerMetrics
    /// The province's unit code at the national portal: each change is then queued for it
    /// (NationalSync), in its transaction.
    var nationalUnitCode: String?
    /// The applicant's notices by SMS and Zalo, when their gateways are configured.
    var messaging = NotificationOutbox.Messaging()

    /// Receipt: the due date from the procedure terms and the working calendar.
    func startClock(_ d: DossierModel, terms: ProcedureTerms, channel: DossierChannel, at now: Date) throws {
        let clock = try self.clock(terms: terms, channel: channel, receivedAt: now)
        d.receivedAt = now.wholeSeconds
        d.receivedDate = VietnamTime.local(now).date.iso
        save(clock, into: d)
    }

    /// The clock a dossier received at `now` starts (the counter shows its appointment before saving).
    func clock(terms: ProcedureTerms, channel: DossierChannel, receivedAt now: Date) throws -> DossierClock {
        do {
            return try DossierClock(
                receivedAt: now.wholeSeconds, time: terms.processingTime(channel: channel), calendar: calendar,
                channel: channel, policy: policy)
        } catch { throw ServiceError.from(error) }
    }

    func save(_ clock: DossierClock, into d: DossierModel) {
        d.dueAt = clock.due.wholeSeconds
        d.appointmentAt = clock.appointment.wholeSeconds
        d.set(clock: clock)
    }

    // MARK: Actions

    /// Finds a dossier the actor may see; anything else is "not found", so codes cannot be probed.
    func find(code: String, actor: Actor, on db: any Database) async throws -> DossierModel {
        guard let d = try await DossierModel.rows("WHERE code = \(bind: code) LIMIT 1", on: db).first,
            actor.scope.contains(
                agency: d.agencyID, department: d.departmentID, owner: d.ownerID, receivedBy: d.receivingAgencyID)
        else {
            throw ServiceError.notFound
        }
        return d
    }

    /// `paymentTransaction` is the payment platform's reference of an online payment it confirms.
    /// `also` runs in the same transaction once the dossier is written (a shipment's row).
    func perform(
        _ action: Action, code: String, inputs: ActionInputs, expectedVersion: Int?, actor: Actor, at now: Date,
        paymentTransaction: String? = nil, on db: any Database,
        also: (@Sendable (DossierModel, any Database) async throws -> Void)? = nil
    ) async throws -> DossierModel {
        let d = try await find(code: code, actor: actor, on: db)
        let asRead = d.values
        guard let expectedVersion else {
            throw ServiceError(.unprocessableEntity, "Thiếu phiên bản hồ sơ (version) để tránh ghi đè.")
        }
        var officer: UserModel?
        if let id = inputs.officer, action == .assign || action == .reassign {
            officer = try await UserModel.rows("WHERE id = \(bind: id)", on: db).first
        }
        if action == .rate, let given = d.rating.flatMap(Satisfaction.init(rawValue:)),
            StateMachine.available(from: d.state, actor: context(of: actor, on: d), stateBeforePause: nil).contains(
                .rate)
        {
            throw ServiceError(
                .conflict, "Hồ sơ đã được đánh giá “\(given.vietnameseName)”; mỗi hồ sơ được đánh giá một lần.")
        }
        if inputs.components != nil && action != .requestSupplement {
            throw ServiceError(.unprocessableEntity, "Chỉ chọn thành phần cần bổ sung khi yêu cầu bổ sung hồ sơ.")
        }
        if (inputs.delivery != nil || inputs.recipient != nil) && action != .returnResult {
            throw ServiceError(.unprocessableEntity, "Hình thức trả và người nhận kết quả chỉ dùng khi trả kết quả.")
        }
        if inputs.trackingNumber != nil
            && !(action == .dispatchResult || action == .returnResult && actor.isPostalService)
        {
            throw ServiceError(.unprocessableEntity, "Mã bưu gửi chỉ do Bưu điện cấp khi gửi kết quả qua bưu chính.")
        }
        if action == .dispatchResult, inputs.trackingNumber == nil, expectedVersion == d.version,
            availableActions(on: d, actor: actor).contains(.dispatchResult)
        {
            throw ServiceError(
                .unprocessableEntity,
                "Gửi kết quả qua bưu chính cần mã bưu gửi của Bưu điện: dùng nút trên trang hồ sơ.")
        }
        if action == .returnResult, !actor.isPostalService,
            let sent = try await PostalShipments.shipment(of: d.id!, on: db),
            sent.status == PostalShipments.Status.inTransit.rawValue
        {
            throw ServiceError(
                .conflict,
                "Kết quả đang được chuyển phát qua bưu điện (\(sent.text)); hồ sơ được trả khi bưu điện báo đã phát.")
        }
        if inputs.paymentMethod != nil && action != .confirmPayment {
            throw ServiceError(.unprocessableEntity, "Hình thức thanh toán chỉ dùng khi xác nhận thanh toán.")
        }
        if inputs.paymentMethod == .online && !actor.isPaymentPlatform {
            throw ServiceError(
                .unprocessableEntity,
                """
                Thanh toán trực tuyến chỉ được ghi nhận từ thông báo của nền tảng thanh toán; tại Bộ phận Một cửa \
                chọn tiền mặt hoặc chuyển khoản.
                """
            )
        }
        if let positions = inputs.components {
            let present = Set(
                try await DossierComponentModel.query(on: db).filter(\.$dossierID == d.id!).all().map(\.position))
            if let missing = positions.first(where: { !present.contains($0) }) {
                throw ServiceError(.unprocessableEntity, "Hồ sơ không có thành phần số \(missing).")
            }
        }
        // An approval needs a draft result to sign: said to the officer who proposes it and to the head
        // who submits it, not only to the leader (a wrong role, state or version keeps its own answer).
        if action == .propose || action == .submitForSignature, expectedVersion == d.version,
            availableActions(on: d, actor: actor).contains(action)
        {
            let proposal =
                action == .propose ? inputs.proposal : try await DossierRecord.pendingDecision(of: d, on: db)?.proposal
            if PendingDecision.needsDraft(action, proposal: proposal),
                try await ResultSigning.draft(of: d, on: db) == nil
            {
                throw ServiceError(.unprocessableEntity, PendingDecision.missingDraftMessage(action))
            }
        }
        let counted = d.counted, before = d.state
        // Approval signs the result, if the leader may approve now: the wrong role or state keeps
        // its own answer; the signature is made before the transaction, which it must not hold.
        var signed: SignedResult?
        if action == .approve, expectedVersion == d.version, availableActions(on: d, actor: actor).contains(.approve) {
            signed = try await signing.sign(draftOf: d, actor: actor, at: now, files: files, on: db)
        }
        let terms = try await ProcedureTermVersions.terms(of: d, on: db)
        let log = try apply(
            action, to: d, inputs: inputs, actor: actor, at: now, officer: officer, terms: terms, signed: signed)
        guard expectedVersion == d.version, action != .approve || signed != nil else { throw ServiceError.conflict }
        let signature = signed
        let payment = PaymentEffect.of(action, from: before, to: d.state, inputs: inputs)
        let done = try await db.transaction { tx in
            // The entry and the anchor that points at it are written with the action's own update: in
            // one statement, the transaction's first write, if neither the version nor the log's anchor
            // moved since the dossier was read (an upload appends to the log without a new version).
            let readAnchor = d.logSeq.flatMap { seq in d.logHash.map { (seq: seq, hash: $0) } }
            var entry = LogChain.next(log, after: readAnchor)
            d.version = expectedVersion + 1
            d.logSeq = entry.content.seq
            d.logHash = entry.hash
            var written = false
            if let readAnchor {
                written = try await d.update(
                    changedSince: asRead,
                    guards: [("version", Cell(expectedVersion)), ("log_seq", Cell(readAnchor.seq))],
                    on: tx)
            }
            if !written {
                // The claim tells a version that moved (409) from a log that did; the entry follows the log.
                let anchor = try await Self.claimVersion(of: d, expected: expectedVersion, on: tx)
                entry = LogChain.next(log, after: try await anchor == nil ? LogChain.last(of: d.id!, on: tx) : anchor)
                d.logSeq = entry.content.seq
                d.logHash = entry.hash
                try await d.update(on: tx)
            }
            if let signature { try await ResultSigning.signatureFile(signature, of: d, actor: actor).create(on: tx) }
            if let payment {
                let awaiting = try await PaymentModel.awaiting(of: d.id!, on: tx)
                try await PaymentModel.apply(
                    payment, of: d, awaiting: awaiting, transactionID: paymentTransaction, at: now)?.save(on: tx)
            }
            try await also?(d, tx)
            try await [entry].insert(on: tx)
            try await ReportTallyStore.record(CountedDossier.change(from: counted, to: d.counted), of: d, on: tx)
            try await NotificationOutbox.enqueue(
                action, of: d, inputs: inputs, site: site, messaging: messaging, at: now, on: tx)
            if let nationalUnitCode {
                try await NationalSync.enqueue(
                    entry.content, of: d, statusChanged: before.status != d.state.status,
                    inputs: inputs, unitCode: nationalUnitCode, on: tx)
            }
            return d
        }
        metrics.action(action)
        return done
    }

    /// Who the actor is to this dossier, as the state machine sees it.
    func context(of actor: Actor, on d: DossierModel) -> ActorContext {
        ActorContext(roles: actor.roles, isAssignedOfficer: actor.id != nil && d.assignedOfficerID == actor.id)
    }

    /// The actions the actor may take on the dossier now: the same decision `apply` makes.
    func availableActions(on d: DossierModel, actor: Actor) -> [Action] {
        StateMachine.available(
            from: d.state, actor: context(of: actor, on: d),
            stateBeforePause: d.stateBeforePause.flatMap(DossierState.init(parsing:))
        ).filter { $0 != .rate || d.rating == nil }  // a dossier is rated once
    }

    /// Decides an action with the core and applies it to the dossier in memory; returns the log
    /// entry to append (its `seq` is set when appended). Touches no database: `officer` is the
    /// user named by `inputs.officer`, looked up by the caller.
    /// `terms` are the dossier's terms as received (ProcedureTermVersions).
    func apply(
        _ action: Action, to d: DossierModel, inputs: ActionInputs, actor: Actor, at now: Date,
        officer: UserModel?, terms: ProcedureTerms, signed: SignedResult? = nil
    ) throws -> LogChain.Content {
        guard action != .submit, action != .receive else {
            throw ServiceError(.unprocessableEntity, "Hồ sơ mới được tạo bằng POST /api/v1/dossiers.")
        }
        guard action != .uploadFile else {
            throw ServiceError(.unprocessableEntity, "Tệp được đính kèm bằng POST /api/v1/dossiers/{code}/files.")
        }
        let from = d.state
        let transition: Transition
        do {
            transition = try StateMachine.decide(
                action, from: from, actor: context(of: actor, on: d), inputs: inputs,
                stateBeforePause: d.stateBeforePause.flatMap(DossierState.init(parsing:)))
        } catch { throw ServiceError.from(error) }

        var changes: [LogChain.Change] = []
        func change(_ field: String, _ old: String?, _ new: String?) {
            if old != new { changes.append(.init(field: field, old: old, new: new)) }
        }
        func iso(_ date: Date?) -> String? { date.map(VietnamTime.iso) }

        // The clock.
        var clock = try d.clock
        let oldDue = d.dueAt, oldAppointment = d.appointmentAt
        do {
            switch transition.clock {
            case .none: break
            case .start:
                try startClock(d, terms: terms, channel: DossierChannel(rawValue: d.channel) ?? .direct, at: now)
                clock = nil
                if d.receivingOfficerID == nil { d.receivingOfficerID = actor.id }
            case .pause(let reason):
                // A dossier not yet received (supplement at online intake) has no clock to stop.
                if var c = clock {
                    try c.pause(reason, at: now.wholeSeconds, applicantDeadline: inputs.appointment?.wholeSeconds)
                    clock = c
                }
                d.stateBeforePause = from.description
            case .resume:
                if var c = clock {
                    try c.resume(at: now.wholeSeconds, calendar: calendar)
                    clock = c
                }
                d.stateBeforePause = nil
            case .apology:
                guard var c = clock else { throw ServiceError(.conflict, "Hồ sơ chưa có hạn giải quyết.") }
                try c.apologise(
                    at: now.wholeSeconds, newAppointment: inputs.appointment!.wholeSeconds, reason: inputs.reason ?? "")
                clock = c
            }
        } catch let error as CalendarError { throw ServiceError.from(error) }
        if let clock { save(clock, into: d) }
        change("due_at", iso(oldDue), iso(d.dueAt))
        change("appointment_at", iso(oldAppointment), iso(d.appointmentAt))

        // What each action records on the dossier.
        switch action {
        case .assign, .reassign:
            guard let officer, officer.id == inputs.officer,
                Assignment.mayBeAssigned(
                    roles: officer.roles, agency: officer.agencyID, department: officer.departmentID,
                    toDossierOf: d.agencyID, department: d.departmentID)
            else {
                throw ServiceError(
                    .unprocessableEntity, "Cán bộ được chọn không phải chuyên viên thụ lý của phòng xử lý hồ sơ.")
            }
            change("assigned_officer_id", d.assignedOfficerID?.uuidString, officer.id!.uuidString)
            d.assignedOfficerID = officer.id
        case .approve, .refuse:
            d.completedAt = now.wholeSeconds
            d.finishedAt = d.completedAt
            change("completed_at", nil, iso(d.completedAt))
            if let signed {
                // The signed result, in the log as on the dossier: the file, its SHA-256, the signature's, the
                // certificate.
                d.resultJSON = JSON.encode(signed)
                change("result_file", nil, "\(signed.fileName) (sha256 \(signed.sha256))")
                change("result_signature", nil, "\(signed.fileName).p7s (sha256 \(signed.signatureSHA256))")
                change("signer_certificate", nil, "\(signed.signer), số sê-ri \(signed.certificateSerial)")
            }
        case .withdraw:
            d.finishedAt = now.wholeSeconds
        case .returnResult:
            d.returnedAt = now.wholeSeconds
            change("returned_at", nil, iso(d.returnedAt))
            // How and to whom: as asked at receipt and to the applicant, unless the desk says otherwise.
            change(
                "result_delivery", nil,
                (inputs.delivery ?? ResultDelivery(rawValue: d.resultDelivery) ?? .counter).rawValue)
            change("result_recipient", nil, inputs.recipient ?? d.applicantName)
            change("postal_tracking", nil, inputs.trackingNumber)
        case .dispatchResult:
            change("postal_tracking", nil, inputs.trackingNumber)
            change("result_delivery", d.resultDelivery, ResultDelivery.post.rawValue)
            d.resultDelivery = ResultDelivery.post.rawValue
        case .requestSupplement:
            change(
                "supplement_components", nil,
                inputs.components.map { $0.sorted().map(String.init).joined(separator: ",") })
        case .requestPayment:
            change("amount_vnd", nil, inputs.amount.map(String.init))
        case .confirmPayment:
            change("payment_receipt", nil, inputs.paymentReceipt)
            change("payment_method", nil, (inputs.paymentMethod ?? .cash).rawValue)
        case .propose:
            change("proposal", nil, inputs.proposal?.rawValue)
        case .rate:
            change("rating", nil, inputs.rating?.rawValue)
            d.rating = inputs.rating?.rawValue
            d.ratedAt = now.wholeSeconds
        default: break
        }
        if from != transition.to {
            change("status", from.status.rawValue, transition.to.status.rawValue)
            change("step", from.step?.rawValue, transition.to.step?.rawValue)
        }
        if let reason = inputs.reason, StateMachine.rules[action]!.required.contains(.reason) || action == .propose {
            change("reason", nil, reason)
        }
        d.set(transition.to)
        d.resolution = d.counted.resolution?.rawValue
        d.updatedAt = now.wholeSeconds
        return LogChain.Content(
            dossierID: d.id!, seq: 0, at: now, actorID: actor.id, actorName: actor.name, action: action.rawValue,
            fromState: from.description, toState: transition.to.description, opinion: inputs.opinion,
            changesJSON: LogChain.Change.json(changes),
            stepDueAt: from == transition.to ? nil : terms.stepDue(for: transition.to, at: now, on: calendar),
            actorUsername: actor.username)
    }

    /// The optimistic lock of every write to a dossier: `version` goes up by one only if it is still
    /// `expected`, else 409. It must be the transaction's first write, so that of two concurrent
    /// writers the second waits for the first (SQLite's write lock, PostgreSQL's row lock) and then
    /// finds no row.
    /// Returns the log's anchor (the last entry's number and hash) as the row holds it under the
    /// lock just taken: the next entry follows it without reading the log (nil: no anchor yet).
    @discardableResult
    static func claimVersion(
        of d: DossierModel, expected: Int, on tx: any Database
    ) async throws -> (seq: Int, hash: String)? {
        let rows = try await (tx as! any SQLDatabase).raw(
            """
            UPDATE dossiers SET version = version + 1 WHERE id = \(bind: d.id!) AND version = \(bind: expected) \
            RETURNING version, log_seq, log_hash
            """
        ).all()
        guard rows.count == 1 else { throw ServiceError.conflict }
        d.version = expected + 1
        guard let seq = try rows[0].optional("log_seq", as: Int.self),
            let hash = try rows[0].optional("log_hash", as: Data.self)
        else { return nil }
        return (seq, hash.hex)
    }
}

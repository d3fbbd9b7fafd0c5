import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// A dossier's page: its data, components and processing log, and a form for each action the user
/// may take now (`StateMachine.available`, through the service).
struct DossierDetailPage {
    func show(req: Request) async throws -> View {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        let done = req.query[String.self, at: "da-thuc-hien"].flatMap(Action.init(rawValue:))
        let uploaded = req.query[String.self, at: "da-tai-len"] != nil
        return try await render(
            d, actor: actor, notice: uploaded ? "Đã tải lên tệp." : done.map { "Đã thực hiện: \($0.vietnameseName)." },
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
    func again(
        _ req: Request, error detail: String, status: HTTPResponseStatus, tab: String? = nil,
        typed: (Action, ActionRequest)? = nil
    ) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        return try await render(d, actor: actor, notice: nil, error: detail, on: req, tab: tab, typed: typed)
            .encodeResponse(status: status, for: req)
    }

    static func signedResult(_ d: DossierModel, req: Request) async throws -> SignedView? {
        guard let json = d.resultJSON, let s = try? JSON.decode(SignedResult.self, json) else { return nil }
        let check = await req.motcua.signing.check(s, files: req.motcua.files)
        let base = "/api/v1/dossiers/\(d.code)/files/"
        return SignedView(
            fileName: s.fileName, fileHref: base + s.fileID.uuidString,
            signatureHref: base + s.signatureFileID.uuidString,
            signer: s.signer, signedAt: PageTime.dateTime(s.signedAt), serial: s.certificateSerial, sha256: s.sha256,
            valid: check.valid, text: check.text)
    }

    static func printedForms(_ record: DossierRecord, set: FormSet, actor: Actor) -> [PrintLink] {
        let logged = Set(record.log.compactMap { Action(rawValue: $0.action) })
        let keepsBook = actor.roles.contains(.reception) || actor.roles.contains(.leader)
        return set.forms.filter {
            $0.isAvailable(received: record.dossier.receivedAt != nil, logged: logged) && ($0 != .logBook || keepsBook)
        }.map { form in
            let number = set.number(of: form)!
            return PrintLink(
                number: number, title: PageText.sentenceCase(set.title(of: form)),
                href: "/ho-so/\(record.dossier.code)/mau/\(number)")
        }
    }

    func render(
        _ d: DossierModel, actor: Actor, notice: String?, error: String?, on req: Request, tab: String? = nil,
        typed: (Action, ActionRequest)? = nil
    ) async throws -> View {
        let tab =
            tab ?? req.query[String.self, at: "tab"].flatMap { key in Self.tabs.contains { $0.key == key } ? key : nil }
            ?? "chung"
        let record = try await DossierRecord.load(d, on: req.db)
        let now = Date()
        let names = try await ChangeText.Names.load(for: record, on: req.db)
        // Attaching files has its own form (the upload route), not an action form.
        let allowed = req.motcua.dossiers.availableActions(on: d, actor: actor)
        // Sending by post needs the post's connection and a result not already on its way.
        let shipment = try await PostalShipments.shipment(of: d.id!, on: req.db)
        let inTransit = shipment?.status == PostalShipments.Status.inTransit.rawValue
        let available = allowed.filter {
            $0 != .uploadFile && ($0 != .dispatchResult || req.motcua.settings.postal != nil && shipment == nil)
                && ($0 != .returnResult || !inTransit)
        }
        let officers =
            available.contains(.assign) || available.contains(.reassign)
            ? try await Self.assignableOfficers(for: d, on: req.db) : []
        // The draft result the leader will sign, while the dossier is being processed.
        let draft = d.state.status == .processing ? try await ResultSigning.draft(of: d, on: req.db) : nil
        let draftName = draft.map { "\($0.fileName) (phiên bản \($0.version))" }
        let forms = available.map {
            ActionForm(
                $0, officers: $0 == .assign || $0 == .reassign ? officers : [], dossier: record,
                typed: typed?.0 == $0 ? typed?.1 : nil, draft: draftName)
        }
        let log = record.log.map { e in
            Context.LogRow(
                seq: e.seq, at: PageTime.dateTime(e.at), actorName: e.actor, actionName: e.actionName,
                opinion: e.opinion,
                changes: e.changes.compactMap { ChangeText.line($0, names: names) })
        }
        let periods = record.timeline(at: now).map { p in
            Context.PeriodRow(
                state: p.state.vietnameseName, holder: p.holder?.vietnameseName ?? "", from: PageTime.dateTime(p.from),
                to: p.to.map(PageTime.dateTime) ?? "đang xử lý", due: p.dueAt.map(PageTime.dateTime) ?? "",
                finishedBy: p.finishedBy.map { name in
                    "\(name)" + (p.finishedWith.flatMap(Action.init(rawValue:)).map { " (\($0.vietnameseName))" } ?? "")
                } ?? "",
                timeliness: p.timeliness?.vietnameseName ?? "", timelinessClass: p.timeliness.map(Self.cssClass) ?? "")
        }
        let pauses = (record.clock?.rounds ?? []).map { r in
            Context.PauseRow(
                reason: r.reason == .supplement ? "Chờ bổ sung hồ sơ" : "Chờ thực hiện nghĩa vụ tài chính",
                pausedAt: PageTime.dateTime(r.pausedAt),
                applicantDeadline: r.applicantDeadline.map(PageTime.dateTime) ?? "",
                resumedAt: r.resumedAt.map(PageTime.dateTime) ?? "chưa tiếp tục",
                previousDue: PageTime.dateTime(r.previousDue), newDue: r.newDue.map(PageTime.dateTime) ?? "")
        }
        func fileRow(_ f: DossierRecord.File) -> Context.FileRow {
            let href = "/api/v1/dossiers/\(d.code)/files/\(f.file.id!.uuidString)"
            let viewable = ["application/pdf", "image/jpeg", "image/png"].contains(f.file.contentType)
            return Context.FileRow(
                name: f.file.fileName, version: f.file.version, size: ChangeText.size(f.file.size),
                uploadedAt: PageTime.dateTime(f.file.uploadedAt),
                href: href, view: viewable ? href + "?xem=1" : nil, image: f.file.contentType.hasPrefix("image/"),
                reused: f.file.reusedFromID != nil)
        }
        let components = record.components.map { c in
            Context.ComponentRow(
                position: c.position, name: c.name, counts: "\(c.handedInCount)/\(c.requiredCount)",
                mandatory: c.mandatory,
                files: record.files.filter { $0.component == c.position }.map(fileRow))
        }
        return try await req.view.render(
            "DossierDetail/dossier",
            Context(
                layout: PageLayout("Hồ sơ \(d.code)", req), code: d.code, tab: tab,
                tabs: Self.tabs.map {
                    Tab(label: $0.label, href: "/ho-so/\(d.code)?tab=\($0.key)", current: $0.key == tab)
                },
                version: d.version,
                facts: Self.facts(
                    record, names: names, now: now, sync: try await NationalSync.state(of: d.id!, on: req.db),
                    nationalCode: try await NationalInbox.code(of: d.id!, on: req.db),
                    shipment: shipment),
                dueExplanation: DueExplanationView.of(
                    clock: record.clock, terms: record.procedure, channel: d.channel, service: req.motcua.dossiers),
                notices: try await NotificationOutbox.deliveries(of: d.id!, on: req.db),
                periods: periods, pauses: pauses,
                components: components, otherFiles: record.files.filter { $0.component == nil }.map(fileRow), log: log,
                actions: forms, hasActions: !forms.isEmpty, canUpload: allowed.contains(.uploadFile),
                printedForms: Self.printedForms(record, set: req.application.motcua.settings.formSet, actor: actor),
                signedResult: try await Self.signedResult(d, req: req),
                decision: record.pendingDecision.map { p in
                    DecisionView(
                        p, state: d.state,
                        draft: draft.flatMap { f in record.files.first { $0.file.id == f.id } }.map(fileRow))
                },
                supplement: SupplementView.of(record, names: names), notice: notice, error: error))
    }
}

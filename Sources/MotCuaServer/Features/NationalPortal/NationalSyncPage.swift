import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// "Đồng bộ Cổng Dịch vụ công quốc gia" (role admin): the outbox's counts, the share of dossiers
/// synced on time this month, and the messages the portal has not acknowledged, each with its
/// answer and "Gửi lại"; and the national catalogue's differences (NationalCatalogue).
struct NationalSyncPage {
    static let path = "/quan-tri/dong-bo-dvc-quoc-gia"

    struct Failure: Encodable {
        let code: String
        let service: String
        let attempts: Int
        let createdAt: String
        let error: String
        let answer: String
    }

    struct Context: Encodable {
        let layout: PageLayout
        let configured: Bool
        let url: String
        let unitCode: String
        let sent: Int
        let pending: Int
        let failing: Int
        let onTime: String
        let failures: [Failure]
        let notice: String?
        let error: String?
        let catalogue: NationalCatalogue.Differences?
    }

    struct Counts: Decodable { let sent: Int; let pending: Int; let failing: Int }

    static func counts(on db: any Database) async throws -> Counts {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT CAST(coalesce(sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sent, \
            CAST(coalesce(sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, \
            CAST(coalesce(sum(CASE WHEN status = 'pending' AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0) \
            AS BIGINT) AS failing FROM \(unsafeRaw: NationalSync.table)
            """
        ).first(decoding: Counts.self) ?? Counts(sent: 0, pending: 0, failing: 0)
    }

    func show(req: Request) async throws -> View {
        let notice = req.query[String.self, at: "da-gui-lai"].map { "Đã đặt \($0) thông điệp gửi lại ngay." }
        return try await render(req, notice: notice, error: nil, catalogue: nil)
    }

    func render(
        _ req: Request, notice: String?, error: String?, catalogue: NationalCatalogue.Differences?
    ) async throws -> View {
        _ = try req.actor()
        let settings = req.motcua.settings.nationalPortal
        let counts = try await Self.counts(on: req.db)
        struct Row: Decodable {
            let code: String; let service: String; let attempts: Int; let created_at: Date; let last_error: String?
            let answer: String?
        }
        let rows = try await (req.db as! any SQLDatabase).raw(
            """
            SELECT d.code, o.service, o.attempts, o.created_at, o.last_error, o.answer \
            FROM \(unsafeRaw: NationalSync.table) o JOIN dossiers d ON d.id = o.dossier_id \
            WHERE o.status = 'pending' AND o.last_error IS NOT NULL ORDER BY o.created_at LIMIT 200
            """
        ).all(decoding: Row.self)
        let today = VietnamTime.local(Date()).date
        let month = LocalDate(year: today.components.year, month: today.components.month, day: 1)!
        let share = try await NationalSyncShare.month(month, scope: .everything, now: Date(), on: req.db).total
        return try await req.view.render(
            "Admin/national-sync",
            Context(
                layout: PageLayout("Đồng bộ Cổng Dịch vụ công quốc gia", req), configured: settings != nil,
                url: settings?.url.absoluteString ?? "", unitCode: settings?.unitCode ?? "", sent: counts.sent,
                pending: counts.pending, failing: counts.failing,
                onTime: share.all == 0
                    ? "Chưa có hồ sơ"
                    : "\(SheetCell.rate(Double(share.onTime) / Double(share.all)).text) "
                        + "(\(share.onTime)/\(share.all) hồ sơ)",
                failures: rows.map {
                    Failure(
                        code: $0.code, service: $0.service, attempts: $0.attempts,
                        createdAt: PageTime.dateTime($0.created_at), error: $0.last_error ?? "", answer: $0.answer ?? ""
                    )
                }, notice: notice, error: error, catalogue: catalogue))
    }

    struct RetryForm: Content { var code: String? }

    /// "Gửi lại": the failing messages (of one dossier, or all) are sent at the worker's next turn.
    func retry(req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = try req.content.decode(RetryForm.self)
        var dossier: UUID?
        if let code = form.code, !code.isEmpty {
            guard let d = try await DossierModel.query(on: req.db).filter(\.$code == code).first() else {
                return try await render(req, notice: nil, error: "Không có hồ sơ \(code).", catalogue: nil)
                    .encodeResponse(status: .unprocessableEntity, for: req)
            }
            dossier = d.id
        }
        let only = dossier
        let n = try await req.db.transaction { tx in
            let n = try await NationalSyncWorker.retry(dossier: only, at: Date(), on: tx)
            try await Audit.record(
                "Gửi lại thông điệp lên Cổng DVC quốc gia", entity: "national_sync", id: form.code ?? "tat-ca",
                changes: [.init(field: "messages", old: nil, new: String(n))], actor: actor, on: tx)
            return n
        }
        return req.redirect(to: "\(Self.path)?da-gui-lai=\(n)")
    }
}

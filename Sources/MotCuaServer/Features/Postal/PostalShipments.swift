import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// Returning a result by post (issue 25, point 4). "Gửi kết quả qua bưu chính" (the desk, on a
/// completed dossier) orders a shipment from the post, keyed by the dossier's code so that an order
/// sent twice is one shipment, and records its tracking number in the log and on the dossier's
/// page, the lookup and the desk's book. "Trả kết quả" is then the post's: its signed delivery
/// notice (`POST /api/v1/postal/notify`) returns the result with the delivery's date; the desk
/// cannot return it meanwhile. A shipment sent back (chuyển hoàn) is shown to the desk, which
/// may then return the result at the counter.
enum PostalShipments {
    static let table = "postal_shipments"

    enum Status: String { case inTransit = "in_transit", delivered, sentBack = "sent_back" }

    struct Shipment: Decodable, Sendable {
        let dossier_id: UUID
        let tracking_number: String
        let status: String
        let created_at: Date
        let delivered_at: Date?
        let receiver: String?
        let note: String?

        /// As the dossier's page, the lookup and the book say it.
        var text: String {
            switch Status(rawValue: status) {
            case .delivered:
                "Mã bưu gửi \(tracking_number): đã phát \(delivered_at.map(PageTime.dateTime) ?? "")"
                    + (receiver.map { " cho \($0)" } ?? "")
            case .sentBack: "Mã bưu gửi \(tracking_number): bưu điện chuyển hoàn (\(note ?? "không phát được"))"
            default: "Mã bưu gửi \(tracking_number): đang chuyển phát (gửi \(PageTime.dateTime(created_at)))"
            }
        }
    }

    static func shipment(of dossier: UUID, on db: any Database) async throws -> Shipment? {
        try await (db as! any SQLDatabase).raw(
            "SELECT * FROM \(unsafeRaw: table) WHERE dossier_id = \(bind: dossier)"
        ).first(decoding: Shipment.self)
    }

    /// The desk's "Gửi kết quả qua bưu chính": the post's order first (outside the transaction),
    /// then the action with its tracking number and the shipment, in one transaction.
    static func dispatch(
        _ req: Request, code: String, version: Int?, opinion: String?, actor: Actor
    ) async throws -> DossierModel {
        let service = req.motcua.dossiers
        let d = try await service.find(code: code, actor: actor, on: req.db)
        // A wrong role, state or version gets the action's own answer.
        guard version == d.version, service.availableActions(on: d, actor: actor).contains(.dispatchResult) else {
            return try await service.perform(
                .dispatchResult, code: code, inputs: ActionInputs(opinion: opinion), expectedVersion: version,
                actor: actor, at: Date(), on: req.db)
        }
        if let sent = try await shipment(of: d.id!, on: req.db), sent.status != Status.sentBack.rawValue {
            throw ServiceError(.conflict, "Kết quả đã được gửi qua bưu chính: \(sent.text).")
        }
        guard let postal = req.motcua.settings.postal else {
            throw ServiceError(
                .serviceUnavailable,
                "Chưa cấu hình kết nối bưu chính công ích (MOTCUA_POST_*): trả kết quả tại Bộ phận Một cửa.")
        }
        guard !d.applicantAddress.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError(.unprocessableEntity, "Hồ sơ không có địa chỉ của người nhận để gửi qua bưu chính.")
        }
        let tracking = try await order(d, postal, client: req.client)
        var inputs = ActionInputs(opinion: opinion)
        inputs.trackingNumber = tracking
        let now = Date()
        return try await service.perform(
            .dispatchResult, code: code, inputs: inputs, expectedVersion: version, actor: actor, at: now, on: req.db
        ) { d, tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE dossier_id = \(bind: d.id!)").run()
            try await sql.raw(
                """
                INSERT INTO \(unsafeRaw: table) (dossier_id, tracking_number, status, created_at) VALUES \
                (\(bind: d.id!), \(bind: tracking), \(bind: Status.inTransit.rawValue), \(bind: now.wholeSeconds))
                """
            ).run()
        }
    }

    /// The post's order API: the receiver, the contents, our reference; its tracking number back.
    static func order(_ d: DossierModel, _ postal: PostalSettings, client: any Client) async throws -> String {
        let order: [String: String] = [
            "orderCode": d.code, "serviceCode": postal.service, "receiverName": d.applicantName,
            "receiverAddress": d.applicantAddress, "receiverPhone": d.applicantPhone,
            "content": "Kết quả giải quyết thủ tục hành chính, hồ sơ \(d.code)",
        ]
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: postal.url.absoluteString)) { r in
                r.timeout = .seconds(20)
                r.headers.bearerAuthorization = BearerAuthorization(token: postal.token)
                try r.content.encode(order, as: .json)
            }
        } catch {
            throw ServiceError(.badGateway, "Bưu điện không phản hồi. Vui lòng thử lại sau ít phút.")
        }
        guard response.status.code < 500 else {
            throw ServiceError(
                .badGateway, "Bưu điện không phản hồi (HTTP \(response.status.code)). Vui lòng thử lại sau ít phút.")
        }
        let answer =
            response.body.flatMap { try? JSONSerialization.jsonObject(with: Data(buffer: $0)) } as? [String: Any]
        guard response.status == .ok || response.status == .created,
            let tracking = answer?["itemCode"] as? String, (8...30).contains(tracking.count),
            tracking.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            let said = answer?["message"] as? String ?? "HTTP \(response.status.code)"
            throw ServiceError(.badGateway, "Bưu điện không nhận đơn gửi: \(said).")
        }
        return tracking
    }

    struct Notice: Decodable {
        var itemCode: String
        /// "delivered" or "returned" (chuyển hoàn).
        var status: String
        /// `yyyyMMddHHmmss`, Vietnamese time.
        var time: String
        var receiver: String?
        var note: String?
    }

    struct Answer: Content {
        let itemCode: String
        let dossierCode: String
        /// false when this notice had already been recorded.
        let recorded: Bool
    }

    /// `POST /api/v1/postal/notify`: the post's signed notice of a delivery (or of a shipment sent back).
    static func notify(req: Request) async throws -> Answer {
        guard let postal = req.motcua.settings.postal else {
            throw ServiceError(.serviceUnavailable, "Chưa cấu hình kết nối bưu chính công ích (MOTCUA_POST_*).")
        }
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        guard
            BodySignature.isValid(
                req.headers.first(name: PostalSettings.signatureHeader), body: body, secret: postal.secret)
        else { throw ServiceError(.unauthorized, "Chữ ký của thông báo bưu chính không hợp lệ.") }
        guard let notice = try? JSONDecoder().decode(Notice.self, from: body),
            let time = VietnamTime.parseCompact(notice.time), ["delivered", "returned"].contains(notice.status)
        else {
            throw ServiceError(
                .unprocessableEntity,
                "Thông báo phải là JSON có itemCode, status (delivered hoặc returned) và time (yyyyMMddHHmmss).")
        }
        struct Row: Decodable { let dossier_id: UUID; let status: String; let created_at: Date }
        guard
            let row = try await (req.db as! any SQLDatabase).raw(
                """
                SELECT dossier_id, status, created_at FROM \(unsafeRaw: table) \
                WHERE tracking_number = \(bind: notice.itemCode)
                """
            ).first(decoding: Row.self), let d = try await DossierModel.find(row.dossier_id, on: req.db)
        else { throw ServiceError(.notFound, "Không có bưu gửi mã \(notice.itemCode).") }
        guard row.status == Status.inTransit.rawValue else {
            return Answer(itemCode: notice.itemCode, dossierCode: d.code, recorded: false)
        }
        let receiver = notice.receiver.map { String($0.trimmingCharacters(in: .whitespaces).prefix(200)) }
        if notice.status == "returned" {
            try await (req.db as! any SQLDatabase).raw(
                """
                UPDATE \(unsafeRaw: table) SET status = \(bind: Status.sentBack.rawValue), \
                note = \(bind: notice.note.map { String($0.prefix(300)) }) \
                WHERE tracking_number = \(bind: notice.itemCode) AND status = \(bind: Status.inTransit.rawValue)
                """
            ).run()
            return Answer(itemCode: notice.itemCode, dossierCode: d.code, recorded: true)
        }
        // The delivery's date, within what can be true: after the shipment, not in the future.
        let delivered = min(max(time, row.created_at), Date())
        var inputs = ActionInputs()
        inputs.delivery = .post
        inputs.recipient = receiver.flatMap { $0.isEmpty ? nil : $0 } ?? d.applicantName
        inputs.trackingNumber = notice.itemCode
        let recipient = inputs.recipient
        do {
            _ = try await req.motcua.dossiers.perform(
                .returnResult, code: d.code, inputs: inputs, expectedVersion: d.version,
                actor: .postalService(agency: d.agencyID), at: delivered, on: req.db
            ) { d, tx in
                try await (tx as! any SQLDatabase).raw(
                    """
                    UPDATE \(unsafeRaw: table) SET status = \(bind: Status.delivered.rawValue), \
                    delivered_at = \(bind: delivered.wholeSeconds), receiver = \(bind: recipient) \
                    WHERE dossier_id = \(bind: d.id!)
                    """
                ).run()
            }
        } catch let e as ServiceError where e.status == .conflict {
            // The same notice, at the same time, recorded it first.
            if try await shipment(of: d.id!, on: req.db)?.status == Status.delivered.rawValue {
                return Answer(itemCode: notice.itemCode, dossierCode: d.code, recorded: false)
            }
            throw e
        }
        return Answer(itemCode: notice.itemCode, dossierCode: d.code, recorded: true)
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// `POST /api/v1/national/dossiers`: a dossier a citizen submitted on the National Public Service
/// Portal, sent to us by the portal, signed as our messages to it are (`X-DVCQG-Signature`). It
/// lands in the competent desk's online queue ("Chờ tiếp nhận trực tuyến") with its files, as one
/// submitted on our portal. The portal's code is kept (`national_dossiers`, unique), so the same
/// dossier sent twice, or a hundred times at once, is one dossier: the answer names it each time.
struct NationalInbox {
    static let table = "national_dossiers"

    struct Incoming: Decodable {
        var MaHoSoQG: String
        var MaTTHC: String
        var ChuHoSo: String
        /// 1 a citizen, 2 an organisation.
        var LoaiDoiTuong: Int?
        var SoDinhDanh: String
        var NgaySinh: String?
        var DiaChi: String
        var SoDienThoai: String?
        var Email: String?
        var TrichYeu: String?
        /// 0 at the counter, 1 by post, 2 online.
        var HinhThucNhanKetQua: Int?
        var TepDinhKem: [Attachment]?
    }

    struct Attachment: Decodable {
        var TenTep: String
        /// The component's number in the procedure (1, 2, ...).
        var MaThanhPhan: Int
        /// The file, in base64.
        var NoiDung: String
    }

    struct Answer: Content {
        let error_code: String
        let message: String
        let MaHoSoQG: String
        let MaHoSo: String
        /// true when this dossier had already arrived.
        let duplicate: Bool
    }

    /// The national code of a dossier the portal sent us; nil for any other.
    static func code(of dossier: UUID, on db: any Database) async throws -> String? {
        struct Row: Decodable { let national_code: String }
        return try await (db as! any SQLDatabase).raw(
            "SELECT national_code FROM \(unsafeRaw: table) WHERE dossier_id = \(bind: dossier)"
        ).first(decoding: Row.self)?.national_code
    }

    static func dossier(nationalCode: String, on db: any Database) async throws -> DossierModel? {
        struct Row: Decodable { let dossier_id: UUID }
        guard
            let row = try await (db as! any SQLDatabase).raw(
                "SELECT dossier_id FROM \(unsafeRaw: table) WHERE national_code = \(bind: nationalCode)"
            ).first(decoding: Row.self)
        else { return nil }
        return try await DossierModel.find(row.dossier_id, on: db)
    }

    func receive(req: Request) async throws -> Answer {
        guard let settings = req.motcua.settings.nationalPortal else {
            throw ServiceError(
                .serviceUnavailable, "Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia (MOTCUA_DVCQG_*).")
        }
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        guard
            BodySignature.isValid(
                req.headers.first(name: NationalPortalSettings.signatureHeader), body: body, secret: settings.secret)
        else {
            throw ServiceError(.unauthorized, "Chữ ký của thông điệp từ Cổng Dịch vụ công quốc gia không hợp lệ.")
        }
        let incoming: Incoming
        do { incoming = try JSONDecoder().decode(Incoming.self, from: body) } catch {
            throw ServiceError(
                .unprocessableEntity,
                "Hồ sơ phải là JSON có MaHoSoQG, MaTTHC, ChuHoSo, SoDinhDanh, DiaChi (và TepDinhKem nếu có).")
        }
        let nationalCode = incoming.MaHoSoQG.trimmingCharacters(in: .whitespaces)
        guard (1...60).contains(nationalCode.count),
            nationalCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
        else {
            throw ServiceError(.unprocessableEntity, "Mã hồ sơ trên Cổng quốc gia (MaHoSoQG) không hợp lệ.")
        }
        if let known = try await Self.dossier(nationalCode: nationalCode, on: req.db) {
            return answer(nationalCode, known, duplicate: true)
        }
        guard let procedure = try await ProcedureModel.query(on: req.db).filter(\.$code == incoming.MaTTHC).first()
        else {
            throw ServiceError(
                .unprocessableEntity, "Không có thủ tục mã \"\(incoming.MaTTHC)\" trong danh mục của tỉnh.")
        }
        // The files are checked and stored before the transaction (content-addressed: an arrival
        // that fails leaves only files the store's clean-up removes).
        let store = req.motcua.files
        var stored: [DraftFileModel] = []
        for attachment in incoming.TepDinhKem ?? [] {
            guard let data = Data(base64Encoded: attachment.NoiDung) else {
                throw ServiceError(.unprocessableEntity, "Tệp \(attachment.TenTep) không phải base64.")
            }
            try TextInput.require(attachment.TenTep, label: "Tên tệp", multiline: false, maxLength: 255)
            let put = try await req.application.workPool.runIfActive { try store.put(data) }
            stored.append(
                DraftFileModel(
                    draft: UUID(), position: attachment.MaThanhPhan, sha256: put.sha256, name: attachment.TenTep,
                    type: put.kind.contentType, size: data.count, at: Date(), reusing: nil))
        }
        let delivery = [0: ResultDelivery.counter, 1: .post, 2: .online][incoming.HinhThucNhanKetQua ?? 0] ?? .counter
        let input = DossierService.NewDossier(
            procedureCode: procedure.code, channel: .online,
            applicant: .init(
                kind: incoming.LoaiDoiTuong == 2 ? "organisation" : "person", name: incoming.ChuHoSo,
                idNumber: incoming.SoDinhDanh, birthDate: incoming.NgaySinh, address: incoming.DiaChi,
                phone: incoming.SoDienThoai, email: incoming.Email),
            representative: nil, contentSummary: incoming.TrichYeu, resultDelivery: delivery.rawValue,
            components: Dictionary(grouping: stored, by: \.position).map {
                .init(position: $0.key, count: $0.value.count)
            },
            declaration: nil)
        let actor = Actor.applicant(named: incoming.ChuHoSo, agency: procedure.agencyID)
        let digest = Checksum.sha256(body), now = Date(), files = stored
        do {
            let d = try await req.motcua.dossiers.create(input, actor: actor, at: now, on: req.db) { d, tx in
                try await (tx as! any SQLDatabase).raw(
                    """
                    INSERT INTO \(unsafeRaw: Self.table) (national_code, dossier_id, received_at, payload_sha256) \
                    VALUES (\(bind: nationalCode), \(bind: d.id!), \(bind: now.wholeSeconds), \(bind: digest))
                    """
                ).run()
                try await DraftService.attach(files, to: d, actor: actor, at: now, on: tx)
            }
            return answer(nationalCode, d, duplicate: false)
        } catch {
            // Another arrival of the same dossier won the unique code meanwhile: that one is the dossier.
            if let known = try await Self.dossier(nationalCode: nationalCode, on: req.db) {
                return answer(nationalCode, known, duplicate: true)
            }
            throw error
        }
    }

    func answer(_ nationalCode: String, _ d: DossierModel, duplicate: Bool) -> Answer {
        Answer(
            error_code: "0", message: duplicate ? "Hồ sơ đã được tiếp nhận trước đó" : "Đã nhận hồ sơ",
            MaHoSoQG: nationalCode, MaHoSo: d.code, duplicate: duplicate)
    }
}

import Foundation
import MotCuaCore

/// The messages of the National Public Service Portal's integration service (DOMAIN.md section 12;
/// the field mapping is written down in docs/national-portal.md): a dossier (DongBoHoSoMC) and a
/// step of its progress (CapNhatTienDoHoSoMC). Dates are `yyyyMMddHHmmss` in Vietnamese time and
/// statuses the national codes 1-10.
enum NationalRecord {
    static let dossierService = "DongBoHoSoMC"
    static let progressService = "CapNhatTienDoHoSoMC"

    struct Message<Item: Encodable>: Encodable {
        let service: String
        let madonvi: String
        let data: [Item]
    }

    struct Supplement: Encodable {
        let NgayYeuCauBoSung: String
        let LyDoBoSung: String
        let DanhSachGiayToBoSung: [String]
    }

    struct ResultDocument: Encodable {
        let TenGiayTo: String
        let MaGiayToKetQua: String
        let MaBam: String
    }

    struct Dossier: Encodable {
        let MaHoSo: String
        let MaHoSoQG: String?
        let MaTTHC: String
        let TenTTHC: String
        let MaLinhVuc: String
        /// 1 at the counter, 2 online, 3 by post.
        let KenhThucHien: Int
        let ChuHoSo: String
        /// 1 a citizen, 2 an organisation.
        let LoaiDoiTuong: Int
        let MaDoiTuong: String
        let DiaChiChuHoSo: String
        let SoDienThoai: String
        let Email: String
        let TrichYeuHoSo: String
        let NgayTiepNhan: String?
        let NgayHenTra: String?
        let TrangThaiHoSo: Int
        let NgayKetThucXuLy: String?
        let NgayTra: String?
        /// 0 at the counter, 1 by post, 2 online.
        let HinhThuc: Int
        let MaDonViXuLy: String
        let DonViXuLy: String
        let DanhSachHoSoBoSung: [Supplement]
        let DanhSachGiayToKetQua: [ResultDocument]
    }

    struct Progress: Encodable {
        let MaHoSo: String
        let NguoiXuLy: String
        let ThoiDiemXuLy: String
        let DonViXuLy: String
        let NoiDungXuLy: String
        let TrangThai: Int
        let NgayBatDau: String
        let NgayKetThucTheoQuyDinh: String?
    }

    /// What the dossier is now, for DongBoHoSoMC.
    static func dossier(
        _ d: DossierModel, nationalCode: String?, procedureName: String, fieldCode: String,
        agency: (code: String, name: String), supplement: Supplement?, result: SignedResult?
    ) -> Dossier {
        let channel = DossierChannel(rawValue: d.channel) ?? .direct
        let delivery = ResultDelivery(rawValue: d.resultDelivery) ?? .counter
        return Dossier(
            MaHoSo: d.code, MaHoSoQG: nationalCode, MaTTHC: d.procedureCode, TenTTHC: procedureName,
            MaLinhVuc: fieldCode, KenhThucHien: channel == .direct ? 1 : channel == .online ? 2 : 3,
            ChuHoSo: d.applicantName, LoaiDoiTuong: d.applicantKind == "person" ? 1 : 2,
            MaDoiTuong: d.applicantIDNumber, DiaChiChuHoSo: d.applicantAddress, SoDienThoai: d.applicantPhone,
            Email: d.applicantEmail, TrichYeuHoSo: d.contentSummary,
            NgayTiepNhan: (d.receivedAt ?? d.submittedAt).map(VietnamTime.compact),
            NgayHenTra: d.appointmentAt.map(VietnamTime.compact), TrangThaiHoSo: d.state.status.code,
            NgayKetThucXuLy: (d.completedAt ?? d.finishedAt).map(VietnamTime.compact),
            NgayTra: d.returnedAt.map(VietnamTime.compact),
            HinhThuc: delivery == .counter ? 0 : delivery == .post ? 1 : 2, MaDonViXuLy: agency.code,
            DonViXuLy: agency.name, DanhSachHoSoBoSung: supplement.map { [$0] } ?? [],
            DanhSachGiayToKetQua: result.map {
                [ResultDocument(TenGiayTo: $0.fileName, MaGiayToKetQua: $0.fileID.uuidString, MaBam: $0.sha256)]
            } ?? [])
    }

    /// One line of the processing log, for CapNhatTienDoHoSoMC.
    static func progress(_ entry: LogChain.Content, code: String, agencyName: String) -> Progress {
        let status = DossierState(parsing: entry.toState)?.status ?? .processing
        let what = Action(rawValue: entry.action)?.vietnameseName ?? entry.action
        return Progress(
            MaHoSo: code, NguoiXuLy: entry.actorName, ThoiDiemXuLy: VietnamTime.compact(entry.at),
            DonViXuLy: agencyName, NoiDungXuLy: [what, entry.opinion].compactMap { $0 }.joined(separator: ": "),
            TrangThai: status.code, NgayBatDau: VietnamTime.compact(entry.at),
            NgayKetThucTheoQuyDinh: entry.stepDueAt.map(VietnamTime.compact))
    }

    static func body<Item: Encodable>(_ service: String, unitCode: String, _ item: Item) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Message(service: service, madonvi: unitCode, data: [item]))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

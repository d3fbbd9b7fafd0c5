import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The national catalogue (LayThuTuc) and agency list (LayDanhMucCoQuan) against ours: the
/// administrator sees every difference first ("Xem khác biệt"), then applies what was shown
/// ("Áp dụng"): the names, processing times and fees of the procedures we have, and the names of
/// the agencies we have, each change audited. A procedure or agency the portal has and we do not is
/// listed, to be created on its own page (it needs a department and a desk the portal does not know).
struct NationalCatalogue {
    struct NationalProcedure: Decodable {
        var MaTTHC: String
        var TenTTHC: String
        var ThoiHanGiaiQuyet: Double?
        /// "Ngày làm việc", "Ngày" or "Giờ làm việc".
        var DonViThoiHan: String?
        var LePhi: Int?
    }

    struct NationalAgency: Decodable {
        var MaCoQuan: String
        var TenCoQuan: String
    }

    struct Change: Encodable, Equatable {
        let code: String
        let name: String
        let term: String
        let ours: String
        let national: String
    }

    struct Item: Encodable, Equatable {
        let code: String
        let name: String
    }

    struct Differences: Encodable {
        var procedures: [Change] = []
        var newProcedures: [Item] = []
        var agencies: [Change] = []
        var newAgencies: [Item] = []
        /// Of the portal's answers: what "Áp dụng" applies must be what was shown.
        var fingerprint = ""
        var isEmpty: Bool { procedures.isEmpty && newProcedures.isEmpty && agencies.isEmpty && newAgencies.isEmpty }
    }

    struct Fetched {
        var procedures: [NationalProcedure]
        var agencies: [NationalAgency]
        var fingerprint: String
    }

    struct ListRequest: Encodable { let service: String; let madonvi: String }
    struct ListAnswer<I: Decodable>: Decodable { let error_code: String; let message: String?; let data: [I]? }

    /// Asks the portal for one list (`service` LayThuTuc or LayDanhMucCoQuan).
    static func fetch<Item: Decodable>(
        _ service: String, as: Item.Type, _ settings: NationalPortalSettings, client: any Client
    ) async throws -> (items: [Item], body: String) {
        let payload = try JSONEncoder().encode(ListRequest(service: service, madonvi: settings.unitCode))
        let response: ClientResponse
        do {
            response = try await settings.post(payload, client: client)
        } catch {
            throw ServiceError(.badGateway, "Không kết nối được Cổng Dịch vụ công quốc gia (\(service)).")
        }
        let body = response.body.map { Data(buffer: $0) } ?? Data()
        guard response.status == .ok, let answer = try? JSONDecoder().decode(ListAnswer<Item>.self, from: body) else {
            throw ServiceError(
                .badGateway, "Cổng Dịch vụ công quốc gia trả lời \(service) không đúng (HTTP \(response.status.code)).")
        }
        guard answer.error_code == "0", let items = answer.data else {
            throw ServiceError(
                .badGateway, "Cổng Dịch vụ công quốc gia từ chối \(service): \(answer.message ?? answer.error_code).")
        }
        return (items, String(decoding: body, as: UTF8.self))
    }

    static func fetch(_ settings: NationalPortalSettings, client: any Client) async throws -> Fetched {
        let procedures = try await fetch("LayThuTuc", as: NationalProcedure.self, settings, client: client)
        let agencies = try await fetch("LayDanhMucCoQuan", as: NationalAgency.self, settings, client: client)
        return Fetched(
            procedures: procedures.items, agencies: agencies.items,
            fingerprint: Checksum.sha256(procedures.body + "\n" + agencies.body))
    }

    static func unit(_ text: String?) -> TimeUnit? {
        switch text?.lowercased().trimmingCharacters(in: .whitespaces) {
        case "ngày làm việc": .workingDays
        case "ngày": .calendarDays
        case "giờ làm việc": .workingHours
        default: nil
        }
    }

    /// Our terms with the national name, time and fee (what it does not say is kept).
    static func updated(_ terms: ProcedureTerms, by n: NationalProcedure) -> ProcedureTerms {
        var t = terms
        t.name = n.TenTTHC.trimmingCharacters(in: .whitespaces)
        if let amount = n.ThoiHanGiaiQuyet, let unit = unit(n.DonViThoiHan) {
            t.timeAmount = amount
            t.timeUnit = unit
        }
        if let fee = n.LePhi { t.feeVND = fee }
        return t
    }

    static func time(_ t: ProcedureTerms) -> String {
        "\(PageTime.number(Int(t.timeAmount))) \(t.timeUnit.vietnameseName)"
            + (t.timeAmount == t.timeAmount.rounded() ? "" : " (\(t.timeAmount))")
    }

    static func compare(_ fetched: Fetched, on db: any Database) async throws -> Differences {
        var d = Differences(fingerprint: fetched.fingerprint)
        let ours = try await ProcedureModel.query(on: db).all()
        let byCode = Dictionary(ours.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for n in fetched.procedures.sorted(by: { $0.MaTTHC < $1.MaTTHC }) {
            guard let p = byCode[n.MaTTHC], let terms = try? p.terms else {
                d.newProcedures.append(Item(code: n.MaTTHC, name: n.TenTTHC))
                continue
            }
            let new = updated(terms, by: n)
            func add(_ term: String, _ a: String, _ b: String) {
                if a != b {
                    d.procedures.append(Change(code: p.code, name: terms.name, term: term, ours: a, national: b))
                }
            }
            add("Tên thủ tục", terms.name, new.name)
            add("Thời hạn giải quyết", time(terms), time(new))
            add("Phí, lệ phí", PageTime.number(terms.feeVND) + " đồng", PageTime.number(new.feeVND) + " đồng")
        }
        let agencies = try await AgencyModel.query(on: db).all()
        let agencyByCode = Dictionary(agencies.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for n in fetched.agencies.sorted(by: { $0.MaCoQuan < $1.MaCoQuan }) {
            let name = n.TenCoQuan.trimmingCharacters(in: .whitespaces)
            guard let a = agencyByCode[n.MaCoQuan] else {
                d.newAgencies.append(Item(code: n.MaCoQuan, name: name))
                continue
            }
            if a.name != name {
                d.agencies.append(Change(code: a.code, name: a.name, term: "Tên cơ quan", ours: a.name, national: name))
            }
        }
        return d
    }

    func show(req: Request) async throws -> Response {
        let settings = try Self.settings(req)
        let fetched = try await Self.fetch(settings, client: req.client)
        let differences = try await Self.compare(fetched, on: req.db)
        return try await NationalSyncPage().render(req, notice: nil, error: nil, catalogue: differences)
            .encodeResponse(for: req)
    }

    struct ApplyForm: Content { var fingerprint: String? }

    func apply(req: Request) async throws -> Response {
        let actor = try req.actor()
        let settings = try Self.settings(req)
        let form = try req.content.decode(ApplyForm.self)
        let fetched = try await Self.fetch(settings, client: req.client)
        guard form.fingerprint == fetched.fingerprint else {
            let differences = try await Self.compare(fetched, on: req.db)
            return try await NationalSyncPage().render(
                req, notice: nil,
                error: "Danh mục trên Cổng quốc gia vừa thay đổi: dưới đây là khác biệt mới nhất, xem lại rồi áp dụng.",
                catalogue: differences
            ).encodeResponse(status: .conflict, for: req)
        }
        let byCode = Dictionary(fetched.procedures.map { ($0.MaTTHC, $0) }, uniquingKeysWith: { a, _ in a })
        let agencyNames = Dictionary(
            fetched.agencies.map { ($0.MaCoQuan, $0.TenCoQuan) }, uniquingKeysWith: { a, _ in a })
        let (applied, problems) = try await req.db.transaction { tx -> (Int, [String]) in
            var problems: [String] = []
            var applied = 0
            for p in try await ProcedureModel.query(on: tx).all() {
                guard let n = byCode[p.code], let old = try? p.terms else { continue }
                let new = Self.updated(old, by: n)
                guard new != old else { continue }
                if let problem = new.problems.values.sorted().first {
                    problems.append("\(p.code): \(problem)")
                    continue
                }
                p.name = new.name
                p.termsJSON = JSON.encode(new)
                try await p.update(on: tx)
                try await Audit.record(
                    "Cập nhật thủ tục theo Cổng DVC quốc gia", entity: "procedure", id: p.code,
                    changes: [
                        .init(field: "name", old: old.name, new: new.name),
                        .init(field: "time", old: Self.time(old), new: Self.time(new)),
                        .init(field: "fee_vnd", old: String(old.feeVND), new: String(new.feeVND)),
                    ].filter { $0.old != $0.new }, actor: actor, on: tx)
                applied += 1
            }
            for a in try await AgencyModel.query(on: tx).all() {
                guard let name = agencyNames[a.code]?.trimmingCharacters(in: .whitespaces), name != a.name else {
                    continue
                }
                guard !name.isEmpty, name.count <= 300, TextInput.isClean(name) else {
                    problems.append("\(a.code): tên cơ quan không hợp lệ")
                    continue
                }
                let old = a.name
                a.name = name
                try await a.update(on: tx)
                try await Audit.record(
                    "Cập nhật tên cơ quan theo Cổng DVC quốc gia", entity: "agency", id: a.code,
                    changes: [.init(field: "name", old: old, new: name)], actor: actor, on: tx)
                applied += 1
            }
            return (applied, problems)
        }
        let left = try await Self.compare(fetched, on: req.db)
        let notice =
            "Đã áp dụng \(applied) thay đổi."
            + (problems.isEmpty ? "" : " Không áp dụng được: \(problems.joined(separator: "; ")).")
        return try await NationalSyncPage().render(req, notice: notice, error: nil, catalogue: left)
            .encodeResponse(for: req)
    }

    static func settings(_ req: Request) throws -> NationalPortalSettings {
        guard let settings = req.motcua.settings.nationalPortal else {
            throw ServiceError(
                .serviceUnavailable, "Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia (MOTCUA_DVCQG_*).")
        }
        return settings
    }
}

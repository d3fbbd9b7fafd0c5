import Crypto
import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import Testing
import Vapor
@testable import MotCuaServer

/// The National Public Service Portal as a stand-in on a real port (issue 25, point 2): it checks
/// each message's HMAC with its own code, keeps what it acknowledged, and can be down (503), slow
/// (past the caller's time-out) or refusing (`error_code` -1), as the real one is at times. It also
/// serves its catalogue (LayThuTuc, LayDanhMucCoQuan) and sends us the dossiers citizens submit there.
final class NationalPortalStandIn: Sendable {
    enum Mode: Sendable { case up, down, slow, refusing }
    static let secret = "khoa-dung-chung-cong-dvcqg-2026"
    let app: Application
    let port: Int
    let mode = NIOLockedValueBox<Mode>(.up)
    /// The bodies of the pushes it acknowledged, in the order they came.
    let acknowledged = NIOLockedValueBox<[Data]>([])
    let forged = NIOLockedValueBox(0)
    /// The `data` of LayThuTuc and LayDanhMucCoQuan, as JSON.
    let catalogue = NIOLockedValueBox<(procedures: String, agencies: String)>(("[]", "[]"))

    static func sign(_ body: Data) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    var environment: [String: String] {
        ["MOTCUA_DVCQG_URL": "http://127.0.0.1:\(port)/dvcqg", "MOTCUA_DVCQG_UNIT_CODE": "000.00.00.H14",
         "MOTCUA_DVCQG_SECRET": Self.secret]
    }

    init() async throws {
        app = try await Application.make(.testing)
        let mode = self.mode, acknowledged = self.acknowledged, forged = self.forged, catalogue = self.catalogue
        app.on(.POST, "dvcqg", body: .collect(maxSize: "10mb")) { req async throws -> Response in
            func answer(_ json: String) -> Response {
                Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
            }
            let body = req.body.data.map { Data(buffer: $0) } ?? Data()
            switch mode.withLockedValue({ $0 }) {
            case .down: return Response(status: .serviceUnavailable, body: "503 Service Temporarily Unavailable")
            case .slow: try await Task.sleep(for: .seconds(3))
            default: break
            }
            guard req.headers.first(name: "X-DVCQG-Signature") == Self.sign(body) else {
                forged.withLockedValue { $0 += 1 }
                return answer(#"{"error_code":"-1","message":"Sai chữ ký"}"#)
            }
            let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
            switch object["service"] as? String {
            case "DongBoHoSoMC", "CapNhatTienDoHoSoMC":
                if mode.withLockedValue({ $0 }) == .refusing {
                    return answer(#"{"error_code":"-1","message":"Mã TTHC chưa được công bố trên Cổng"}"#)
                }
                acknowledged.withLockedValue { $0.append(body) }
                return answer(#"{"error_code":"0","message":"Thành công"}"#)
            case "LayThuTuc":
                return answer(#"{"error_code":"0","data":"# + catalogue.withLockedValue { $0.procedures } + "}")
            case "LayDanhMucCoQuan":
                return answer(#"{"error_code":"0","data":"# + catalogue.withLockedValue { $0.agencies } + "}")
            default:
                return answer(#"{"error_code":"-1","message":"Dịch vụ không tồn tại"}"#)
            }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// The pushes it acknowledged, decoded: (service, the item).
    var messages: [(service: String, item: [String: Any])] {
        acknowledged.withLockedValue { bodies in
            bodies.map { body in
                let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
                return (o["service"] as? String ?? "", (o["data"] as? [[String: Any]])?.first ?? [:])
            }
        }
    }

    /// A dossier a citizen submitted on the portal, as the portal sends it to the province.
    static func submission(_ nationalCode: String, procedure: String = "1.001978.000.00.00.H28") -> Data {
        let file = minimalPDF("To khai").base64EncodedString()
        let json = """
            {"MaHoSoQG":"\(nationalCode)","MaTTHC":"\(procedure)","ChuHoSo":"Lâm Thị Cẩm Tú","LoaiDoiTuong":1,
            "SoDinhDanh":"092301004567","NgaySinh":"1995-03-08","DiaChi":"Số 5, đường 3 tháng 2, phường Ninh Kiều",
            "SoDienThoai":"0939123456","Email":"camtu@example.vn","TrichYeu":"Cấp phiếu lý lịch tư pháp số 1",
            "HinhThucNhanKetQua":1,"TepDinhKem":[{"TenTep":"to-khai.pdf","MaThanhPhan":1,"NoiDung":"\(file)"},
            {"TenTep":"cccd.pdf","MaThanhPhan":2,"NoiDung":"\(file)"}]}
            """
        return Data(json.utf8)
    }
}

@Suite(.serialized)
struct NationalPortalTests {
    func send(_ t: TestApp, _ body: Data, signature: String? = nil) async throws -> TestApp.Reply {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.replaceOrAdd(name: "X-DVCQG-Signature", value: signature ?? NationalPortalStandIn.sign(body))
        return try await t.request(.POST, "/api/v1/national/dossiers", headers: headers, body: ByteBuffer(data: body))
    }

    func withPortal(_ db: TestDatabase, _ body: (TestApp, NationalPortalStandIn) async throws -> Void) async throws {
        let portal = try await NationalPortalStandIn()
        do {
            try await TestApp.with(db, environment: portal.environment) { t in try await body(t, portal) }
        } catch {
            try await portal.stop()
            throw error
        }
        try await portal.stop()
    }

    /// Runs the worker until a run sends nothing (each run sends a dossier's next message).
    func drain(_ t: TestApp, at now: Date, timeout: Int64 = 20) async throws -> NationalSyncWorker.Outcome {
        var settings = try #require(t.app.motcua.settings.nationalPortal)
        settings.timeoutSeconds = timeout
        var total = NationalSyncWorker.Outcome()
        for _ in 0..<50 {
            let r = try await NationalSyncWorker.run(settings, client: t.app.client, at: now, on: t.app.db)
            total.sent += r.sent
            total.failed += r.failed
            if r.sent == 0 { break }
        }
        return total
    }

    @Test(arguments: TestDatabase.available)
    func aDossierFromTheNationalPortalIsProcessedAndEveryStepReachesItInOrder(db: TestDatabase) async throws {
        try await withPortal(db) { t, portal in
            // A forged message creates nothing.
            let body = NationalPortalStandIn.submission("G22.99-261207-000123")
            let forged = try await send(t, body, signature: "sha256=" + String(repeating: "0", count: 64))
            #expect(forged.status == .unauthorized && forged.detail.contains("Chữ ký"))
            #expect(try await DossierModel.query(on: t.app.db).count() == 0)

            // The same dossier sent twenty times at once is one dossier.
            let replies = try await withThrowingTaskGroup(of: TestApp.Reply.self) { group in
                for _ in 0..<20 { group.addTask { try await send(t, body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .ok }, "\(replies.map(\.text))")
            let codes = Set(replies.compactMap { $0.json["MaHoSo"] as? String })
            #expect(codes.count == 1)
            #expect(replies.filter { $0.json["duplicate"] as? Bool == false }.count == 1)
            let code = try #require(codes.first)
            #expect(try await DossierModel.query(on: t.app.db).count() == 1)
            let d = try await t.dossier(code)
            #expect(d.status == "submitted" && d.channel == "online" && d.resultDelivery == "post")
            #expect(try await DossierFileModel.query(on: t.app.db).filter(\.$dossierID == d.id!).count() == 2)
            // A bad one is refused and changes nothing.
            let bad = try await send(t, NationalPortalStandIn.submission("G22.99-261207-000124", procedure: "9.999"))
            #expect(bad.status == .unprocessableEntity && bad.detail.contains("9.999"))
            #expect(try await DossierModel.query(on: t.app.db).count() == 1)

            // The desk takes it from its online queue and the department processes it, while the portal is down.
            portal.mode.withLockedValue { $0 = .down }
            let reception = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
            let officer = try await t.login("stp.hctp.cv1"), officerID = try await t.user("stp.hctp.cv1").id!
            var version = d.version
            func act(_ action: String, _ token: String, _ configure: (inout ActionRequest) -> Void = { _ in }) async throws {
                var b = ActionRequest(version: version)
                configure(&b)
                let r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: b)
                #expect(r.status == .ok, "\(action): \(r.text)")
                version = try r.decode(DossierDetail.self).dossier.version
            }
            try await act("accept", reception)
            try await act("hand_over", reception)
            try await act("assign", head) { $0.officer = officerID }
            try await act("request_supplement", officer) { $0.reason = "Bản chụp CCCD bị mờ"; $0.components = [2] }

            let down = try await drain(t, at: Date())
            #expect(down == .init(sent: 0, failed: 1))
            #expect(portal.messages.isEmpty)
            let failing = try #require(try await NationalSync.state(of: d.id!, on: t.app.db))
            #expect(failing.pending == 9 && failing.sent == 0 && failing.lastError?.contains("HTTP 503") == true)
            // The API tells it too, with the portal's answer.
            let detail = try await t.request(.GET, "/api/v1/dossiers/\(code)", token: reception).decode(DossierDetail.self)
            #expect(detail.nationalSync?.pending == 9 && detail.nationalSync?.lastError?.contains("HTTP 503") == true)
            // Not tried again before its delay.
            #expect(try await drain(t, at: Date()) == .init())

            // The sync page lists the failure; "Gửi lại" makes it due now; the outbox drains in order.
            let admin = try await t.pageSession("quantri")
            let page = try await t.request(.GET, NationalSyncPage.path, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains(code) && page.text.contains("HTTP 503"))
            portal.mode.withLockedValue { $0 = .up }
            let retried = try await t.post(NationalSyncPage.path + "/gui-lai", "code=\(code)", session: admin)
            #expect(retried.status == .seeOther)
            #expect(try await drain(t, at: Date()) == .init(sent: 9, failed: 0))
            let messages = portal.messages
            #expect(messages.map(\.service) == [
                "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoHoSoMC",
                "CapNhatTienDoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoHoSoMC", "CapNhatTienDoHoSoMC",
            ])
            let records = messages.filter { $0.service == "DongBoHoSoMC" }.map(\.item)
            #expect(records.map { $0["TrangThaiHoSo"] as? Int } == [1, 2, 4, 5])
            #expect(records.allSatisfy { $0["MaHoSo"] as? String == code && $0["MaHoSoQG"] as? String == "G22.99-261207-000123" })
            #expect(records.allSatisfy { $0["KenhThucHien"] as? Int == 2 && $0["HinhThuc"] as? Int == 1 })
            #expect((records[1]["NgayTiepNhan"] as? String).flatMap(VietnamTime.parseCompact) != nil)
            let supplement = try #require((records[3]["DanhSachHoSoBoSung"] as? [[String: Any]])?.first)
            #expect(supplement["LyDoBoSung"] as? String == "Bản chụp CCCD bị mờ")
            #expect((supplement["DanhSachGiayToBoSung"] as? [String])?.count == 1)
            let steps = messages.filter { $0.service == "CapNhatTienDoHoSoMC" }.map(\.item)
            #expect(steps.map { $0["TrangThai"] as? Int } == [1, 2, 4, 4, 5])
            #expect((steps[3]["NoiDungXuLy"] as? String)?.isEmpty == false)
            #expect(steps.allSatisfy { ($0["ThoiDiemXuLy"] as? String)?.count == 14 })
            #expect(portal.forged.withLockedValue { $0 } == 0)

            // Nothing is sent twice.
            #expect(try await drain(t, at: Date().addingTimeInterval(86_400)) == .init())
            #expect(portal.messages.count == 9)
            let synced = try #require(try await NationalSync.state(of: d.id!, on: t.app.db))
            #expect(synced.sent == 9 && synced.pending == 0 && synced.lastError == nil)
            let officerPage = try await t.request(.GET, "/ho-so/\(code)", headers: try await t.pageSession("stp.tiepnhan").headers)
            #expect(officerPage.text.contains("Đã đồng bộ (9 thông điệp)"))
            #expect(officerPage.text.contains("Cổng Dịch vụ công quốc gia, mã G22.99-261207-000123"))

            // A time-out and a refusal are kept with the portal's answer, and tried again later.
            portal.mode.withLockedValue { $0 = .slow }
            try await act("supplement", reception)
            let slow = try await drain(t, at: Date(), timeout: 1)
            #expect(slow == .init(sent: 0, failed: 1))
            portal.mode.withLockedValue { $0 = .refusing }
            let refused = try await drain(t, at: Date().addingTimeInterval(3600))
            #expect(refused == .init(sent: 0, failed: 1))
            let state = try #require(try await NationalSync.state(of: d.id!, on: t.app.db))
            #expect(state.lastError?.contains("error_code -1") == true)
            #expect(state.lastAnswer?.contains("chưa được công bố") == true)
            portal.mode.withLockedValue { $0 = .up }
            #expect(try await drain(t, at: Date().addingTimeInterval(3 * 3600)) == .init(sent: 2, failed: 0))
            #expect(portal.messages.count == 11)

            // The 766 figure: this dossier, every message acknowledged within its day.
            let today = VietnamTime.local(Date()).date.components
            let month = try #require(LocalDate(year: today.year, month: today.month, day: 1))
            let share = try await NationalSyncShare.month(month, scope: .everything, now: Date(), on: t.app.db)
            #expect(share.total == .init(onTime: 1, all: 1))
            let index = try await QualityIndex.month(month, scope: .everything, now: Date(), on: t.app.db)
            #expect(index.total.syncedOnTimeShare == 1)
            let late = try await NationalSyncShare.month(month, scope: .everything, now: Date().addingTimeInterval(2 * 86400), on: t.app.db)
            #expect(late.total == .init(onTime: 1, all: 1))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCatalogueShowsItsDifferencesBeforeTheyAreApplied(db: TestDatabase) async throws {
        try await withPortal(db) { t, portal in
            portal.catalogue.withLockedValue {
                $0 = (
                    procedures: """
                        [{"MaTTHC":"1.001978.000.00.00.H28","TenTTHC":"Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
                        "ThoiHanGiaiQuyet":10,"DonViThoiHan":"Ngày làm việc","LePhi":100000},
                        {"MaTTHC":"2.000001.000.00.00.H14","TenTTHC":"Thủ tục mới công bố","ThoiHanGiaiQuyet":5,
                        "DonViThoiHan":"Ngày làm việc","LePhi":0}]
                        """,
                    agencies: """
                        [{"MaCoQuan":"000.00.12.H28","TenCoQuan":"Sở Tư pháp thành phố Cần Thơ (mới)"},
                        {"MaCoQuan":"000.99.00.H14","TenCoQuan":"Cơ quan mới"}]
                        """)
            }
            let admin = try await t.pageSession("quantri")
            let before = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$code == "1.001978.000.00.00.H28").first())
            let shown = try await t.request(.GET, NationalSyncPage.path + "/danh-muc", headers: admin.headers)
            #expect(shown.status == .ok)
            for text in ["100.000 đồng", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "2.000001.000.00.00.H14",
                         "Sở Tư pháp thành phố Cần Thơ (mới)", "000.99.00.H14"] {
                #expect(shown.text.contains(text), "\(text)")
            }
            // Shown, not applied.
            #expect(try await ProcedureModel.find(before.id, on: t.app.db)?.termsJSON == before.termsJSON)
            // Another portal answer than the one shown is not applied.
            let marker = "name=\"fingerprint\" value=\""
            let start = try #require(shown.text.range(of: marker)).upperBound
            let fingerprint = String(shown.text[start...].prefix { $0 != "\"" })
            let stale = try await t.post(NationalSyncPage.path + "/danh-muc", "fingerprint=abc", session: admin)
            #expect(stale.status == .conflict && stale.text.contains("vừa thay đổi"))
            #expect(try await ProcedureModel.find(before.id, on: t.app.db)?.termsJSON == before.termsJSON)

            let applied = try await t.post(NationalSyncPage.path + "/danh-muc", "fingerprint=\(fingerprint)", session: admin)
            #expect(applied.status == .ok && applied.text.contains("Đã áp dụng 2 thay đổi"), "\(applied.text)")
            let after = try #require(try await ProcedureModel.find(before.id, on: t.app.db))
            #expect(try after.terms.feeVND == 100_000 && after.name == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")
            #expect(try await AgencyModel.query(on: t.app.db).filter(\.$code == "000.00.12.H28").first()?.name
                    == "Sở Tư pháp thành phố Cần Thơ (mới)")
            #expect(try await AgencyModel.query(on: t.app.db).filter(\.$code == "000.99.00.H14").count() == 0)
            let audit = try await t.audit().map(\.summary)
            #expect(audit.contains("Cập nhật thủ tục theo Cổng DVC quốc gia") && audit.contains("Cập nhật tên cơ quan theo Cổng DVC quốc gia"))
            // Applied: only what we do not have is left.
            let again = try await t.request(.GET, NationalSyncPage.path + "/danh-muc", headers: admin.headers)
            #expect(again.text.contains("Không có thay đổi nào cho thủ tục, cơ quan đã có"))
            // Another role cannot open it.
            let desk = try await t.pageSession("stp.tiepnhan")
            #expect(try await t.request(.GET, NationalSyncPage.path, headers: desk.headers).status == .forbidden)
        }
    }

    @Test func withoutSettingsNothingIsQueuedAndThePortalIsRefused() async throws {
        try await TestApp.with(.sqlite) { t in
            let reception = try await t.login("stp.tiepnhan")
            let created = try await t.request(.POST, "/api/v1/dossiers", token: reception, json: criminalRecordRequest())
            #expect(created.status == .created)
            let d = try await t.dossier(try created.decode(DossierDetail.self).dossier.code)
            #expect(try await NationalSync.state(of: d.id!, on: t.app.db) == nil)
            let r = try await send(t, NationalPortalStandIn.submission("G22.99-261207-000125"))
            #expect(r.status == .serviceUnavailable)
        }
    }
}

import Fluent
import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// The portal's catalogue (issue 22, point 1): searched by name with or without diacritics or by
/// code, filtered by agency, field, level and online level; a procedure's page says what a citizen
/// must know before submitting; bad criteria get a Vietnamese error and the form back.
@Suite(.serialized) struct PortalCatalogueTests {
    static func found(_ page: String) -> Int? {
        guard let r = page.range(of: #"Tìm thấy ([0-9.]+) thủ tục"#, options: .regularExpression) else { return nil }
        return Int(page[r].filter(\.isNumber))
    }

    @Test(arguments: [TestDatabase.sqlite])
    func aCitizenFindsAProcedureAndReadsWhatToBring(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let all = try await ProcedureModel.query(on: t.app.db).count()
            let list = try await t.request(.GET, "/thu-tuc")
            #expect(list.status == .ok && Self.found(list.text) == all)
            #expect(list.text.contains("href=\"/thu-tuc/1.001978.000.00.00.H28\""))
            // With and without diacritics, by word beginnings, and by a part of the code.
            let accented = try await t.request(.GET, "/thu-tuc?q=l%C3%BD%20l%E1%BB%8Bch%20t%C6%B0").text
            let plain = try await t.request(.GET, "/thu-tuc?q=LY%20LICH%20tu").text
            #expect(Self.found(accented) == 2 && Self.found(plain) == 2)
            #expect(plain.contains("Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng"))
            let byCode = try await t.request(.GET, "/thu-tuc?q=1.001978").text
            let none = try await t.request(.GET, "/thu-tuc?q=khongcothutucnay").text
            #expect(Self.found(byCode) == 1 && Self.found(none) == 0 && none.contains("Không có thủ tục nào phù hợp"))
            // Filters narrow to exactly what they name.
            let stp = try #require(try await AgencyModel.query(on: t.app.db).filter(\.$name == "Sở Tư pháp").first())
            let ofSTP = try await ProcedureModel.query(on: t.app.db).filter(\.$agencyID == stp.id!).all()
            let byAgency = try await t.request(.GET, "/thu-tuc?agency=\(stp.id!)").text
            #expect(Self.found(byAgency) == ofSTP.count && byAgency.contains("<details class=\"filters-inline\" open>"))
            let online = try await t.request(.GET, "/thu-tuc?agency=\(stp.id!)&online=full").text
            let fullyOnline = try ofSTP.filter { try $0.terms.onlineLevel == .full }.count
            #expect(Self.found(online) == fullyOnline)
            let communes = try await AgencyModel.query(on: t.app.db).filter(\.$kind == AgencyKind.commune.rawValue).all()
                .map(\.id!)
            let atCommune = try await ProcedureModel.query(on: t.app.db).filter(\.$agencyID ~~ communes).count()
            let byLevel = try await t.request(.GET, "/thu-tuc?level=xa").text
            #expect(atCommune > 0 && Self.found(byLevel) == atCommune)
            // Criteria that name nothing: a Vietnamese error, the search kept.
            var bad = try await t.request(.GET, "/thu-tuc?q=ly%20lich&level=quoc-gia")
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Cấp thực hiện không hợp lệ.") && bad.text.contains("value=\"ly lich\""))
            bad = try await t.request(.GET, "/thu-tuc?agency=\(UUID())")
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Cơ quan thực hiện đã chọn không có trong danh mục."))
            bad = try await t.request(.GET, "/thu-tuc?q=" + String(repeating: "a", count: 201))
            #expect(bad.status == .unprocessableEntity)
            // The procedure's page: time and how it counts, fee and when, online level, components.
            let procedure = try #require(try await ProcedureModel.query(on: t.app.db).filter(\.$code == "1.001978.000.00.00.H28").first())
            var terms = try procedure.terms
            let form = minimalPDF("Tờ khai")
            let sha = try t.app.motcua.files.put(form).sha256
            terms.components[0].blankForm = "to-khai-lltp.pdf"
            terms.components[0].blankFormSHA256 = sha
            procedure.termsJSON = JSON.encode(terms)
            try await procedure.save(on: t.app.db)
            let page = try await t.request(.GET, "/thu-tuc/1.001978.000.00.00.H28")
            #expect(page.status == .ok)
            for text in [
                "10 ngày làm việc", "không tính thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết", "200.000 đồng · Thu trước khi giải quyết",
                "Toàn trình", "Sở Tư pháp", "Phòng Hành chính tư pháp", "Phiếu lý lịch tư pháp", "Không bắt buộc",
                "href=\"/mau-don/1.001978.000.00.00.H28/1\"", "Tải mẫu: to-khai-lltp.pdf", "Thụ lý hồ sơ — 8 ngày làm việc",
            ] {
                #expect(page.text.contains(text), "\(text)")
            }
            let download = try await t.request(.GET, "/mau-don/1.001978.000.00.00.H28/1")
            #expect(download.status == .ok && download.body == form)
            let missing = try await t.request(.GET, "/thu-tuc/9.999999.H28")
            #expect(missing.status == .notFound && missing.text.contains("Không có thủ tục hành chính mã"))
            // An agency that no longer receives: its procedures leave the catalogue.
            stp.effectiveTo = VietnamTime.local(Date()).date.iso
            try await stp.save(on: t.app.db)
            let after = try await t.request(.GET, "/thu-tuc").text
            #expect(Self.found(after) == all - ofSTP.count)
            #expect(try await t.request(.GET, "/thu-tuc/1.001978.000.00.00.H28").status == .notFound)
        }
    }
}

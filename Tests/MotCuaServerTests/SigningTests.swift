import Fluent
import Foundation
import MotCuaCore
import MotCuaSigning
import MotCuaTestSupport
import Testing
import Vapor
@testable import MotCuaServer

/// "Ký duyệt" signs the department's draft: refused without a draft or a valid certificate; once
/// signed, the dossier, its log, its page and the public lookup carry the signature, the applicant
/// downloads the result and its signature, and OpenSSL verifies them against the CA published at
/// /chu-ky-so/ca.pem; one of many identical approvals wins.
@Suite(.serialized) struct SigningTests {
    /// A dossier at "Chờ ký duyệt" with the leader's token.
    func awaitingSignature(_ t: TestApp, draft: Bool = true) async throws -> (code: String, leader: String, officer: String, version: Int) {
        let desk = try await t.login("stp.tiepnhan"), head = try await t.login("stp.hctp.truongphong")
        let officer = try await t.login("stp.hctp.cv1"), leader = try await t.login("stp.lanhdao")
        let officerID = try await t.user("stp.hctp.cv1").id!
        let code = try await t.request(.POST, "/api/v1/dossiers", token: desk, json: criminalRecordRequest()).decode(DossierDetail.self).dossier.code
        let steps: [(String, String, ActionRequest)] = [
            ("hand_over", desk, ActionRequest(version: 1)), ("assign", head, ActionRequest(version: 2, officer: officerID)),
            // Without a draft only a refusal can be proposed (an approval is refused at the proposal).
            ("propose", officer, draft ? ActionRequest(version: 3, opinion: "Đủ điều kiện", proposal: .approve)
                : ActionRequest(version: 3, opinion: "Không đủ điều kiện", reason: "Thiếu giấy tờ", proposal: .refuse)),
            ("submit_for_signature", head, ActionRequest(version: 4)),
        ]
        for (action, token, body) in steps {
            if action == "propose", draft {
                #expect(try await t.upload(minimalPDF("Phiếu lý lịch tư pháp số 77"), name: "phieu-ly-lich.pdf", component: nil, to: code, token: officer).status == .created)
            }
            #expect(try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: token, json: body).status == .ok, "\(action)")
        }
        return (code, leader, officer, 5)
    }

    static func openssl(_ arguments: [String]) throws -> Int32 {
        try MotcuaProcess.run(program: URL(fileURLWithPath: "/usr/bin/openssl"), arguments).status
    }

    @Test(arguments: TestDatabase.available)
    func approvalSignsTheDraftAndAnyoneVerifiesIt(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // No draft (a refusal was proposed, the leader approves instead): refused, nothing changes.
            let bare = try await awaitingSignature(t, draft: false)
            var r = try await t.request(.POST, "/api/v1/dossiers/\(bare.code)/actions/approve", token: bare.leader, json: ActionRequest(version: 5))
            #expect(r.status == .unprocessableEntity && r.detail.contains("Chưa có dự thảo kết quả"), "\(r.status)")
            #expect(try await t.dossier(bare.code).version == 5)

            let (code, leader, _, _) = try await awaitingSignature(t)
            // A revoked certificate: refused with the reason, nothing changes.
            let ca = t.app.motcua.signing.ca, secret = try t.app.motcua.signing.secret()
            try ca.revoke(username: "stp.lanhdao", reason: .keyCompromise, secret: secret)
            let logBefore = try await t.logCount(code)
            r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/approve", token: leader, json: ActionRequest(version: 5))
            #expect(r.status == .forbidden && r.detail.contains("thu hồi") && r.detail.contains("motcua ca issue --user stp.lanhdao"), "\(r.text)")
            let unchanged = try await t.dossier(code)
            #expect(try await t.logCount(code) == logBefore && unchanged.status == "processing" && unchanged.resultJSON == nil)
            try ca.issue(username: "stp.lanhdao", fullName: try await t.user("stp.lanhdao").fullName, secret: secret)

            // Signed.
            r = try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/approve", token: leader, json: ActionRequest(version: 5))
            #expect(r.status == .ok, "\(r.text)")
            let detail = try r.decode(DossierDetail.self)
            let d = try await t.dossier(code)
            let signed = try JSON.decode(SignedResult.self, try #require(d.resultJSON))
            let draft = try #require(try await DossierFileModel.find(signed.fileID, on: t.app.db))
            #expect(signed.fileName == "phieu-ly-lich.pdf" && signed.sha256 == draft.sha256 && signed.signerUsername == "stp.lanhdao")
            let approval = try #require(detail.log.last)
            #expect(approval.action == "approve")
            #expect(approval.changes.contains { $0.field == "result_file" && $0.new == "phieu-ly-lich.pdf (sha256 \(draft.sha256))" })
            #expect(approval.changes.contains { $0.field == "result_signature" && $0.new?.contains(signed.signatureSHA256) == true })
            #expect(approval.changes.contains { $0.field == "signer_certificate" && $0.new?.contains(signed.certificateSerial) == true })
            #expect(detail.files.contains { $0.fileName == "phieu-ly-lich.pdf.p7s" && $0.contentType == "application/pkcs7-signature" })
            #expect(try await Launch.verifyLog(t.app).ok)

            // The staff's downloads and the CA's public certificate verify with OpenSSL.
            let folder = t.directory.appendingPathComponent("verify")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let result = folder.appendingPathComponent("ket-qua.pdf"), sig = folder.appendingPathComponent("ket-qua.pdf.p7s"), caPEM = folder.appendingPathComponent("ca.pem")
            try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(signed.fileID.uuidString)", token: leader).body.write(to: result)
            try await t.request(.GET, "/api/v1/dossiers/\(code)/files/\(signed.signatureFileID.uuidString)", token: leader).body.write(to: sig)
            let published = try await t.request(.GET, "/chu-ky-so/ca.pem")
            #expect(published.status == .ok && published.text.hasPrefix("-----BEGIN CERTIFICATE-----"))
            try published.body.write(to: caPEM)
            let verify = ["cms", "-verify", "-binary", "-inform", "DER", "-content", result.path, "-in", sig.path, "-CAfile", caPEM.path, "-purpose", "any", "-out", "/dev/null"]
            #expect(try Self.openssl(verify) == 0)
            // Only the public files: never the sealed keys or the secret beside them.
            for name in ["ca.key", "secret", "revoked.json", "users%2Fstp.lanhdao.key", "..%2Fca%2Fsecret"] {
                let r = try await t.request(.GET, "/chu-ky-so/\(name)")
                #expect((r.status == .notFound || r.status == .forbidden) && !r.text.contains("BEGIN"), "\(name): \(r.status)")
            }

            // The dossier's page: signer, time, validity.
            let desk = try await t.pageSession("stp.tiepnhan")
            var page = try await t.request(.GET, "/ho-so/\(code)", headers: desk.headers).text
            #expect(page.contains("Chữ ký số hợp lệ") && page.contains(signed.signer) && page.contains(PageTime.dateTime(signed.signedAt)))

            // The applicant: the lookup shows the signature and gives the electronic copy and its signature.
            let secretCode = d.lookupSecret
            let lookup = try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secretCode)").text
            #expect(lookup.contains("Chữ ký số hợp lệ") && lookup.contains(signed.signer) && lookup.contains("Tải bản điện tử"))
            let copy = try await t.request(.GET, "/tra-cuu/ket-qua?code=\(code)&secret=\(secretCode)")
            let resultBytes = try Data(contentsOf: result), signatureBytes = try Data(contentsOf: sig)
            #expect(copy.status == .ok && copy.body == resultBytes && copy.headers.contentType?.subType == "pdf")
            let copySignature = try await t.request(.GET, "/tra-cuu/ket-qua?code=\(code)&secret=\(secretCode)&tep=chu-ky")
            #expect(copySignature.body == signatureBytes)
            let wrong = secretCode == "0000" ? "1111" : "0000"
            #expect(try await t.request(.GET, "/tra-cuu/ket-qua?code=\(code)&secret=\(wrong)").status == .notFound)
            let api = try await t.request(.GET, "/api/v1/lookup?code=\(code)&secret=\(secretCode)")
            #expect(api.json["signer"] as? String == signed.signer && api.json["resultFile"] as? String == "phieu-ly-lich.pdf")

            // The 766 index counts the signed result as an electronic one: 1 of the month's 1 result.
            let monitor = try await t.login("lanhdaotinh")
            let quality = try await t.request(.GET, "/api/v1/reports/quality-index", token: monitor).json
            let columns = try #require(quality["columns"] as? [String]), rows = try #require(quality["rows"] as? [[Any]])
            let column = try #require(columns.firstIndex(of: "Tỷ lệ kết quả điện tử"))
            #expect((rows.last?[column] as? Double) == 1.0, "\(rows.last ?? [])")

            // Revoked afterwards because the leader moved: the signature, recorded at approval before
            // the revocation, stays valid, and the page and the lookup say why.
            try ca.revoke(username: "stp.lanhdao", reason: .affiliationChanged, secret: secret)
            page = try await t.request(.GET, "/ho-so/\(code)", headers: desk.headers).text
            #expect(page.contains("Chữ ký số hợp lệ: ký lúc") && page.contains("thay đổi cơ quan, chức vụ"), "\(page)")
            #expect(try await t.request(.GET, "/tra-cuu?code=\(code)&secret=\(secretCode)").text.contains("trước khi chứng thư số bị thu hồi"))
            // Had the key been compromised, no earlier signature would stand.
            let revoked = ca.directory.appendingPathComponent("revoked.json")
            try Data(String(decoding: try Data(contentsOf: revoked), as: UTF8.self)
                .replacingOccurrences(of: "affiliationChanged", with: "keyCompromise").utf8).write(to: revoked)
            page = try await t.request(.GET, "/ho-so/\(code)", headers: desk.headers).text
            #expect(page.contains("Chữ ký số không hợp lệ") && page.contains("lộ khoá ký"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func oneOfManyIdenticalApprovalsSigns(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            let (code, leader, _, _) = try await awaitingSignature(t)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await t.request(.POST, "/api/v1/dossiers/\(code)/actions/approve", token: leader, json: ActionRequest(version: 5)).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 19, "\(statuses)")
            let d = try await t.dossier(code)
            let signatures = try await DossierFileModel.query(on: t.app.db).filter(\.$dossierID == d.id!)
                .filter(\.$contentType == ResultSigning.signatureContentType).count()
            #expect(signatures == 1)
            #expect(try await t.request(.GET, "/api/v1/dossiers/\(code)", token: leader).decode(DossierDetail.self).log.filter { $0.action == "approve" }.count == 1)
        }
    }
}

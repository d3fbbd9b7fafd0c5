import Fluent
import Foundation
import MotCuaCore
import MotCuaSigning
import NIOPosix

/// What "Ký duyệt" signed: the result file (the department's draft), the leader's detached CMS
/// signature over its exact bytes (stored as a file of the dossier), and the certificate. Kept on
/// the dossier (`result_json`) and summed up in the approval's log entry.
struct SignedResult: Codable, Sendable, Equatable {
    var fileID: UUID
    var fileName: String
    var sha256: String
    var signatureFileID: UUID
    var signatureSHA256: String
    var signatureSize: Int
    var signer: String
    var signerUsername: String
    var certificateSerial: String
    var certificatePEM: String
    var signedAt: Date
}

/// The leader's signature at approval, on the provincial CA of `<data-dir>/ca` (MotCuaSigning).
/// The secret that opens the keys is read at each signature (MOTCUA_SIGNING_SECRET, else the CA's
/// secret file), so a CA made after the server started is used at once.
struct ResultSigning: Sendable {
    let ca: ProvincialCA
    let configuredSecret: String?

    init(dataDirectory: URL, secret: String?) {
        ca = ProvincialCA(dataDirectory: dataDirectory)
        configuredSecret = secret
    }

    func secret() throws -> SigningSecret {
        try SigningSecret.load(configured: configuredSecret, caDirectory: ca.directory)
    }

    static let signatureContentType = "application/pkcs7-signature"

    /// The result to sign: the latest file attached outside the components by the processing
    /// department (the assigned officer's draft, or a version the head or the leader attached).
    static func draft(of d: DossierModel, on db: any Database) async throws -> DossierFileModel? {
        let files = try await DossierFileModel.query(on: db).filter(\.$dossierID == d.id!).filter(\.$componentID == nil)
            .filter(\.$contentType != signatureContentType).sort(\.$uploadedAt, .descending).all()
        let uploaders = Set(files.compactMap(\.uploadedBy))
        let processing = Set(
            try await UserModel.query(on: db).filter(\.$id ~~ uploaders).all()
                .filter { !$0.roles.isDisjoint(with: [.officer, .head, .leader]) }.compactMap(\.id))
        return files.first { $0.uploadedBy.map(processing.contains) == true }
    }

    /// Signs the dossier's draft as the actor, before the approval's transaction (file reading and
    /// signing hold no lock). Refused, with the reason, without a draft or a valid certificate.
    func sign(draftOf d: DossierModel, actor: Actor, at now: Date, files: FileStore, on db: any Database) async throws
        -> SignedResult
    {
        guard let draft = try await Self.draft(of: d, on: db) else {
            throw ServiceError(.unprocessableEntity, PendingDecision.missingDraftMessage(.approve))
        }
        guard let id = actor.id, let user = try await UserModel.find(id, on: db) else {
            throw ServiceError(.forbidden, "Tài khoản không ký được kết quả.")
        }
        do {
            let signer = try ca.signer(username: user.username, secret: try secret(), now: now)
            let content = try await NIOThreadPool.singleton.runIfActive { try files.get(draft.sha256) }
            let signature = Data(try signer.sign(Array(content), at: now.wholeSeconds))
            let (sha, _) = try await NIOThreadPool.singleton.runIfActive { try files.put(signature, as: .cms) }
            return SignedResult(
                fileID: draft.id!, fileName: draft.fileName, sha256: draft.sha256,
                signatureFileID: UUID.timeOrdered(now: now),
                signatureSHA256: sha, signatureSize: signature.count, signer: signer.commonName,
                signerUsername: user.username,
                certificateSerial: signer.serial, certificatePEM: signer.certificatePEM, signedAt: now.wholeSeconds)
        } catch let e as SigningError {
            throw ServiceError(
                .forbidden,
                """
                Không ký duyệt được: \(e.description) Liên hệ quản trị hệ thống (motcua ca issue --user \
                \(user.username)).
                """
            )
        }
    }

    /// The signature's file row, written in the approval's transaction.
    static func signatureFile(_ s: SignedResult, of d: DossierModel, actor: Actor) -> DossierFileModel {
        let f = DossierFileModel()
        f.id = s.signatureFileID
        f.dossierID = d.id!
        f.componentID = nil
        f.version = 1
        f.sha256 = s.signatureSHA256
        f.fileName = s.fileName + ".p7s"
        f.contentType = signatureContentType
        f.size = s.signatureSize
        f.uploadedBy = actor.id
        f.uploadedAt = s.signedAt
        return f
    }

    /// The signature checked now against the CA and its revocations: what the pages show.
    struct Check: Sendable { let valid: Bool; let text: String }

    func check(_ s: SignedResult, files: FileStore) async -> Check {
        do {
            let (content, signature) = try await NIOThreadPool.singleton.runIfActive {
                (try files.get(s.sha256), try files.get(s.signatureSHA256))
            }
            switch try await ca.verify(content: Array(content), signature: Array(signature), recordedAt: s.signedAt) {
            case .valid(_, _, _, nil): return Check(valid: true, text: "Chữ ký số hợp lệ")
            case .valid(_, _, _, let revoked?):
                return Check(
                    valid: true,
                    text:
                        """
                        Chữ ký số hợp lệ: ký lúc \(ProvincialCA.dayAndTime(s.signedAt)), trước khi chứng thư số \
                        bị thu hồi 
                        """
                            + """
                            ngày \(ProvincialCA.day(revoked.at)) (lý do: \
                            \((revoked.reason ?? .keyCompromise).vietnamese)), nên chữ ký vẫn có giá trị
                            """
                )
            case .invalid(let reason): return Check(valid: false, text: "Chữ ký số không hợp lệ: \(reason)")
            }
        } catch {
            return Check(valid: false, text: "Không kiểm tra được chữ ký số: \(error)")
        }
    }
}

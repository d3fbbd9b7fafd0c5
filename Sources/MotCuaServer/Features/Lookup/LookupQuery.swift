import Fluent
import Foundation
import MotCuaCore
import Vapor

/// What anyone may learn of a dossier with its code and 4-digit secret.
struct LookupResult {
    let code: String
    let statusName: String
    let procedureName: String
    let applicantName: String
    let receivedAt: Date?
    let appointmentAt: Date?
    let completedAt: Date?
    let returnedAt: Date?
    /// The signed result (Nghị định 118/2025 art. 22: the applicant's electronic copy), once approved.
    let signed: SignedResult?
    /// The fee's payment ("Chờ thanh toán 200.000 đồng ..."), if one was requested.
    let payment: String?
}

/// The lookup as shown: by the API with instants in ISO 8601 (+07:00), by the page as
/// dd/MM/yyyy HH:mm (`time`).
struct PublicLookup: Content {
    var code: String
    var statusName: String
    var procedureName: String
    var applicantName: String
    var receivedAt: String?
    var appointmentAt: String?
    var completedAt: String?
    var returnedAt: String?
    /// The signed result's file, its signer and when it was signed.
    var resultFile: String?
    var signer: String?
    var signedAt: String?
    var payment: String?

    init(_ r: LookupResult, time: (Date) -> String = VietnamTime.iso) {
        code = r.code
        statusName = r.statusName
        procedureName = r.procedureName
        applicantName = r.applicantName
        receivedAt = r.receivedAt.map(time)
        appointmentAt = r.appointmentAt.map(time)
        completedAt = r.completedAt.map(time)
        returnedAt = r.returnedAt.map(time)
        resultFile = r.signed?.fileName
        signer = r.signed?.signer
        signedAt = r.signed.map { time($0.signedAt) }
        payment = r.payment
    }
}

enum LookupQuery {
    /// The public lookup: the code and its secret must both match, else "not found". Guesses are
    /// limited per code and per client address (`Throttle`): past the limit even the right secret
    /// gets 429 until the lock passes.
    static func run(code rawCode: String, secret rawSecret: String, client: String, on db: any Database) async throws
        -> LookupResult
    {
        let code = rawCode.trimmingCharacters(in: .whitespaces).uppercased(),
            secret = rawSecret.trimmingCharacters(in: .whitespaces)
        let notFound = ServiceError(.notFound, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.")
        guard !code.isEmpty, code.count <= 40, TextInput.isClean(code), secret.count <= 10, TextInput.isClean(secret)
        else {
            throw ServiceError(.unprocessableEntity, "Mã hồ sơ hoặc mã tra cứu không hợp lệ.")
        }
        // One reservation per code and per client address; one that is refused gives the other back.
        let throttles = [(Throttle.lookupCode, code), (Throttle.lookupAddress, client)]
        var waits: [Int] = []
        for (throttle, value) in throttles {
            if case .locked(let seconds) = try await throttle.reserve(value, at: Date(), on: db) {
                waits.append(seconds)
            } else {
                waits.append(0)
            }
        }
        if let wait = waits.max(), wait > 0 {
            for ((throttle, value), waited) in zip(throttles, waits) where waited == 0 {
                try await throttle.release(value, on: db)
            }
            throw ServiceError.tooManyAttempts("Đã nhập sai mã tra cứu quá nhiều lần.", retryAfter: wait)
        }
        guard let d = try await DossierModel.query(on: db).filter(\.$code == code).first(), d.lookupSecret == secret
        else { throw notFound }
        for (throttle, value) in throttles { try await throttle.release(value, on: db) }
        let terms = try JSON.decode(ProcedureTerms.self, d.procedureTermsJSON)
        return LookupResult(
            code: d.code, statusName: d.state.status.manualName, procedureName: terms.name,
            applicantName: d.applicantName,
            receivedAt: d.receivedAt, appointmentAt: d.appointmentAt, completedAt: d.completedAt,
            returnedAt: d.returnedAt,
            signed: try d.resultJSON.map { try JSON.decode(SignedResult.self, $0) },
            payment: try await PaymentModel.latest(of: d.id!, on: db)?.summary)
    }
}

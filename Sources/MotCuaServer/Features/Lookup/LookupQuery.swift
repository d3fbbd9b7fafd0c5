import Fluent
import Foundation
import MotCuaCore
import Vapor

/// What anyone may learn of a dossier with its code and 4-digit secret.
struct LookupResult {
    let dossierID: UUID
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
    /// The fee still to pay, while a payment request is open.
    let awaitingPaymentVND: Int?
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
    /// The public lookup: the code and its secret must both match, else "not found".
    ///
    /// Guesses are limited per code (5 wrong secrets in 15 minutes) and per client address (20),
    /// and a locked code or address gets 429 until the lock passes, the right secret included (or a
    /// guesser would tell the right secret by its answer). A right secret never counts and writes
    /// nothing: a family refreshing the page, or a commune office behind one address, is never
    /// refused for looking up its own dossier. A wrong one counts in one atomic statement per
    /// throttle. Within a server the comparisons of one code happen one at a time (`LookupGate`),
    /// each after reading the locks and, when wrong, counted before the next: so at most five wrong
    /// secrets of a code are ever compared and answered, concurrent guesses included (with several
    /// server instances, at most one more per other instance, in flight at the lock's moment).
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
        let dossier = try await DossierModel.query(on: db).filter(\.$code == code).first()
        let throttles = [(Throttle.lookupCode, code), (Throttle.lookupAddress, client)]
        let found: DossierModel = try await LookupGate.shared.one(at: code) {
            let now = Date()
            if let wait = try await Throttle.lockedFor(throttles, at: now, on: db) {
                throw ServiceError.tooManyAttempts("Đã nhập sai mã tra cứu quá nhiều lần.", retryAfter: wait)
            }
            guard let dossier, Self.same(dossier.lookupSecret, secret) else {
                var waits: [Int] = []
                for (throttle, value) in throttles {
                    if case .locked(let seconds) = try await throttle.reserve(value, at: now, on: db) {
                        waits.append(seconds)
                    }
                }
                if let wait = waits.max() {
                    throw ServiceError.tooManyAttempts("Đã nhập sai mã tra cứu quá nhiều lần.", retryAfter: wait)
                }
                throw notFound
            }
            return dossier
        }
        let d = found
        let terms = try JSON.decode(ProcedureTerms.self, d.procedureTermsJSON)
        let payment = try await PaymentModel.latest(of: d.id!, on: db)
        return LookupResult(
            dossierID: d.id!, code: d.code, statusName: d.state.status.manualName, procedureName: terms.name,
            applicantName: d.applicantName,
            receivedAt: d.receivedAt, appointmentAt: d.appointmentAt, completedAt: d.completedAt,
            returnedAt: d.returnedAt,
            signed: try d.resultJSON.map { try JSON.decode(SignedResult.self, $0) },
            payment: payment?.summary,
            awaitingPaymentVND: payment?.status == PaymentStatus.awaiting.rawValue ? payment?.amountVND : nil)
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// One comparison at a time per dossier code within this server (LookupQuery): a lookup waits for
/// the one before it on the same code, never for lookups of other codes. Only codes being looked up
/// at the moment are held.
actor LookupGate {
    static let shared = LookupGate()
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func one<T: Sendable>(at key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await enter(key)
        do {
            let value = try await body()
            leave(key)
            return value
        } catch {
            leave(key)
            throw error
        }
    }

    private func enter(_ key: String) async {
        if waiting[key] == nil {
            waiting[key] = []
            return
        }
        await withCheckedContinuation { waiting[key]!.append($0) }
    }

    private func leave(_ key: String) {
        guard var queue = waiting[key] else { return }
        if queue.isEmpty {
            waiting[key] = nil
        } else {
            let next = queue.removeFirst()
            waiting[key] = queue
            next.resume()
        }
    }
}

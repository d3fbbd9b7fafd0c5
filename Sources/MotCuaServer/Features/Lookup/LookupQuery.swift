import Fluent
import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import SQLKit
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
    /// What the applicant's rating needs: the state, the answer once given, the version to act on.
    let status: Status
    let rating: Satisfaction?
    let ratedAt: Date?
    let version: Int
    let agencyID: UUID
    /// Whether the dossier has a clock, so "Vì sao hạn xử lý là ngày này?" can be answered.
    let explainable: Bool

    /// The due date's explanation, from the clock and the terms read only when it is asked for: the
    /// lookup itself reads neither (issue 22, point 9).
    func dueExplanation(service: DossierService, on db: any Database) async throws -> DueExplanationView? {
        guard explainable, let d = try await DossierModel.find(dossierID, on: db), let clock = try d.clock else {
            return nil
        }
        return DueExplanationView.of(
            clock: clock,
            terms: try await ProcedureTermVersions.terms(of: d, on: db), channel: d.channel, service: service)
    }
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
    /// A result sent by post: its tracking number and where it is.
    var postal: String?
    /// "Vì sao hạn xử lý là ngày này?": in the API with `explain=true`, always on the page.
    var dueExplanation: DueExplanationView?

    init(_ r: LookupResult, time: (Date) -> String = VietnamTime.iso, dueExplanation: DueExplanationView? = nil) {
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
        self.dueExplanation = dueExplanation
    }

    /// The shipment of a result ready or returned (one more read, only for those).
    mutating func addPostal(_ r: LookupResult, on db: any Database) async throws {
        guard r.status == .completed || r.status == .returned else { return }
        postal = try await PostalShipments.shipment(of: r.dossierID, on: db)?.text
    }
}

/// The lookup's address (`?code=&secret=`, and the page's `giai-thich`, `tep`; the API's `explain`),
/// decoded once: each `req.query[_, at:]` parses the whole query again, a measurable share of a lookup.
struct LookupAddress: Decodable {
    var code: String?
    var secret: String?
    var explainPage: String?
    var explainAPI: String?
    var file: String?

    enum CodingKeys: String, CodingKey {
        case code, secret, explainPage = "giai-thich", explainAPI = "explain", file = "tep"
    }

    static func of(_ req: Request) throws -> LookupAddress {
        do { return try req.query.decode(LookupAddress.self) } catch {
            throw ServiceError(.unprocessableEntity, "Địa chỉ tra cứu không hợp lệ.")
        }
    }
}

enum LookupQuery {
    /// The public lookup: the code and its secret must both match, else "not found".
    ///
    /// Guesses are limited per code (5 wrong secrets in 15 minutes) and per client address (20),
    /// and a locked code or address gets 429 until the lock passes, the right secret included (or a
    /// guesser would tell the right secret by its answer). A right secret never counts and writes
    /// nothing: a family refreshing the page, or a commune office behind one address, is never
    /// refused for looking up its own dossier. One read brings the dossier, its payment and the
    /// locks; the comparison then happens in `LookupGuesses`, which holds this server's wrong
    /// guesses per code until the database counts them: a sixth guess in a burst reads the count
    /// again once the five are written, and meets the lock. So at most five wrong secrets of a code
    /// are compared and answered, concurrent guesses included (with several server instances, at
    /// most one more per other instance, in flight when the lock falls). A wrong one is counted in
    /// the database, one atomic statement per throttle, for every instance.
    static func run(code rawCode: String, secret rawSecret: String, req: Request) async throws -> LookupResult {
        let db = req.db, client = req.clientAddress
        let code = rawCode.trimmingCharacters(in: .whitespaces).uppercased(),
            secret = rawSecret.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.count <= 40, TextInput.isClean(code), secret.count <= 10, TextInput.isClean(secret)
        else {
            throw ServiceError(.unprocessableEntity, "Mã hồ sơ hoặc mã tra cứu không hợp lệ.")
        }
        let throttles = [(Throttle.lookupCode, code), (Throttle.lookupAddress, client)]
        let tooMany = "Đã nhập sai mã tra cứu quá nhiều lần."
        let guesses = req.motcua.lookupGuesses
        var now: Date, read: LookupRead, decision: LookupGuesses.Decision
        var attempts = 0
        repeat {
            // Wrong guesses whose count is being written: read again once they are.
            if attempts > 0 { try await Task.sleep(for: .milliseconds(5)) }
            attempts += 1
            guard attempts <= 200 else {
                throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau.")
            }
            now = Date()
            read = try await LookupRead.fetch(code: code, locks: throttles, at: now, on: db)
            if let wait = read.lockedFor { throw ServiceError.tooManyAttempts(tooMany, retryAfter: wait) }
            decision = guesses.compare(code: code, read: now, failuresRead: read.codeFailures, at: Date()) {
                read.secret.map { same($0, secret) } ?? false
            }
        } while decision == .readAgain
        switch decision {
        case .right:
            break
        case .readAgain:
            throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau.")
        case .wrong(let id):
            var waits: [Int] = []
            defer { guesses.written(code: code, id: id, at: Date()) }
            for (throttle, value) in throttles {
                if case .locked(let seconds) = try await throttle.reserve(value, at: now, on: db) {
                    waits.append(seconds)
                }
            }
            if let wait = waits.max() { throw ServiceError.tooManyAttempts(tooMany, retryAfter: wait) }
            throw ServiceError(.notFound, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập.")
        }
        return try read.result()
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// This server's wrong lookup secrets per dossier code, while the database may not show them yet.
/// A lookup reads the code's count of wrong secrets with the dossier, then compares under one lock:
/// the count it read, plus the wrong secrets this server compared whose count was not yet written
/// when it read, must stay under the limit, else it reads the count again once they are written
/// (then a count at the limit is a lock, 429). So a burst of guesses that all read "no failure"
/// still gets exactly five comparisons. A guess is forgotten a
/// minute after its count is written (a lookup's read is older than that only if the server hangs).
/// The lock is held for a comparison of a few bytes, never across a read or a write.
final class LookupGuesses: Sendable {
    enum Decision: Equatable {
        case right
        case wrong(id: UInt64)
        /// The count read and this server's guesses not yet seen by that read reach the limit, while
        /// some of those may already be in the count: read the count again once they are written.
        case readAgain
    }

    private struct Guess {
        let id: UInt64
        var written: Date?
    }

    private struct State {
        var next: UInt64 = 0
        var byCode: [String: [Guess]] = [:]
    }

    private let state = NIOLockedValueBox(State())

    func compare(code: String, read: Date, failuresRead: Int, at now: Date, _ isRight: () -> Bool) -> Decision {
        let throttle = Throttle.lookupCode
        let forgotten = now.addingTimeInterval(-60)
        return state.withLockedValue { state in
            let guesses = (state.byCode[code] ?? []).filter { $0.written.map { $0 > forgotten } ?? true }
            let unseen = guesses.filter { $0.written.map { $0 > read } ?? true }.count
            state.byCode[code] = guesses.isEmpty ? nil : guesses
            if unseen > 0, failuresRead + unseen >= throttle.limit { return .readAgain }
            if isRight() { return .right }
            state.next += 1
            state.byCode[code, default: []].append(Guess(id: state.next, written: nil))
            return .wrong(id: state.next)
        }
    }

    /// The wrong guess's count is in the database (or its write failed): lookups that read after
    /// this see it there.
    func written(code: String, id: UInt64, at now: Date) {
        state.withLockedValue { state in
            guard let i = state.byCode[code]?.firstIndex(where: { $0.id == id }) else { return }
            state.byCode[code]![i].written = now
            // Codes whose guesses are all forgotten are dropped now and then.
            if state.byCode.count > 10_000 {
                let forgotten = now.addingTimeInterval(-60)
                state.byCode = state.byCode.filter { $0.value.contains { $0.written.map { $0 > forgotten } ?? true } }
            }
        }
    }
}

/// What the lookup reads, in one statement: the locks of its throttles, and the dossier with its
/// latest payment when the code exists.
struct LookupRead {
    let lockedFor: Int?
    /// The wrong secrets counted for the code (the first throttle) in its current window.
    let codeFailures: Int
    let secret: String?
    let row: any SQLRow
    /// The dossier's latest payment request, if any.
    let payment: (any SQLRow)?

    /// SQLite prepares the statement on each lookup (SQLiteNIO keeps no prepared statements), so
    /// it is kept plain: joins on keys, the procedure's name from its terms' version, every payment
    /// of the dossier (rarely more than one) rather than a subquery for the latest, which made up a
    /// third of the statement's preparation.
    static func fetch(code: String, locks: [(Throttle, String)], at now: Date, on db: any Database) async throws
        -> LookupRead
    {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let keys = locks.map { $0.0.key($0.1) }
        precondition(keys.count == 2, "the lookup reads two throttles: the code's and the address's")
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT c.locked_until AS code_locked_until, c.window_start AS code_window_start, \
            c.failures AS code_failures, a.locked_until AS address_locked_until,
            d.id, d.code, d.lookup_secret, d.status, v.name AS procedure_name, d.applicant_name,
            d.received_at, d.appointment_at, d.completed_at, d.returned_at, d.result_json, d.rating, d.rated_at,
            d.version, d.agency_id, d.clock IS NOT NULL AS explainable,
            p.status AS payment_status, p.amount_vnd AS payment_amount, p.method AS payment_method,
            p.receipt AS payment_receipt, p.paid_at AS payment_paid_at, p.requested_at AS payment_requested_at
            FROM (SELECT 1 AS one) AS lookup
            LEFT JOIN throttles c ON c.throttle_key = \(bind: keys[0])
            LEFT JOIN throttles a ON a.throttle_key = \(bind: keys[1])
            LEFT JOIN dossiers d ON d.code = \(bind: code)
            LEFT JOIN procedure_term_versions v ON v.sha256 = d.procedure_terms_sha256
            LEFT JOIN payments p ON p.dossier_id = d.id
            """
        ).all()
        guard let row = rows.first else {
            throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau.")
        }
        let codeLock = try row.decode(column: "code_locked_until", as: Int64?.self),
            addressLock = try row.decode(column: "address_locked_until", as: Int64?.self)
        let until = [codeLock, addressLock].compactMap { $0 }.filter { $0 > t }.max()
        // The code's failures count in their window, or while the lock they set lasts.
        let windowStart = try row.decode(column: "code_window_start", as: Int64?.self)
        let failures = try row.decode(column: "code_failures", as: Int?.self) ?? 0
        let expired = Throttle.lookupCode.hasExpired(windowStart: windowStart, lockedUntil: codeLock, at: t)
        let requested = try rows.map { try $0.decode(column: "payment_requested_at", as: Date?.self) }
        let latest = requested.indices.filter { requested[$0] != nil }.max { requested[$0]! < requested[$1]! }
        return LookupRead(
            lockedFor: until.map { max(1, Int($0 - t)) }, codeFailures: expired ? 0 : failures,
            secret: try row.decode(column: "lookup_secret", as: String?.self),
            row: row, payment: latest.map { rows[$0] })
    }

    func result() throws -> LookupResult {
        func value<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T {
            try row.decode(column: column, as: T.self)
        }
        var payment: PaymentModel?
        if let paid = self.payment, let status = try paid.decode(column: "payment_status", as: String?.self) {
            let p = PaymentModel()
            p.status = status
            p.amountVND = try paid.decode(column: "payment_amount", as: Int?.self)
            p.method = try paid.decode(column: "payment_method", as: String?.self)
            p.receipt = try paid.decode(column: "payment_receipt", as: String?.self)
            p.paidAt = try paid.decode(column: "payment_paid_at", as: Date?.self)
            p.requestedAt = try paid.decode(column: "payment_requested_at", as: Date.self)
            payment = p
        }
        guard let status = Status(rawValue: try value("status")) else {
            throw ServiceError(.internalServerError, "Trạng thái hồ sơ không hợp lệ.")
        }
        return LookupResult(
            dossierID: try value("id"), code: try value("code"), statusName: status.manualName,
            procedureName: try value("procedure_name"),
            applicantName: try value("applicant_name"),
            receivedAt: try value("received_at"), appointmentAt: try value("appointment_at"),
            completedAt: try value("completed_at"), returnedAt: try value("returned_at"),
            signed: try (try value("result_json", String?.self)).map { try JSON.decode(SignedResult.self, $0) },
            payment: payment?.summary,
            awaitingPaymentVND: payment?.status == PaymentStatus.awaiting.rawValue ? payment?.amountVND : nil,
            status: status, rating: try value("rating", String?.self).flatMap(Satisfaction.init(rawValue:)),
            ratedAt: try value("rated_at"), version: try value("version"), agencyID: try value("agency_id"),
            explainable: try value("explainable"))
    }
}

import Fluent
import Foundation
import MotCuaCore
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

    /// The shipment of a result ready or returned (one more read, only for those; `req.db` itself
    /// costs 1 % of a lookup, so it is not even asked for the others).
    mutating func addPostal(_ r: LookupResult, on db: @autoclosure () -> any Database) async throws {
        guard r.status == .completed || r.status == .returned else { return }
        postal = try await PostalShipments.shipment(of: r.dossierID, on: db())?.text
    }
}

/// The lookup's address (`?code=&secret=`, and the page's `giai-thich`, `tep`; the API's `explain`),
/// read once from the query string by `FormEncoding` (Vapor's form decoder, with Foundation's
/// percent decoding, was a tenth of a lookup's own work). A name given twice is refused: which of
/// two secrets was meant cannot be told.
struct LookupAddress {
    var code: String?
    var secret: String?
    var explainPage: String?
    var explainAPI: String?
    var file: String?

    static func of(_ req: Request) throws -> LookupAddress {
        let names = ["code", "secret", "giai-thich", "explain", "tep"]
        guard let p = FormEncoding.parameters(req.url.query, named: names.contains) else {
            throw ServiceError(.unprocessableEntity, "Địa chỉ tra cứu không hợp lệ.")
        }
        return LookupAddress(
            code: p["code"], secret: p["secret"], explainPage: p["giai-thich"], explainAPI: p["explain"], file: p["tep"]
        )
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
        let code = trimmed(rawCode).uppercased(), secret = trimmed(rawSecret)
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
            read = try await LookupRead.fetch(
                code: code, locks: throttles, at: now, on: db, prepared: req.motcua.preparedReads)
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
        return try await read.result(code: code, on: db)
    }

    /// Spaces around a pasted code or secret dropped; Foundation's trimming goes through NSString
    /// (1 % of a lookup), so only when there are some.
    private static func trimmed(_ text: String) -> String {
        text.first?.isWhitespace == true || text.last?.isWhitespace == true
            ? text.trimmingCharacters(in: .whitespaces) : text
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What the lookup reads, in one statement: the locks of its throttles, and the dossier with its
/// payments when the code exists (else a second statement reads the locks alone).
struct LookupRead {
    let lockedFor: Int?
    /// The wrong secrets counted for the code (the first throttle) in its current window.
    let codeFailures: Int
    let secret: String?
    let row: any SQLRow
    /// The dossier's latest payment request, if any.
    let payment: (any SQLRow)?

    /// On SQLite the statements are kept prepared (`prepared`, used unless SQLite is busy); they
    /// stay plain all the same, for the pool's reads and PostgreSQL. The statement starts from the
    /// dossier (a code that does not exist, rare and limited, reads the locks again alone), leaves
    /// the code out (it is the one asked for) and the procedure's name (from its terms' version,
    /// decoded once per server: a version never changes), and joins every payment of the dossier
    /// (rarely more than one) rather than a subquery for the latest.
    static func fetch(
        code: String, locks: [(Throttle, String)], at now: Date, on db: any Database, prepared: PreparedSQLiteReads?
    ) async throws -> LookupRead {
        let t = Int64(now.timeIntervalSince1970.rounded(.down))
        let keys = locks.map { $0.0.key($0.1) }
        precondition(keys.count == 2, "the lookup reads two throttles: the code's and the address's")
        let sql = db as! any SQLDatabase
        // The locks of both throttles, read by either statement.
        let locksRead: SQLQueryString = """
            c.locked_until AS code_locked_until, c.window_start AS code_window_start, \
            c.failures AS code_failures, a.locked_until AS address_locked_until
            """
        let throttlesJoined: SQLQueryString = """
            LEFT JOIN throttles c ON c.throttle_key = \(bind: keys[0])
            LEFT JOIN throttles a ON a.throttle_key = \(bind: keys[1])
            """
        func read(_ query: SQLQueryString) async throws -> [any SQLRow] {
            if let prepared {
                let (text, binds) = sql.serialize(query)
                let texts = binds.compactMap { $0 as? String }
                if texts.count == binds.count, let rows = prepared.rows(text, texts) { return rows }
            }
            return try await PreparedPostgres.all(query, on: sql)
        }
        var rows = try await read(
            """
            SELECT \(locksRead),
            d.id, d.lookup_secret, d.status, d.procedure_terms_sha256, d.applicant_name,
            d.received_at, d.appointment_at, d.completed_at, d.returned_at, d.result_json, d.rating, d.rated_at,
            d.version, d.agency_id, d.clock IS NOT NULL AS explainable,
            p.status AS payment_status, p.amount_vnd AS payment_amount, p.method AS payment_method,
            p.receipt AS payment_receipt, p.paid_at AS payment_paid_at, p.requested_at AS payment_requested_at
            FROM dossiers d
            \(throttlesJoined)
            LEFT JOIN payments p ON p.dossier_id = d.id
            WHERE d.code = \(bind: code)
            """)
        if rows.isEmpty {
            rows = try await read(
                "SELECT \(locksRead), NULL AS lookup_secret FROM (SELECT 1 AS one) AS lookup \(throttlesJoined)")
        }
        guard let row = rows.first else {
            throw ServiceError(.serviceUnavailable, "Hệ thống đang bận. Vui lòng thử lại sau.")
        }
        let codeLock = try row.optional("code_locked_until", as: Int64.self),
            addressLock = try row.optional("address_locked_until", as: Int64.self)
        let until = [codeLock, addressLock].compactMap { $0 }.filter { $0 > t }.max()
        // The code's failures count in their window, or while the lock they set lasts.
        let windowStart = try row.optional("code_window_start", as: Int64.self)
        let failures = try row.optional("code_failures", as: Int.self) ?? 0
        let expired = Throttle.lookupCode.hasExpired(windowStart: windowStart, lockedUntil: codeLock, at: t)
        let secret = try row.optional("lookup_secret", as: String.self)
        let requested =
            secret == nil ? [] : try rows.map { try $0.optional("payment_requested_at", as: Date.self) }
        let latest = requested.indices.filter { requested[$0] != nil }.max { requested[$0]! < requested[$1]! }
        return LookupRead(
            lockedFor: until.map { max(1, Int($0 - t)) }, codeFailures: expired ? 0 : failures, secret: secret,
            row: row, payment: latest.map { rows[$0] })
    }

    /// The dossier read, for the code asked for (`code`: the one it was read by).
    func result(code: String, on db: any Database) async throws -> LookupResult {
        func value<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T {
            try row.decode(column: column, as: T.self)
        }
        var payment: PaymentModel?
        if let paid = self.payment, let status = try paid.optional("payment_status", as: String.self) {
            let p = PaymentModel()
            p.status = status
            p.amountVND = try paid.optional("payment_amount", as: Int.self)
            p.method = try paid.optional("payment_method", as: String.self)
            p.receipt = try paid.optional("payment_receipt", as: String.self)
            p.paidAt = try paid.optional("payment_paid_at", as: Date.self)
            p.requestedAt = try paid.decode(column: "payment_requested_at", as: Date.self)
            payment = p
        }
        guard let status = Status(rawValue: try value("status")) else {
            throw ServiceError(.internalServerError, "Trạng thái hồ sơ không hợp lệ.")
        }
        return LookupResult(
            dossierID: try value("id"), code: code, statusName: status.manualName,
            procedureName: try await ProcedureTermVersions.terms(
                sha256: try value("procedure_terms_sha256"), dossierCode: code, on: db
            ).name,
            applicantName: try value("applicant_name"),
            receivedAt: try row.optional("received_at"), appointmentAt: try row.optional("appointment_at"),
            completedAt: try row.optional("completed_at"), returnedAt: try row.optional("returned_at"),
            signed: try row.optional("result_json", as: String.self).map { try JSON.decode(SignedResult.self, $0) },
            payment: payment?.summary,
            awaitingPaymentVND: payment?.status == PaymentStatus.awaiting.rawValue ? payment?.amountVND : nil,
            status: status, rating: try row.optional("rating", as: String.self).flatMap(Satisfaction.init(rawValue:)),
            ratedAt: try row.optional("rated_at"), version: try value("version"), agencyID: try value("agency_id"),
            explainable: try value("explainable"))
    }
}

import Foundation
import MotCuaCore
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Everything the server is configured with; read from flags and environment variables.
public struct Settings: Sendable {
    /// `postgres://...` for PostgreSQL; anything else is a SQLite file path.
    public var database: String
    public var dataDirectory: URL
    public var filesDirectory: URL
    public var maxUploadBytes: Int
    public var officeHours: OfficeHours
    public var receiptPolicy: ReceiptPolicy
    /// Where the page templates (Resources/Views), the public files (Public) and openapi.yaml are.
    public var resourceDirectory: URL
    /// The address citizens and staff use (MOTCUA_PUBLIC_URL, e.g. https://motcua.cantho.gov.vn):
    /// the origin that forms and API calls must come from, and https makes the cookie `Secure`.
    public var publicURL: URL?
    /// MOTCUA_TRUSTED_PROXIES: the addresses of the reverse proxies in front of the server (nginx),
    /// comma-separated. Only a connection from one of them may name the client in
    /// `X-Forwarded-For` (used to limit wrong lookups per address); anyone else's is ignored.
    public var trustedProxies: Set<String>
    /// MOTCUA_METRICS_FROM: the addresses Prometheus scrapes `/metrics` from (by default this
    /// machine: 127.0.0.1,::1); the page is never served through the reverse proxy.
    public var metricsFrom: Set<String>
    /// MOTCUA_REPLICA_URL and MOTCUA_REPLICA_MAX_LAG: a streaming replica for the reports and exports.
    public var replica: ReplicaSettings?
    /// The address the server listens on (`motcua serve`), for links printed without
    /// MOTCUA_PUBLIC_URL (the receipt's QR code); never a client's `Host` header.
    public var listeningURL: URL?
    /// MOTCUA_IDLE_TIMEOUT: seconds a connection may stay silent before the server closes it (60).
    public var idleTimeoutSeconds: Int
    /// MOTCUA_REQUEST_TIMEOUT: seconds after which a request still without an answer gets 503 (60;
    /// RequestDeadlineMiddleware); 0 turns the deadline off.
    public var requestTimeoutSeconds: Int
    /// MOTCUA_FORM_SET: the circular the printed forms follow, tt03-2025 (default) or tt01-2018:
    /// its numbering, titles and phrases; the templates in Resources/Views/Forms serve both.
    public var formSet: FormSet
    /// MOTCUA_CHROMIUM: the headless Chromium that prints forms to PDF (found on PATH by default;
    /// empty turns PDF off).
    public var chromium: URL?
    /// MOTCUA_SIGNING_SECRET: seals the CA's and the leaders' keys (else `<data-dir>/ca/secret`).
    public var signingSecret: String?
    /// MOTCUA_PAYMENT_SECRET: the key shared with the payment platform, which signs its notices
    /// (HMAC-SHA256); without it online payment notices are refused.
    public var paymentSecret: String?
    /// VNPay's merchant settings (MOTCUA_VNPAY_TMN_CODE, MOTCUA_VNPAY_HASH_SECRET, MOTCUA_VNPAY_PAY_URL,
    /// MOTCUA_VNPAY_API_URL); nil without a terminal code and secret: the citizen is told to pay at
    /// the counter.
    public var vnpay: VNPaySettings?
    /// The mail relay (MOTCUA_SMTP_*); nil without a host: the e-mails wait in the outbox.
    var smtp: SMTPSettings?
    /// The brand-name SMS gateway (MOTCUA_SMS_*) and Zalo ZNS (MOTCUA_ZALO_*); nil: not sent by them.
    var sms: SMSSettings?
    var zalo: ZaloSettings?
    /// The National Public Service Portal (MOTCUA_DVCQG_*); nil: no dossier is queued for it.
    var nationalPortal: NationalPortalSettings?
    /// The national portal's single sign-on (MOTCUA_SSO_*); nil: no SSO button.
    var sso: NationalSSOSettings?
    /// The province's OpenID Connect provider for staff (MOTCUA_OIDC_*); nil: passwords only.
    var staffSignOn: StaffSignOn.Settings?
    /// The public postal service (MOTCUA_POST_*); nil: results are not sent by post from here.
    var postal: PostalSettings?

    public init(
        database: String? = nil, dataDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let data = URL(fileURLWithPath: dataDirectory ?? environment["MOTCUA_DATA_DIR"] ?? "./data")
        self.dataDirectory = data
        self.database = database ?? environment["DATABASE_URL"] ?? data.appendingPathComponent("motcua.sqlite").path
        self.filesDirectory =
            environment["MOTCUA_FILES_DIR"].map { URL(fileURLWithPath: $0) } ?? data.appendingPathComponent("files")
        self.maxUploadBytes = (environment["MOTCUA_MAX_UPLOAD_MB"].flatMap(Int.init) ?? 20) * 1_048_576
        self.officeHours = try environment["MOTCUA_OFFICE_HOURS"].map { try OfficeHours(parsing: $0) } ?? .standard
        var policy = ReceiptPolicy.none
        if let cut = environment["MOTCUA_ONLINE_CUTOFF"] {
            guard let minutes = Session.minutes(cut) else {
                throw CalendarError.invalidOfficeHours("MOTCUA_ONLINE_CUTOFF=\"\(cut)\" phải có dạng HH:MM")
            }
            policy.cutOffs[.online] = minutes * 60
        }
        if let mb = environment["MOTCUA_MAX_UPLOAD_MB"], Int(mb).map({ $0 > 0 }) != true {
            throw CalendarError.invalidDuration("MOTCUA_MAX_UPLOAD_MB=\"\(mb)\" phải là số MB lớn hơn 0")
        }
        self.receiptPolicy = policy
        self.publicURL = try EnvironmentSettings(environment: environment).value("MOTCUA_PUBLIC_URL").map {
            try EnvironmentSettings.url("MOTCUA_PUBLIC_URL", $0)
        }
        if environment["MOTCUA_TRUST_FORWARDED"] != nil {
            throw CalendarError.invalidDuration(
                """
                MOTCUA_TRUST_FORWARDED không còn dùng: đặt MOTCUA_TRUSTED_PROXIES là địa chỉ của reverse proxy \
                (ví dụ 127.0.0.1)
                """
            )
        }
        /// A comma-separated list of IP addresses.
        func addresses(_ name: String, default value: String = "") throws -> Set<String> {
            var addresses = Set<String>()
            for item in (environment[name] ?? value).split(separator: ",") {
                let address = item.trimmingCharacters(in: .whitespaces)
                guard (try? SocketAddress(ipAddress: address, port: 0)) != nil else {
                    throw CalendarError.invalidDuration("\(name): \"\(address)\" không phải địa chỉ IP")
                }
                addresses.insert(address)
            }
            return addresses
        }
        self.trustedProxies = try addresses("MOTCUA_TRUSTED_PROXIES")
        self.metricsFrom = try addresses("MOTCUA_METRICS_FROM", default: "127.0.0.1,::1")
        self.listeningURL = nil
        self.replica = try ReplicaSettings(environment: environment, primary: self.database)
        if let idle = environment["MOTCUA_IDLE_TIMEOUT"], Int(idle).map({ (1...3600).contains($0) }) != true {
            throw CalendarError.invalidDuration("MOTCUA_IDLE_TIMEOUT=\"\(idle)\" phải là số giây từ 1 đến 3600")
        }
        self.idleTimeoutSeconds = environment["MOTCUA_IDLE_TIMEOUT"].flatMap(Int.init) ?? 60
        if let limit = environment["MOTCUA_REQUEST_TIMEOUT"], Int(limit).map({ (0...3600).contains($0) }) != true {
            throw CalendarError.invalidDuration(
                "MOTCUA_REQUEST_TIMEOUT=\"\(limit)\" phải là số giây từ 0 (không giới hạn) đến 3600")
        }
        self.requestTimeoutSeconds = environment["MOTCUA_REQUEST_TIMEOUT"].flatMap(Int.init) ?? 60
        if let set = environment["MOTCUA_FORM_SET"], !set.isEmpty {
            guard let chosen = FormSet(rawValue: set) else {
                throw CalendarError.invalidDuration(
                    """
                    MOTCUA_FORM_SET=\"\(set)\" phải là một trong: \
                    \(FormSet.allCases.map(\.rawValue).joined(separator: ", "))
                    """
                )
            }
            self.formSet = chosen
        } else {
            self.formSet = .default
        }
        self.chromium = PDFPrinter.find(environment: environment)
        self.signingSecret = environment["MOTCUA_SIGNING_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        self.paymentSecret = environment["MOTCUA_PAYMENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        self.vnpay = try VNPaySettings(environment: environment)
        self.smtp = try SMTPSettings(environment: environment)
        self.sms = try SMSSettings(environment: environment)
        self.zalo = try ZaloSettings(environment: environment)
        self.nationalPortal = try NationalPortalSettings(environment: environment)
        self.sso = try NationalSSOSettings(environment: environment)
        self.staffSignOn = try StaffSignOn.Settings(environment: environment)
        self.postal = try PostalSettings(environment: environment)
        self.resourceDirectory = Self.findResources(environment: environment)
    }

    /// MOTCUA_HOME if set; else the current directory if it holds the templates; else the nearest
    /// directory above the executable that does (the checkout of `.build/<configuration>/motcua`),
    /// so the server finds its pages whatever directory it is started from.
    static func findResources(environment: [String: String]) -> URL {
        if let home = environment["MOTCUA_HOME"] { return URL(fileURLWithPath: home) }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if hasResources(current) { return current }
        var directory = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        while let d = directory, d.path != "/" {
            if hasResources(d) { return d }
            directory = d.deletingLastPathComponent()
        }
        return current
    }

    public static func hasResources(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("Resources/Views/layout.leaf").path)
    }

    public var isHTTPS: Bool { publicURL?.scheme == "https" }

    /// The channels beside e-mail that notices are written for: those with a gateway.
    var messaging: NotificationOutbox.Messaging {
        NotificationOutbox.Messaging(sms: sms != nil, zaloTemplates: zalo?.templates ?? [:])
    }

    /// Where links printed for citizens point (the receipt's lookup link and QR code): the public
    /// address, else the listening address, else the default one of `motcua serve`.
    public var siteURL: URL { publicURL ?? listeningURL ?? URL(string: "http://127.0.0.1:8080")! }

    public var isPostgres: Bool { Self.isPostgres(database) }

    /// Whether a database address is PostgreSQL's (`postgres://` or `postgresql://`); anything else is a
    /// SQLite file.
    public static func isPostgres(_ database: String) -> Bool {
        database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
    }
}

/// The services the application carries, built once at start-up. The working calendar can be
/// replaced while the server runs (the administrator edits a year's schedule): every copy of the
/// context shares one locked holder, and each request reads the calendar in force when it asks.
struct MotCuaContext: Sendable {
    let settings: Settings
    let files: FileStore
    let printer: PDFPrinter
    let signing: ResultSigning
    /// This instance's wrong lookup secrets per code (LookupQuery).
    let lookupGuesses = LookupGuesses()
    /// The read replica's last measured lag (ReplicaReads).
    let replica = ReplicaState()
    /// On SQLite, the public lookup's statements kept prepared (LookupRead); nil on PostgreSQL.
    let preparedReads: PreparedSQLiteReads?
    /// This instance's counts for `/metrics`, kept when the context is built again after migrating.
    let metrics: ServerMetrics
    private let live: LiveCalendar

    init(settings: Settings, calendar: WorkingCalendar, metrics: ServerMetrics = ServerMetrics()) {
        self.settings = settings
        self.metrics = metrics
        preparedReads = settings.isPostgres ? nil : PreparedSQLiteReads(path: settings.database)
        let files = FileStore(directory: settings.filesDirectory, maxBytes: settings.maxUploadBytes)
        let signing = ResultSigning(dataDirectory: settings.dataDirectory, secret: settings.signingSecret)
        self.files = files
        self.signing = signing
        printer = PDFPrinter(executable: settings.chromium)
        live = LiveCalendar(
            DossierService(
                calendar: calendar, policy: settings.receiptPolicy, signing: signing, files: files,
                site: settings.siteURL, metrics: metrics, nationalUnitCode: settings.nationalPortal?.unitCode,
                messaging: settings.messaging))
    }

    var calendar: WorkingCalendar { live.service.calendar }
    var dossiers: DossierService { live.service }

    /// Puts a newly stored calendar in force for the requests that follow.
    func replaceCalendar(_ calendar: WorkingCalendar) {
        live.service = DossierService(
            calendar: calendar, policy: settings.receiptPolicy, signing: signing, files: files, site: settings.siteURL,
            metrics: metrics, nationalUnitCode: settings.nationalPortal?.unitCode, messaging: settings.messaging)
    }
}

private final class LiveCalendar: Sendable {
    private let box: NIOLockedValueBox<DossierService>
    init(_ service: DossierService) { box = NIOLockedValueBox(service) }
    var service: DossierService {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}

extension Application {
    private struct ContextKey: StorageKey { typealias Value = MotCuaContext }

    var motcua: MotCuaContext {
        get {
            guard let c = storage[ContextKey.self] else {
                fatalError("MotCua is not configured: call configure(_:settings:)")
            }
            return c
        }
        set { storage[ContextKey.self] = newValue }
    }
}

extension Request {
    var motcua: MotCuaContext { application.motcua }
}

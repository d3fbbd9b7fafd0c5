import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MotCuaServer

/// The databases every server test runs on: SQLite always, PostgreSQL when
/// MOTCUA_TEST_POSTGRES_URL is set (.ci/run sets it and starts the server).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["MOTCUA_TEST_POSTGRES_URL"] }
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var testDescription: String { rawValue }

    /// A fresh, empty database: a new SQLite file, or a new PostgreSQL database.
    func make(in directory: URL) async throws -> String {
        switch self {
        case .sqlite:
            return directory.appendingPathComponent("test.sqlite").path
        case .postgres:
            let base = Self.postgresURL!
            let name = "motcua_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try await Launch.withApplication(settings: Settings(database: base, dataDirectory: directory.path, environment: [:]), logLevel: .error) { admin in
                try await (admin.db as! any SQLDatabase).raw("CREATE DATABASE \(unsafeRaw: name)").run()
            }
            var components = URLComponents(string: base)!
            components.path = "/" + name
            return components.string!
        }
    }

    /// Removes what `make` created once a test is over, passed or failed: thousands of runs
    /// otherwise leave thousands of PostgreSQL databases behind (29 GB here once), which filled
    /// the disk and made the server's start after a crash take minutes.
    func drop(_ database: String, directory: URL) async {
        if self == .postgres, let base = Self.postgresURL,
           let name = URLComponents(string: database)?.path.dropFirst(), name.hasPrefix("motcua_t_") {
            try? await Launch.withApplication(settings: Settings(database: base, dataDirectory: directory.path, environment: [:]), logLevel: .error) { admin in
                try await (admin.db as! any SQLDatabase).raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A migrated application on a fresh database with the demo organisation (no dossiers), and a
/// small HTTP client for it.
struct TestApp {
    let app: Application
    let directory: URL
    let database: String

    static func with(_ db: TestDatabase, dossiers: Int = 0, environment: [String: String] = [:], _ body: (TestApp) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try await db.make(in: directory)
        do {
            let settings = try Settings(database: database, dataDirectory: directory.path, environment: ["MOTCUA_MAX_UPLOAD_MB": "1"].merging(environment) { $1 })
            try await Launch.withApplication(settings: settings, logLevel: .error) { app in
                try await Launch.migrate(app)
                try await DemoLoader.load(app, dossiers: dossiers)
                try await body(TestApp(app: app, directory: directory, database: database))
            }
        } catch {
            await db.drop(database, directory: directory)
            throw error
        }
        await db.drop(database, directory: directory)
    }

    struct Reply {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601   // Vapor's default for dates in JSON
            return try decoder.decode(type, from: body)
        }

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var detail: String { json["detail"] as? String ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: HTTPMethod, _ path: String, token: String? = nil, json: (any Encodable)? = nil,
                 headers extra: HTTPHeaders = [:], body raw: ByteBuffer? = nil) async throws -> Reply {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body = raw
        if let json {
            let encoder = JSONEncoder()
            body = ByteBuffer(data: try encoder.encode(AnyEncodable(json)))
            headers.contentType = .json
        }
        let r = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        return Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    /// Runs Vapor's real HTTP server on a free port of 127.0.0.1 (as `motcua serve` does) for the
    /// duration of `body`, for tests that speak HTTP byte by byte.
    func serving(_ body: (Int) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await body(port)
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    func login(_ username: String, password: String = DemoLoader.password) async throws -> String {
        let r = try await request(.POST, "/api/v1/login", json: LoginRequest(username: username, password: password))
        #expect(r.status == .ok, "login \(username): \(r.text)")
        return try r.decode(LoginResponse.self).token
    }

    /// Uploads a file to a dossier as multipart/form-data.
    func upload(_ data: Data, name: String, component: Int?, to code: String, token: String) async throws -> Reply {
        let boundary = "----motcua\(UUID().uuidString)"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n".utf8))
        if let component {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"component\"\r\n\r\n\(component)\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await request(.POST, "/api/v1/dossiers/\(code)/files", token: token, headers: headers, body: ByteBuffer(data: body))
    }

    /// A page session: the cookie header of a login through the login form, and the form token
    /// that the pages put in every form.
    func pageSession(_ username: String) async throws -> (headers: HTTPHeaders, csrf: String) {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let r = try await request(.POST, "/dang-nhap", headers: headers, body: ByteBuffer(string: "username=\(username)&password=MotCua%402026"))
        let cookie: HTTPHeaders = ["Cookie": String(try #require(r.headers.first(name: .setCookie)).split(separator: ";")[0])]
        let page = try await request(.GET, "/ho-so", headers: cookie).text
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        return (cookie, String(page[start...].prefix { $0 != "\"" }))
    }

    /// A page's form posted with the session's cookie and form token.
    func post(_ path: String, _ form: String, session: (headers: HTTPHeaders, csrf: String)) async throws -> Reply {
        var h = session.headers
        h.contentType = .urlEncodedForm
        return try await request(.POST, path, headers: h, body: ByteBuffer(string: form + "&_csrf=" + session.csrf))
    }

    func user(_ username: String) async throws -> UserModel {
        try await UserModel.query(on: app.db).filter(\.$username == username).first()!
    }

    /// The administrators' log since the demo's history (its agencies merged in 2025, written at load).
    func audit() async throws -> [AuditEntryModel] {
        let afterHistory = VietnamTime.instant(LocalDate(year: 2025, month: 7, day: 2)!, secondOfDay: 0)
        return try await AuditEntryModel.query(on: app.db).filter(\.$at > afterHistory).sort(\.$at).sort(\.$id).all()
    }

    func dossier(_ code: String) async throws -> DossierModel {
        try await DossierModel.query(on: app.db).filter(\.$code == code).first()!
    }

    func logCount(_ code: String) async throws -> Int {
        let d = try await dossier(code)
        return try await LogEntryModel.query(on: app.db).filter(\.$dossierID == d.id!).count()
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// A small well-formed PDF whose page shows `text` (its cross-reference offsets are computed).
func minimalPDF(_ text: String = "MotCua") -> Data {
    var pdf = "%PDF-1.4\n"
    var offsets: [Int] = []
    let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>", "<< /Producer (\(text)) >>"]
    for (i, o) in objects.enumerated() {
        offsets.append(pdf.utf8.count)
        pdf += "\(i + 1) 0 obj\n\(o)\nendobj\n"
    }
    let xref = pdf.utf8.count
    pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
    pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 4 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Data(pdf.utf8)
}

/// A valid 1x1 PNG (signature, IHDR, IDAT, IEND).
let tinyPNG = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
                    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
                    0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
                    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])

/// A dossier for the Sở Tư pháp's criminal-record procedure (10 working days, 200,000 VND).
func criminalRecordRequest(name: String = "Nguyễn Văn Ánh", channel: DossierChannel? = .direct) -> DossierService.NewDossier {
    DossierService.NewDossier(
        procedureCode: "1.001978.000.00.00.H28", channel: channel,
        applicant: .init(kind: "person", name: name, idNumber: "092012345678", birthDate: "1990-05-17",
                         address: "Số 12, đường Trần Hưng Đạo, phường I, thành phố Vị Thanh", phone: "0912345678", email: "anh@example.vn"),
        representative: nil, contentSummary: nil, resultDelivery: nil, components: [.init(position: 1, count: 1), .init(position: 2, count: 1)])
}

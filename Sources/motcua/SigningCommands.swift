import ArgumentParser
import Foundation
import MotCuaServer
import MotCuaSigning

/// `motcua ca ...`: the embedded provincial certificate authority, in <data-dir>/ca.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "CA chuyên dùng của tỉnh: cấp, thu hồi chứng thư số ký kết quả của lãnh đạo.",
        subcommands: [CAInitCommand.self, CAIssueCommand.self, CARevokeCommand.self])
}

extension DatabaseOptions {
    var ca: ProvincialCA { get throws { ProvincialCA(dataDirectory: try settings().dataDirectory) } }
    func signingSecret() throws -> SigningSecret {
        try SigningSecret.load(configured: try settings().signingSecret, caDirectory: try ca.directory)
    }
}

/// A signing failure as the command line reports it: the message, exit code 1.
func fail(_ error: SigningError) -> ExitCode {
    FileHandle.standardError.write(Data(("Lỗi: " + error.description + "\n").utf8))
    return ExitCode(1)
}

struct CAInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Tạo khoá và chứng thư của CA (một lần).")
    @Option(help: "Tên cơ quan chủ quản của CA, ví dụ \"UBND thành phố Cần Thơ\".") var name: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let directory = try db.ca.directory
        do {
            let (secret, created) = try SigningSecret.loadOrCreate(
                configured: try db.settings().signingSecret, caDirectory: directory)
            if created {
                say(
                    """
                    Chưa đặt MOTCUA_SIGNING_SECRET: đã tạo khoá bảo vệ ngẫu nhiên tại \(directory.path)/secret \
                    (chỉ chủ sở hữu đọc được). Khi triển khai thật, đặt biến môi trường và xoá tệp này.
                    """
                )
            }
            let ca = try ProvincialCA.initialise(at: directory, name: name, secret: secret)
            say("Đã tạo CA \"\(name)\". Chứng thư CA: \(ca.caFile.path) · Danh sách thu hồi: \(ca.crlFile.path)")
        } catch let e as SigningError { throw fail(e) }
    }
}

struct CAIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Cấp chứng thư số ký kết quả cho một lãnh đạo (chứng thư cũ, nếu có, bị thu hồi).")
    @Option(help: "Tên đăng nhập của lãnh đạo.") var user: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try db.settings()
        guard
            let found = try await Launch.withApplication(
                settings: settings, logLevel: .error,
                { app in
                    try await Launch.migrate(app)
                    return try await Launch.signingUser(app, username: user)
                })
        else { throw fail(SigningError("Không có tài khoản \"\(user)\".")) }
        guard found.signs else {
            throw fail(
                SigningError("Tài khoản \"\(user)\" không có vai trò lãnh đạo nên không được cấp chứng thư ký kết quả.")
            )
        }
        do {
            let ca = try db.ca
            _ = try ca.certificate()  // "no CA yet" before "no secret"
            let certificate = try ca.issue(username: user, fullName: found.fullName, secret: try db.signingSecret())
            say(
                """
                Đã cấp chứng thư số cho \(found.fullName) (\(user)), số sê-ri \(certificate.serialNumber), hiệu \
                lực đến \(ProvincialCA.day(certificate.notValidAfter)).
                """
            )
        } catch let e as SigningError { throw fail(e) }
    }
}

struct CARevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Thu hồi chứng thư số của một lãnh đạo và cập nhật danh sách thu hồi (CRL).")
    @Option(help: "Tên đăng nhập của lãnh đạo.") var user: String
    @Option(
        help: ArgumentHelp(
            "Lý do thu hồi (RFC 5280): \(RevocationReason.allCases.map(\.argument).joined(separator: ", ")). "
                + "Chữ ký đã ký trước khi thu hồi vẫn có giá trị, trừ khi lý do là key-compromise (lộ khoá ký)."))
    var reason: String

    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard RevocationReason.allCases.contains(where: { $0.argument == reason }) else {
            throw ValidationError(
                "Lý do thu hồi phải là một trong: \(RevocationReason.allCases.map(\.argument).joined(separator: ", "))."
            )
        }
    }

    func run() async throws {
        do {
            let ca = try db.ca
            _ = try ca.certificate()
            let why = RevocationReason.allCases.first { $0.argument == reason }!
            try ca.revoke(username: user, reason: why, secret: try db.signingSecret())
            say(
                """
                Đã thu hồi chứng thư số của \(user) (lý do: \(why.vietnamese)). Danh sách thu hồi mới: \
                \(ca.crlFile.path)
                """
            )
        } catch let e as SigningError { throw fail(e) }
    }
}

struct VerifySignatureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-signature",
        abstract:
            "Kiểm tra chữ ký số (CMS tách rời) của một tệp kết quả: mã thoát 0 nếu hợp lệ, 1 nếu không, kèm lý do.")
    @Argument(help: "Tệp kết quả.") var file: String
    @Argument(help: "Tệp chữ ký (.p7s, DER).") var signature: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        guard let content = FileManager.default.contents(atPath: file) else {
            throw fail(SigningError("Không đọc được tệp \(file)."))
        }
        guard let sig = FileManager.default.contents(atPath: signature) else {
            throw fail(SigningError("Không đọc được tệp chữ ký \(signature)."))
        }
        do {
            switch try await db.ca.verify(content: Array(content), signature: Array(sig)) {
            case .valid(let signer, let serial, let signedAt, _):
                say(
                    "Chữ ký hợp lệ. Người ký: \(signer) · chứng thư số \(serial)"
                        + (signedAt.map { " · ký lúc \(ProvincialCA.dayAndTime($0))" } ?? ""))
            case .invalid(let reason):
                say("Chữ ký KHÔNG hợp lệ: \(reason)")
                throw ExitCode(1)
            }
        } catch let e as SigningError { throw fail(e) }
    }
}

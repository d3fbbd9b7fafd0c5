import Foundation
import MotCuaSigning
import MotCuaTestSupport
import Testing

/// The `motcua` command line, run as a real process against a temporary data directory.
@Suite struct CommandLineTests {
    static let binary = MotcuaProcess.binary

    func run(_ args: [String], in directory: URL? = nil) throws -> MotcuaProcess.Result {
        try MotcuaProcess.run(args, in: directory)
    }

    func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "\(Self.binary.path)")
    }

    @Test func deadlineAsSpecified() throws {
        let r = try run(["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days", "3"])
        #expect(r.status == 0)
        #expect(r.out == "2024-02-19T15:30:00+07:00\n")
        #expect(try run(["deadline", "--received", "2024-02-01T09:00:00+07:00", "--calendar-days", "10"]).out == "2024-02-16T09:00:00+07:00\n")
        #expect(try run(["deadline", "--received", "2024-03-04T10:00:00+07:00", "--working-hours", "4"]).out == "2024-03-04T16:00:00+07:00\n")
        let cut = try run(["deadline", "--received", "2024-03-04T15:30:00+07:00", "--working-days", "1", "--channel", "online", "--cut-off", "15:00"])
        #expect(cut.out == "2024-03-05T17:00:00+07:00\n")
    }

    /// Commands started together on a fresh data directory all migrate it without tripping over each other.
    @Test func concurrentFirstUseOfADataDirectory() async throws {
        let dir = try tempDir().path
        let results = try await withThrowingTaskGroup(of: MotcuaProcess.Result.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try MotcuaProcess.run(["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days", "3", "--data-dir", dir])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for r in results {
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out == "2024-02-19T15:30:00+07:00\n")
        }
    }

    @Test(arguments: [
        ["deadline", "--received", "hôm qua", "--working-days", "3"],
        ["deadline", "--received", "2024-02-07T15:30:00+07:00"],
        ["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days", "3", "--calendar-days", "3"],
        ["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days=0"],
        ["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days", "ba"],
        ["deadline", "--received", "2024-02-07T15:30:00+07:00", "--working-days", "3", "--channel", "fax"],
        ["deadline", "--received", "2199-12-30T15:30:00+07:00", "--working-days", "30"],
        ["calendar", "show", "2300"],
        ["calendar", "export", "2026", "--format", "xml"],
        ["no-such-command"],
    ])
    func invalidInputExitsWithTwo(args: [String]) throws {
        let r = try run(args)
        #expect(r.status == 2, "\(args)")
        #expect(!r.err.isEmpty)
        #expect(r.out.isEmpty)
    }

    @Test func showLists2026WithTetAndCompensatoryDays() throws {
        let r = try run(["calendar", "show", "2026", "--data-dir", try tempDir().path])
        #expect(r.status == 0)
        #expect(r.out.contains("LỊCH LÀM VIỆC NĂM 2026"))
        #expect(r.out.contains("17/02/2026 (Thứ Ba): Nghỉ - Tết Nguyên đán (mùng 1 tháng Giêng)"))
        #expect(r.out.contains("27/04/2026 (Thứ Hai): Nghỉ - Nghỉ bù Giỗ Tổ Hùng Vương"))
        #expect(r.out.contains("02/09/2026 (Thứ Tư): Nghỉ - Quốc khánh"))
        #expect(r.out.contains("  16*  17*  18*  19*  20*  21   22"))
    }

    @Test func exportImportRoundTripAndReplaceOnlyTheYearsInTheFile() throws {
        let data = try tempDir()
        let dir = ["--data-dir", data.path]
        // Export 2025 as pre-filled, add the real swap, import it back.
        var csv = try run(["calendar", "export", "2025"] + dir).out
        #expect(csv.hasPrefix("date,kind,description\n2025-01-01,day_off,Tết Dương lịch\n"))
        csv += "2025-05-02,day_off,Nghỉ hoán đổi\n2025-04-26,working_day,\"Làm bù cho ngày 2/5, thứ Bảy\"\n"
        let file = data.appendingPathComponent("lich-2025.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let imported = try run(["calendar", "import", file.path] + dir)
        #expect(imported.status == 0, "\(imported.err)")
        let show = try run(["calendar", "show", "2025"] + dir).out
        #expect(show.contains("+ 26/04/2025 (Thứ Bảy): Làm bù - Làm bù cho ngày 2/5, thứ Bảy"))
        #expect(show.contains("* 02/05/2025 (Thứ Sáu): Nghỉ - Nghỉ hoán đổi"))
        #expect(try run(["deadline", "--received", "2025-04-25T14:00:00+07:00", "--working-days", "2"] + dir).out == "2025-04-28T14:00:00+07:00\n")

        // JSON of 2026 with one day removed; 2025 keeps its table.
        let json = try run(["calendar", "export", "2026", "--format", "json"] + dir).out
        let lines = json.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("2026-01-01") }
        let jsonFile = data.appendingPathComponent("lich-2026.json")
        try lines.joined(separator: "\n").write(to: jsonFile, atomically: true, encoding: .utf8)
        #expect(try run(["calendar", "import", jsonFile.path] + dir).status == 0)
        #expect(try !run(["calendar", "export", "2026"] + dir).out.contains("2026-01-01"))
        #expect(try run(["calendar", "export", "2025"] + dir).out.contains("2025-04-26,working_day"))
    }

    @Test func malformedImportIsRefusedWholeWithTheLine() throws {
        let data = try tempDir()
        let dir = ["--data-dir", data.path]
        let file = data.appendingPathComponent("bad.csv")
        try "date,kind,description\n2027-01-01,day_off,ok\n2028-01-01,day_off,ok\n2028-02-31,day_off,bad\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try run(["calendar", "import", file.path] + dir)
        #expect(r.status == 2)
        #expect(r.err.contains("dòng 4"))
        #expect(try !run(["calendar", "export", "2027"] + dir).out.contains("2027-01-01,day_off,ok"))
        #expect(try run(["calendar", "export", "2027"] + dir).out.contains("2027-01-01,day_off,Tết Dương lịch"))
        let txt = data.appendingPathComponent("lich.txt")
        try "x".write(to: txt, atomically: true, encoding: .utf8)
        #expect(try run(["calendar", "import", txt.path] + dir).status == 2)
        // 10 KB of nested brackets once killed the command (exit 139): now a refusal with the reason.
        let nested = data.appendingPathComponent("nested.json")
        try (String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).write(to: nested, atomically: true, encoding: .utf8)
        let deep = try run(["calendar", "import", nested.path] + dir)
        #expect(deep.status == 2 && deep.err.contains("lồng nhau quá sâu"), "\(deep.status) \(deep.err)")
    }

    @Test func defaultDataDirectoryIsTheCurrentDirectorysData() throws {
        let cwd = try tempDir()
        let file = cwd.appendingPathComponent("x.csv")
        try "date,kind,description\n2031-03-03,day_off,Nghỉ đặc biệt\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try run(["calendar", "import", "x.csv"], in: cwd).status == 0)
        #expect(FileManager.default.fileExists(atPath: cwd.appendingPathComponent("data/motcua.sqlite").path))
        #expect(try run(["calendar", "export", "2031"], in: cwd).out == "date,kind,description\n2031-03-03,day_off,Nghỉ đặc biệt\n")
    }

    /// `motcua ca` and `motcua verify-signature` on a demo province: only a leader gets a
    /// certificate; a signature of theirs verifies (exit 0) until the file changes or the
    /// certificate is revoked (exit 1, with the reason).
    @Test func theProvincialCAIssuesRevokesAndVerifies() throws {
        let data = try tempDir()
        defer { try? FileManager.default.removeItem(at: data) }
        let dir = ["--data-dir", data.path]
        #expect(try run(["demo", "--dossiers", "0"] + dir).status == 0)
        // The demo makes its CA and the leaders' certificates; a database without them is what follows.
        let caDirectory = data.appendingPathComponent("ca")
        #expect(FileManager.default.fileExists(atPath: caDirectory.appendingPathComponent("users/stp.lanhdao.pem").path))
        try FileManager.default.removeItem(at: caDirectory)
        var r = try run(["ca", "issue", "--user", "stp.lanhdao"] + dir)
        #expect(r.status == 1 && r.err.contains("motcua ca init"))
        r = try run(["ca", "init", "--name", "UBND tỉnh Hậu Giang"] + dir)
        #expect(r.status == 0 && r.out.contains("MOTCUA_SIGNING_SECRET"))
        let permissions = try FileManager.default.attributesOfItem(atPath: caDirectory.appendingPathComponent("secret").path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try run(["ca", "init", "--name", "Lần hai"] + dir).status == 1)
        r = try run(["ca", "issue", "--user", "stp.tiepnhan"] + dir)
        #expect(r.status == 1 && r.err.contains("không có vai trò lãnh đạo"))
        #expect(try run(["ca", "issue", "--user", "khong.co.ai"] + dir).err.contains("Không có tài khoản"))
        r = try run(["ca", "issue", "--user", "stp.lanhdao"] + dir)
        #expect(r.status == 0 && r.out.contains("Đã cấp chứng thư số cho"))

        let ca = ProvincialCA(directory: caDirectory)
        let secret = try SigningSecret.load(configured: nil, caDirectory: caDirectory)
        let content = data.appendingPathComponent("ket-qua.pdf"), signature = data.appendingPathComponent("ket-qua.pdf.p7s")
        let bytes = Array("%PDF-1.4 kết quả giải quyết".utf8)
        try Data(bytes).write(to: content)
        try Data(try ca.signer(username: "stp.lanhdao", secret: secret).sign(bytes)).write(to: signature)
        r = try run(["verify-signature", content.path, signature.path] + dir)
        #expect(r.status == 0 && r.out.contains("Chữ ký hợp lệ") && r.out.contains("stp.lanhdao") == false)
        try Data(bytes + [0x20]).write(to: content)
        r = try run(["verify-signature", content.path, signature.path] + dir)
        #expect(r.status == 1 && r.out.contains("bị thay đổi"))
        try Data(bytes).write(to: content)
        r = try run(["ca", "revoke", "--user", "stp.lanhdao"] + dir)
        #expect(r.status != 0 && r.err.contains("--reason"), "a revocation says why")
        r = try run(["ca", "revoke", "--user", "stp.lanhdao", "--reason", "stolen"] + dir)
        #expect(r.status != 0 && r.err.contains("key-compromise"))
        r = try run(["ca", "revoke", "--user", "stp.lanhdao", "--reason", "superseded"] + dir)
        #expect(r.status == 0 && r.out.contains("đã cấp chứng thư số mới"))
        r = try run(["verify-signature", content.path, signature.path] + dir)
        #expect(r.status == 1 && r.out.contains("thu hồi"))
        #expect(try run(["verify-signature", data.appendingPathComponent("khong-co").path, signature.path] + dir).status == 1)
    }

    /// PostgreSQL's refusal is said on the console: PostgresNIO describes its errors generically.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MOTCUA_TEST_POSTGRES_URL"] != nil))
    func aDatabaseErrorSaysWhatTheServerSaid() throws {
        let url = ProcessInfo.processInfo.environment["MOTCUA_TEST_POSTGRES_URL"]!
            .replacingOccurrences(of: "motcua:motcua@", with: "motcua:sai-mat-khau@")
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["migrate", "--database", url, "--data-dir", dir.path])
        #expect(r.status == 2)
        #expect(r.err.contains("Chi tiết: PSQLError") && r.err.contains("28P01"), "\(r.err)")
    }
}

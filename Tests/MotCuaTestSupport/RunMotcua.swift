import Foundation

/// Runs the built `motcua` binary, or another program the tests check against (openssl, zbarimg,
/// pdftotext), as a process. The test bundle sits beside the products in .build/<configuration>/,
/// so the binary is looked up from there.
public enum MotcuaProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let out: String
        public let err: String
    }

    public static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("motcua").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("motcua")
    }()

    /// The checkout: the folder above the built binary that holds Package.swift.
    public static let checkout: URL = {
        var dir = binary.deletingLastPathComponent()
        while dir.path != "/", !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    public static func run(_ args: [String], in directory: URL? = nil) throws -> Result {
        try run(program: binary, args, in: directory)
    }

    public static func run(program: URL, _ args: [String], in directory: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = program
        p.arguments = args
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }
}

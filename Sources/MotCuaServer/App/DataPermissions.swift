import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data directory holds the database, the citizens' files and the sealed signing keys: no other
/// local user may read them. The process creates everything with umask 077 (folders 0700, files
/// 0600), and `motcua serve` warns at start about what it finds wider (made by an older version, or
/// by hand), without changing it.
enum DataPermissions {
    /// Files and folders this process makes are its user's alone.
    static func restrictNewFiles() { umask(0o077) }

    /// The data directory, created 0700 if missing.
    static func prepare(_ settings: Settings) throws {
        try FileManager.default.createDirectory(
            at: settings.dataDirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
    }

    /// One line per file or folder that group or others may read, write or enter.
    static func warnings(_ settings: Settings) -> [String] {
        let fm = FileManager.default
        var paths = [settings.dataDirectory, settings.filesDirectory]
        if !settings.isPostgres {
            paths += ["", "-wal", "-shm"].map { URL(fileURLWithPath: settings.database + $0) }
        }
        let ca = settings.dataDirectory.appendingPathComponent("ca")
        paths += [
            ca, ca.appendingPathComponent("users"), ca.appendingPathComponent("secret"),
            ca.appendingPathComponent("ca.key"),
        ]
        let users = ca.appendingPathComponent("users")
        paths += ((try? fm.contentsOfDirectory(atPath: users.path)) ?? []).filter { $0.hasSuffix(".key") }.sorted()
            .map { users.appendingPathComponent($0) }
        return paths.compactMap { url in
            guard let mode = (try? fm.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int, mode & 0o077 != 0
            else { return nil }
            let isDirectory =
                url.hasDirectoryPath
                || (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
            return
                "Cảnh báo: \(url.path) có quyền \(String(mode & 0o777, radix: 8)): người dùng khác trên máy đọc được; "
                + "đặt lại bằng chmod \(isDirectory ? "700" : "600") \(url.path)"
        }
    }
}

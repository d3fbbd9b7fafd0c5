import Foundation
import Vapor

/// Prints a form's HTML to PDF with headless Chromium (Debian's `chromium`): the same page the
/// browser prints, fonts and diacritics included. At most two printers run at once and eight wait;
/// each is stopped after 30 seconds, so a burst of downloads cannot take the server's memory or
/// processes.
struct PDFPrinter: Sendable {
    let executable: URL?
    let limiter: AsyncLimiter
    let timeout: Duration

    static let busy = ServiceError(.serviceUnavailable, "Máy chủ đang in nhiều bản PDF; vui lòng thử lại sau ít phút.")
    static let missing = ServiceError(
        .serviceUnavailable,
        """
        Máy chủ chưa cài Chromium nên chưa tạo được bản PDF; hãy dùng nút In của trình duyệt (chọn \"Lưu dưới \
        dạng PDF\") hoặc báo quản trị hệ thống cài gói chromium.
        """
    )

    init(executable: URL?, running: Int = 2, waiting: Int = 8, timeout: Duration = .seconds(30)) {
        self.executable = executable
        self.limiter = AsyncLimiter(running: running, waiting: waiting)
        self.timeout = timeout
    }

    /// MOTCUA_CHROMIUM if set, else the first of chromium, chromium-browser, google-chrome on PATH.
    static func find(environment: [String: String]) -> URL? {
        if let path = environment["MOTCUA_CHROMIUM"] { return path.isEmpty ? nil : URL(fileURLWithPath: path) }
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return URL(fileURLWithPath: directory + "/" + name)
            }
        }
        return nil
    }

    func pdf(html: String) async throws -> Data {
        guard let executable else { throw Self.missing }
        return try await limiter.run(busy: Self.busy) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "motcua-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let page = folder.appendingPathComponent("form.html"), output = folder.appendingPathComponent("form.pdf")
            try Data(html.utf8).write(to: page)
            let process = Process()
            process.executableURL = executable
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions",
                "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--no-pdf-header-footer",
                "--print-to-pdf=\(output.path)", page.absoluteString,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let status: Int32 = try await withThrowingTaskGroup(of: Int32?.self) { group in
                let finished = AsyncStream<Int32> { continuation in
                    process.terminationHandler = {
                        continuation.yield($0.terminationStatus); continuation.finish()
                    }
                }
                try process.run()
                group.addTask {
                    for await s in finished { return s }; return -1
                }
                group.addTask { [timeout] in
                    try? await Task.sleep(for: timeout); return nil
                }
                let first = try await group.next()!
                if first == nil, process.isRunning {
                    process.terminate()
                    group.cancelAll()
                    throw ServiceError(.serviceUnavailable, "Tạo bản PDF quá thời gian cho phép; vui lòng thử lại.")
                }
                group.cancelAll()
                return first ?? -1
            }
            guard status == 0, let data = try? Data(contentsOf: output), data.starts(with: Array("%PDF".utf8)) else {
                throw ServiceError(.internalServerError, "Không tạo được bản PDF (Chromium kết thúc với mã \(status)).")
            }
            return data
        }
    }
}

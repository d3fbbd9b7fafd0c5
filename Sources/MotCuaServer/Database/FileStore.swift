import Crypto
import Foundation

/// Uploaded files, stored by the SHA-256 of their content: written atomically (temp file + rename),
/// never overwritten, and checked against their name when read.
struct FileStore: Sendable {
    let directory: URL
    let maxBytes: Int

    typealias Kind = FileFormat.Kind

    /// The type of a file from its content; the name is not trusted. The whole structure is
    /// checked, not only the first bytes, so that a file merely starting like a PDF or an image
    /// (an executable behind `%PDF-`, say) is refused (FileFormat).
    static func sniff(_ data: Data) -> Kind? {
        data.withUnsafeBytes { raw in FileFormat.kind(of: raw.bindMemory(to: UInt8.self)) }
    }

    static func sha256(_ data: Data) -> String { Checksum.sha256(data) }

    func path(for sha: String) -> URL {
        directory.appendingPathComponent(String(sha.prefix(2))).appendingPathComponent(sha)
    }

    /// Checks and stores a file; returns its checksum and type. Storing the same content twice keeps one copy.
    /// CPU and disk work: call it off the event loops (the application's work pool). `known` is for
    /// what the server made itself (a signature): its type is not sniffed.
    func put(_ data: Data, as known: Kind? = nil) throws -> (sha256: String, kind: Kind) {
        guard !data.isEmpty else { throw ServiceError(.unprocessableEntity, "Tệp rỗng.") }
        guard data.count <= maxBytes else {
            throw ServiceError(.payloadTooLarge, "Tệp vượt quá dung lượng cho phép (\(maxBytes / 1_048_576) MB).")
        }
        guard let kind = known ?? Self.sniff(data) else {
            throw ServiceError(
                .unsupportedMediaType,
                """
                Loại tệp không được chấp nhận. Chỉ nhận PDF, JPEG, PNG, DOC, DOCX, XLS, XLSX (kiểm tra theo nội \
                dung tệp).
                """
            )
        }
        let sha = Self.sha256(data)
        let target = path(for: sha)
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) {
            // Immutable: never overwritten. Its time is renewed so that `files gc` (which removes only
            // old unreferenced files) leaves it to the row about to reference it.
            try? fm.setAttributes([.modificationDate: Date()], ofItemAtPath: target.path)
            return (sha, kind)
        }
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = target.deletingLastPathComponent().appendingPathComponent(".\(sha).\(UUID().uuidString).tmp")
        try data.write(to: temp)
        if rename(temp.path, target.path) != 0 {
            try? fm.removeItem(at: temp)
            throw ServiceError(.internalServerError, "Không lưu được tệp.")
        }
        return (sha, kind)
    }

    /// Reads a file and verifies its checksum.
    func get(_ sha: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path(for: sha).path) else {
            throw ServiceError(.notFound, "Không tìm thấy tệp.")
        }
        guard Self.sha256(data) == sha else {
            throw ServiceError(.internalServerError, "Tệp \(sha) bị hỏng: mã kiểm tra không khớp.")
        }
        return data
    }
}

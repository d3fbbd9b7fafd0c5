import Crypto
import Foundation

/// Uploaded files, stored by the SHA-256 of their content: written atomically (temp file + rename),
/// never overwritten, and checked against their name when read.
struct FileStore: Sendable {
    let directory: URL
    let maxBytes: Int

    enum Kind: String, CaseIterable, Sendable {
        case pdf, jpeg, png, docx, xlsx, doc, xls

        var contentType: String {
            switch self {
            case .pdf: "application/pdf"
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .doc: "application/msword"
            case .xls: "application/vnd.ms-excel"
            }
        }
    }

    /// The type of a file from its content; the name is not trusted.
    static func sniff(_ data: Data) -> Kind? {
        let b = [UInt8](data.prefix(8))
        func starts(_ sig: [UInt8]) -> Bool { b.count >= sig.count && Array(b.prefix(sig.count)) == sig }
        if starts([0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }                     // %PDF-
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0x50, 0x4B, 0x03, 0x04]) {                                          // ZIP: OOXML?
            if data.range(of: Data("word/".utf8)) != nil { return .docx }
            if data.range(of: Data("xl/".utf8)) != nil { return .xlsx }
            return nil
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {                  // OLE2: Word or Excel 97
            func utf16(_ s: String) -> Data { Data(s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) }
            if data.range(of: utf16("WordDocument")) != nil { return .doc }
            if data.range(of: utf16("Workbook")) != nil || data.range(of: utf16("Book")) != nil { return .xls }
            return nil
        }
        return nil
    }

    static func sha256(_ data: Data) -> String { Checksum.sha256(data) }

    func path(for sha: String) -> URL {
        directory.appendingPathComponent(String(sha.prefix(2))).appendingPathComponent(sha)
    }

    /// Checks and stores a file; returns its checksum and type. Storing the same content twice keeps one copy.
    func put(_ data: Data) throws -> (sha256: String, kind: Kind) {
        guard !data.isEmpty else { throw ServiceError(.unprocessableEntity, "Tệp rỗng.") }
        guard data.count <= maxBytes else {
            throw ServiceError(.payloadTooLarge, "Tệp vượt quá dung lượng cho phép (\(maxBytes / 1_048_576) MB).")
        }
        guard let kind = Self.sniff(data) else {
            throw ServiceError(.unsupportedMediaType, "Loại tệp không được chấp nhận. Chỉ nhận PDF, JPEG, PNG, DOC, DOCX, XLS, XLSX (kiểm tra theo nội dung tệp).")
        }
        let sha = Self.sha256(data)
        let target = path(for: sha)
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path) { return (sha, kind) }   // immutable: never overwritten
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

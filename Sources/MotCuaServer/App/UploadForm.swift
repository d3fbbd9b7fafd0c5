import Foundation
import Vapor

/// The multipart form of an upload, read strictly: exactly one part `file` with a file name, at
/// most one part `component` holding a positive integer, nothing else. A form that says anything
/// else is refused rather than half-read.
enum UploadForm {
    static let invalid = ServiceError(
        .unprocessableEntity,
        """
        Cần gửi đúng một tệp trong trường \"file\" và tuỳ chọn số thứ tự thành phần hồ sơ trong trường \
        \"component\" (multipart/form-data).
        """
    )

    /// Streams a request body to a temporary file in `directory`, chunk by chunk as it arrives (the
    /// event loop never holds it whole), then reads the form on the work pool. The temporary file
    /// is removed whatever happens.
    static func receive(
        _ body: Request.Body, boundary: String, limit: Int, tooLarge: ServiceError, into directory: URL,
        pool: NIOThreadPool
    ) async throws -> (data: Data, fileName: String, component: Int?) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temp = directory.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: temp.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temp.path)
        else {
            throw ServiceError(.internalServerError, "Không lưu được tệp tạm.")
        }
        defer { try? FileManager.default.removeItem(at: temp) }
        do {
            defer { try? handle.close() }
            var received = 0
            for try await chunk in body {
                received += chunk.readableBytes
                if received > limit { throw tooLarge }
                try await pool.runIfActive { try handle.write(contentsOf: chunk.readableBytesView) }
            }
        }
        return try await pool.runIfActive { try parse(Data(contentsOf: temp), boundary: boundary) }
    }

    /// A small form collected whole by its route (a calendar file, a picture, a blank form): the same
    /// strict reading; nil when the request is not multipart/form-data or its form says anything else.
    static func collected(_ req: Request) -> (data: Data, fileName: String, component: Int?)? {
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
            let boundary = type.parameters["boundary"], !boundary.isEmpty, let body = req.body.data
        else { return nil }
        return try? parse(Data(buffer: body), boundary: boundary)
    }

    /// Reads the form. Written here rather than with MultipartKit, whose parser traps on a byte
    /// above 127 in a part's header name (found by fuzzing: it took the whole server down).
    static func parse(_ body: Data, boundary: String) throws -> (data: Data, fileName: String, component: Int?) {
        let parts: [MultipartBody.Part]
        do {
            parts = try body.withUnsafeBytes { raw in
                try MultipartBody.parts(raw.bindMemory(to: UInt8.self), boundary: Array(boundary.utf8))
            }
        } catch is MultipartBody.Invalid { throw invalid }
        var file: MultipartBody.Part?, component: Int?, componentSeen = false
        for part in parts {
            switch part.disposition("name") {
            case "file" where file == nil && part.disposition("filename") != nil:
                file = part
            case "component" where !componentSeen:
                componentSeen = true
                guard
                    let n = Int(
                        String(decoding: part.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                    n >= 1
                else { throw invalid }
                component = n
            default:
                throw invalid
            }
        }
        guard let file, let name = file.disposition("filename") else { throw invalid }
        return (file.body, name, component)
    }
}

import Foundation
import Vapor

/// The multipart form of an upload, read strictly: exactly one part `file` with a file name, at
/// most one part `component` holding a positive integer, nothing else. A form that says anything
/// else is refused rather than half-read.
enum UploadForm {
    static let invalid = ServiceError(.unprocessableEntity,
        "Cần gửi đúng một tệp trong trường \"file\" và tuỳ chọn số thứ tự thành phần hồ sơ trong trường \"component\" (multipart/form-data).")

    /// Streams a request body to a temporary file in `directory`, chunk by chunk as it arrives (the
    /// event loop never holds it whole), then reads the form on the work pool. The temporary file
    /// is removed whatever happens.
    static func receive(_ body: Request.Body, boundary: String, limit: Int, tooLarge: ServiceError, into directory: URL,
                        pool: NIOThreadPool) async throws -> (data: Data, fileName: String, component: Int?) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temp = directory.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let handle = FileHandle(forWritingAtPath: temp.path) else {
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
              let boundary = type.parameters["boundary"], !boundary.isEmpty, let body = req.body.data else { return nil }
        return try? parse(Data(buffer: body), boundary: boundary)
    }

    /// Reads the form. Written here rather than with MultipartKit, whose parser traps on a byte
    /// above 127 in a part's header name (found by fuzzing: it took the whole server down).
    static func parse(_ body: Data, boundary: String) throws -> (data: Data, fileName: String, component: Int?) {
        let parts = try body.withUnsafeBytes { raw in try MultipartBody.parts(raw.bindMemory(to: UInt8.self), boundary: Array(boundary.utf8)) }
        var file: MultipartBody.Part?, component: Int?, componentSeen = false
        for part in parts {
            switch part.disposition("name") {
            case "file" where file == nil && part.disposition("filename") != nil:
                file = part
            case "component" where !componentSeen:
                componentSeen = true
                guard let n = Int(String(decoding: part.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), n >= 1 else { throw invalid }
                component = n
            default:
                throw invalid
            }
        }
        guard let file, let name = file.disposition("filename") else { throw invalid }
        return (file.body, name, component)
    }
}

/// multipart/form-data (RFC 7578): parts between `--boundary` lines, each with header lines, an
/// empty line and its body.
enum MultipartBody {
    struct Part {
        var headers: [(name: String, value: String)]
        var body: Data

        /// A parameter of the Content-Disposition header (`name`, `filename`).
        func disposition(_ parameter: String) -> String? {
            guard let value = headers.first(where: { $0.name.lowercased() == "content-disposition" })?.value else { return nil }
            for item in value.split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == parameter {
                    return pair[1].count >= 2 && pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") ? String(pair[1].dropFirst().dropLast()) : pair[1]
                }
            }
            return nil
        }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    static func parts(_ b: Bytes, boundary: [UInt8]) throws -> [Part] {
        let invalid = UploadForm.invalid
        let dash = Array("--".utf8), crlf = Array("\r\n".utf8)
        let delimiter = dash + boundary, nextDelimiter = crlf + dash + boundary, headerEnd = crlf + crlf
        // The first delimiter opens the body (or follows a preamble line).
        var i: Int
        if b.starts(with: delimiter) { i = delimiter.count } else {
            guard let at = b.firstIndex(of: nextDelimiter, from: 0) else { throw invalid }
            i = at + nextDelimiter.count
        }
        var parts: [Part] = []
        while true {
            if i + 2 <= b.count, b[i] == 0x2D, b[i + 1] == 0x2D { return parts }         // "--": the closing delimiter
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }                    // transport padding
            guard i + 2 <= b.count, b[i] == 0x0D, b[i + 1] == 0x0A else { throw invalid }
            i += 2
            guard let end = b.firstIndex(of: headerEnd, from: i - 2) else { throw invalid }
            var headers: [(name: String, value: String)] = []
            if end > i - 2 {
                for line in b[i..<end].split(separator: 0x0A) {
                    let text = line.last == 0x0D ? line.dropLast() : line[...]
                    guard let colon = text.firstIndex(of: 0x3A), colon > text.startIndex,
                          text[..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw invalid }
                    headers.append((String(decoding: text[..<colon], as: UTF8.self),
                                    String(decoding: text[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)))
                }
            }
            let start = end + headerEnd.count
            guard let next = b.firstIndex(of: nextDelimiter, from: start) else { throw invalid }
            parts.append(Part(headers: headers, body: Data(b[start..<next])))
            i = next + nextDelimiter.count
            guard parts.count <= 16 else { throw invalid }
        }
    }
}

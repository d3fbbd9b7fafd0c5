import Foundation
import MultipartKit
import Vapor

/// The multipart form of an upload, read strictly: exactly one part `file` with a file name, at
/// most one part `component` holding a positive integer, nothing else. A form that says anything
/// else is refused rather than half-read.
enum UploadForm {
    static let invalid = ServiceError(.unprocessableEntity,
        "Cần gửi đúng một tệp trong trường \"file\" và tuỳ chọn số thứ tự thành phần hồ sơ trong trường \"component\" (multipart/form-data).")

    struct Part {
        var headers: [(String, String)] = []
        var body = ByteBuffer()

        /// A parameter of the Content-Disposition header (`name`, `filename`).
        func disposition(_ parameter: String) -> String? {
            guard let value = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else { return nil }
            for item in value.split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == parameter {
                    return pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
                }
            }
            return nil
        }
    }

    static func parse(_ body: Data, boundary: String) throws -> (data: Data, fileName: String, component: Int?) {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var current = Part()
        parser.onHeader = { name, value in current.headers.append((name, value)) }
        parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
        parser.onPartComplete = { parts.append(current); current = Part() }
        do { try parser.execute(ByteBuffer(data: body)) } catch { throw invalid }
        var file: Part?, component: Int?, componentSeen = false
        for part in parts {
            switch part.disposition("name") {
            case "file" where file == nil && part.disposition("filename") != nil:
                file = part
            case "component" where !componentSeen:
                componentSeen = true
                guard let text = part.body.getString(at: part.body.readerIndex, length: part.body.readableBytes),
                      let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), n >= 1 else { throw invalid }
                component = n
            default:
                throw invalid
            }
        }
        guard let file, let name = file.disposition("filename") else { throw invalid }
        return (Data(buffer: file.body), name, component)
    }
}

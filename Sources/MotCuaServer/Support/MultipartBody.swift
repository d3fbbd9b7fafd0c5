import Foundation

/// multipart/form-data (RFC 7578): parts between `--boundary` lines, each with header lines, an
/// empty line and its body.
enum MultipartBody {
    struct Part {
        var headers: [(name: String, value: String)]
        var body: Data

        /// A parameter of the Content-Disposition header (`name`, `filename`).
        func disposition(_ parameter: String) -> String? {
            guard let value = headers.first(where: { $0.name.lowercased() == "content-disposition" })?.value else {
                return nil
            }
            for item in value.split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == parameter {
                    return pair[1].count >= 2 && pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"")
                        ? String(pair[1].dropFirst().dropLast()) : pair[1]
                }
            }
            return nil
        }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The body is not a form of this shape (`UploadForm` says so to the user).
    struct Invalid: Error {}

    static func parts(_ b: Bytes, boundary: [UInt8]) throws -> [Part] {
        let invalid = Invalid()
        let dash = Array("--".utf8), crlf = Array("\r\n".utf8)
        let delimiter = dash + boundary, nextDelimiter = crlf + dash + boundary, headerEnd = crlf + crlf
        // The first delimiter opens the body (or follows a preamble line).
        var i: Int
        if b.starts(with: delimiter) {
            i = delimiter.count
        } else {
            guard let at = b.firstIndex(of: nextDelimiter, from: 0) else { throw invalid }
            i = at + nextDelimiter.count
        }
        var parts: [Part] = []
        while true {
            if i + 2 <= b.count, b[i] == 0x2D, b[i + 1] == 0x2D { return parts }  // "--": the closing delimiter
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }  // transport padding
            guard i + 2 <= b.count, b[i] == 0x0D, b[i + 1] == 0x0A else { throw invalid }
            i += 2
            guard let end = b.firstIndex(of: headerEnd, from: i - 2) else { throw invalid }
            var headers: [(name: String, value: String)] = []
            if end > i - 2 {
                for line in b[i..<end].split(separator: 0x0A) {
                    let text = line.last == 0x0D ? line.dropLast() : line[...]
                    guard let colon = text.firstIndex(of: 0x3A), colon > text.startIndex,
                        text[..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
                    else { throw invalid }
                    headers.append(
                        (
                            String(decoding: text[..<colon], as: UTF8.self),
                            String(decoding: text[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                        ))
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

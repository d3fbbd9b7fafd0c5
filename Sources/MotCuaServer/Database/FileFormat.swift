/// Recognises the accepted file types by walking their structure: PDF (header, `startxref`
/// pointing at a cross-reference, `%%EOF`), PNG (chunks from IHDR to IEND, nothing after),
/// JPEG (segments from SOI through a frame header to SOS, ending at EOI), DOCX/XLSX (a ZIP whose
/// central directory holds the Office part), DOC/XLS (an OLE2 compound file of whole sectors).
enum FileFormat {
    /// The kinds of file the store keeps (a pure type, so that the fuzzing harness compiles this
    /// file without the server).
    enum Kind: String, CaseIterable, Sendable {
        case pdf, jpeg, png, docx, xlsx, doc, xls
        /// A detached CMS signature made by the server (never accepted from an upload).
        case cms

        var contentType: String {
            switch self {
            case .pdf: "application/pdf"
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .doc: "application/msword"
            case .xls: "application/vnd.ms-excel"
            case .cms: "application/pkcs7-signature"
            }
        }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    static func kind(of b: Bytes) -> Kind? {
        func starts(_ sig: [UInt8]) -> Bool { b.count >= sig.count && zip(b, sig).allSatisfy { $0 == $1 } }
        if starts(Array("%PDF-".utf8)) { return isPDF(b) ? .pdf : nil }
        if starts([0xFF, 0xD8, 0xFF]) { return isJPEG(b) ? .jpeg : nil }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return isPNG(b) ? .png : nil }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return officeZip(b) }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return ole2(b) }
        return nil
    }

    static func be16(_ b: Bytes, _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    static func be32(_ b: Bytes, _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }
    static func le16(_ b: Bytes, _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func le32(_ b: Bytes, _ i: Int) -> Int { le16(b, i) | le16(b, i + 2) << 16 }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0C || c == 0x00
    }

    static func isPDF(_ b: Bytes) -> Bool {
        // %PDF-d.d
        guard b.count >= 32, isDigit(b[5]), b[6] == 0x2E, isDigit(b[7]) else { return false }
        let tail = b.count - min(b.count, 2048)
        guard let eof = b.lastIndex(of: Array("%%EOF".utf8), from: tail),
            let startxref = b.lastIndex(of: Array("startxref".utf8), from: tail), startxref < eof
        else { return false }
        // Only line ends may follow %%EOF.
        guard (eof + 5..<b.count).allSatisfy({ isSpace(b[$0]) }) else { return false }
        var i = startxref + 9
        while i < eof, isSpace(b[i]) { i += 1 }
        var offset = 0, digits = 0
        while i < eof, isDigit(b[i]), digits < 12 { offset = offset * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
        guard digits > 0, offset < startxref else { return false }
        // The offset points at a classic "xref" table or a cross-reference stream "n g obj".
        if offset + 4 <= b.count, Array(b[offset..<offset + 4]) == Array("xref".utf8) { return true }
        var j = offset
        for part in 0..<2 {
            let begin = j
            while j < b.count, isDigit(b[j]) { j += 1 }
            guard j > begin else { return false }
            guard j < b.count, isSpace(b[j]) else { return false }
            while j < b.count, isSpace(b[j]) { j += 1 }
            _ = part
        }
        return j + 3 <= b.count && Array(b[j..<j + 3]) == Array("obj".utf8)
    }

    static func isPNG(_ b: Bytes) -> Bool {
        var i = 8, first = true
        while i + 12 <= b.count {
            let length = be32(b, i)
            let type = Array(b[i + 4..<i + 8])
            guard length <= b.count - i - 12 else { return false }
            if first {
                guard type == Array("IHDR".utf8), length == 13, be32(b, i + 8) > 0, be32(b, i + 12) > 0 else {
                    return false
                }
                first = false
            }
            i += 12 + length
            if type == Array("IEND".utf8) { return i == b.count }
        }
        return false
    }

    static func isJPEG(_ b: Bytes) -> Bool {
        var i = 2, frame = false
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return false }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = be16(b, i + 2)
            guard length >= 2, i + 2 + length <= b.count else { return false }
            if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
                frame = true
            }
            if marker == 0xDA {  // start of scan: entropy-coded data to EOI
                var end = b.count
                while end > i, b[end - 1] == 0x00 { end -= 1 }  // some writers pad with zeros
                return frame && end >= i + 4 && b[end - 2] == 0xFF && b[end - 1] == 0xD9
            }
            i += 2 + length
        }
        return false
    }

    static func officeZip(_ b: Bytes) -> Kind? {
        // The end-of-central-directory record, then every central directory entry's name.
        guard b.count >= 22,
            let eocd = b.lastIndex(of: [0x50, 0x4B, 0x05, 0x06], from: b.count - min(b.count, 65_557)),
            eocd + 22 <= b.count
        else { return nil }
        let entries = le16(b, eocd + 10), size = le32(b, eocd + 12), start = le32(b, eocd + 16)
        guard start + size <= eocd, entries > 0 else { return nil }
        var i = start, names = Set<String>()
        for _ in 0..<entries {
            guard i + 46 <= eocd, le32(b, i) == 0x0201_4B50 else { return nil }
            let nameLength = le16(b, i + 28), extra = le16(b, i + 30), comment = le16(b, i + 32)
            guard i + 46 + nameLength <= eocd else { return nil }
            names.insert(String(decoding: b[i + 46..<i + 46 + nameLength], as: UTF8.self))
            i += 46 + nameLength + extra + comment
        }
        guard names.contains("[Content_Types].xml") else { return nil }
        if names.contains("word/document.xml") { return .docx }
        if names.contains("xl/workbook.xml") { return .xlsx }
        return nil
    }

    static func ole2(_ b: Bytes) -> Kind? {
        guard b.count >= 1024, le16(b, 28) == 0xFFFE else { return nil }
        let shift = le16(b, 30)
        guard shift == 9 || shift == 12 else { return nil }
        let sector = 1 << shift
        guard (b.count - 512) % sector == 0 || (b.count - sector) % sector == 0 else { return nil }
        func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        func contains(_ needle: [UInt8]) -> Bool { b.firstIndex(of: needle, from: 512) != nil }
        if contains(utf16("WordDocument")) { return .doc }
        if contains(utf16("Workbook")) || contains(utf16("Book")) { return .xls }
        return nil
    }
}

import Foundation
import MotCuaCore
import ZIPFoundation

/// A cell of a spreadsheet or report table.
enum SheetCell: Sendable, Hashable {
    case text(String)
    case integer(Int)
    /// A score or average, two decimals.
    case decimal(Double)
    /// A share from 0 to 1, shown as a percentage; nil is an empty cell.
    case rate(Double?)
    case date(LocalDate?)
    case dateTime(Date?)

    /// How the cell reads in a CSV file and on screen (dd/MM/yyyy dates, Vietnamese percentages).
    var text: String {
        switch self {
        case .text(let s): s
        case .integer(let n): String(n)
        case .decimal(let x): String(format: "%.2f", x).replacingOccurrences(of: ".", with: ",")
        case .rate(let r):
            r.map { String(format: "%.2f", $0 * 100).replacingOccurrences(of: ".", with: ",") + "%" } ?? ""
        case .date(let d): d?.vietnamese ?? ""
        case .dateTime(let t): t.map(PageTime.dateTime) ?? ""
        }
    }
}

/// An Office Open XML workbook of one sheet, written row by row to a file so that memory stays
/// flat however many rows it has: the sheet's XML goes to a temporary file, which is then deflated
/// into the archive in chunks. Text is written inline (no shared strings), numbers as numbers,
/// dates as date serials with a dd/mm/yyyy format, rates as percentages.
final class XLSXWriter: @unchecked Sendable {
    private let directory: URL
    private let sheet: FileHandle
    private var buffer = ""
    private var rowNumber = 0
    private let sheetName: String

    init(sheetName: String, columnWidths: [Double]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-xlsx-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("sheet1.xml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        sheet = try FileHandle(forWritingTo: url)
        self.sheetName = String(sheetName.prefix(31))
        var cols = "<cols>"
        for (i, w) in columnWidths.enumerated() {
            cols += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>"
        }
        cols += "</cols>"
        buffer =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + (columnWidths.isEmpty ? "" : cols) + "<sheetData>"
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Styles (xl/styles.xml): 0 plain, 1 bold (headings), 2 date, 3 percentage, 4 date and time, 5 two decimals.
    func append(_ cells: [SheetCell], bold: Bool = false) throws {
        rowNumber += 1
        buffer += "<row r=\"\(rowNumber)\">"
        for (i, cell) in cells.enumerated() {
            let ref = (i < Self.letters.count ? Self.letters[i] : Self.column(i)) + String(rowNumber)
            switch cell {
            case .text(let s):
                buffer +=
                    """
                    <c r=\"\(ref)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t \
                    xml:space=\"preserve\">\(XMLText.escape(s))</t></is></c>
                    """
            case .integer(let n):
                buffer += "<c r=\"\(ref)\"\(bold ? " s=\"1\"" : "")><v>\(n)</v></c>"
            case .decimal(let x):
                buffer += "<c r=\"\(ref)\" s=\"5\"><v>\(x)</v></c>"
            case .rate(let r):
                buffer += r.map { "<c r=\"\(ref)\" s=\"3\"><v>\($0)</v></c>" } ?? "<c r=\"\(ref)\"/>"
            case .date(let d):
                // Excel's serial day: days since 1899-12-30.
                buffer +=
                    d.map { "<c r=\"\(ref)\" s=\"2\"><v>\($0.dayNumber - Self.excelEpoch.dayNumber)</v></c>" }
                    ?? "<c r=\"\(ref)\"/>"
            case .dateTime(let t):
                buffer +=
                    t.map { instant -> String in
                        let (day, second) = VietnamTime.local(instant)
                        let serial = Double(day.dayNumber - Self.excelEpoch.dayNumber) + Double(second) / 86_400
                        return "<c r=\"\(ref)\" s=\"4\"><v>\(serial)</v></c>"
                    } ?? "<c r=\"\(ref)\"/>"
            }
        }
        buffer += "</row>"
        if buffer.utf8.count > 1 << 16 { try flush() }
    }

    private func flush() throws {
        try sheet.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    /// Finishes the workbook; answers the file, which lives until the writer is released.
    func finish() throws -> URL {
        buffer += "</sheetData></worksheet>"
        try flush()
        try sheet.close()
        let url = directory.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        try add(
            "[Content_Types].xml",
            xml + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                + #"<Override PartName="/xl/worksheets/sheet1.xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                + #"<Override PartName="/xl/styles.xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                + "</Types>")
        try add(
            "_rels/.rels",
            xml + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" "#
                + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#
                + #"Target="xl/workbook.xml"/>"#
                + "</Relationships>")
        try add(
            "xl/workbook.xml",
            xml
                + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
                + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                    + """
                    <sheets><sheet name=\"\(XMLText.escape(sheetName))\" sheetId=\"1\" \
                    r:id=\"rId1\"/></sheets></workbook>
                    """
        )
        try add(
            "xl/_rels/workbook.xml.rels",
            xml + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" "#
                + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                + #"Target="worksheets/sheet1.xml"/>"#
                + #"<Relationship Id="rId2" "#
                + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" "#
                + #"Target="styles.xml"/>"#
                + "</Relationships>")
        try add(
            "xl/styles.xml",
            xml + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + #"<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" "#
                + #"formatCode="dd/mm/yyyy hh:mm"/></numFmts>"#
                + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name "#
                + #"val="Calibri"/></font></fonts>"#
                + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill "#
                + #"patternType="gray125"/></fill></fills>"#
                + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
                + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
                + #"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
                + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
                + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + #"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + #"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
                + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
                + "</styleSheet>")
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", fileURL: directory.appendingPathComponent("sheet1.xml"),
            compressionMethod: .deflate)
        return url
    }

    static let excelEpoch = LocalDate(year: 1899, month: 12, day: 30)!
    static let letters = (0..<64).map(column)

    /// A, B, ..., Z, AA, ...
    static func column(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

}

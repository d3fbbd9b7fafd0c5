import Foundation
import MotCuaCore
import Vapor

/// A report as a table: what the screen, the print, the CSV and the Excel file all show, so that
/// they carry the same numbers in the same order.
struct ReportTable: Sendable {
    let title: String
    /// The Excel sheet's name (31 characters at most).
    let sheet: String
    /// The criteria used, one line each ("Từ ngày 01/01/2026 đến ngày 31/12/2026", ...).
    let criteria: [String]
    let headings: [String]
    let rows: [[SheetCell]]
    let widths: [Double]

    enum Format: String { case csv, xlsx }

    /// UTF-8 with a byte-order mark, so that Excel shows the diacritics; CRLF line ends (RFC 4180).
    var csv: String {
        var out = "\u{FEFF}"
        for line in [headings.map(CSV.textCell)] + rows.map({ $0.map(\.csvText) }) {
            out += line.map(CSV.quote).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The file of the table in a format, streamed from disk for Excel.
    func file(_ format: Format, name: String, for req: Request) async throws -> Response {
        try await req.export {
            switch format {
            case .csv:
                return Self.csvResponse(csv, name: name)
            case .xlsx:
                let writer = try XLSXWriter(sheetName: sheet, columnWidths: widths)
                try writer.append(headings.map(SheetCell.text), bold: true)
                for row in rows { try writer.append(row) }
                return try await writer.response(name: name, for: req)
            }
        }
    }

    /// A CSV text as a download.
    static func csvResponse(_ text: String, name: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: name + ".csv")
        return response
    }
}

extension XLSXWriter {
    /// The finished workbook streamed from its file as a download; the file goes with the writer
    /// once the response is sent.
    func response(name: String, for req: Request) async throws -> Response {
        let url = try finish()
        let response = try await req.fileio.asyncStreamFile(
            at: url.path,
            mediaType: HTTPMediaType(
                type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            onCompleted: { _ in withExtendedLifetime(self) {} })
        response.headers.contentDisposition = .init(.attachment, filename: name + ".xlsx")
        return response
    }
}

extension SheetCell {
    /// In CSV files numbers are plain (no thousands separator), dates dd/MM/yyyy, rates as decimals,
    /// and text never starts like a formula.
    var csvText: String {
        switch self {
        case .text(let s): CSV.textCell(s)
        case .rate(let r): r.map { String(format: "%.4f", $0) } ?? ""
        case .decimal(let x): String(format: "%.2f", x)
        default: text
        }
    }
}

extension SummaryReport {
    /// Biểu số II.06a as a table: STT, the group, columns 3 to 13, the on-time rate; the total last.
    var table: ReportTable {
        let c = criteria
        var rows: [[SheetCell]] = rows.enumerated().map { i, r in
            [.integer(i + 1), .text(r.key), .text(r.name)] + r.counts.columns.map(SheetCell.integer) + [
                .rate(r.counts.onTimeRate)
            ]
        }
        rows.append(
            [.text(""), .text(""), .text("Tổng cộng")] + total.columns.map(SheetCell.integer) + [
                .rate(total.onTimeRate)
            ])
        return ReportTable(
            title: "Tổng hợp tình hình giải quyết TTHC",
            sheet: "Biểu II.06a",
            criteria: [
                "Nhóm dữ liệu: \(c.group.vietnameseName)",
                "Từ ngày \(c.from.vietnamese) đến ngày \(c.to.vietnamese)",
                "Số liệu đang giải quyết tính đến \(PageTime.dateTime(asOf))",
            ]
                + (c.underSuccessor && c.group == .agency ? ["Cơ quan đã sáp nhập được gộp vào cơ quan kế thừa"] : []),
            headings: ["STT", "Mã", c.group.vietnameseName] + SummaryCounts.headings + ["Tỷ lệ đúng hạn"],
            rows: rows,
            widths: [6, 18, 48] + Array(repeating: 13, count: 11) + [14])
    }
}

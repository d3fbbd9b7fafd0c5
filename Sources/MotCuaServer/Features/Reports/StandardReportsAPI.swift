import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/{report}`: the same table as the page, as JSON or as a file.
struct StandardReportsAPI {
    struct Query: Content {
        var group: String?
        var from: String?
        var to: String?
        var unit: String?
        /// Merged agencies under their successor (with `group=agency`), as the II.06a's `successors`.
        var successors: Bool?
        var format: String?
    }

    struct Table: Content {
        let report: String
        let title: String
        let criteria: [String]
        let columns: [String]
        /// Numbers as numbers (rates from 0 to 1, null when undefined), text as text, dates as YYYY-MM-DD.
        let rows: [[JSONCell]]

        init(from decoder: any Decoder) throws { fatalError("encoded only") }
        init(report: String, title: String, criteria: [String], columns: [String], rows: [[JSONCell]]) {
            self.report = report; self.title = title; self.criteria = criteria; self.columns = columns; self.rows = rows
        }
    }

    struct JSONCell: Encodable, Sendable {
        let cell: SheetCell
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch cell {
            case .text(let s): try c.encode(s)
            case .integer(let n): try c.encode(n)
            case .decimal(let x): try c.encode((x * 100).rounded() / 100)
            case .rate(let r): if let r { try c.encode(r) } else { try c.encodeNil() }
            case .date(let d): if let d { try c.encode(d.iso) } else { try c.encodeNil() }
            case .dateTime(let t): if let t { try c.encode(VietnamTime.iso(t)) } else { try c.encodeNil() }
            }
        }
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        guard let report = req.parameters.get("report").flatMap(StandardReport.init(rawValue:)) else {
            throw ServiceError(.notFound, "Không có báo cáo này.")
        }
        let q = try req.query.decode(Query.self)
        let criteria = try ReportsAPI.criteria(
            ReportsAPI.Query(group: q.group, from: q.from, to: q.to, successors: q.successors), actor: actor)
        let format = try ReportsAPI.format(q.format)
        // The page's form sends an empty unit for "all"; the API takes an agency id or nothing.
        if q.unit?.isEmpty == true {
            throw ServiceError(.unprocessableEntity, "Đơn vị (unit) phải là mã định danh của một cơ quan.")
        }
        let unit = try await StandardReportPage.unit(q.unit, actor: actor, on: req.db)
        let result = try await report.make(criteria, unit: unit, now: Date(), on: req.reportDB)
        if let format {
            return try await result.table.file(
                format, name: "bao-cao-\(report.rawValue)-\(criteria.from.iso)-\(criteria.to.iso)", for: req)
        }
        let t = result.table
        return try await Table(
            report: report.rawValue, title: t.title, criteria: t.criteria, columns: t.headings,
            rows: t.rows.map { $0.map(JSONCell.init) }
        ).encodeResponse(for: req)
    }
}

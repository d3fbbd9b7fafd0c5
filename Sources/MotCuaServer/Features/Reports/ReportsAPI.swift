import Foundation
import MotCuaCore
import Vapor

/// `GET /api/v1/reports/summary`: Biểu số II.06a as JSON, or with `format=csv|xlsx` as a file.
struct ReportsAPI {
    struct Query: Content {
        var group: String?
        var from: String?
        var to: String?
        var successors: Bool?
        var format: String?
    }

    struct Counts: Content {
        var key: String?
        var name: String
        var counts: SummaryCounts

        /// The keys: `key`, `name`, one per number of the form (the core's `SummaryColumn`), `onTimeRate`.
        struct Key: CodingKey {
            let stringValue: String
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(key: String?, name: String, counts: SummaryCounts) {
            self.key = key
            self.name = name
            self.counts = counts
        }

        init(from decoder: any Decoder) throws { fatalError("encoded only") }

        /// Every column is written, the rate as null when nothing was resolved.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            if let key { try c.encode(key, forKey: Key("key")) }
            try c.encode(name, forKey: Key("name"))
            for column in SummaryColumn.allCases { try c.encode(counts[column], forKey: Key(column.rawValue)) }
            if let rate = counts.onTimeRate {
                try c.encode(rate, forKey: Key("onTimeRate"))
            } else {
                try c.encodeNil(forKey: Key("onTimeRate"))
            }
        }
    }

    struct Summary: Content {
        let group: String
        let from: String
        let to: String
        let asOf: Date
        let rows: [Counts]
        let total: Counts

        init(from decoder: any Decoder) throws { fatalError("encoded only") }
        init(group: String, from: String, to: String, asOf: Date, rows: [Counts], total: Counts) {
            self.group = group; self.from = from; self.to = to; self.asOf = asOf; self.rows = rows; self.total = total
        }
    }

    /// The criteria of a request, checked: every problem is a 422 with a Vietnamese message.
    static func criteria(_ q: Query, actor: Actor) throws -> ReportCriteria {
        let scope = try ReportCriteria.scope(of: actor)
        guard let group = ReportGroup(rawValue: q.group ?? "agency") else {
            throw ServiceError(.unprocessableEntity, "Nhóm dữ liệu (group) phải là agency, procedure hoặc field.")
        }
        guard let fromText = q.from, let from = LocalDate(iso: fromText), fromText.count == 10 else {
            throw ServiceError(.unprocessableEntity, "Thiếu hoặc sai \"Từ ngày\" (from, dạng YYYY-MM-DD).")
        }
        guard let toText = q.to, let to = LocalDate(iso: toText), toText.count == 10 else {
            throw ServiceError(.unprocessableEntity, "Thiếu hoặc sai \"Đến ngày\" (to, dạng YYYY-MM-DD).")
        }
        try ReportCriteria.validate(from: from, to: to)
        return ReportCriteria(group: group, from: from, to: to, underSuccessor: q.successors ?? false, scope: scope)
    }

    static func format(_ text: String?) throws -> ReportTable.Format? {
        guard let text, text != "json" else { return nil }
        guard let format = ReportTable.Format(rawValue: text) else {
            throw ServiceError(.unprocessableEntity, "Định dạng (format) phải là json, csv hoặc xlsx.")
        }
        return format
    }

    func summary(req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = try req.query.decode(Query.self)
        let criteria = try Self.criteria(q, actor: actor)
        let format = try Self.format(q.format)
        let source = req.reportSource
        let report = try await SummaryReport.make(criteria, now: Date(), on: source.db)
        if let format {
            return try await report.table.file(
                format, name: "bieu-II.06a-\(criteria.from.iso)-\(criteria.to.iso)", for: req)
        }
        return try await Summary(
            group: criteria.group.rawValue, from: criteria.from.iso, to: criteria.to.iso,
            asOf: min(report.asOf, source.asOf),
            rows: report.rows.map { Counts(key: $0.key, name: $0.name, counts: $0.counts) },
            total: Counts(key: nil, name: "Tổng cộng", counts: report.total)
        ).encodeResponse(for: req)
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// The agency evaluation of Thông tư 01/2018/TT-VPCP (DOMAIN.md section 10): nine indicators scored
/// 2 / 1 / 0, averaged over the dossiers an agency resolved in the period. Indicators 1 to 4 and 9
/// are computed from the dossiers; 5 to 8 (reception at the desk, publicity, attitude, feedback)
/// are entered by the evaluator per agency and year (`EvaluationScoresPage`, the year of the
/// period's last day) and count 0 until they are.
enum AgencyEvaluation {
    static let indicators = [
        "1. Tổng thời gian giải quyết so với quy định",
        "2. Thời gian thực hiện của từng cơ quan tham gia",
        "3. Số lần phải liên hệ để hoàn thiện hồ sơ",
        "4. Số cơ quan phải liên hệ",
        "5. Tiếp nhận, trả kết quả tại Bộ phận Một cửa",
        "6. Công khai thủ tục hành chính",
        "7. Thái độ của cán bộ",
        "8. Tiếp nhận, xử lý phản ánh, kiến nghị",
        "9. Tiến độ cung cấp dịch vụ công trực tuyến",
    ]

    static func make(
        _ c: ReportCriteria, scope: SQLQueryString, title: String, sheet: String,
        on db: any Database
    ) async throws -> StandardReportResult {
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let g: UUID; let p: UUID; let resolution: String; let rounds: Int; let n: Int }
        // Counted by what a dossier's scores depend on; the scores are the core's.
        let rows = try await sql.raw(
            """
            SELECT agency_id AS g, procedure_id AS p, resolution,
              CASE WHEN supplement_rounds > 2 THEN 2 ELSE supplement_rounds END AS rounds, count(*) AS n
            FROM dossiers WHERE resolution IN ('early', 'on_time', 'late') AND finished_at >= \(bind: c.start) AND \
            finished_at < \(bind: c.end)
              AND \(scope)
            GROUP BY agency_id, procedure_id, resolution, CASE WHEN supplement_rounds > 2 THEN 2 ELSE \
            supplement_rounds END
            """
        ).all(decoding: Row.self)
        var online: [UUID: Int] = [:]
        for p in try await ProcedureModel.query(on: db).all() {
            switch try p.terms.onlineLevel {
            case .full: online[p.id!] = 2
            case .partial: online[p.id!] = 1
            case .none: online[p.id!] = 0
            }
        }
        var byAgency: [UUID: (n: Int, i1: Int, i3: Int, i9: Int)] = [:]
        for r in rows {
            var a = byAgency[r.g] ?? (0, 0, 0, 0)
            let time = Resolution(rawValue: r.resolution).flatMap(AgencyEvaluationScores.time) ?? 0
            a.n += r.n; a.i1 += r.n * time; a.i3 += r.n * AgencyEvaluationScores.returns(supplementRounds: r.rounds)
            a.i9 += r.n * (online[r.p] ?? 0)
            byAgency[r.g] = a
        }
        let names = try await ReportNames.load(.agency, on: db)
        let stored = try await EvaluationScoreModel.of(year: c.to.year, on: db)
        var cells: [[SheetCell]] = []
        var links: [String?] = []
        var missing = false
        for (i, (id, a)) in byAgency.sorted(by: { names.code(of: $0.key) < names.code(of: $1.key) }).enumerated() {
            let n = Double(a.n)
            let computed = [Double(a.i1) / n, Double(a.i1) / n, Double(a.i3) / n, 2]
            let entered = stored[id] ?? [nil, nil, nil, nil]
            if entered.contains(where: { $0 == nil }) { missing = true }
            let scores = computed + entered.map { $0.map(Double.init) ?? 0 } + [Double(a.i9) / n]
            let total = scores.reduce(0, +)
            cells.append(
                [.integer(i + 1), .text(names.name(of: id)), .integer(a.n)] + scores.map { SheetCell.decimal($0) }
                    + [.decimal(total), .text(AgencyEvaluationScores.band(total))])
            links.append("co-quan=\(id.uuidString)&nam=\(c.to.year)")
        }
        let note =
            ["Chỉ số 5 đến 8: điểm người đánh giá nhập cho từng cơ quan, năm \(c.to.year)"]
            + (missing ? ["Chỉ số 5 đến 8 chưa nhập được tính 0 điểm."] : [])
        return StandardReportResult(
            table: ReportTable(
                title: title, sheet: sheet,
                criteria: [
                    "Hồ sơ giải quyết từ ngày \(c.from.vietnamese) đến \(c.to.vietnamese)",
                    """
                    Chỉ số 1-4 và 9 tính từ hồ sơ (điểm trung bình mỗi hồ sơ: 2, 1 hoặc 0); chỉ số 2 tính như chỉ \
                    số 1 vì mỗi hồ sơ do một cơ quan giải quyết; chỉ số 4 là 2 điểm vì hồ sơ chỉ nộp tại một nơi
                    """,
                ] + note,
                headings: ["STT", "Cơ quan", "Số hồ sơ"] + indicators + ["Tổng điểm", "Xếp loại"],
                rows: cells, widths: [6, 40, 10] + Array(repeating: 12, count: 9) + [10, 12]),
            links: links)
    }
}

import Fluent
import Foundation
import MotCuaCore
import SQLKit
import Vapor

/// The scores of indicators 5 to 8 of the Thông tư 01/2018 evaluation, entered for one agency and
/// one year by its leader or by the province's leaders (`/thong-ke/danh-gia/diem`), used by the
/// agency evaluation report of any period ending in that year. Each save is made from the version
/// the form showed (a conflict otherwise, with the latest scores and what was typed kept) and is
/// written to the audit log.
struct EvaluationScoresPage {
    static let path = "/thong-ke/danh-gia/diem"

    struct Context: Encodable {
        struct Indicator: Encodable { let name: String; let label: String; let options: [SelectOption] }
        let layout: PageLayout
        let agencyID: String
        let agency: String
        let year: Int
        let version: Int
        let indicators: [Indicator]
        let updated: String?
        let report: String
        let notice: String?
        let error: String?
    }

    struct Typed: Content {
        var coQuan: String?
        var nam: Int?
        var cs5: String?, cs6: String?, cs7: String?, cs8: String?
        var phienBan: Int?
        enum CodingKeys: String, CodingKey { case coQuan = "co-quan", nam, cs5, cs6, cs7, cs8, phienBan = "phien-ban" }
    }

    /// The agency and year asked for, if the user may enter its scores (who may is the access
    /// table's, checked by the route's guard; which agencies, the user's scope).
    static func target(_ typed: Typed, req: Request) async throws -> (actor: Actor, agency: AgencyModel, year: Int) {
        let actor = try req.actor()
        guard let id = typed.coQuan.flatMap(UUID.init(uuidString:)),
            let agency = try await AgencyModel.find(id, on: req.db),
            actor.scope.contains(agency: id, department: nil, owner: nil)
        else {
            throw ServiceError(.notFound, "Không có cơ quan này trong phạm vi của bạn.")
        }
        guard let year = typed.nam, LunarCalendar.supportedYears.contains(year) else {
            throw ServiceError(.unprocessableEntity, "Năm đánh giá không hợp lệ.")
        }
        return (actor, agency, year)
    }

    func show(req: Request) async throws -> View {
        let typed = try req.query.decode(Typed.self)
        let (_, agency, year) = try await Self.target(typed, req: req)
        let stored = try await Self.stored(agency.id!, year: year, on: req.db)
        return try await render(
            req, agency: agency, year: year, stored: stored, shown: stored?.scores ?? [nil, nil, nil, nil],
            notice: req.query[String.self, at: "da-luu"] == "1" ? "Đã lưu điểm." : nil, error: nil)
    }

    func save(req: Request) async throws -> Response {
        let typed = try req.content.decode(Typed.self)
        let (actor, agency, year) = try await Self.target(typed, req: req)
        var scores: [Int?] = []
        for text in [typed.cs5, typed.cs6, typed.cs7, typed.cs8] {
            guard let text, !text.isEmpty else { scores.append(nil); continue }
            guard let n = Int(text), (0...2).contains(n) else {
                return try await again(
                    req, agency: agency, year: year, typed: scores + [nil, nil, nil, nil].prefix(4 - scores.count),
                    error: "Điểm mỗi chỉ số là 2, 1 hoặc 0 (hoặc chưa nhập).", status: .unprocessableEntity)
            }
            scores.append(n)
        }
        guard let version = typed.phienBan, version >= 0 else {
            return try await again(
                req, agency: agency, year: year, typed: scores, error: "Thiếu phiên bản của bảng điểm.",
                status: .unprocessableEntity)
        }
        let now = Date()
        let entered = scores
        do {
            try await req.db.transaction { tx in
                let scores = entered
                let sql = tx as! any SQLDatabase
                let before: [Int?]
                if version == 0 {
                    // The first scores of the agency and year: the unique key refuses a second first.
                    let row = EvaluationScoreModel()
                    row.id = UUID.timeOrdered(now: now)
                    row.agencyID = agency.id!
                    row.year = year
                    (row.indicator5, row.indicator6, row.indicator7, row.indicator8) = (
                        scores[0], scores[1], scores[2], scores[3]
                    )
                    row.version = 1
                    row.updatedBy = actor.name
                    row.updatedAt = now.wholeSeconds
                    try await row.create(on: tx)
                    before = [nil, nil, nil, nil]
                } else {
                    // The claim is the transaction's first statement and a write, so that of two saves from
                    // the same version the second waits for the first and then finds no row (as dossiers do).
                    struct Old: Decodable {
                        let indicator_5: Int?; let indicator_6: Int?; let indicator_7: Int?; let indicator_8: Int?
                    }
                    let claimed = try await sql.raw(
                        """
                        UPDATE evaluation_scores SET version = version + 1
                        WHERE agency_id = \(bind: agency.id!) AND year = \(bind: year) AND version = \(bind: version)
                        RETURNING indicator_5, indicator_6, indicator_7, indicator_8
                        """
                    ).all(decoding: Old.self)
                    guard let old = claimed.first, claimed.count == 1 else { throw ServiceError.conflict }
                    try await sql.raw(
                        """
                        UPDATE evaluation_scores SET indicator_5 = \(bind: scores[0]), indicator_6 = \
                        \(bind: scores[1]), indicator_7 = \(bind: scores[2]),
                          indicator_8 = \(bind: scores[3]), updated_by = \(bind: actor.name), updated_at = \
                          \(bind: now.wholeSeconds)
                        WHERE agency_id = \(bind: agency.id!) AND year = \(bind: year)
                        """
                    ).run()
                    before = [old.indicator_5, old.indicator_6, old.indicator_7, old.indicator_8]
                }
                var changes: [LogChain.Change] = []
                for i in 0..<4 where before[i] != scores[i] {
                    let old: String? = before[i].map { String($0) }, new: String? = scores[i].map { String($0) }
                    changes.append(LogChain.Change(field: AgencyEvaluation.indicators[i + 4], old: old, new: new))
                }
                try await Audit.record(
                    "Nhập điểm đánh giá \(agency.name) năm \(year)", entity: "evaluation_scores",
                    id: "\(agency.code)/\(year)",
                    changes: changes, actor: actor, at: now, on: tx)
            }
        } catch let error as ServiceError where error.status == .conflict {
            return try await again(
                req, agency: agency, year: year, typed: scores, error: Self.conflict, status: .conflict)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await again(
                req, agency: agency, year: year, typed: scores, error: Self.conflict, status: .conflict)
        }
        return req.redirect(to: "\(Self.path)?co-quan=\(agency.id!.uuidString)&nam=\(year)&da-luu=1")
    }

    static let conflict =
        """
        Điểm vừa được người khác cập nhật: bên dưới là điểm bạn nhập, phiên bản mới nhất đã được nạp; kiểm tra \
        rồi lưu lại.
        """

    static func stored(_ agency: UUID, year: Int, on db: any Database) async throws -> EvaluationScoreModel? {
        try await EvaluationScoreModel.query(on: db).filter(\.$agencyID == agency).filter(\.$year == year).first()
    }

    /// The form again with what was typed, the latest version and the message.
    func again(_ req: Request, agency: AgencyModel, year: Int, typed: [Int?], error: String, status: HTTPStatus)
        async throws -> Response
    {
        let stored = try await Self.stored(agency.id!, year: year, on: req.db)
        return try await render(
            req, agency: agency, year: year, stored: stored, shown: typed, notice: nil, error: error
        ).encodeResponse(status: status, for: req)
    }

    func render(
        _ req: Request, agency: AgencyModel, year: Int, stored: EvaluationScoreModel?, shown: [Int?], notice: String?,
        error: String?
    ) async throws -> View {
        let indicators = (0..<4).map { i in
            Context.Indicator(
                name: "cs\(i + 5)", label: AgencyEvaluation.indicators[i + 4],
                options: [SelectOption(value: "", name: "Chưa nhập", selected: shown[i] == nil)]
                    + [2, 1, 0].map { SelectOption(value: String($0), name: "\($0) điểm", selected: shown[i] == $0) })
        }
        return try await req.view.render(
            "Reports/evaluation-scores",
            Context(
                layout: PageLayout("Thống kê báo cáo", req), agencyID: agency.id!.uuidString, agency: agency.name,
                year: year,
                version: stored?.version ?? 0, indicators: indicators,
                updated: stored.map { "Cập nhật lần cuối bởi \($0.updatedBy) lúc \(PageTime.dateTime($0.updatedAt))" },
                report: "/thong-ke/bao-cao/\(StandardReport.agencyEvaluation.rawValue)"
                    + "?tu-ngay=01/01/\(year)&den-ngay=31/12/\(year)",
                notice: notice, error: error))
    }
}

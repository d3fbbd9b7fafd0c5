import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Sổ theo dõi hồ sơ" (Thông tư 01/2018, mẫu số 06): the reception desk's book for one day, of the
/// user's agency: the dossiers received that day, or those whose result was returned that day, with
/// the columns of the paper book: applicant, procedure, received, appointment, handed to the
/// department, result back from it, returned (when, how and to whom). Printable as it is.
struct LogBookPage {
    enum Kind: String, CaseIterable { case received = "tiep-nhan", returned = "tra-ket-qua" }
    struct Context: Encodable {
        let layout: PageLayout; let agency: String; let day: String; let kind: String; let heading: String
        let rows: [LogBookQuery.Row]; let total: String; let page: Int; let pages: Int; let previous: String?;
        let next: String?
        let previousDay: String; let nextDay: String; let error: String?
    }

    static let per = 50
    static let path = "/so-theo-doi"

    func show(req: Request) async throws -> Response {
        let agencyID = try LogBookQuery.agency(of: req)
        let today = VietnamTime.local(Date()).date
        var error: String?
        var day = today
        if let text = req.query[String.self, at: "ngay"], !text.isEmpty {
            if let d = PageTime.parseDate(text), LunarCalendar.supportedYears.contains(d.year) {
                day = d
            } else {
                error = "Ngày \"\(text)\" không hợp lệ; nhập dạng dd/mm/yyyy. Đang hiển thị sổ hôm nay."
            }
        }
        let kind = Kind(rawValue: req.query[String.self, at: "loai"] ?? "") ?? .received
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let start = VietnamTime.instant(day, secondOfDay: 0),
            end = VietnamTime.instant(day.adding(days: 1), secondOfDay: 0)
        let query = LogBookQuery.dossiers(of: agencyID, on: req.db)
        switch kind {
        case .received:
            query.filter(\.$receivedAt >= start).filter(\.$receivedAt < end).sort(\.$receivedAt).sort(\.$code)
        case .returned:
            query.filter(\.$returnedAt >= start).filter(\.$returnedAt < end).sort(\.$returnedAt).sort(\.$code)
        }
        let total = try await query.count()
        let dossiers = try await query.range(((page - 1) * Self.per)..<(page * Self.per)).all()
        let rows = try await LogBookQuery.rows(dossiers, firstNumber: (page - 1) * Self.per + 1, on: req.db)
        let paging = PageLinks(page: page, per: Self.per, total: total)
        let links = paging.around(Self.path, filters: [("ngay", day.vietnamese), ("loai", kind.rawValue)])
        let agency = try await AgencyModel.find(agencyID, on: req.db)?.name ?? ""
        return try await req.view.render(
            "Reception/log-book",
            Context(
                layout: PageLayout("Sổ theo dõi hồ sơ", req), agency: agency, day: day.vietnamese, kind: kind.rawValue,
                heading: kind == .received
                    ? "Hồ sơ tiếp nhận ngày \(day.vietnamese)" : "Hồ sơ trả kết quả ngày \(day.vietnamese)",
                rows: rows, total: PageTime.number(total), page: page, pages: paging.pages, previous: links.previous,
                next: links.next,
                previousDay: day.adding(days: -1).vietnamese, nextDay: day.adding(days: 1).vietnamese, error: error)
        ).encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }
}

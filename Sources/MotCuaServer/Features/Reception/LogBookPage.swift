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
    struct Row: Encodable {
        let number: Int; let code: String; let procedure: String; let sets: Int; let applicant: String; let contact: String
        let department: String
        let received: String; let appointment: String; let handedOver: String; let completed: String; let returned: String; let recipient: String; let note: String
    }
    struct Context: Encodable {
        let layout: PageLayout; let agency: String; let day: String; let kind: String; let heading: String
        let rows: [Row]; let total: String; let page: Int; let pages: Int; let previous: String?; let next: String?
        let previousDay: String; let nextDay: String; let error: String?
    }

    static let per = 50
    static let path = "/so-theo-doi"

    /// The agency whose book the user keeps: the desk's and its leader's own.
    static func agency(of req: Request) throws -> UUID {
        let actor = try req.actor()
        guard Access.allows(actor.roles, .logBook), case .agency(let agencyID) = actor.scope else { throw ServiceError(.forbidden, Access.refusal(.logBook)) }
        return agencyID
    }

    /// The book's rows for these dossiers: the hand-overs and returns come from their log only.
    static func rows(_ dossiers: [DossierModel], firstNumber: Int, on db: any Database) async throws -> [Row] {
        let ids = dossiers.compactMap(\.id)
        let events = ids.isEmpty ? [] : try await LogEntryModel.query(on: db).filter(\.$dossierID ~~ ids)
            .filter(\.$action ~~ [Action.handOver.rawValue, Action.returnResult.rawValue]).sort(\.$seq).all()
        var handedOver: [UUID: Date] = [:], recipients: [UUID: String] = [:]
        for e in events {
            if e.action == Action.handOver.rawValue, handedOver[e.dossierID] == nil { handedOver[e.dossierID] = e.at }
            if e.action == Action.returnResult.rawValue, let changes = try? JSON.decode([LogChain.Change].self, e.changesJSON) {
                let who = changes.first { $0.field == "result_recipient" }?.new, how = changes.first { $0.field == "result_delivery" }?.new.flatMap(ResultDelivery.init(rawValue:))
                recipients[e.dossierID] = [who, how?.vietnameseName].compactMap { $0 }.joined(separator: " - ")
            }
        }
        let procedures = Dictionary(uniqueKeysWithValues: try await ProcedureModel.query(on: db).filter(\.$id ~~ Set(dossiers.map(\.procedureID))).all().map { ($0.id!, $0.name) })
        let departments = Dictionary(uniqueKeysWithValues: try await DepartmentModel.query(on: db).filter(\.$id ~~ Set(dossiers.map(\.departmentID))).all().map { ($0.id!, $0.name) })
        return dossiers.enumerated().map { i, d in
            Row(number: firstNumber + i, code: d.code, procedure: procedures[d.procedureID] ?? d.procedureCode, sets: 1,
                applicant: d.applicantName, contact: [d.applicantAddress, d.applicantPhone].filter { !$0.isEmpty }.joined(separator: " - "),
                department: departments[d.departmentID] ?? "",
                received: d.receivedAt.map(PageTime.dateTime) ?? "", appointment: d.appointmentAt.map(PageTime.dateTime) ?? "",
                handedOver: handedOver[d.id!].map(PageTime.dateTime) ?? "", completed: d.completedAt.map(PageTime.dateTime) ?? "",
                returned: d.returnedAt.map(PageTime.dateTime) ?? "", recipient: recipients[d.id!] ?? "",
                note: d.returnedAt == nil ? d.state.status.manualName : "")
        }
    }

    func show(req: Request) async throws -> Response {
        if req.query[String.self, at: "from"] != nil || req.query[String.self, at: "to"] != nil { return try await LogBookForm().show(req: req) }
        let agencyID = try Self.agency(of: req)
        let today = VietnamTime.local(Date()).date
        var error: String?
        var day = today
        if let text = req.query[String.self, at: "ngay"], !text.isEmpty {
            if let d = PageTime.parseDate(text), LunarCalendar.supportedYears.contains(d.year) { day = d } else { error = "Ngày \"\(text)\" không hợp lệ; nhập dạng dd/mm/yyyy. Đang hiển thị sổ hôm nay." }
        }
        let kind = Kind(rawValue: req.query[String.self, at: "loai"] ?? "") ?? .received
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let start = VietnamTime.instant(day, secondOfDay: 0), end = VietnamTime.instant(day.adding(days: 1), secondOfDay: 0)
        let query = DossierModel.query(on: req.db).filter(\.$agencyID == agencyID)
        switch kind {
        case .received: query.filter(\.$receivedAt >= start).filter(\.$receivedAt < end).sort(\.$receivedAt).sort(\.$code)
        case .returned: query.filter(\.$returnedAt >= start).filter(\.$returnedAt < end).sort(\.$returnedAt).sort(\.$code)
        }
        let total = try await query.count()
        let dossiers = try await query.range(((page - 1) * Self.per)..<(page * Self.per)).all()
        let rows = try await Self.rows(dossiers, firstNumber: (page - 1) * Self.per + 1, on: req.db)
        let paging = PageLinks(page: page, per: Self.per, total: total)
        let links = paging.around(Self.path, filters: [("ngay", day.vietnamese), ("loai", kind.rawValue)])
        let agency = try await AgencyModel.find(agencyID, on: req.db)?.name ?? ""
        let response = try await req.view.render("Reception/log-book", Context(
            layout: PageLayout("Sổ theo dõi hồ sơ", req), agency: agency, day: day.vietnamese, kind: kind.rawValue,
            heading: kind == .received ? "Hồ sơ tiếp nhận ngày \(day.vietnamese)" : "Hồ sơ trả kết quả ngày \(day.vietnamese)",
            rows: rows, total: PageTime.number(total), page: page, pages: paging.pages, previous: links.previous, next: links.next,
            previousDay: day.adding(days: -1).vietnamese, nextDay: day.adding(days: 1).vietnamese, error: error)).encodeResponse(for: req)
        if error != nil { response.status = .unprocessableEntity }
        return response
    }
}

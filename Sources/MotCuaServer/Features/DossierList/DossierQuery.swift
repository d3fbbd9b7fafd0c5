import Fluent
import Foundation
import MotCuaCore
import Vapor

/// Listing and searching dossiers within a user's scope.
struct DossierQuery: Content {
    var status: String?
    var step: String?
    var agency: UUID?
    var department: UUID?
    var procedure: String?
    var field: UUID?
    var channel: String?
    /// Received from / to, local dates YYYY-MM-DD, inclusive.
    var from: String?
    var to: String?
    /// Free text over the code and the applicant's name (diacritics optional).
    var q: String?
    var page: Int?
    var per: Int?
    /// received_at, -received_at (default), due_at, -due_at, code, -code.
    var sort: String?
    /// A role of the user: the dossiers waiting for that role (WorkQueue; an officer's own only).
    var waiting: String?
    /// `today`: due today (Vietnam time); `overdue`: past due. Running dossiers only (not paused).
    var due: String?

    static let maxPer = 100
    static let maxPage = 1_000_000

    /// The list pages send every filter of their form, empty ones included ("Tất cả trạng thái"); the
    /// API refuses an empty value where its document allows none (an enumeration, a date).
    func requireNoEmptyFilters() throws {
        for (value, name) in [(status, "status"), (step, "step"), (channel, "channel"), (from, "from"), (to, "to"), (sort, "sort"),
                              (waiting, "waiting"), (due, "due")] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ServiceError(.unprocessableEntity, "Tham số \"\(name)\" không được để trống.")
            }
        }
    }

    /// How many dossiers match (a count on the home page needs no rows).
    func count(actor: Actor, at now: Date = Date(), on db: any Database) async throws -> Int {
        try await filtered(actor: actor, at: now, on: db).count()
    }

    /// One page of the matching dossiers, sorted, and how many match in all.
    func run(actor: Actor, at now: Date = Date(), on db: any Database) async throws -> (items: [DossierModel], total: Int, page: Int, per: Int) {
        if let page, !(1...Self.maxPage).contains(page) { throw ServiceError(.unprocessableEntity, "Số trang (page) phải từ 1 đến \(Self.maxPage).") }
        if let per, !(1...Self.maxPer).contains(per) { throw ServiceError(.unprocessableEntity, "Số hồ sơ mỗi trang (per) phải từ 1 đến \(Self.maxPer).") }
        let sort = sort.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "-received_at"
        let order: (QueryBuilder<DossierModel>) -> Void
        switch sort {
        case "received_at": order = { $0.sort(\.$receivedAt, .ascending).sort(\.$code, .ascending) }
        case "-received_at": order = { $0.sort(\.$receivedAt, .descending).sort(\.$code, .descending) }
        case "due_at": order = { $0.sort(\.$dueAt, .ascending).sort(\.$code, .ascending) }
        case "-due_at": order = { $0.sort(\.$dueAt, .descending).sort(\.$code, .descending) }
        case "code": order = { $0.sort(\.$code, .ascending) }
        case "-code": order = { $0.sort(\.$code, .descending) }
        default: throw ServiceError(.unprocessableEntity, "Cách sắp xếp \"\(sort)\" không hợp lệ.")
        }
        let query = try filtered(actor: actor, at: now, on: db)
        let total = try await query.count()
        let per = per ?? 20
        let page = page ?? 1
        order(query)
        let items = try await query.range(((page - 1) * per)..<(page * per)).all()
        return (items, total, page, per)
    }

    /// The query of the user's scope with every filter given.
    func filtered(actor: Actor, at now: Date, on db: any Database) throws -> QueryBuilder<DossierModel> {
        let scope = actor.scope
        // An empty form field ("Tất cả trạng thái") means no filter.
        func given(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        let status = given(status), step = given(step), procedure = given(procedure), channel = given(channel)
        let from = given(from), to = given(to), waiting = given(waiting), due = given(due)
        let query = DossierModel.query(on: db)
        switch scope {
        case .everything: break
        case .agency(let a): query.filter(\.$agencyID == a)
        case .department(let a, let d): query.filter(\.$agencyID == a).filter(\.$departmentID == d)
        case .own(let u): query.filter(\.$ownerID == u)
        }
        if let waiting {
            guard let role = Role(rawValue: waiting), actor.roles.contains(role) else {
                throw ServiceError(.unprocessableEntity, "Vai trò \"\(waiting)\" không phải của bạn.")
            }
            let states = WorkQueue.states(for: role)
            query.group(.or) { or in
                for state in states {
                    or.group(.and) { and in
                        and.filter(\.$status == state.status.rawValue)
                        if let step = state.step { and.filter(\.$step == step.rawValue) }
                        // An officer waits only on the dossiers assigned to them.
                        if role == .officer { and.filter(\.$assignedOfficerID == actor.id) }
                    }
                }
                if states.isEmpty { or.filter(\.$code == "") }
            }
        }
        if let due {
            let running = [Status.received.rawValue, Status.processing.rawValue]
            switch due {
            case "today":
                let today = VietnamTime.local(now).date
                query.filter(\.$status ~~ running)
                    .filter(\.$dueAt >= VietnamTime.instant(today, secondOfDay: 0))
                    .filter(\.$dueAt < VietnamTime.instant(today.adding(days: 1), secondOfDay: 0))
            case "overdue":
                query.filter(\.$status ~~ running).filter(\.$dueAt < now)
            default:
                throw ServiceError(.unprocessableEntity, "Hạn \"\(due)\" không hợp lệ (today hoặc overdue).")
            }
        }
        if let status {
            guard let s = Status(rawValue: status) ?? Int(status).flatMap(Status.init(code:)) else {
                throw ServiceError(.unprocessableEntity, "Trạng thái \"\(status)\" không hợp lệ.")
            }
            query.filter(\.$status == s.rawValue)
        }
        if let step {
            guard Step(rawValue: step) != nil else { throw ServiceError(.unprocessableEntity, "Bước xử lý \"\(step)\" không hợp lệ.") }
            query.filter(\.$step == step)
        }
        if let agency { query.filter(\.$agencyID == agency) }
        if let department { query.filter(\.$departmentID == department) }
        if let procedure { query.filter(\.$procedureCode == procedure) }
        if let field { query.filter(\.$fieldID == field) }
        if let channel {
            guard DossierChannel(rawValue: channel) != nil else { throw ServiceError(.unprocessableEntity, "Kênh \"\(channel)\" không hợp lệ.") }
            query.filter(\.$channel == channel)
        }
        for (value, name) in [(from, "Từ ngày"), (to, "Đến ngày")] {
            if let value, LocalDate(iso: value) == nil {
                throw ServiceError(.unprocessableEntity, "\(name) \"\(value)\" phải có dạng YYYY-MM-DD.")
            }
        }
        if let from { query.filter(\.$receivedDate >= from) }
        if let to { query.filter(\.$receivedDate <= to) }
        if let q, !q.trimmingCharacters(in: .whitespaces).isEmpty {
            guard q.count <= 200, TextInput.isClean(q) else {
                throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm quá dài hoặc chứa ký tự không hợp lệ.")
            }
            // LIKE's wildcards (% and _) and its escape are not searched for: codes are letters,
            // digits, dots and dashes, and names letters and spaces, so they are dropped, and a query
            // of wildcards alone matches nothing instead of everything.
            let code = String(q.uppercased().unicodeScalars.filter { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-").contains($0) }.map(Character.init))
            let name = SearchText.normalise(String(q.map { "%_\\".contains($0) ? " " : $0 }))
            if code.isEmpty && name.isEmpty {
                query.filter(\.$code == "")
            } else {
                query.group(.or) { or in
                    if !code.isEmpty { or.filter(\.$code =~ code) }
                    if !name.isEmpty { or.filter(\.$applicantSearch ~~ name) }
                }
            }
        }
        return query
    }
}

import Fluent
import FluentSQL
import Foundation
import MotCuaCore
import Vapor

/// Listing and searching dossiers within a user's scope.
struct DossierQuery: Content {
    var status: String?
    var step: String?
    /// Ids (UUID); text so that a page's "Tất cả" (empty) means no filter.
    var agency: String?
    var department: String?
    var procedure: String?
    var field: String?
    var channel: String?
    /// The applicant's identity number (CCCD / CMND / tax code), exactly.
    var idNumber: String?
    /// Received from / to, local dates YYYY-MM-DD, inclusive.
    var from: String?
    var to: String?
    /// Due from / to, local dates YYYY-MM-DD, inclusive.
    var dueFrom: String?
    var dueTo: String?
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
    /// Lists count matching dossiers up to this many and show only this many (like a search
    /// engine's result window): counting or skipping past hundreds of thousands of rows would take
    /// a second on a million dossiers, and nobody pages that far; they narrow the search instead.
    static let window = 10_000

    /// The list pages send every filter of their form, empty ones included ("Tất cả trạng thái"); the
    /// API refuses an empty value where its document allows none (an enumeration, a date).
    func requireNoEmptyFilters() throws {
        for (value, name) in [
            (status, "status"), (step, "step"), (channel, "channel"), (from, "from"), (to, "to"), (sort, "sort"),
            (waiting, "waiting"), (due, "due"), (agency, "agency"), (department, "department"), (field, "field"),
            (dueFrom, "dueFrom"), (dueTo, "dueTo"),
        ] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ServiceError(.unprocessableEntity, "Tham số \"\(name)\" không được để trống.")
            }
        }
    }

    /// How many dossiers match, counted up to the window (a count on the home page needs no rows).
    func count(actor: Actor, at now: Date = Date(), on db: any Database) async throws -> MatchCount {
        try await MatchCount.of(await filtered(actor: actor, at: now, on: db), on: db)
    }

    /// One page of the matching dossiers, sorted, and how many match (up to the window).
    func run(actor: Actor, at now: Date = Date(), on db: any Database) async throws -> (
        items: [DossierModel], total: MatchCount, page: Int, per: Int
    ) {
        if let per, !(1...Self.maxPer).contains(per) {
            throw ServiceError(.unprocessableEntity, "Số hồ sơ mỗi trang (per) phải từ 1 đến \(Self.maxPer).")
        }
        // Compared before multiplying: a page number near Int.max must not overflow.
        if let page, page < 1 || page > Self.window || (page - 1) * (per ?? 20) >= Self.window {
            throw ServiceError(
                .unprocessableEntity,
                """
                Chỉ xem được \(PageTime.number(Self.window)) hồ sơ đầu tiên của một danh sách: hãy thu hẹp điều \
                kiện tìm kiếm.
                """
            )
        }
        let sort = sort.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "-received_at"
        let order: (QueryBuilder<DossierModel>) -> Void
        switch sort {
        case "received_at": order = { $0.sort(\.$receivedAt, .ascending).sort(\.$code, .ascending) }
        case "-received_at": order = { $0.sort(\.$receivedAt, .descending).sort(\.$code, .descending) }
        // Due today or overdue are few by nature: SQLite should find them by (scope, status, due_at) and
        // sort them, but left alone it walks a due-date index in order past every finished dossier.
        // A unary plus on the sort key (SQLite only) keeps the sort off the index.
        case "due_at" where due?.isEmpty == false && Self.isSQLite(db):
            order = { $0.sort(.sql(unsafeRaw: "+\"dossiers\".\"due_at\" ASC, \"dossiers\".\"code\" ASC")) }
        case "-due_at" where due?.isEmpty == false && Self.isSQLite(db):
            order = { $0.sort(.sql(unsafeRaw: "+\"dossiers\".\"due_at\" DESC, \"dossiers\".\"code\" DESC")) }
        case "due_at": order = { $0.sort(\.$dueAt, .ascending).sort(\.$code, .ascending) }
        case "-due_at": order = { $0.sort(\.$dueAt, .descending).sort(\.$code, .descending) }
        case "code": order = { $0.sort(\.$code, .ascending) }
        case "-code": order = { $0.sort(\.$code, .descending) }
        default: throw ServiceError(.unprocessableEntity, "Cách sắp xếp \"\(sort)\" không hợp lệ.")
        }
        let per = per ?? 20
        let page = page ?? 1
        var known: MatchCount?
        var nameMatches: Int?
        if isNameSearch, actor.scope == .everything, !hasFiltersBesidesName, let sql = db as? any SQLDatabase {
            // The whole province and nothing but the name: the full-text index counts its own matches,
            // once, and the count decides how the page is read (nameCondition).
            let n = try await NameSearchIndex.indexCount(IndexDossierText.words(q ?? ""), limit: Self.window, on: sql)
            nameMatches = n
            known = MatchCount(value: min(n, Self.window), isExact: n <= Self.window)
        }
        let query = try await filtered(actor: actor, at: now, on: db, nameMatches: nameMatches)
        // PostgreSQL: the matches are read once with their sort keys and sorted here when they fit in
        // the window (a province's counted ones, or a scope's, read up to the window); the planner
        // would otherwise walk the order's index building each row's name tokens (300 ms for "nguyen
        // van" at a million dossiers).
        if isNameSearch, !Self.isSQLite(db), (known?.value ?? 0) <= Self.window, known?.isExact ?? true {
            if let items = try await Self.pageOfFew(
                query, sort: sort, range: ((page - 1) * per)..<(page * per), on: db)
            {
                return (items.page, items.total, page, per)
            }
            // More than the window match: said so without counting them again.
            known = MatchCount(value: Self.window, isExact: false)
        }
        let total: MatchCount
        if let known { total = known } else { total = try await MatchCount.of(query, on: db) }
        order(query)
        let items = try await query.range(((page - 1) * per)..<(page * per)).all()
        return (items, total, page, per)
    }

    /// Whether anything but the free text narrows the list (besides the user's scope).
    var hasFiltersBesidesName: Bool {
        [
            status, step, procedure, field, agency, department, channel, from, to, dueFrom, dueTo, waiting, due,
            idNumber,
        ].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// The free text is words of a name (no digit: DossierQuery.filtered).
    var isNameSearch: Bool {
        guard let q, !q.contains(where: \.isNumber) else { return false }
        return !IndexDossierText.words(q).isEmpty
    }

    /// PostgreSQL, a name search: one pass of the full-text index reads the ids and sort keys of at
    /// most the window's matches, where counting and then listing would search twice (each pass of
    /// a common name's word prefixes costs 50-150 ms at a million dossiers). When they fit in the
    /// window they are sorted here and the page's rows read by id; when more match, nil, and the
    /// ordinary plan (the order's index, names checked on the way) lists the page.
    static func pageOfFew(_ query: QueryBuilder<DossierModel>, sort: String, range: Range<Int>, on db: any Database)
        async throws -> (page: [DossierModel], total: MatchCount)?
    {
        guard let sql = db as? any SQLDatabase else { return nil }
        // Read as four plain columns: making thousands of full models would cost more than the search.
        struct Key: Decodable {
            let id: UUID; let receivedAt: Date?; let dueAt: Date?; let code: String
            enum CodingKeys: String, CodingKey {
                case id = "dossiers_id", receivedAt = "dossiers_received_at", dueAt = "dossiers_due_at", code =
                    "dossiers_code"
            }
        }
        let select = query.copy().field(\.$id).field(\.$receivedAt).field(\.$dueAt).field(\.$code)
        select.query.limits = [.count(window + 1)]
        select.query.sorts = []
        let keys = try await sql.raw("\(MatchCount.sql(of: select))").all(decoding: Key.self)
        guard keys.count <= window else { return nil }
        // PostgreSQL's order: nulls after every value ascending, before them descending; ties by code.
        func ordered(_ a: Date?, _ b: Date?, ascending: Bool) -> Bool? {
            switch (a, b) {
            case let (x?, y?) where x != y: return ascending ? x < y : x > y
            case (nil, _?): return !ascending
            case (_?, nil): return ascending
            default: return nil
            }
        }
        let ascending = !sort.hasPrefix("-")
        let sorted = keys.sorted { a, b in
            let first: Bool?
            switch sort {
            case "received_at", "-received_at": first = ordered(a.receivedAt, b.receivedAt, ascending: ascending)
            case "due_at", "-due_at": first = ordered(a.dueAt, b.dueAt, ascending: ascending)
            default: first = nil
            }
            return first ?? (ascending ? a.code < b.code : a.code > b.code)
        }
        let ids = sorted[min(range.lowerBound, sorted.count)..<min(range.upperBound, sorted.count)].map(\.id)
        let rows = ids.isEmpty ? [] : try await DossierModel.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id!, $0) })
        return (ids.compactMap { byID[$0] }, MatchCount(value: keys.count, isExact: true))
    }

    /// SQLite, a name search counted by the index: up to this many matches, they are read through it;
    /// beyond, the order's index is walked and the names checked on its way, which meets a page of
    /// a common word's matches within a few thousand rows.
    static let fewToSortHere = 2_000

    static func isSQLite(_ db: any Database) -> Bool { (db as? any SQLDatabase)?.dialect.name == "sqlite" }

    /// The query of the user's scope with every filter given.
    /// `nameMatches`: how many dossiers of the province the name words match, when already counted.
    func filtered(actor: Actor, at now: Date, on db: any Database, nameMatches: Int? = nil) async throws
        -> QueryBuilder<DossierModel>
    {
        let scope = actor.scope
        // An empty form field ("Tất cả trạng thái") means no filter.
        func given(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        let status = given(status), step = given(step), procedure = given(procedure), channel = given(channel)
        let from = given(from), to = given(to), waiting = given(waiting), due = given(due)
        let dueFrom = given(dueFrom), dueTo = given(dueTo), idNumber = given(idNumber)
        func id(_ text: String?, _ label: String) throws -> UUID? {
            guard let text = given(text) else { return nil }
            guard let id = UUID(uuidString: text) else {
                throw ServiceError(.unprocessableEntity, "\(label) \"\(text)\" không hợp lệ.")
            }
            return id
        }
        let agency = try id(agency, "Cơ quan"), department = try id(department, "Phòng ban"),
            field = try id(field, "Lĩnh vực")
        let query = DossierModel.query(on: db)
        switch scope {
        case .everything: break
        case .agency(let a): query.filter(\.$agencyID == a)
        // A department belongs to one agency: its id alone selects the scope, and the (department, …)
        // indexes answer without reading each row for its agency.
        case .department(_, let d): query.filter(\.$departmentID == d)
        case .own: query.filter(\.$ownerID ~~ scope.owners)
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
            // Written as literals (our own constants), so that both planners can see that the partial
            // index of running dossiers by due date (migration 006) covers the condition.
            let running: DatabaseQuery.Filter = .sql(
                unsafeRaw: Status.clockRunningCondition(column: "\"dossiers\".\"status\""))
            switch due {
            case "today":
                let today = VietnamTime.local(now).date
                query.filter(running)
                    .filter(\.$dueAt >= VietnamTime.instant(today, secondOfDay: 0))
                    .filter(\.$dueAt < VietnamTime.instant(today.adding(days: 1), secondOfDay: 0))
            case "overdue":
                query.filter(running).filter(\.$dueAt < now)
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
            guard Step(rawValue: step) != nil else {
                throw ServiceError(.unprocessableEntity, "Bước xử lý \"\(step)\" không hợp lệ.")
            }
            // A step is set exactly when the status is processing: saying so lets the (status, …) indexes serve.
            query.filter(\.$status == Status.processing.rawValue).filter(\.$step == step)
        }
        if let agency { query.filter(\.$agencyID == agency) }
        if let department { query.filter(\.$departmentID == department) }
        if let procedure { query.filter(\.$procedureCode == procedure) }
        if let field { query.filter(\.$fieldID == field) }
        if let channel {
            guard DossierChannel(rawValue: channel) != nil else {
                throw ServiceError(.unprocessableEntity, "Kênh \"\(channel)\" không hợp lệ.")
            }
            query.filter(\.$channel == channel)
        }
        if let idNumber {
            guard idNumber.count <= 20, idNumber.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
            else {
                throw ServiceError(
                    .unprocessableEntity,
                    "Số giấy tờ tùy thân \"\(idNumber)\" không hợp lệ (chỉ gồm chữ, số và dấu gạch ngang).")
            }
            query.filter(\.$applicantIDNumber == idNumber)
        }
        var dates: [String: LocalDate] = [:]
        for (value, name) in [
            (from, "Tiếp nhận từ ngày"), (to, "Tiếp nhận đến ngày"), (dueFrom, "Hạn xử lý từ ngày"),
            (dueTo, "Hạn xử lý đến ngày"),
        ] {
            guard let value else { continue }
            guard let date = LocalDate(iso: value) else {
                throw ServiceError(.unprocessableEntity, "\(name) \"\(value)\" phải có dạng YYYY-MM-DD.")
            }
            dates[name] = date
        }
        // Receipt by its instant rather than its local date: the (status,) received_at index then serves
        // both the range and the default order, instead of sorting a month of dossiers.
        if let start = dates["Tiếp nhận từ ngày"] {
            query.filter(\.$receivedAt >= VietnamTime.instant(start, secondOfDay: 0))
        }
        if let end = dates["Tiếp nhận đến ngày"] {
            query.filter(\.$receivedAt < VietnamTime.instant(end.adding(days: 1), secondOfDay: 0))
        }
        if let start = dates["Hạn xử lý từ ngày"] {
            query.filter(\.$dueAt >= VietnamTime.instant(start, secondOfDay: 0))
        }
        if let end = dates["Hạn xử lý đến ngày"] {
            query.filter(\.$dueAt < VietnamTime.instant(end.adding(days: 1), secondOfDay: 0))
        }
        if let q, !q.trimmingCharacters(in: .whitespaces).isEmpty {
            guard q.count <= 200, TextInput.isClean(q) else {
                throw ServiceError(.unprocessableEntity, "Từ khoá tìm kiếm quá dài hoặc chứa ký tự không hợp lệ.")
            }
            // A code always has digits and a name never does: text with a digit is the start of a code
            // (its index; other characters than letters, digits, dots and dashes are dropped), other
            // text is words of the applicant's name, through the full-text index. One condition, not
            // an OR of both, so that each is answered by its own index.
            if q.contains(where: \.isNumber) {
                let code = String(
                    q.uppercased().unicodeScalars.filter {
                        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-").contains($0)
                    }.map(Character.init))
                // SQLite's LIKE ignores case and so cannot use the code's index; GLOB can (the code has no
                // GLOB metacharacters left). PostgreSQL's LIKE prefix is planned on the index.
                if Self.isSQLite(db) {
                    query.filter(.sql(embed: "\(ident: "dossiers").\(ident: "code") GLOB \(bind: code + "*")"))
                } else {
                    query.filter(\.$code =~ code)
                }
            } else {
                let words = IndexDossierText.words(q)
                if words.isEmpty {
                    query.filter(\.$code == "")
                } else {
                    query.filter(
                        .sql(
                            embed: try await Self.nameCondition(
                                words, otherFilters: query, onlyScope: !hasFiltersBesidesName, counted: nameMatches,
                                on: db)))
                }
            }
        }
        return query
    }
}

extension DossierQuery {
    /// The name words' condition. When the words are common (say "nguyen", a tenth of a province)
    /// the names are checked on the rows the page walks instead of read from the full-text index:
    /// the order's index (or the other filters' index) meets a page's 20 matches within a few
    /// hundred rows, where the index would hand over every match to be sorted (260-520 ms at a
    /// million dossiers for one common word). The count that decides is the province's, made once
    /// by the caller (`counted`), or on SQLite a bounded count of the index; PostgreSQL otherwise
    /// leaves the choice to its planner, which weighs its token index against the other indexes
    /// with statistics of each token. SQLite turns the full-text matches into a list of ids, so it
    /// also checks per row when the other filters (a status, a step) leave fewer rows than the words
    /// match; a department's or an agency's count is then read from the scope's name index
    /// (IndexScopedNames).
    static func nameCondition(
        _ words: [String], otherFilters: QueryBuilder<DossierModel>, onlyScope: Bool, counted: Int?,
        on db: any Database
    ) async throws -> SQLQueryString {
        let few = fewToSortHere, probe = 20_000
        guard isSQLite(db), let sql = db as? any SQLDatabase else {
            // One word matching more than the window: walk the order's index, checking the name with a
            // LIKE, which the planner prices as selective enough to walk. Fewer matches, or several
            // words (whose LIKEs it would multiply into "one row" and answer by reading the whole
            // table), are the token index's, whose statistics it knows.
            if let counted, counted > window, words.count == 1 { return IndexDossierText.checkedPerRow(words) }
            return NameSearchIndex.matching(words, dialect: "postgresql")
        }
        let byIndex: Int
        if let counted {
            byIndex = counted
        } else {
            byIndex = try await IndexDossierText.indexCount(words, limit: probe, on: sql)
        }
        if byIndex > few {
            if onlyScope { return IndexDossierText.checkedPerRow(words) }
            let byOthers = try await MatchCount.of(otherFilters, limit: probe, on: db)
            if byOthers.value < byIndex { return IndexDossierText.checkedPerRow(words) }
        }
        return NameSearchIndex.matching(words, dialect: "sqlite")
    }
}

/// A count of matching dossiers that stops at the list's window.
struct MatchCount: Sendable, Equatable {
    /// Exact up to the window; the window itself when more match.
    let value: Int
    let isExact: Bool

    /// `SELECT count(*) FROM (<the query's ids> LIMIT window + 1)`: reads at most one row past the window.
    static func of(_ query: QueryBuilder<DossierModel>, limit: Int = DossierQuery.window, on db: any Database)
        async throws -> MatchCount
    {
        guard let sql = db as? any SQLDatabase else {
            let n = try await query.copy().limit(limit + 1).count()
            return MatchCount(value: min(n, limit), isExact: n <= limit)
        }
        let ids = query.copy()
        ids.query.fields = [.path([.id], schema: DossierModel.schema)]
        ids.query.limits = [.count(limit + 1)]
        ids.query.sorts = []
        let inner = Self.sql(of: ids)
        let n = try await sql.count("SELECT count(*) AS n FROM (\(inner)) AS matching")
        return MatchCount(value: min(n, limit), isExact: n <= limit)
    }

    /// "1.234" or "hơn 10.000", for pages.
    var vietnamese: String {
        let number = PageTime.number(value)
        return isExact ? number : "hơn \(number)"
    }

    /// A Fluent query as SQL, to read its rows as plain columns or wrap it in another query.
    static func sql(of query: QueryBuilder<DossierModel>) -> any SQLExpression {
        SQLQueryConverter(delegate: PlainConverterDelegate()).convert(query.query)
    }

    /// Queries need none of the schema hooks of a converter delegate.
    private struct PlainConverterDelegate: SQLConverterDelegate {
        func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
    }
}

extension Status {
    /// SQL for "the clock runs" (the core's `Status.clockRunning`): the same text as the partial
    /// index of running dossiers (migration 006), so that the planners use it.
    static func clockRunningCondition(column: String = "status") -> String {
        column + " IN (" + clockRunning.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// "Thủ tục hành chính" of the portal: the searchable catalogue and each procedure's page, open to
/// anyone (DOMAIN.md section 3). Pages work without JavaScript: the filters are a GET form.
struct CataloguePages {
    static let perPage = 20

    struct Option: Encodable { let value: String; let name: String; let selected: Bool }
    struct Row: Encodable {
        let code: String; let name: String; let href: String; let agency: String; let field: String
        let level: String; let online: String; let time: String; let fee: String
    }

    func list(req: Request) async throws -> Response {
        struct Context: Encodable {
            let layout: PageLayout; let rows: [Row]; let total: String; let error: String?
            let q: String; let agencies: [Option]; let fields: [Option]; let levels: [Option]; let onlines: [Option]
            let filtersOpen: Bool; let page: Int; let pages: Int; let previous: String?; let next: String?
        }
        let query = CatalogueQuery(
            q: req.query[String.self, at: "q"], agency: req.query[String.self, at: "agency"],
            field: req.query[String.self, at: "field"], level: req.query[String.self, at: "level"],
            online: req.query[String.self, at: "online"])
        let all = try await CatalogueQuery.entries(at: Date(), on: req.db)
        var error: ServiceError?
        var found: [CatalogueQuery.Entry] = []
        do { found = try query.filter(all) } catch let e as ServiceError { error = e }
        let page = max(1, min(req.query[Int.self, at: "page"] ?? 1, 10_000))
        let paging = PageLinks(page: page, per: Self.perPage, total: found.count)
        let filters: [(String, String?)] = [
            ("q", query.q), ("agency", query.agency), ("field", query.field), ("level", query.level),
            ("online", query.online),
        ]
        let links = paging.around("/thu-tuc", filters: filters)
        let shown = found.dropFirst((page - 1) * Self.perPage).prefix(Self.perPage)
        func options(_ all: [(String, String)], _ chosen: String?) -> [Option] {
            all.map { Option(value: $0.0, name: $0.1, selected: $0.0 == chosen) }
        }
        var agencies: [(String, String)] = [], fields: [(String, String)] = []
        var seenAgencies = Set<String>(), seenFields = Set<String>()
        for e in all.sorted(by: { $0.agency.name < $1.agency.name })
        where seenAgencies.insert(e.agency.id!.uuidString).inserted {
            agencies.append((e.agency.id!.uuidString, e.agency.name))
        }
        for e in all.sorted(by: { $0.fieldName < $1.fieldName })
        where seenFields.insert(e.procedure.fieldID.uuidString).inserted {
            fields.append((e.procedure.fieldID.uuidString, e.fieldName))
        }
        let levels = CatalogueQuery.Level.allCases.filter { l in all.contains { $0.level == l } }
        let context = Context(
            layout: PageLayout("Thủ tục hành chính", req), rows: shown.map(Self.row),
            total: PageTime.number(found.count), error: error?.reason, q: query.q ?? "",
            agencies: options(agencies, query.agency), fields: options(fields, query.field),
            levels: options(levels.map { ($0.rawValue, $0.vietnameseName) }, query.level),
            onlines: options(OnlineLevel.allCases.map { ($0.rawValue, $0.vietnameseName) }, query.online),
            filtersOpen: filters.dropFirst().contains { !($0.1 ?? "").isEmpty },
            page: page, pages: paging.pages, previous: links.previous, next: links.next)
        return try await req.view.render("Catalogue/list", context).encodeResponse(
            status: error?.status ?? .ok, for: req)
    }

    static func row(_ e: CatalogueQuery.Entry) -> Row {
        Row(
            code: e.procedure.code, name: e.procedure.name, href: "/thu-tuc/\(e.procedure.code)", agency: e.agency.name,
            field: e.fieldName, level: e.level.vietnameseName, online: e.terms.onlineLevel.vietnameseName,
            time: Self.time(e.terms.timeAmount, e.terms.timeUnit), fee: Self.fee(e.terms))
    }

    /// `/thu-tuc/<code>`: what a citizen must know before submitting. A procedure performed by
    /// several agencies (each commune) lists them all.
    func show(req: Request) async throws -> View {
        struct Component: Encodable {
            let position: Int; let name: String; let form: String; let count: Int; let mandatory: Bool
            let blankForm: String?; let blankFormHref: String?
        }
        struct Step: Encodable { let name: String; let time: String? }
        struct Context: Encodable {
            let layout: PageLayout; let code: String; let name: String; let field: String; let level: String
            let agencies: [String]; let department: String; let time: String; let onlineTime: String?
            let counting: String; let fee: String; let feeTiming: String?; let online: String
            let onlineNote: String; let submitHref: String?; let components: [Component]; let steps: [Step]
            let result: String
        }
        let code = req.parameters.get("code") ?? ""
        let matching = try await CatalogueQuery.entries(at: Date(), on: req.db).filter { $0.procedure.code == code }
        guard let e = matching.first else {
            throw ServiceError(.notFound, "Không có thủ tục hành chính mã \"\(code.prefix(60))\" trong danh mục.")
        }
        let t = e.terms
        let components = t.components.enumerated().map { i, c in
            Component(
                position: i + 1, name: c.name, form: c.form.vietnameseName, count: c.count, mandatory: c.mandatory,
                blankForm: c.blankFormSHA256 == nil ? nil : c.blankForm,
                blankFormHref: c.blankFormSHA256 == nil ? nil : "/mau-don/\(e.procedure.code)/\(i + 1)")
        }
        let online = t.onlineLevel
        return try await req.view.render(
            "Catalogue/procedure",
            Context(
                layout: PageLayout(e.procedure.name, req), code: e.procedure.code, name: e.procedure.name,
                field: e.fieldName, level: e.level.vietnameseName,
                agencies: matching.map(\.agency.name), department: e.departmentName,
                time: Self.time(t.timeAmount, t.timeUnit),
                onlineTime: t.onlineTimeAmount.flatMap { $0 == t.timeAmount ? nil : Self.time($0, t.timeUnit) },
                counting: Self.counting(t.timeUnit), fee: Self.fee(t),
                feeTiming: t.feeVND > 0 && t.feeTiming != .exempt ? t.feeTiming.vietnameseName : nil,
                online: online.vietnameseName,
                onlineNote: Self.onlineNote(online),
                // Online submission opens the account's draft of this procedure (DraftPages).
                submitHref: online == .none ? nil : "/nop-truc-tuyen/\(e.procedure.code)",
                components: components,
                steps: t.steps.map { Step(name: $0.name, time: $0.share > 0 ? Self.time($0.share, t.timeUnit) : nil) },
                result: t.resultType))
    }

    /// "10 ngày làm việc", "0,5 ngày làm việc", "4 giờ làm việc".
    static func time(_ amount: Double, _ unit: TimeUnit) -> String {
        let number =
            amount == amount.rounded()
            ? PageTime.number(Int(amount))
            : String(format: "%.2f", amount).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
                .replacingOccurrences(of: ".", with: ",")
        return "\(number) \(unit.vietnameseName)"
    }

    /// How the time is counted (DOMAIN.md section 6), in a citizen's words.
    static func counting(_ unit: TimeUnit) -> String {
        switch unit {
        case .workingDays:
            """
            Tính theo ngày làm việc (8 giờ làm việc một ngày), kể từ khi tiếp nhận đủ hồ sơ hợp lệ; không tính thứ \
            Bảy, Chủ nhật, ngày nghỉ lễ, Tết và thời gian chờ bổ sung hồ sơ hoặc chờ nộp phí.
            """
        case .calendarDays:
            """
            Tính theo ngày, kể cả ngày nghỉ, kể từ khi tiếp nhận đủ hồ sơ hợp lệ; hạn rơi vào ngày nghỉ thì chuyển \
            sang ngày làm việc tiếp theo.
            """
        case .workingHours:
            """
            Tính theo giờ làm việc (giờ hành chính của ngày làm việc), kể từ khi tiếp nhận đủ hồ sơ hợp lệ.
            """
        }
    }

    static func fee(_ t: ProcedureTerms) -> String {
        t.feeVND == 0 || t.feeTiming == .exempt ? "Không thu phí, lệ phí" : "\(PageTime.number(t.feeVND)) đồng"
    }

    static func onlineNote(_ level: OnlineLevel) -> String {
        switch level {
        case .full: "Nộp hồ sơ, nộp phí và nhận kết quả trực tuyến, không phải đến cơ quan."
        case .partial: "Nộp hồ sơ trực tuyến; nộp phí hoặc nhận kết quả tại Bộ phận Một cửa."
        case .none: "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích."
        }
    }
}

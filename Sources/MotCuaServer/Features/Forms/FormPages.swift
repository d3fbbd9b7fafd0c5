import Fluent
import Foundation
import MotCuaCore
import Vapor

/// The printed forms of a dossier, `/ho-so/{code}/mau/{number}` in the configured set's numbering,
/// as a page to print or, with `?format=pdf`, a PDF download of the same page.
struct FormPages {
    func show(req: Request) async throws -> Response {
        let actor = try req.actor()
        let set = req.application.motcua.settings.formSet
        let number = req.parameters.get("number") ?? ""
        guard let form = set.form(number: number) else {
            throw ServiceError(
                .notFound,
                """
                Bộ mẫu theo \(set.circular) không có mẫu số \"\(number)\"; các mẫu từ 01 đến \
                \(set.number(of: set.forms.last!)!).
                """
            )
        }
        let format = try Self.format(req)
        let d = try await req.motcua.dossiers.find(code: req.parameters.get("code")!, actor: actor, on: req.db)
        if form == .logBook {
            // The book is the desk's, by day: the day this dossier was received.
            let day = VietnamTime.local(d.receivedAt ?? d.createdAt).date.vietnamese
            return req.redirect(to: "/so-theo-doi?from=\(day)&to=\(day)" + (format == .pdf ? "&format=pdf" : ""))
        }
        let context = try await FormContext.load(form: form, set: set, dossier: d, req: req)
        return try await Self.respond(
            template: set.template(of: form)!, context,
            fileName: "\(d.code)-mau-\(set.number(of: form)!)", format: format, req: req)
    }

    enum Format: String { case html, pdf }

    static func format(_ req: Request) throws -> Format {
        let text = req.query[String.self, at: "format"] ?? "html"
        guard let format = Format(rawValue: text) else {
            throw ServiceError(.badRequest, "Định dạng \"\(text)\" không hỗ trợ; dùng format=pdf để tải bản PDF.")
        }
        return format
    }

    /// The forms carry their own style (the PDF is printed from a file, with nothing to fetch), and
    /// run no script: the policy allows exactly that.
    static let contentSecurityPolicy =
        """
        default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
        frame-ancestors 'none'
        """

    static func respond<C: Encodable>(template: String, _ context: C, fileName: String, format: Format, req: Request)
        async throws -> Response
    {
        let view = try await req.view.render(template, context)
        let response: Response
        switch format {
        case .html:
            response = try await view.encodeResponse(for: req)
        case .pdf:
            let pdf = try await req.application.motcua.printer.pdf(html: String(buffer: view.data))
            response = Response(status: .ok, body: .init(data: pdf))
            response.headers.contentType = .init(type: "application", subType: "pdf")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName).pdf\"")
        }
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// "Sổ theo dõi hồ sơ" as the circular prints it (mẫu 07 of the 2025 set, 06 of the 2018 set): the
/// dossiers the desk's agency received from one day to another, A4 landscape, `?format=pdf` too.
struct LogBookForm {
    struct Context: Encodable {
        let documentName: String
        let landscape = true
        let backURL: String
        let backLabel = "Về Sổ theo dõi hồ sơ"
        let number: String
        let circular: String
        let title: String
        let heading: FormContext.Heading
        let qrSVG = ""
        let period: String
        let rows: [LogBookQuery.Row]
        let total: String
        let printedAt: String
    }

    /// A printed book holds at most this many rows; a longer period is printed in parts.
    static let maxRows = 2_000
    static let maxDays = 366

    func show(req: Request) async throws -> Response {
        let agencyID = try LogBookQuery.agency(of: req)
        let set = req.application.motcua.settings.formSet
        let format = try FormPages.format(req)
        let fromText = req.query[String.self, at: "from"] ?? "", toText = req.query[String.self, at: "to"] ?? ""
        guard let from = PageTime.parseDate(fromText.isEmpty ? toText : fromText),
            let to = PageTime.parseDate(toText.isEmpty ? fromText : toText),
            LunarCalendar.supportedYears.contains(from.year), LunarCalendar.supportedYears.contains(to.year)
        else {
            throw ServiceError(
                .unprocessableEntity,
                "Từ ngày \"\(fromText)\" đến ngày \"\(toText)\" không hợp lệ; nhập dạng dd/mm/yyyy.")
        }
        guard from <= to else {
            throw ServiceError(
                .unprocessableEntity, "Từ ngày \(from.vietnamese) phải không sau đến ngày \(to.vietnamese).")
        }
        guard from.adding(days: Self.maxDays) > to else {
            throw ServiceError(
                .unprocessableEntity, "Mỗi lần in sổ tối đa \(Self.maxDays) ngày; hãy chọn khoảng ngắn hơn.")
        }
        let start = VietnamTime.instant(from, secondOfDay: 0),
            end = VietnamTime.instant(to.adding(days: 1), secondOfDay: 0)
        let query = LogBookQuery.dossiers(of: agencyID, on: req.db).filter(\.$receivedAt >= start)
            .filter(\.$receivedAt < end)
        let total = try await query.count()
        guard total <= Self.maxRows else {
            throw ServiceError(
                .unprocessableEntity,
                """
                Từ \(from.vietnamese) đến \(to.vietnamese) có \(PageTime.number(total)) hồ sơ, quá \
                \(PageTime.number(Self.maxRows)) hồ sơ của một lần in; hãy chọn khoảng ngắn hơn.
                """
            )
        }
        let dossiers = try await query.sort(\.$receivedAt).sort(\.$code).all()
        let rows = try await LogBookQuery.rows(dossiers, firstNumber: 1, on: req.db)
        let now = Date()
        let heading = try await FormContext.heading(
            try await AgencyModel.find(agencyID, on: req.db), at: now, on: req.db)
        let period = from == to ? "Ngày \(from.vietnamese)" : "Từ ngày \(from.vietnamese) đến ngày \(to.vietnamese)"
        let context = Context(
            documentName: period, backURL: "/so-theo-doi?ngay=\(from.vietnamese)", number: set.number(of: .logBook)!,
            circular: set.circular, title: set.title(of: .logBook), heading: heading, period: period, rows: rows,
            total: PageTime.number(total), printedAt: PageTime.dateTime(now))
        return try await FormPages.respond(
            template: set.template(of: .logBook)!, context,
            fileName: "so-theo-doi-\(from.iso)-\(to.iso)", format: format, req: req)
    }
}

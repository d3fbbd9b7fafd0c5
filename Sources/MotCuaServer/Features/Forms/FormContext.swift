import Fluent
import Foundation
import MotCuaCore
import QRCode
import Vapor

/// What a printed form of a dossier shows, formatted for paper: every form of both sets is drawn
/// from this one context, so a province restyling a template finds every field under one name.
struct FormContext: Encodable {
    struct Heading: Encodable {
        /// "UBND THÀNH PHỐ CẦN THƠ" above "SỞ TƯ PHÁP"; empty for a top-level agency.
        let governingBody: String
        let agency: String
        /// The agency's name as written in a sentence ("Sở Tư pháp").
        let agencyName: String
        /// "Cần Thơ, ngày 30 tháng 11 năm 2026": the place and the printing day.
        let placeAndDate: String
    }
    struct Component: Encodable { let position: Int; let name: String; let form: String; let count: Int }
    struct Event: Encodable {
        let at: String
        let date: String
        let by: String
        let reason: String
        /// The components asked for (a supplement request), by position and name.
        let components: [Component]
        let previousAppointment: String
        let newAppointment: String
    }
    struct Step: Encodable {
        let number: Int; let giver: String; let receiver: String; let handedAt: String; let due: String;
        /// How the step's due date was counted (DueExplanationView.step), if it has one.
        let dueExplanation: String?
        let result: String; let note: String
    }

    let form: String
    let documentName: String
    let landscape = false
    let backURL: String
    let backLabel = "Về trang hồ sơ"
    let number: String
    let circular: String
    let title: String
    /// The sentences the set words its own way (`FormSet.phrases`), by name.
    let phrases: [String: String]
    let heading: Heading
    let code: String
    let lookupSecret: String
    let lookupURL: String
    /// The QR code as inline SVG (Thông tư 01/2023/TT-VPCP): code, procedure, applicant, document,
    /// system, time and the lookup link.
    let qrSVG: String
    let applicant: String
    let applicantKind: String
    let idNumber: String
    let address: String
    let phone: String
    let email: String
    let procedureCode: String
    let procedure: String
    let processingTime: String
    let sets: Int
    let components: [Component]
    let receivedTime: String
    let received: String
    let receivedDate: String
    let appointmentTime: String
    let appointment: String
    let appointmentDate: String
    let resultPlace: String
    let fee: String
    let bookNumber: String
    let receivingOfficer: String
    let event: Event?
    let steps: [Step]
    let printedAt: String

    static let system = "Phần mềm một cửa điện tử MotCua"

    static func load(form: PrintedForm, set: FormSet, dossier d: DossierModel, req: Request) async throws -> FormContext
    {
        let record = try await DossierRecord.load(d, on: req.db)
        guard d.receivedAt != nil || form.recordedAction != nil else {
            throw ServiceError(.conflict, PrintedForm.receipt.missingEventMessage)
        }
        var event: Event?
        if let action = form.recordedAction {
            guard let line = record.log.last(where: { $0.action == action.rawValue }) else {
                throw ServiceError(.conflict, form.missingEventMessage)
            }
            event = Self.event(line, record: record)
        }
        let now = Date()
        let agency = try await AgencyModel.find(d.agencyID, on: req.db)
        let heading = try await Self.heading(agency, at: now, on: req.db)
        var officer = ""
        if let id = d.receivingOfficerID { officer = try await UserModel.find(id, on: req.db)?.fullName ?? "" }
        let lookupURL = Self.lookupURL(code: d.code, secret: d.lookupSecret, req: req)
        let title = set.title(of: form)
        let qrText = [
            "Mã hồ sơ: \(d.code)", "Mã thủ tục: \(record.procedure.code)", "Số định danh: \(d.applicantIDNumber)",
            "Văn bản: \(PageText.sentenceCase(title))", "Hệ thống: \(Self.system)",
            "Thời gian: \(PageTime.dateTime(now))", lookupURL,
        ].joined(separator: "\n")
        let qr = try QRCode(qrText).svg(sideInMillimetres: 24, title: "Mã QR tra cứu hồ sơ \(d.code)")
        let bookNumber = try await Self.bookNumber(of: d, on: req.db)
        return FormContext(
            form: form.rawValue, documentName: d.code, backURL: "/ho-so/\(d.code)", number: set.number(of: form) ?? "",
            circular: set.circular, title: title, phrases: set.phrases(of: form), heading: heading,
            code: d.code, lookupSecret: d.lookupSecret, lookupURL: lookupURL, qrSVG: qr,
            applicant: d.applicantName, applicantKind: d.applicantKind == "person" ? "Cá nhân" : "Tổ chức",
            idNumber: d.applicantIDNumber, address: d.applicantAddress, phone: d.applicantPhone,
            email: d.applicantEmail,
            procedureCode: record.procedure.code, procedure: record.procedure.name,
            processingTime:
                "\(ProcedureTerms.amountText(record.procedure.timeAmount)) \(record.procedure.timeUnit.vietnameseName)",
            sets: 1,
            components: record.components.filter { $0.handedInCount > 0 }.map(Self.component),
            receivedTime: d.receivedAt.map(Self.clockTime) ?? "", received: d.receivedAt.map(PageTime.dateTime) ?? "",
            receivedDate: d.receivedAt.map(PageTime.date) ?? "",
            appointmentTime: d.appointmentAt.map(Self.clockTime) ?? "",
            appointment: d.appointmentAt.map(PageTime.dateTime) ?? "",
            appointmentDate: d.appointmentAt.map(PageTime.date) ?? "",
            resultPlace: Self.resultPlace(
                ResultDelivery(rawValue: d.resultDelivery), agency: agency?.name ?? "", address: d.applicantAddress),
            fee: d.feeVND > 0 ? PageTime.number(d.feeVND) + " đồng" : "Không thu",
            bookNumber: bookNumber, receivingOfficer: officer, event: event,
            steps: form == .controlSlip ? Self.steps(record, at: now, calendar: req.motcua.dossiers.calendar) : [],
            printedAt: PageTime.dateTime(now))
    }

    /// The public lookup with the code and secret filled in: scanning the receipt opens the status.
    static func lookupURL(code: String, secret: String, req: Request) -> String {
        lookupURL(code: code, secret: secret, site: req.application.motcua.settings.siteURL)
    }

    /// Without `secret`, the lookup with the code only (the e-mails, which state the secret apart).
    static func lookupURL(code: String, secret: String?, site: URL) -> String {
        // The configured address, never the request's `Host` (a client's word).
        let base = site.absoluteString
        var query = URLComponents()
        query.queryItems =
            [URLQueryItem(name: "code", value: code)] + (secret.map { [URLQueryItem(name: "secret", value: $0)] } ?? [])
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/tra-cuu?" + (query.percentEncodedQuery ?? "")
    }

    /// The agency above the issuing one, and the province (the top of the tree) for the date line.
    static func heading(_ agency: AgencyModel?, at now: Date, on db: any Database) async throws -> Heading {
        var chain: [AgencyModel] = agency.map { [$0] } ?? []
        while let parentID = chain.last?.parentID, chain.count < 6,
            let parent = try await AgencyModel.find(parentID, on: db)
        { chain.append(parent) }
        let root = chain.last?.name ?? ""
        let place =
            ["UBND tỉnh ", "UBND thành phố ", "Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố "]
            .first { root.hasPrefix($0) }.map { String(root.dropFirst($0.count)) } ?? root
        let day = VietnamTime.local(now).date
        return Heading(
            governingBody: chain.count > 1 ? chain[1].name.uppercased() : "", agency: (agency?.name ?? "").uppercased(),
            agencyName: agency?.name ?? "",
            placeAndDate:
                """
                \(place), ngày \(String(format: "%02d", day.day)) tháng \(String(format: "%02d", day.month)) năm \
                \(day.year)
                """
        )
    }

    /// "Số thứ tự" in the day's book: the dossier's place among those its agency received that day.
    static func bookNumber(of d: DossierModel, on db: any Database) async throws -> String {
        guard let received = d.receivedAt else { return "" }
        let day = VietnamTime.local(received).date
        let before = try await DossierModel.query(on: db).filter(\.$agencyID == d.agencyID)
            .filter(\.$receivedAt >= VietnamTime.instant(day, secondOfDay: 0)).filter(\.$receivedAt < received).count()
        let sameSecond = try await DossierModel.query(on: db).filter(\.$agencyID == d.agencyID)
            .filter(\.$receivedAt == received).filter(\.$code < d.code).count()
        return String(before + sameSecond + 1)
    }

    static func component(_ c: DossierComponentModel) -> Component {
        Component(
            position: c.position, name: c.name,
            form: ComponentRequirement.Form(rawValue: c.form)?.vietnameseName ?? c.form, count: c.handedInCount)
    }

    static func event(_ line: DossierRecord.LogLine, record: DossierRecord) -> Event {
        func change(_ field: String) -> LogChain.Change? { line.changes.first { $0.field == field } }
        let positions = Set((change("supplement_components")?.new ?? "").split(separator: ",").compactMap { Int($0) })
        // What to bring: the copies still missing, or all the required ones again when those handed in
        // were not acceptable (never "0").
        let asked = record.components.filter { positions.contains($0.position) }.map { c in
            let missing = c.requiredCount - c.handedInCount
            return Component(
                position: c.position, name: c.name, form: Self.component(c).form,
                count: max(missing > 0 ? missing : c.requiredCount, 1))
        }
        func appointment(_ text: String?) -> String { text.flatMap(VietnamTime.parseISO).map(PageTime.dateTime) ?? "" }
        return Event(
            at: PageTime.dateTime(line.at), date: PageTime.date(line.at), by: line.actor,
            reason: change("reason")?.new ?? line.opinion ?? "", components: asked,
            previousAppointment: appointment(change("appointment_at")?.old),
            newAppointment: appointment(change("appointment_at")?.new))
    }

    /// The control slip's rows: who handed the dossier to whom, when, and the step's result.
    static func steps(_ record: DossierRecord, at now: Date, calendar: WorkingCalendar) -> [Step] {
        let periods = record.timeline(at: now)
        // A finished dossier goes back to the applicant, or to whom the desk handed the result.
        let recipient =
            record.log.last { $0.action == Action.returnResult.rawValue }?.changes
            .first { $0.field == "result_recipient" }?.new ?? record.applicant.name
        return periods.enumerated().map { i, p in
            Step(
                number: i + 1, giver: i == 0 ? record.applicant.name : (periods[i - 1].finishedBy ?? ""),
                receiver: p.finishedBy ?? p.holder?.vietnameseName ?? recipient,
                handedAt: PageTime.dateTime(p.from), due: p.dueAt.map(PageTime.dateTime) ?? "",
                dueExplanation: p.dueAt.flatMap { due in
                    record.procedure.stepDue(for: p.state, at: p.from, on: calendar, tracing: true)
                        .flatMap { $0.to == due && $0.seconds > 0 ? DueExplanationView.step($0) : nil }
                },
                result: p.timeliness?.vietnameseName ?? (p.to == nil && p.holder != nil ? "Đang xử lý" : ""),
                note: [p.state.vietnameseName, p.finishedWith.flatMap { Action(rawValue: $0)?.vietnameseName }]
                    .compactMap { $0 }.joined(separator: " → "))
        }
    }

    static func resultPlace(_ delivery: ResultDelivery?, agency: String, address: String) -> String {
        switch delivery {
        case .post?: "Qua dịch vụ bưu chính công ích, đến địa chỉ: \(address)"
        case .online?: "Trực tuyến, trên Cổng dịch vụ công (bản điện tử có chữ ký số)"
        default: "Bộ phận Tiếp nhận và Trả kết quả - \(agency)"
        }
    }

    /// "08 giờ 15 phút, ngày 30/11/2026", as the receipt writes a time.
    static func clockTime(_ instant: Date) -> String {
        let (day, second) = VietnamTime.local(instant)
        return String(format: "%02d giờ %02d phút", second / 3600, second / 60 % 60) + ", ngày \(day.vietnamese)"
    }

}

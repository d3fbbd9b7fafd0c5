import Fluent
import Foundation
import MotCuaCore
import SQLKit

/// One dossier's stored columns, as the export reads them.
struct ExportedDossier: Decodable, Sendable {
    let id: UUID
    let code: String
    let procedure_id: UUID
    let procedure_code: String
    let field_id: UUID
    let agency_id: UUID
    let department_id: UUID
    let applicant_name: String
    let applicant_id_number: String
    let applicant_address: String
    let applicant_phone: String
    let applicant_email: String
    let content_summary: String
    let channel: String
    let status: String
    let step: String?
    let submitted_at: Date?
    let received_at: Date?
    let due_at: Date?
    let completed_at: Date?
    let returned_at: Date?
    let result_delivery: String
    let receiving_officer_id: UUID?
    let assigned_officer_id: UUID?
    let fee_vnd: Int
    let resolution: String?

    static let columns =
        """
        id, code, procedure_id, procedure_code, field_id, agency_id, department_id, applicant_name, \
        applicant_id_number, 
        """
            + """
            applicant_address, applicant_phone, applicant_email, content_summary, channel, status, step, \
            submitted_at, received_at, 
            """
            + """
            due_at, completed_at, returned_at, result_delivery, receiving_officer_id, assigned_officer_id, fee_vnd, \
            resolution
            """
}

/// Names of everything a dossier refers to, loaded once per export.
struct ExportNames: Sendable {
    var procedures: [UUID: String] = [:], fields: [UUID: String] = [:], agencies: [UUID: String] = [:]
    var departments: [UUID: String] = [:], users: [UUID: String] = [:]

    static func load(on db: any Database) async throws -> ExportNames {
        var n = ExportNames()
        for p in try await ProcedureModel.query(on: db).all() { n.procedures[p.id!] = p.name }
        for f in try await FieldModel.query(on: db).all() { n.fields[f.id!] = f.name }
        for a in try await AgencyModel.query(on: db).all() { n.agencies[a.id!] = a.name }
        for d in try await DepartmentModel.query(on: db).all() { n.departments[d.id!] = d.name }
        for u in try await UserModel.query(on: db).field(\.$id).field(\.$fullName).all() { n.users[u.id!] = u.fullName }
        return n
    }
}

extension ExportedDossier {
    /// The cell of a column; the timeliness of an open dossier is taken at `now`.
    func cell(_ column: DossierColumn, names: ExportNames, now: Date) -> SheetCell {
        switch column {
        case .code: .text(code)
        case .procedureCode: .text(procedure_code)
        case .procedureName: .text(names.procedures[procedure_id] ?? "")
        case .field: .text(names.fields[field_id] ?? "")
        case .agency: .text(names.agencies[agency_id] ?? "")
        case .department: .text(names.departments[department_id] ?? "")
        case .applicant: .text(applicant_name)
        case .idNumber: .text(applicant_id_number)
        case .address: .text(applicant_address)
        case .phone: .text(applicant_phone)
        case .email: .text(applicant_email)
        case .contentSummary: .text(content_summary)
        case .channel: .text(DossierChannel(rawValue: channel)?.vietnameseName ?? channel)
        case .submittedAt: .dateTime(submitted_at)
        case .receivedAt: .dateTime(received_at)
        case .dueAt: .dateTime(due_at)
        case .completedAt: .dateTime(completed_at)
        case .returnedAt: .dateTime(returned_at)
        case .resultDelivery: .text(result_delivery)
        case .status:
            .text(
                Status(rawValue: status).map { DossierState($0, step.flatMap(Step.init(rawValue:))).vietnameseName }
                    ?? status)
        case .receivingOfficer: .text(receiving_officer_id.flatMap { names.users[$0] } ?? "")
        case .processingOfficer: .text(assigned_officer_id.flatMap { names.users[$0] } ?? "")
        case .fee: .integer(fee_vnd)
        case .timeliness: .text(timelinessText(now: now))
        }
    }

    /// Trước hạn / Đúng hạn / Quá hạn for a finished dossier (withdrawn: Rút hồ sơ); Trong hạn or
    /// Quá hạn for an open one (paused ones are within time); empty if never received.
    func timelinessText(now: Date) -> String {
        if let resolution = resolution.flatMap(Resolution.init(rawValue:)) {
            switch resolution {
            case .early: return Timeliness.early.vietnameseName
            case .onTime: return Timeliness.onTime.vietnameseName
            case .late: return Timeliness.late.vietnameseName
            case .withdrawn: return "Rút hồ sơ"
            }
        }
        guard received_at != nil, let due = due_at, Status(rawValue: status)?.isOpen == true else { return "" }
        let running = Status(rawValue: status)?.clockRuns == true
        return (running && now > due ? Timeliness.overdue : Timeliness.withinTime).vietnameseName
    }
}

enum DossierExport {
    /// The most dossiers one file holds.
    static let maximumRows = 100_000

    /// Reads the dossiers `condition` (SQL on the dossiers table) chooses, a page at a time, in the
    /// order they were created (ids are time-ordered), which is also the order they lie in the
    /// table, so that a large export reads it front to back rather than jumping about.
    static func forEachPage(
        condition: SQLQueryString, limit: Int, on db: any Database,
        _ body: ([ExportedDossier]) throws -> Void
    ) async throws -> Int {
        let sql = db as! any SQLDatabase
        var written = 0
        var last: UUID?
        while written < limit {
            let after: SQLQueryString = last.map { "id > \(bind: $0) AND " } ?? ""
            let page = try await sql.raw(
                """
                SELECT \(unsafeRaw: ExportedDossier.columns) FROM dossiers WHERE \(after)\(condition)
                ORDER BY id LIMIT \(literal: min(2_000, limit - written))
                """
            ).all(decoding: ExportedDossier.self)
            guard let tail = page.last else { break }
            last = tail.id
            try body(page)
            written += page.count
        }
        return written
    }

    /// An Excel file of the dossiers; answers the writer (its file lives as long as it does) and the rows written.
    static func xlsx(
        columns: [DossierColumn], condition: SQLQueryString, limit: Int = maximumRows, now: Date,
        on db: any Database
    ) async throws -> (XLSXWriter, Int) {
        let names = try await ExportNames.load(on: db)
        let writer = try XLSXWriter(sheetName: "Hồ sơ", columnWidths: columns.map(\.width))
        try writer.append(columns.map { SheetCell.text($0.heading) }, bold: true)
        let written = try await forEachPage(condition: condition, limit: limit, on: db) { page in
            for d in page { try writer.append(columns.map { d.cell($0, names: names, now: now) }) }
        }
        return (writer, written)
    }

    /// The same as CSV (UTF-8 with a byte-order mark).
    static func csv(
        columns: [DossierColumn], condition: SQLQueryString, limit: Int = maximumRows, now: Date,
        on db: any Database
    ) async throws -> String {
        let names = try await ExportNames.load(on: db)
        var out = "\u{FEFF}" + columns.map { CSV.quote(CSV.textCell($0.heading)) }.joined(separator: ",") + "\r\n"
        _ = try await forEachPage(condition: condition, limit: limit, on: db) { page in
            for d in page {
                out +=
                    columns.map { CSV.quote(d.cell($0, names: names, now: now).csvText) }.joined(separator: ",")
                    + "\r\n"
            }
        }
        return out
    }
}

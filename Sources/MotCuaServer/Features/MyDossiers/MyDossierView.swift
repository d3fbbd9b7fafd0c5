import Fluent
import Foundation
import MotCuaCore
import Vapor

/// One dossier as its applicant sees it in "Hồ sơ của tôi": what the desk and the officers did,
/// never their internal opinions or who among them did it.
enum MyDossierView {
    /// A supplementation request: when, why, and which components, as one complete list.
    struct Request: Encodable {
        /// Its place in the log: the files logged after it answer it.
        let seq: Int
        let at: Date
        let when: String
        let reason: String
        let positions: [Int]
        let components: [String]
        /// The components with their positions, for the upload forms.
        let items: [Item]
    }

    struct Item: Encodable {
        let position: Int
        let name: String
    }

    struct Step: Encodable {
        let when: String
        let what: String
    }

    struct Field: Encodable {
        let label: String
        let value: String
    }

    struct FileRow: Encodable {
        let component: String
        let name: String
        let version: Int
        let when: String
    }

    struct Context: Encodable {
        let layout: PageLayout
        let code: String
        let secret: String
        let version: Int
        let procedure: String
        let status: String
        let submitted: String
        let appointment: String?
        /// The result sent by post: its tracking number and where it is.
        let postal: String?
        /// "Vì sao hạn xử lý là ngày này?", once received.
        let dueExplanation: DueExplanationView?
        let notice: String?
        let error: String?
        let steps: [Step]
        let requests: [Request]
        let answering: Request?
        let missing: [String]
        let formTitle: String?
        let fields: [Field]
        let files: [FileRow]
        let mayWithdraw: Bool
        let typedReason: String
        let hasResult: Bool
    }

    static func requests(_ record: DossierRecord) -> [Request] {
        let names = Dictionary(uniqueKeysWithValues: record.components.map { ($0.position, $0.name) })
        return record.log.filter { $0.action == Action.requestSupplement.rawValue }.map { line in
            let values = Dictionary(line.changes.map { ($0.field, $0.new ?? "") }) { $1 }
            let positions = (values["supplement_components"] ?? "").split(separator: ",").compactMap { Int($0) }
            let components = positions.map { names[$0] ?? "Thành phần số \($0)" }
            return Request(
                seq: line.seq, at: line.at, when: PageTime.dateTime(line.at), reason: values["reason"] ?? "",
                positions: positions,
                components: components, items: zip(positions, components).map { Item(position: $0, name: $1) })
        }
    }

    /// The request the dossier waits on, if it waits for a supplement.
    static func currentRequest(in record: DossierRecord) -> Request? {
        record.dossier.state.status == .awaitingSupplement ? requests(record).last : nil
    }

    /// The components of the request without a file uploaded since it was made (by the log's order,
    /// not the clock's: an upload in the same second as the request is told apart).
    static func missing(_ r: Request, in record: DossierRecord) -> [String] {
        let logged = Set(
            record.log.filter { $0.seq > r.seq && $0.action == Action.uploadFile.rawValue }.flatMap(\.changes)
                .compactMap { $0.new?.components(separatedBy: "sha256 ").last?.prefix(64) }.map(String.init))
        let fresh = Set(record.files.filter { logged.contains($0.file.sha256) }.compactMap(\.component))
        return zip(r.positions, r.components).filter { !fresh.contains($0.0) }.map(\.1)
    }

    static func render(
        _ req: Vapor.Request, _ d: DossierModel, actor: Actor, notice: String?, error: String?, status: HTTPStatus,
        typedReason: String? = nil
    ) async throws -> Response {
        let record = try await DossierRecord.load(d, on: req.db)
        let requests = requests(record)
        let answering = currentRequest(in: record)
        let values = (try? d.declarationJSON.map { try JSON.decode([String: String].self, $0) }) ?? nil
        let form = record.procedure.declaration
        let names = Dictionary(uniqueKeysWithValues: record.components.map { ($0.position, $0.name) })
        let context = Context(
            layout: PageLayout("Hồ sơ \(d.code)", req), code: d.code, secret: d.lookupSecret, version: d.version,
            procedure: record.procedure.name, status: d.state.status.applicantName,
            submitted: PageTime.dateTime(d.submittedAt ?? d.receivedAt ?? d.createdAt),
            appointment: d.appointmentAt.map(PageTime.dateTime),
            postal: try await PostalShipments.shipment(of: d.id!, on: req.db)?.text,
            dueExplanation: DueExplanationView.of(
                clock: record.clock, terms: record.procedure, channel: d.channel, service: req.motcua.dossiers),
            notice: notice, error: error,
            steps: record.log.map { Step(when: PageTime.dateTime($0.at), what: $0.actionName) },
            requests: requests.reversed(), answering: answering,
            missing: answering.map { missing($0, in: record) } ?? [],
            formTitle: values == nil ? nil : form?.title,
            fields: values == nil
                ? [] : (form?.fields ?? []).map { Field(label: $0.label, value: form!.display($0, values?[$0.name])) },
            files: record.files.filter { $0.component != nil }.map {
                FileRow(
                    component: names[$0.component!] ?? "", name: $0.file.fileName, version: $0.file.version,
                    when: PageTime.dateTime($0.file.uploadedAt))
            },
            mayWithdraw: req.motcua.dossiers.availableActions(on: d, actor: actor).contains(.withdraw),
            typedReason: typedReason ?? "", hasResult: d.resultJSON != nil)
        return try await req.view.render("MyDossiers/dossier", context).encodeResponse(status: status, for: req)
    }
}

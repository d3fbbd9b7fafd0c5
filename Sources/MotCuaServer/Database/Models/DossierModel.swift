import Fluent
import Foundation
import MotCuaCore

// Enums are stored as strings, instants as UTC timestamps and calendar dates as `YYYY-MM-DD` text,
// so that SQLite and PostgreSQL behave the same (STYLE.md).

final class DossierModel: Model, @unchecked Sendable {
    static let schema = "dossiers"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "lookup_secret") var lookupSecret: String
    @Field(key: "channel") var channel: String
    @Field(key: "status") var status: String
    @OptionalField(key: "step") var step: String?
    /// Where a paused dossier returns ("status" or "status/step").
    @OptionalField(key: "state_before_pause") var stateBeforePause: String?
    @Field(key: "procedure_id") var procedureID: UUID
    @Field(key: "procedure_code") var procedureCode: String
    @Field(key: "field_id") var fieldID: UUID
    /// The agency that received the dossier; kept even if the agency is later merged or renamed.
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "department_id") var departmentID: UUID
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @OptionalField(key: "receiving_officer_id") var receivingOfficerID: UUID?
    /// The centre that received it for the competent agency (Nghị định 118/2025, migration 029); nil
    /// when the competent agency's own desk received it or it came online.
    @OptionalField(key: "receiving_agency_id") var receivingAgencyID: UUID?
    @OptionalField(key: "assigned_officer_id") var assignedOfficerID: UUID?
    @Field(key: "applicant_kind") var applicantKind: String
    @Field(key: "applicant_name") var applicantName: String
    /// Lower case without diacritics, for search on both databases.
    @Field(key: "applicant_search") var applicantSearch: String
    @Field(key: "applicant_id_number") var applicantIDNumber: String
    @OptionalField(key: "applicant_birth_date") var applicantBirthDate: String?
    @Field(key: "applicant_address") var applicantAddress: String
    @Field(key: "applicant_phone") var applicantPhone: String
    @Field(key: "applicant_email") var applicantEmail: String
    @OptionalField(key: "representative") var representativeJSON: String?
    @Field(key: "content_summary") var contentSummary: String
    @Field(key: "result_delivery") var resultDelivery: String
    @Field(key: "fee_vnd") var feeVND: Int
    /// The procedure's terms at receipt: the SHA-256 of their version (ProcedureTermVersions).
    @Field(key: "procedure_terms_sha256") var procedureTermsSHA256: Data
    /// The e-form's values it was submitted with (field name to value, JSON); nil without an e-form.
    @OptionalField(key: "declaration") var declarationJSON: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "received_at") var receivedAt: Date?
    /// Local date of receipt (YYYY-MM-DD), for date-range filters and the code counter.
    @OptionalField(key: "received_date") var receivedDate: String?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "appointment_at") var appointmentAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "returned_at") var returnedAt: Date?
    /// When it was completed, refused or withdrawn, and how it ended for the statistics
    /// (`Resolution`: early, on time, late, withdrawn); nil while open or if never received.
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "resolution") var resolution: String?
    /// The applicant's satisfaction answer (`Satisfaction`) and when it was given.
    @OptionalField(key: "rating") var rating: String?
    @OptionalField(key: "rated_at") var ratedAt: Date?
    /// The clock: pause rounds with their previous and new due dates, the apology (JSON).
    @OptionalField(key: "clock") var clockJSON: String?
    /// The clock's supplementation rounds (migration 021), kept beside it for the statistics.
    @Field(key: "supplement_rounds") var supplementRounds: Int
    @OptionalField(key: "result_json") var resultJSON: String?
    @Field(key: "version") var version: Int
    /// The anchor of the log chain: the last entry's sequence number and hash, written with it.
    @OptionalField(key: "log_seq") var logSeq: Int?
    @OptionalField(key: "log_hash") var logHashBytes: Data?
    var logHash: String? {
        get { logHashBytes?.hex }
        set { logHashBytes = newValue.map(StoredHash.bytes) }
    }
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    /// Listed, not found by reflection on every row (Fluent's default): see ColumnDeclarationTests.
    var properties: [any AnyProperty] {
        [
            $id, $code, $lookupSecret, $channel, $status, $step, $stateBeforePause, $procedureID, $procedureCode,
            $fieldID, $agencyID, $departmentID, $ownerID, $receivingOfficerID, $receivingAgencyID, $assignedOfficerID,
            $applicantKind, $applicantName, $applicantSearch, $applicantIDNumber, $applicantBirthDate,
            $applicantAddress, $applicantPhone, $applicantEmail, $representativeJSON, $contentSummary, $resultDelivery,
            $feeVND, $procedureTermsSHA256, $declarationJSON, $submittedAt, $receivedAt, $receivedDate, $dueAt,
            $appointmentAt, $completedAt, $returnedAt, $finishedAt, $resolution, $rating, $ratedAt, $clockJSON,
            $supplementRounds, $resultJSON, $version, $logSeq, $logHashBytes, $createdAt, $updatedAt,
        ]
    }

    init() {}

    var state: DossierState {
        DossierState(Status(rawValue: status)!, step.flatMap(Step.init(rawValue:)))
    }

    func set(_ state: DossierState) {
        status = state.status.rawValue
        step = state.step?.rawValue
    }

    /// The decoded clock, kept beside its JSON so that a run of actions decodes it once.
    private var clockCache: (json: String, clock: DossierClock)?

    var clock: DossierClock? {
        get throws {
            guard let json = clockJSON else { return nil }
            if let cache = clockCache, cache.json == json { return cache.clock }
            let clock = try JSON.decode(DossierClock.self, json)
            clockCache = (json, clock)
            return clock
        }
    }

    func set(clock: DossierClock) {
        let json = clock.json
        clockJSON = json
        supplementRounds = clock.supplementRounds
        clockCache = (json, clock)
    }
}

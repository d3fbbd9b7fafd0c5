import Fluent
import Foundation
import MotCuaCore

// Fluent models. Enums are stored as strings, instants as UTC timestamps and calendar dates as
// `YYYY-MM-DD` text, so that SQLite and PostgreSQL behave the same (STYLE.md).

final class AgencyModel: Model, @unchecked Sendable {
    static let schema = "agencies"
    @ID(key: .id) var id: UUID?
    /// Mã định danh, e.g. 000.00.12.H28.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    /// The period the agency exists in (text dates); dossiers keep the agency that received them.
    @Field(key: "effective_from") var effectiveFrom: String
    @OptionalField(key: "effective_to") var effectiveTo: String?
    @OptionalField(key: "successor_id") var successorID: UUID?

    init() {}
    init(id: UUID? = nil, code: String, name: String, kind: AgencyKind, parentID: UUID?, effectiveFrom: String = "2000-01-01") {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind.rawValue
        self.parentID = parentID
        self.effectiveFrom = effectiveFrom
    }
}

final class DepartmentModel: Model, @unchecked Sendable {
    static let schema = "departments"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "name") var name: String

    init() {}
    init(id: UUID? = nil, agencyID: UUID, name: String) {
        self.id = id
        self.agencyID = agencyID
        self.name = name
    }
}

final class FieldModel: Model, @unchecked Sendable {
    static let schema = "fields"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String

    init() {}
    init(id: UUID? = nil, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

final class ProcedureModel: Model, @unchecked Sendable {
    static let schema = "procedures"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "field_id") var fieldID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "department_id") var departmentID: UUID
    /// The terms (time, fees, components, steps...) as JSON, the same shape a dossier snapshots.
    @Field(key: "terms") var termsJSON: String

    init() {}
    init(id: UUID? = nil, terms: ProcedureTerms, fieldID: UUID, agencyID: UUID, departmentID: UUID) {
        self.id = id
        self.code = terms.code
        self.name = terms.name
        self.fieldID = fieldID
        self.agencyID = agencyID
        self.departmentID = departmentID
        self.termsJSON = JSON.encode(terms)
    }

    var terms: ProcedureTerms { get throws { try JSON.decode(ProcedureTerms.self, termsJSON) } }
}

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "full_name") var fullName: String
    /// Comma-separated role codes.
    @Field(key: "roles") var rolesText: String
    @OptionalField(key: "agency_id") var agencyID: UUID?
    @OptionalField(key: "department_id") var departmentID: UUID?
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}
    init(id: UUID? = nil, username: String, passwordHash: String, fullName: String, roles: Set<Role>, agencyID: UUID?, departmentID: UUID?) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.fullName = fullName
        self.rolesText = roles.map(\.rawValue).sorted().joined(separator: ",")
        self.agencyID = agencyID
        self.departmentID = departmentID
        self.failedLogins = 0
    }

    var roles: Set<Role> { Set(rolesText.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
    var scope: Scope { Scope.of(roles: roles, userID: id!, agency: agencyID, department: departmentID) }
}

/// A login session: a cookie for pages or a bearer token for the API. Only the SHA-256 of the
/// token is stored; sessions live in the database so that several servers share them.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "user_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
    init(tokenHash: String, userID: UUID, kind: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.kind = kind
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

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
    /// The procedure's terms at receipt (JSON of ProcedureTerms).
    @Field(key: "procedure_terms") var procedureTermsJSON: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "received_at") var receivedAt: Date?
    /// Local date of receipt (YYYY-MM-DD), for date-range filters and the code counter.
    @OptionalField(key: "received_date") var receivedDate: String?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "appointment_at") var appointmentAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "returned_at") var returnedAt: Date?
    /// The clock: pause rounds with their previous and new due dates, the apology (JSON).
    @OptionalField(key: "clock") var clockJSON: String?
    @OptionalField(key: "result_json") var resultJSON: String?
    @Field(key: "version") var version: Int
    /// The anchor of the log chain: the last entry's sequence number and hash, written with it.
    @OptionalField(key: "log_seq") var logSeq: Int?
    @OptionalField(key: "log_hash") var logHash: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

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
        clockCache = (json, clock)
    }
}

final class DossierComponentModel: Model, @unchecked Sendable {
    static let schema = "dossier_components"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "form") var form: String
    @Field(key: "required_count") var requiredCount: Int
    @Field(key: "mandatory") var mandatory: Bool
    /// What was handed in: form and count (0 = not handed in).
    @Field(key: "handed_in_count") var handedInCount: Int

    init() {}
}

/// A file of a dossier; its content lives in the file store under its SHA-256.
final class DossierFileModel: Model, @unchecked Sendable {
    static let schema = "dossier_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @OptionalField(key: "component_id") var componentID: UUID?
    /// 1 for the first upload of a component, +1 for each supplement; old versions stay.
    @Field(key: "version") var version: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// An entry of the append-only processing log (nhật ký xử lý), chained by SHA-256.
final class LogEntryModel: Model, @unchecked Sendable {
    static let schema = "log_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "opinion") var opinion: String?
    /// Changed fields with old and new values, as JSON.
    @Field(key: "changes") var changesJSON: String
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    init() {}
}

final class DossierCounterModel: Model, @unchecked Sendable {
    static let schema = "dossier_counters"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_code") var agencyCode: String
    @Field(key: "day") var day: String
    @Field(key: "last") var last: Int
    init() {}
}

/// A year whose official schedule has been stored (possibly with no entries at all).
final class CalendarYearModel: Model, @unchecked Sendable {
    static let schema = "calendar_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

final class CalendarEntryModel: Model, @unchecked Sendable {
    static let schema = "calendar_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "date") var date: String
    @Field(key: "kind") var kind: String
    @Field(key: "description") var description: String
    init() {}
}

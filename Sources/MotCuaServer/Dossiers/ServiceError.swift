import MotCuaCore
import Vapor

/// One error type for the services, mapped once to an HTTP status and a Vietnamese message.
struct ServiceError: Error, AbortError {
    let status: HTTPResponseStatus
    let reason: String
    /// Sent with the answer: `Retry-After` (429, 503), `Allow` (405).
    let headers: HTTPHeaders

    /// `retryAfter`: seconds before trying again, sent as `Retry-After`.
    init(_ status: HTTPResponseStatus, _ reason: String, retryAfter: Int? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.reason = reason
        var h = headers
        if let retryAfter { h.replaceOrAdd(name: "Retry-After", value: String(retryAfter)) }
        self.headers = h
    }

    static func from(_ error: DossierError) -> ServiceError {
        switch error {
        case .roleNotAllowed, .notAssignedOfficer: ServiceError(.forbidden, error.message)
        case .stateNotAllowed, .versionConflict, .apologyAlreadyGiven, .noStateToResume:
            ServiceError(.conflict, error.message)
        case .missingInput, .invalid: ServiceError(.unprocessableEntity, error.message)
        case .notFound: ServiceError(.notFound, error.message)
        }
    }

    static func from(_ error: CalendarError) -> ServiceError {
        switch error {
        case .apologyAlreadyGiven, .alreadyPaused, .notPaused: ServiceError(.conflict, error.message)
        default: ServiceError(.unprocessableEntity, error.message)
        }
    }

    static let notFound = ServiceError(.notFound, DossierError.notFound.message)
    static let conflict = ServiceError(.conflict, DossierError.versionConflict.message)
}

extension TextInput {
    /// 422 with a Vietnamese message when a typed field holds control characters or is too long.
    static func require(_ text: String, label: String, multiline: Bool, maxLength: Int) throws {
        guard isClean(text, multiline: multiline) else {
            throw ServiceError(.unprocessableEntity, "\(label) chứa ký tự điều khiển không hợp lệ.")
        }
        guard text.count <= maxLength else {
            throw ServiceError(.unprocessableEntity, "\(label) dài quá \(maxLength) ký tự.")
        }
    }
}

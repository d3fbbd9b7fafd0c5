import MotCuaCore
import Vapor

/// One error type for the services, mapped once to an HTTP status and a Vietnamese message.
struct ServiceError: Error, AbortError {
    let status: HTTPResponseStatus
    let reason: String

    init(_ status: HTTPResponseStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    static func from(_ error: DossierError) -> ServiceError {
        switch error {
        case .roleNotAllowed, .notAssignedOfficer: ServiceError(.forbidden, error.message)
        case .stateNotAllowed, .versionConflict, .apologyAlreadyGiven, .noStateToResume: ServiceError(.conflict, error.message)
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

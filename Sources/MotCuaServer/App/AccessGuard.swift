import MotCuaCore
import Vapor

/// The door of a feature (MotCuaCore `Access`): a route group of `routes.swift` is registered
/// through `feature(_:)`, which puts this guard in front of each of its routes and tags the route
/// with the feature, so that a test can ask every registered route who may open it.
struct AccessGuard: AsyncMiddleware {
    let feature: Feature

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let rule = Access.rule(feature)
        guard !rule.isPublic else { return try await next.respond(to: request) }
        // Not signed in: 401 on the API, the login page for a page (ProblemMiddleware).
        let actor = try request.actor()
        guard Access.allows(actor.roles, feature) else { throw ServiceError(.forbidden, Access.refusal(feature)) }
        return try await next.respond(to: request)
    }
}

/// The routes of one feature: guarded and tagged.
private struct FeatureRoutes: RoutesBuilder {
    let root: any RoutesBuilder
    let feature: Feature

    func add(_ route: Route) {
        route.userInfo["feature"] = feature.rawValue
        root.grouped(AccessGuard(feature: feature)).add(route)
    }
}

extension RoutesBuilder {
    /// Registers `body`'s routes as the feature's: behind its guard, tagged with it.
    func feature(_ feature: Feature, _ body: (any RoutesBuilder) throws -> Void) rethrows {
        try body(FeatureRoutes(root: self, feature: feature))
    }
}

extension Route {
    /// The feature a route was registered under (nil: registered outside `feature(_:)`).
    var feature: Feature? { (userInfo["feature"] as? String).flatMap(Feature.init(rawValue:)) }
}

import Foundation
import MotCuaCore
import Vapor

/// One action on several ticked dossiers of a page ("Phân công thụ lý", "Bàn giao hồ sơ"): each
/// dossier is acted on in its own transaction with the version the page showed, so one that someone
/// else changed in the meantime is reported (and left as it is) while the others go through.
enum BulkAction {
    static let maxAtOnce = 100

    /// The ticked `CODE:VERSION` values, or a Vietnamese reason to show beside the list.
    static func picked(_ values: [String]?) -> Result<[(code: String, version: Int)], ServiceError> {
        let values = values ?? []
        let picked = values.compactMap { value -> (code: String, version: Int)? in
            let parts = value.split(separator: ":")
            guard parts.count == 2, let version = Int(parts[1]) else { return nil }
            return (String(parts[0]), version)
        }
        if picked.isEmpty || picked.count != values.count {
            return .failure(ServiceError(.unprocessableEntity, "Hãy chọn ít nhất một hồ sơ."))
        }
        if picked.count > maxAtOnce {
            return .failure(ServiceError(.unprocessableEntity, "Mỗi lần chọn tối đa \(maxAtOnce) hồ sơ."))
        }
        return .success(picked)
    }

    /// Performs `action` on each; returns how many went through and, for the others, "CODE: reason".
    static func perform(
        _ action: Action, on picked: [(code: String, version: Int)], inputs: ActionInputs, actor: Actor,
        req: Request
    ) async throws -> (done: Int, failures: [String]) {
        var done = 0
        var failures: [String] = []
        for (code, version) in picked {
            do {
                _ = try await req.motcua.dossiers.perform(
                    action, code: code, inputs: inputs, expectedVersion: version, actor: actor, at: Date(), on: req.db)
                done += 1
            } catch {
                let (status, detail) = ProblemMiddleware.explain(error)
                guard status != .internalServerError else { throw error }
                failures.append("\(code): \(detail)")
            }
        }
        return (done, failures)
    }

    /// "Đã … N hồ sơ; M hồ sơ chưa … được:" for a page that lists the failures below.
    static func summary(done: Int, failed: Int, verb: String) -> String {
        done > 0 ? "Đã \(verb) \(done) hồ sơ; \(failed) hồ sơ chưa \(verb) được:" : "Chưa \(verb) được hồ sơ nào:"
    }
}

import Foundation
import MotCuaCore

/// Settings read from the environment, one way for every adapter: a variable set to nothing is not
/// set, settings that go together are all set or none, an address is http(s) with a host.
struct EnvironmentSettings {
    let environment: [String: String]

    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

    /// nil when none of `names` is set; their values in order when all are; an error otherwise.
    func allOrNone(_ names: [String]) throws -> [String]? {
        let values = names.map(value)
        guard values.contains(where: { $0 != nil }) else { return nil }
        guard values.allSatisfy({ $0 != nil }) else {
            throw CalendarError.invalidDuration("Cần đặt cả \(names.joined(separator: ", ")) (hoặc không đặt biến nào)")
        }
        return values.map { $0! }
    }

    /// `text`, the value of `name` (or its default), as an http(s) address.
    static func url(_ name: String, _ text: String) throws -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw CalendarError.invalidDuration("\(name)=\"\(text)\" phải là địa chỉ http:// hoặc https://")
        }
        return url
    }
}

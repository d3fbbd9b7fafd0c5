import Fluent
import Foundation
import MotCuaCore
import MotCuaSigning
import Vapor

/// The demo province signs its results: a provincial CA in `<data-dir>/ca` (made if missing, with
/// a random secret file unless MOTCUA_SIGNING_SECRET is set) and a certificate for each leader who
/// has none, so that "Ký duyệt" works at once on a fresh machine. The demo's CA and certificates
/// start three years back, so that the demo's history (and tests replaying years of work) are
/// signed while valid; a real CA (`motcua ca init`) starts on the day it is made.
enum DemoSigning {
    static func prepare(_ app: Application, now: Date = Date()) async throws {
        let since = now.addingTimeInterval(-3 * 365.25 * 86_400)
        let signing = app.motcua.signing
        let secret = try SigningSecret.loadOrCreate(
            configured: signing.configuredSecret, caDirectory: signing.ca.directory
        ).secret
        if !signing.ca.exists {
            let province = DemoCatalogue.agencies.first { $0.parent == nil }?.name ?? "UBND tỉnh"
            try ProvincialCA.initialise(at: signing.ca.directory, name: province, secret: secret, now: since)
        }
        for leader in try await UserModel.query(on: app.db).all() where leader.roles.contains(.leader) {
            if (try? signing.ca.userCertificate(leader.username)) == nil {
                try signing.ca.issue(
                    username: leader.username, fullName: leader.fullName, secret: secret, now: since, years: 5)
            }
        }
    }
}

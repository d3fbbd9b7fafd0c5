import Foundation
import MotCuaCore
import Testing
import Vapor
@testable import MotCuaServer

/// Every registered route, asked by every demo role and by nobody, answers as the access table
/// (MotCuaCore `Access`) says: a route registered outside a feature fails here, so a new route
/// cannot be added without a row.
@Suite(.serialized) struct AccessMatrixTests {
    /// One demo account per role.
    static let accounts: [(Role, String)] = [
        (.admin, "quantri"), (.monitor, "lanhdaotinh"), (.reception, "stp.tiepnhan"), (.head, "stp.hctp.truongphong"),
        (.officer, "stp.hctp.cv1"), (.leader, "stp.lanhdao"), (.citizen, "congdan1"),
    ]

    @Test(arguments: TestDatabase.available)
    func everyRouteAnswersEveryRoleAsTheTableSays(db: TestDatabase) async throws {
        try await TestApp.with(db) { t in
            // Ending a session last, so that the same session asks every other route.
            let routes = t.app.routes.all.sorted { a, b in
                let endsA = a.path.contains { "\($0)" == "dang-xuat" || "\($0)" == "logout" }
                let endsB = b.path.contains { "\($0)" == "dang-xuat" || "\($0)" == "logout" }
                return !endsA && endsB
            }
            #expect(routes.count > 60)
            var identities: [(role: Role?, api: HTTPHeaders, page: HTTPHeaders)] = [(nil, [:], [:])]
            for (role, username) in Self.accounts {
                var api = HTTPHeaders()
                api.bearerAuthorization = BearerAuthorization(token: try await t.login(username))
                let session = try await t.pageSession(username)
                var page = session.headers
                page.replaceOrAdd(name: "X-CSRF-Token", value: session.csrf)
                identities.append((role, api, page))
            }
            var checked = 0
            for route in routes {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let c): c
                    case .parameter(let name): name == "code" ? "000.00.00.H28-000000-0000" : name == "list" ? "phong-ban" : "x"
                    case .anything, .catchall: "x"
                    }
                }.joined(separator: "/")
                guard let feature = route.feature else {
                    Issue.record("\(route.method) \(path) is registered outside a feature of the access table")
                    continue
                }
                let rule = Access.rule(feature)
                let isAPI = path.hasPrefix("/api/")
                for identity in identities {
                    var headers = isAPI ? identity.api : identity.page
                    if route.method != .GET { headers.contentType = isAPI ? .json : .urlEncodedForm }
                    let body: ByteBuffer? = route.method == .GET ? nil : ByteBuffer(string: isAPI ? "{}" : "")
                    let r = try await t.request(route.method, path, headers: headers, body: body)
                    let who = identity.role?.rawValue ?? "nobody"
                    let refused = r.status == .forbidden && (isAPI ? r.detail : r.text).contains(Access.refusal(feature))
                    if rule.isPublic {
                        #expect(r.status != .unauthorized && !refused, "\(route.method) \(path) as \(who): \(r.status)")
                    } else if let role = identity.role {
                        if Access.allows([role], feature) {
                            #expect(r.status != .unauthorized && !refused, "\(route.method) \(path) as \(who): \(r.status) \(r.text.prefix(200))")
                        } else {
                            #expect(refused, "\(route.method) \(path) as \(who): \(r.status) \(r.text.prefix(200))")
                        }
                    } else if isAPI {
                        #expect(r.status == .unauthorized, "\(route.method) \(path) as nobody: \(r.status)")
                    } else {
                        #expect([.seeOther, .found].contains(r.status) && r.headers.first(name: .location) == "/dang-nhap",
                                "\(route.method) \(path) as nobody: \(r.status)")
                    }
                    checked += 1
                }
            }
            #expect(checked == routes.count * identities.count)
        }
    }

    /// The table's own promises, without a server.
    @Test func theTableNamesEveryFeatureAndSaysWhoMayOpenIt() {
        for feature in Feature.allCases {
            let rule = Access.rule(feature)
            if !rule.isPublic {
                #expect(!rule.roles.isEmpty, "\(feature)")
                #expect(Access.refusal(feature).contains(feature.pageName))
            }
        }
        #expect(Access.allows([.admin], .calendar) && !Access.allows([.reception], .calendar))
        #expect(Access.refusal(.calendar) == "Trang “Lịch làm việc” chỉ dành cho: Quản trị hệ thống.")
        #expect(Access.reach(of: [.head, .leader], in: .reports) == .agency)
        #expect(Access.reach(of: [.citizen], in: .dossierSearch) == .own && Access.reach(of: [.citizen], in: .reports) == nil)
        #expect(Access.allows([], .lookup) && !Access.allows([], .home))
    }
}

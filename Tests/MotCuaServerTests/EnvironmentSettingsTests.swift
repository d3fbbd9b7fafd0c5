import Foundation
import Testing
@testable import MotCuaServer

/// Every adapter reads its settings one way (EnvironmentSettings): unset or empty is none, some of
/// a group without the others is an error naming them all, an address must be http(s).
@Suite struct EnvironmentSettingsTests {
    @Test func groupsAreAllOrNoneAndAddressesHTTP() throws {
        #expect(try PostalSettings(environment: [:]) == nil)
        #expect(try PostalSettings(environment: ["MOTCUA_POST_URL": "", "MOTCUA_POST_TOKEN": ""]) == nil)
        #expect(throws: (any Error).self) { try PostalSettings(environment: ["MOTCUA_POST_URL": "https://post.example"]) }
        let post = ["MOTCUA_POST_URL": "https://post.example/orders", "MOTCUA_POST_TOKEN": "t", "MOTCUA_POST_SECRET": "s"]
        #expect(try PostalSettings(environment: post)?.url.host == "post.example")
        #expect(throws: (any Error).self) {
            try PostalSettings(environment: post.merging(["MOTCUA_POST_URL": "ftp://post.example"]) { $1 })
        }
        let sso = ["MOTCUA_SSO_URL": "https://sso.example/", "MOTCUA_SSO_CLIENT_ID": "id", "MOTCUA_SSO_CLIENT_SECRET": "s"]
        #expect(try NationalSSOSettings(environment: sso)?.tokenURL.absoluteString == "https://sso.example/oauth2/token")
        #expect(throws: (any Error).self) {
            try NationalSSOSettings(environment: sso.merging(["MOTCUA_SSO_TOKEN_URL": "sso.example/token"]) { $1 })
        }
        #expect(throws: (any Error).self) { try VNPaySettings(environment: ["MOTCUA_VNPAY_TMN_CODE": "ABC"]) }
        #expect(throws: (any Error).self) { try SMSSettings(environment: ["MOTCUA_SMS_URL": "not an address"]) }
        #expect(throws: (any Error).self) {
            try Settings(database: nil, dataDirectory: "/tmp", environment: ["MOTCUA_PUBLIC_URL": "motcua.example"])
        }
    }
}

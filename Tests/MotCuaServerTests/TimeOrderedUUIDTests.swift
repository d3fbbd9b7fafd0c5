import Foundation
import Testing
@testable import MotCuaServer

@Suite struct TimeOrderedUUIDTests {
    @Test func versionSevenAndOrderedByTime() {
        let early = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_700_000_000))
        let later = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(early.uuidString.dropFirst(14).first == "7")           // version 7
        #expect("89AB".contains(early.uuidString.dropFirst(19).first!))  // RFC 4122 variant
        // Byte order (as SQLite and PostgreSQL compare) follows time.
        let a = withUnsafeBytes(of: early.uuid) { Array($0) }, b = withUnsafeBytes(of: later.uuid) { Array($0) }
        #expect(a.lexicographicallyPrecedes(b))
        #expect(Set((0..<1000).map { _ in UUID.timeOrdered() }).count == 1000)
    }
}

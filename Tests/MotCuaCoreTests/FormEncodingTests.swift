import Foundation
import Testing

@testable import MotCuaCore

/// Query strings as browsers and VNPay write them, read by the lookup and the VNPay return and IPN.
@Suite struct FormEncodingTests {
    @Test func pairsAreDecodedInOrder() throws {
        let pairs = try #require(
            FormEncoding.pairs("code=000.00.12.H28-261207-0019&secret=+0760+&t%C3%AAn=Nguy%E1%BB%85n+V%C4%83n&x"))
        #expect(pairs.map(\.name) == ["code", "secret", "tên", "x"])
        #expect(pairs.map(\.value) == ["000.00.12.H28-261207-0019", " 0760 ", "Nguyễn Văn", ""])
        #expect(FormEncoding.pairs(nil)?.isEmpty == true)
        #expect(FormEncoding.pairs("&&a=1&&")?.map(\.value) == ["1"])
        // Only the first `=` splits: a value may hold more.
        #expect(FormEncoding.pairs("a=b=c")?.first?.value == "b=c")
        #expect(FormEncoding.pairs("a=%2B%26%3D")?.first?.value == "+&=")
    }

    @Test(arguments: ["a=%", "a=%4", "a=%G0", "%zz=1", "a=%FF", "a=%C3", "a=%ED%A0%80"])
    func malformedOrNonUTF8IsRefused(query: String) {
        #expect(FormEncoding.pairs(query) == nil)
        #expect(FormEncoding.parameters(query) { _ in true } == nil)
    }

    @Test func aNameGivenTwiceIsRefusedOnlyAmongThoseAskedFor() {
        #expect(FormEncoding.parameters("code=A&code=B") { $0 == "code" } == nil)
        #expect(FormEncoding.parameters("x=1&x=2&code=A") { $0 == "code" } == ["code": "A"])
        #expect(FormEncoding.parameters("vnp_A=1&other=2") { $0.hasPrefix("vnp_") } == ["vnp_A": "1"])
    }

    @Test func encodedKeepsOnlyUnreservedCharacters() {
        #expect(FormEncoding.encoded("000.00.12.H28-261207-0019") == "000.00.12.H28-261207-0019")
        #expect(FormEncoding.encoded("a b&c=d+e/f?g#h%_~") == "a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25_~")
        #expect(FormEncoding.encoded("Đơn \"x\".pdf") == "%C4%90%C6%A1n%20%22x%22.pdf")
    }

    /// Whatever is encoded reads back the same, through a query string with other pairs around it.
    @Test func encodedTextReadsBack() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aZ09 -._~+&=%#?/\\\"'<>ẮằỄệƯơĐđ\u{0}\u{7F}\u{1F600}\r\n\t")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement()! })
            let query = "a=1&v=" + FormEncoding.encoded(text) + "&b=2"
            let parameters = try #require(FormEncoding.parameters(query) { _ in true })
            #expect(parameters == ["a": "1", "v": text, "b": "2"], "\(text.debugDescription)")
        }
    }
}

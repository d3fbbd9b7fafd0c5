import Foundation
import Testing
@testable import MotCuaCore

/// The log's hashes are computed over JSONText's output, so its escaping must never change.
@Suite struct JSONTextTests {
    @Test func escapingIsFixed() {
        #expect(JSONText.quote("Nguyễn Văn Ánh") == "\"Nguyễn Văn Ánh\"")
        #expect(JSONText.quote("a\"b\\c\nd\re\tf\u{01}g\u{1F}h ẩ/") == #""a\"b\\c\nd\re\tf\u0001g\u001fh ẩ/""#)
        #expect(JSONText.array(["1", "", "x\"y"]) == #"["1","","x\"y"]"#)
        #expect(JSONText.object([("field", "code"), ("new", nil)]) == #"{"field":"code","new":null}"#)
    }

    /// Whatever the text, the literal reads back as the same string.
    @Test func roundTripsEveryControlCharacterAndVietnamese() throws {
        var text = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined()
        text += "Tiếp nhận hồ sơ – “Trình lãnh đạo ký duyệt” 😀"
        let decoded = try JSONSerialization.jsonObject(with: Data(JSONText.array([text]).utf8)) as? [String]
        #expect(decoded == [text])
    }
}

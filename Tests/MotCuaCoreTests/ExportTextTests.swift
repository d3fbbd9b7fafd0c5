import Foundation
import Testing
@testable import MotCuaCore

/// Text as it leaves the system (CSV cells, XML) and as it enters it (forms, schedule files): what
/// the second attacker used (issue 19).
@Suite struct ExportTextTests {
    @Test(arguments: ["=HYPERLINK(\"http://evil.example/\",\"Xem ho so\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''@y"])
    func formulaLikeTextGetsAQuoteAndComesBack(text: String) {
        let cell = CSV.textCell(text)
        #expect(cell == "'" + text)
        #expect(CSV.fromTextCell(cell) == text)
    }

    @Test(arguments: ["Nguyễn Văn Ánh", "", "'quoted", "a=b", "12/01/2026", "Sở Tư pháp"])
    func plainTextIsUnchanged(text: String) {
        #expect(CSV.textCell(text) == text)
        #expect(CSV.fromTextCell(text) == text)
    }

    /// Found by scripts/fuzz: a field holding CRLF (a multi-line address) was written unquoted,
    /// since "\r\n" is a single Character, and its row broke in two.
    @Test func aFieldWithALineBreakIsQuotedAndReadBackWhole() throws {
        for field in ["Số 12\r\nphường I", "n\r\n=6\u{4}", "a\rb", "a\nb", "x,y"] {
            let line = ["KQ-1", CSV.quote(CSV.textCell(field))].joined(separator: ",") + "\r\n"
            let back = try CSV.parse(line)
            #expect(back.count == 1 && back.first?.fields.map(CSV.fromTextCell) == ["KQ-1", field], "\(field.debugDescription)")
        }
        // The fuzzer's input itself.
        let found = String(decoding: [0xcb, 0x32, 0x00, 0x00, 0x5d, 0x5d, 0x5d, 0x5d, 0x00, 0x00, 0x5d, 0x5d, 0x5d, 0x5d, 0xce, 0x60,
                                      0xce, 0x2c, 0x22, 0x6e, 0x0d, 0x0a, 0x3d, 0x36, 0x93, 0x04, 0x22] as [UInt8], as: UTF8.self)
        let records = try CSV.parse(found)
        for record in records {
            let again = try CSV.parse(record.fields.map { CSV.quote(CSV.textCell($0)) }.joined(separator: ",") + "\n")
            #expect(again.first?.fields.map(CSV.fromTextCell) == record.fields)
        }
    }

    @Test func aScheduleExportedAndImportedKeepsAFormulaLikeDescription() throws {
        let entry = ScheduleEntry(date: LocalDate(year: 2031, month: 3, day: 3)!, kind: .dayOff, description: "=1+1 nghỉ")
        let csv = ScheduleFile.encode([entry], as: .csv)
        #expect(csv.contains("'=1+1 nghỉ"))
        #expect(try ScheduleFile.decode(csv, as: .csv).first?.entries.first?.description == "=1+1 nghỉ")
    }

    @Test func nonCharactersAreNotCleanText() {
        for bad in ["Nguyễn Văn \(nonCharacter(0xFFFE)) Bình", "a\(nonCharacter(0xFFFF))", "\(nonCharacter(0xFDD0))", "x\(nonCharacter(0x1FFFE))", "\(nonCharacter(0x10FFFF))", "\u{0}"] {
            #expect(!TextInput.isClean(bad), "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(TextInput.isClean("Nguyễn Văn Bình \u{FFFD} 😀 \u{E000}"))
    }

    @Test func xmlTextDropsWhatXMLForbids() {
        #expect(XMLText.escape("Nguyễn Văn \(nonCharacter(0xFFFE))\(nonCharacter(0xFFFF)) Bình") == "Nguyễn Văn  Bình")
        #expect(XMLText.escape("a<b & \"c\" 'd'\u{1}\t") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\t")
        #expect(XMLText.escape("Sở Tư pháp") == "Sở Tư pháp")
    }

    /// 5,000 nested brackets once overflowed the stack of a recursive reader (the server and
    /// `motcua calendar import` died); now a refusal with the reason and the line.
    @Test func deeplyNestedScheduleFilesAreRefused() {
        let nested = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        for text in [nested, "[\n  {\"date\": [[[[[[[[[[\"x\"]]]]]]]]]], \"kind\": \"day_off\", \"description\": \"\"}\n]"] {
            do {
                _ = try ScheduleFile.decode(text, as: .json)
                Issue.record("accepted")
            } catch {
                guard case .malformedFile(let line, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(reason.contains("lồng nhau quá sâu") && line >= 1)
            }
        }
        // Strings may hold brackets; escaped quotes do not end them.
        let fine = "[{\"date\": \"2031-01-01\", \"kind\": \"day_off\", \"description\": \"[[[[[[[[[[[[ \\\" ]]\"}]"
        #expect(try! ScheduleFile.decode(fine, as: .json).first?.entries.first?.description == "[[[[[[[[[[[[ \" ]]")
    }
}

/// A Unicode non-character (U+FFFE, U+FFFF, ...), which a Swift literal may not spell.
func nonCharacter(_ value: UInt32) -> String { String(Unicode.Scalar(value)!) }

import Foundation
import MotCuaTestSupport
import Testing

/// The shape the sources keep (`../shared/docs/STYLE.md`, issue 20): lines of at most 120
/// characters (`.swift-format` formats to that; a long message is a multi-line string), a page's
/// file at most about 300 lines (split into handler, query and view model beyond that), and one
/// template per printed form for both circulars.
@Suite struct SourceShapeTests {
    let root = MotcuaProcess.checkout

    func files(under folder: String, ending suffix: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let all = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        return all.filter { $0.path.hasSuffix(suffix) }.sorted { $0.path < $1.path }
    }

    @Test func everySourceLineFitsIn120Characters() throws {
        let sources = files(under: "Sources", ending: ".swift")
        #expect(sources.count > 100)
        var long: [String] = []
        for file in sources {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.count > 120 {
                long.append("\(file.path.dropFirst(root.path.count + 1)):\(i + 1) (\(line.count))")
            }
        }
        #expect(long.isEmpty, "\(long.count) lines over 120 characters: \(long.prefix(20).joined(separator: ", "))")
    }

    @Test func noFeatureFileIsLongerThanAboutThreeHundredLines() throws {
        let pages = files(under: "Sources/MotCuaServer/Features", ending: ".swift")
        #expect(pages.count > 40)
        for file in pages {
            let count = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n").count
            #expect(count <= 340, "\(file.lastPathComponent): \(count) lines")
        }
    }

    @Test func eachPrintedFormHasOneTemplateForBothCirculars() throws {
        let forms = root.appendingPathComponent("Resources/Views/Forms")
        let names = try FileManager.default.contentsOfDirectory(atPath: forms.path).sorted()
        #expect(names == [
            "_page.leaf", "apology.leaf", "control-slip.leaf", "log-book.leaf", "receipt.leaf", "refusal.leaf",
            "stop-notice.leaf", "supplement-request.leaf",
        ])
    }
}

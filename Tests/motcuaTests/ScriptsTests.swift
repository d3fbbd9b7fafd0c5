import Foundation
import MotCuaTestSupport
import Testing

/// The README's two commands install what the build needs on a fresh machine: every system library
/// of Package.swift (`providers: [.apt([...])]`) is installed by both `scripts/serve` and
/// `scripts/test` (once only the test script installed libqrencode-dev, so the first command failed
/// after ten minutes of building, and CI, which runs the tests first, could not see it).
@Suite struct ScriptsTests {
    let root = MotcuaProcess.checkout

    func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    @Test func bothCommandsInstallEverySystemLibraryOfThePackage() throws {
        let manifest = try text("Package.swift")
        let providers = manifest.components(separatedBy: ".apt([").dropFirst().flatMap { part in
            part.prefix { $0 != "]" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        #expect(providers.contains("libqrencode-dev"))
        let listed = try MotcuaProcess.run(program: URL(fileURLWithPath: "/bin/bash"),
                                           ["-c", "source scripts/system-packages && motcua_build_packages"], in: root)
        #expect(listed.status == 0, "\(listed.err)")
        #expect(Set(listed.out.split(separator: "\n").map(String.init)) == Set(providers))
        for script in ["scripts/serve", "scripts/test"] {
            let body = try text(script)
            #expect(body.contains("source scripts/system-packages"), "\(script)")
            #expect(body.contains("motcua_install $(motcua_build_packages)"), "\(script) installs the build's packages")
        }
        // The server's own run-time packages are installed by the first command too.
        #expect(try text("scripts/serve").contains("motcua_install $motcua_serve_packages"))
        // The README's two commands are exactly these.
        let readme = try text("README.md")
        #expect(readme.contains("scripts/serve               #") && readme.contains("scripts/test                #"))
    }
}

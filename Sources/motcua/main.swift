import ArgumentParser
import Foundation
import MotCuaServer
import NIOCore
import NIOPosix

/// `motcua`: the command line of MotCua. Usage errors and invalid input exit with code 2;
/// a command that finds a problem (e.g. a broken log chain) exits with its own code.
struct Motcua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "MotCua: phần mềm một cửa điện tử và cổng dịch vụ công trực tuyến.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, VerifyLogCommand.self,
            VerifySignatureCommand.self, CACommand.self, FilesCommand.self, ReportsCommand.self, CalendarCommand.self,
            DeadlineCommand.self, BackupCommand.self, RestoreCommand.self, JobsCommand.self, MigrateToCommand.self,
        ]
    )
}

/// Runs the parsed command; in an async function so that async commands' `run() async` is chosen.
func runMotcua() async {
    do {
        var command = try Motcua.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch let code as ExitCode {
        exit(code.rawValue)
    } catch {
        if Motcua.exitCode(for: error) == .success {
            print(Motcua.fullMessage(for: error))
            exit(0)
        }
        FileHandle.standardError.write(Data((Motcua.fullMessage(for: error) + "\n").utf8))
        if let details = Launch.consoleDetails(of: error) {
            FileHandle.standardError.write(Data("Chi tiết: \(details)\n".utf8))
        }
        exit(2)
    }
}

// Swift concurrency runs on NIO's event loops instead of its own threads: a request's handler then
// resumes where its connection lives, without a thread hop at each await (measured on the lookup).
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
await runMotcua()

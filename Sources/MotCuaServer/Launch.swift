import Fluent
import Foundation
import Vapor

/// Builds a configured application for the command line and the tests.
public enum Launch {
    public static func application(settings: Settings, logLevel: Logger.Level = .notice) async throws -> Application {
        // Our own arguments, so that Vapor does not parse the command line it was not given.
        let env = Environment(name: "production", arguments: ["motcua"])
        let app = try await Application.make(env)
        app.logger.logLevel = logLevel
        do {
            try await configure(app, settings: settings)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Creates or updates the schema, then loads the stored working calendar.
    public static func migrate(_ app: Application) async throws {
        try await app.autoMigrate()
        app.motcua = MotCuaContext(settings: app.motcua.settings, calendar: try await app.loadCalendar())
    }

    /// Verifies every log chain; returns the report's lines and whether all chains are intact.
    public static func verifyLog(_ app: Application) async throws -> (lines: [String], ok: Bool) {
        let report = try await LogChain.verify(on: app.db)
        var lines = ["Đã kiểm tra \(report.dossiers) hồ sơ, \(report.entries) mục nhật ký."]
        for b in report.breaks.prefix(50) {
            lines.append("HỎNG: hồ sơ \(b.dossierCode), mục \(b.seq): \(b.reason)")
        }
        if report.breaks.count > 50 { lines.append("... và \(report.breaks.count - 50) hồ sơ hỏng khác.") }
        lines.append(report.breaks.isEmpty ? "Toàn bộ chuỗi nhật ký nguyên vẹn." : "Có \(report.breaks.count) hồ sơ có nhật ký bị sửa đổi.")
        return (lines, report.breaks.isEmpty)
    }
}

import Foundation
import MotCuaCore
import Vapor

/// One JSON object per line on standard error (MOTCUA_LOG_FORMAT=json), for a log collector:
/// the time, level, message, source and metadata, among them each request's `request-id`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": Self.time(Date()), "level": event.level.rawValue, "message": event.message.description,
            "source": event.source, "logger": label,
        ]
        if let error = event.error { fields["error"] = String(describing: error) }
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) where fields[key] == nil {
            fields[key] = value.description
        }
        guard
            var data = try? JSONSerialization.data(
                withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }

    static func time(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

extension Launch {
    /// MOTCUA_LOG_FORMAT=json: every log line of this process as JSON (the default is Vapor's text).
    public static func bootstrapLogging(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        switch environment["MOTCUA_LOG_FORMAT"] ?? "text" {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case let other:
            throw CalendarError.invalidDuration("MOTCUA_LOG_FORMAT=\"\(other)\" phải là text hoặc json")
        }
    }
}

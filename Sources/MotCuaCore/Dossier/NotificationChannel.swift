/// How an applicant is told of their dossier (issue 25, point 3): e-mail, a brand-name SMS, or a
/// Zalo ZNS template message. Each message of the outbox goes by one channel and is retried on its own.
public enum NotificationChannel: String, Sendable, Codable, CaseIterable, Hashable {
    case email, sms, zalo

    public var vietnameseName: String {
        switch self {
        case .email: "Thư điện tử"
        case .sms: "Tin nhắn SMS"
        case .zalo: "Zalo"
        }
    }

    /// The choice stored on an account ("sms,zalo"); e-mail is governed by its own opt-out.
    public static func parse(_ text: String?) -> Set<NotificationChannel> {
        guard let text else { return [.sms] }
        return Set(text.split(separator: ",").compactMap { NotificationChannel(rawValue: String($0)) }).subtracting([
            .email
        ])
    }

    public static func text(_ channels: Set<NotificationChannel>) -> String {
        channels.subtracting([.email]).map(\.rawValue).sorted().joined(separator: ",")
    }
}

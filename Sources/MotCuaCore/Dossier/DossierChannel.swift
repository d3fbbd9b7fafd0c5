/// How a dossier reached the agency (kênh).
public enum DossierChannel: String, Sendable, Codable, CaseIterable, Hashable {
    case direct  // trực tiếp, at the counter
    case online  // trực tuyến, through the portal
    case postal  // bưu chính công ích

    public var vietnameseName: String {
        switch self {
        case .direct: "Trực tiếp"
        case .online: "Trực tuyến"
        case .postal: "Bưu chính công ích"
        }
    }
}

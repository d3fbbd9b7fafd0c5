import Foundation

/// Reception regardless of administrative boundary (Nghị định 118/2025/NĐ-CP, in force 1 July 2025):
/// the province's public administration service centre and every commune's centre receive a dossier
/// of a procedure of any agency within the province, and forward it to the competent agency. The
/// receiving centre counts it among its receptions; the competent agency resolves it and counts it
/// in resolution.
public enum ReceptionBoundary {
    /// The day the decree took effect: before it, a desk received only its own agency's procedures.
    public static let inForceFrom = LocalDate(year: 2025, month: 7, day: 1)!

    /// The log entry written after the reception when a centre received for another agency.
    public static let forwardAction = "forward"
    public static let forwardName = "Chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết"

    public enum Decision: Equatable, Sendable {
        /// The desk's own agency is competent: an ordinary reception.
        case own
        /// A centre receives for another agency and forwards the dossier to it.
        case forwarded
        /// This desk may not receive the procedure; the reason, in Vietnamese.
        case refused(String)
    }

    /// Whether a desk of `receiving` (of kind `kind`) may receive, on `day`, a procedure of `competent`.
    public static func decide(
        receiving: UUID, kind: AgencyKind, competent: UUID, competentName: String, on day: LocalDate
    ) -> Decision {
        if receiving == competent { return .own }
        guard receivesForOthers(kind) else {
            return .refused(
                """
                Thủ tục thuộc thẩm quyền của \(competentName): chỉ Trung tâm Phục vụ hành chính công và bộ phận \
                một cửa cấp xã tiếp nhận hồ sơ không phụ thuộc địa giới hành chính.
                """)
        }
        guard day >= inForceFrom else {
            return .refused(
                """
                Trước ngày \(inForceFrom.vietnamese), hồ sơ của \(competentName) chỉ được tiếp nhận tại cơ quan đó \
                (tiếp nhận không phụ thuộc địa giới hành chính áp dụng từ ngày Nghị định 118/2025/NĐ-CP có hiệu lực).
                """)
        }
        return .forwarded
    }

    /// The centres that receive for every agency of the province: the provincial centre and the communes'.
    public static func receivesForOthers(_ kind: AgencyKind) -> Bool {
        kind == .serviceCentre || kind == .commune
    }

    /// What the forwarding log entry says.
    public static func forwardOpinion(receivedBy centre: String, competent: String) -> String {
        """
        Tiếp nhận tại \(centre) (không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP); \
        chuyển đến \(competent) để giải quyết.
        """
    }
}

/// The scores of the agency evaluation of Thông tư 01/2018/TT-VPCP (DOMAIN.md section 10) that a
/// dossier gives, 2 / 1 / 0 each, and the band of a total out of 18. The server averages them over
/// the dossiers an agency resolved in a period.
public enum AgencyEvaluationScores {
    /// Indicators 1 and 2, the time taken: early 2, on time 1, late 0 (a withdrawal is not scored).
    public static func time(_ resolution: Resolution) -> Int? {
        switch resolution {
        case .early: 2
        case .onTime: 1
        case .late: 0
        case .withdrawn: nil
        }
    }

    /// Indicator 3, the times the applicant had to come back to complete the dossier: the clock's
    /// supplementation rounds, none 2, one 1, more 0.
    public static func returns(supplementRounds: Int) -> Int {
        supplementRounds <= 0 ? 2 : supplementRounds == 1 ? 1 : 0
    }

    /// Xuất sắc above 15, Tốt 12-15, Khá 9-12, Trung bình 6-9, Yếu below 6 (a boundary goes to the
    /// higher band).
    public static func band(_ total: Double) -> String {
        switch total {
        case let t where t > 15: "Xuất sắc"
        case 12...: "Tốt"
        case 9..<12: "Khá"
        case 6..<9: "Trung bình"
        default: "Yếu"
        }
    }
}

import Foundation

/// The questions an applicant answers beside the overall satisfaction (DOMAIN.md section 10):
/// convenience and the officers' attitude, each with three answers, and a comment. The overall
/// answer is the dossier's rating (counted by the reports); the rest is written in the log as the
/// rating's opinion, in words.
public enum SatisfactionSurvey {
    public enum Question: String, Sendable, CaseIterable {
        case convenience, attitude

        public var text: String {
            switch self {
            case .convenience: "Thủ tục, cách thức nộp hồ sơ và nhận kết quả có thuận tiện không?"
            case .attitude: "Thái độ, tác phong của cán bộ, công chức khi hướng dẫn, tiếp nhận và giải quyết hồ sơ"
            }
        }

        /// The answers, best first; the stored value is the answer's position from 1.
        public var answers: [String] {
            switch self {
            case .convenience: ["Thuận tiện", "Bình thường", "Không thuận tiện"]
            case .attitude: ["Tận tình, chu đáo", "Bình thường", "Chưa tốt"]
            }
        }

        /// The short name written before the answer in the log.
        public var label: String {
            switch self {
            case .convenience: "Sự thuận tiện"
            case .attitude: "Thái độ của cán bộ"
            }
        }
    }

    public static let commentLimit = 1_000

    public enum Problem: Error, Equatable, Sendable {
        case missingAnswer(Question)
        case commentTooLong
    }

    /// The rating's opinion as the log keeps it: "Sự thuận tiện: Thuận tiện. Thái độ của cán bộ:
    /// Tận tình, chu đáo. Ý kiến: ...". `answers` holds each question's chosen position (1-based).
    public static func opinion(answers: [Question: Int], comment: String) throws(Problem) -> String {
        var parts: [String] = []
        for question in Question.allCases {
            guard let position = answers[question], question.answers.indices.contains(position - 1) else {
                throw .missingAnswer(question)
            }
            parts.append("\(question.label): \(question.answers[position - 1]).")
        }
        let trimmed = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= commentLimit else { throw .commentTooLong }
        if !trimmed.isEmpty { parts.append("Ý kiến: \(trimmed)") }
        return parts.joined(separator: " ")
    }
}

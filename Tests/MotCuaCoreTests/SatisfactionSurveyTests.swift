import Foundation
import Testing
@testable import MotCuaCore

/// The rating's questions (DOMAIN.md section 10) written in words in the log.
@Suite struct SatisfactionSurveyTests {
    @Test func everyAnswerOfEveryQuestionIsWrittenInWords() throws {
        for c in 1...3 {
            for a in 1...3 {
                let text = try SatisfactionSurvey.opinion(answers: [.convenience: c, .attitude: a], comment: "")
                #expect(text == "Sự thuận tiện: \(SatisfactionSurvey.Question.convenience.answers[c - 1]). "
                    + "Thái độ của cán bộ: \(SatisfactionSurvey.Question.attitude.answers[a - 1]).")
            }
        }
        let commented = try SatisfactionSurvey.opinion(answers: [.convenience: 1, .attitude: 1], comment: "  Cán bộ hướng dẫn rõ ràng.\n")
        #expect(commented.hasSuffix(" Ý kiến: Cán bộ hướng dẫn rõ ràng."))
    }

    @Test func aMissingOrUnknownAnswerAndALongCommentAreRefused() {
        #expect(throws: SatisfactionSurvey.Problem.missingAnswer(.attitude)) {
            try SatisfactionSurvey.opinion(answers: [.convenience: 1], comment: "")
        }
        #expect(throws: SatisfactionSurvey.Problem.missingAnswer(.convenience)) {
            try SatisfactionSurvey.opinion(answers: [.convenience: 4, .attitude: 1], comment: "")
        }
        #expect(throws: SatisfactionSurvey.Problem.missingAnswer(.convenience)) {
            try SatisfactionSurvey.opinion(answers: [.convenience: 0, .attitude: 1], comment: "")
        }
        #expect(throws: SatisfactionSurvey.Problem.commentTooLong) {
            try SatisfactionSurvey.opinion(answers: [.convenience: 1, .attitude: 1], comment: String(repeating: "á", count: 1_001))
        }
        #expect((try? SatisfactionSurvey.opinion(answers: [.convenience: 1, .attitude: 1], comment: String(repeating: "á", count: 1_000))) != nil)
    }
}

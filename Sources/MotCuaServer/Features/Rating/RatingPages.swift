import Foundation
import MotCuaCore
import Vapor

/// "Đánh giá mức độ hài lòng" on the portal (DOMAIN.md section 10): the applicant, with the
/// dossier's code and lookup secret (typed, or from the receipt's QR code through the lookup),
/// rates a returned dossier once: the overall satisfaction (the dossier's rating, counted by the
/// reports), convenience and the officers' attitude, and a comment (written in the log in words).
struct RatingPages {
    struct Choice: Encodable {
        let value: String
        let label: String
        let checked: Bool
    }

    struct Question: Encodable {
        let name: String
        let text: String
        let choices: [Choice]
    }

    struct Context: Encodable {
        let layout: PageLayout
        let code: String
        let secret: String
        let version: Int
        let dossierCode: String
        let procedureName: String
        let given: String?
        let notReturned: Bool
        let thanks: Bool
        let error: String?
        let overall: [Choice]
        let questions: [Question]
        let comment: String
    }

    struct Form: Content {
        var code: String
        var secret: String
        var version: Int?
        var overall: String?
        var convenience: Int?
        var attitude: Int?
        var comment: String?
    }

    func show(req: Request) async throws -> Response {
        let address = try LookupAddress.of(req)
        let code = address.code ?? "", secret = address.secret ?? ""
        let found = try await LookupQuery.run(code: code, secret: secret, req: req)
        return try await render(req, found, code: code, secret: secret, form: nil)
    }

    func submit(req: Request) async throws -> Response {
        guard let form = try? req.content.decode(Form.self) else {
            throw ServiceError(.unprocessableEntity, "Thiếu mã hồ sơ hoặc mã tra cứu.")
        }
        let found = try await LookupQuery.run(code: form.code, secret: form.secret, req: req)
        do {
            guard let overall = form.overall.flatMap(Satisfaction.init(rawValue:)) else {
                throw ServiceError(.unprocessableEntity, "Chọn mức độ hài lòng chung.")
            }
            try TextInput.require(
                form.comment ?? "", label: "Ý kiến", multiline: true, maxLength: SatisfactionSurvey.commentLimit)
            let opinion: String
            do {
                opinion = try SatisfactionSurvey.opinion(
                    answers: [.convenience: form.convenience ?? 0, .attitude: form.attitude ?? 0],
                    comment: form.comment ?? "")
            } catch .missingAnswer(let question) {
                throw ServiceError(.unprocessableEntity, "Chọn câu trả lời cho câu hỏi “\(question.text)”.")
            } catch .commentTooLong {
                throw ServiceError(.unprocessableEntity, "Ý kiến dài tối đa \(SatisfactionSurvey.commentLimit) ký tự.")
            }
            _ = try await req.motcua.dossiers.perform(
                .rate, code: found.code, inputs: ActionInputs(opinion: opinion, rating: overall),
                expectedVersion: form.version ?? found.version,
                actor: .applicant(named: found.applicantName, agency: found.agencyID), at: Date(), on: req.db)
        } catch let error as ServiceError {
            let response = try await render(req, found, code: form.code, secret: form.secret, form: form, error: error)
            response.status = error.status
            return response
        }
        let rated = try await LookupQuery.run(code: form.code, secret: form.secret, req: req)
        return try await render(req, rated, code: form.code, secret: form.secret, form: nil, thanks: true)
    }

    private func render(
        _ req: Request, _ found: LookupResult, code: String, secret: String, form: Form?, error: ServiceError? = nil,
        thanks: Bool = false
    ) async throws -> Response {
        let overall = Satisfaction.allCases.map {
            Choice(value: $0.rawValue, label: $0.vietnameseName, checked: form?.overall == $0.rawValue)
        }
        let chosen: [SatisfactionSurvey.Question: Int?] = [.convenience: form?.convenience, .attitude: form?.attitude]
        let questions = SatisfactionSurvey.Question.allCases.map { q in
            Question(
                name: q.rawValue, text: q.text,
                choices: q.answers.enumerated().map { i, answer in
                    Choice(value: String(i + 1), label: answer, checked: chosen[q] == i + 1)
                })
        }
        let given = found.rating.map { r in
            r.vietnameseName + (found.ratedAt.map { ", ngày " + PageTime.date($0) } ?? "")
        }
        return try await req.view.render(
            "Rating/rating",
            Context(
                layout: PageLayout("Đánh giá mức độ hài lòng", req), code: code, secret: secret, version: found.version,
                dossierCode: found.code, procedureName: found.procedureName, given: given,
                notReturned: found.status != .returned, thanks: thanks, error: error?.reason, overall: overall,
                questions: questions, comment: form?.comment ?? "")
        ).encodeResponse(for: req)
    }
}

import Fluent
import Foundation
import MotCuaCore
import Vapor

/// Three dossiers of Sở Tư pháp. Two whose due dates "Vì sao hạn xử lý là ngày này?" explains in the
/// README: one received before Tết 2026 and asked twice to supplement, one received at the counter on
/// a Friday evening; and one received at phường Vị Thanh's centre and forwarded (Nghị định 118/2025).
/// Received and acted on through the services at fixed past instants, like a desk's day; loaded by
/// `motcua serve` and `motcua demo` once the instants are past.
extension DemoLoader {
    public static func showcase(_ app: Application, now: Date = Date()) async throws {
        guard now > VietnamTime.parseISO("2026-04-01T00:00:00+07:00")! else { return }
        let service = app.motcua.dossiers
        func actor(_ username: String) async throws -> (Actor, UserModel) {
            guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first() else {
                throw ServiceError(.internalServerError, "Thiếu tài khoản mẫu \(username).")
            }
            return (Actor(user: user), user)
        }
        let (desk, _) = try await actor("stp.tiepnhan")
        let (head, _) = try await actor("stp.hctp.truongphong")
        let (officer, officerUser) = try await actor("stp.hctp.cv1")
        let (leader, _) = try await actor("stp.lanhdao")
        func request(_ name: String, _ idNumber: String) -> DossierService.NewDossier {
            DossierService.NewDossier(
                procedureCode: "1.001978.000.00.00.H28", channel: .direct,
                applicant: .init(
                    kind: "person", name: name, idNumber: idNumber, birthDate: "1988-04-12",
                    address: "Số 25, đường Trần Hưng Đạo, phường Vị Thanh", phone: "0912345001", email: nil),
                representative: nil, contentSummary: nil, resultDelivery: nil,
                components: [.init(position: 1, count: 1), .init(position: 2, count: 1)])
        }
        func at(_ iso: String) -> Date { VietnamTime.parseISO(iso + "+07:00")! }

        let tet = try await service.create(
            request("Lâm Thị Xuân", "092188004512"), actor: desk, at: at("2026-02-10T09:00:00"), on: app.db)
        var version = tet.version
        for (action, by, time, inputs) in [
            (Action.handOver, desk, "2026-02-10T10:00:00", ActionInputs()),
            (.assign, head, "2026-02-10T11:00:00", ActionInputs(officer: officerUser.id)),
            (.requestSupplement, officer, "2026-02-11T10:00:00", ActionInputs(reason: "Thiếu bản sao căn cước")),
            (.supplement, desk, "2026-02-24T09:00:00", ActionInputs()),
            (.requestSupplement, officer, "2026-02-26T14:00:00", ActionInputs(reason: "Tờ khai chưa ghi nơi cư trú")),
            (.supplement, desk, "2026-03-02T08:30:00", ActionInputs()),
            (
                .propose, officer, "2026-03-03T09:00:00",
                ActionInputs(opinion: "Đề nghị từ chối", reason: "Không đủ điều kiện cấp phiếu", proposal: .refuse)
            ),
            (.submitForSignature, head, "2026-03-03T14:00:00", ActionInputs(opinion: "Kính trình lãnh đạo")),
            (.refuse, leader, "2026-03-04T09:00:00", ActionInputs(reason: "Không đủ điều kiện cấp phiếu")),
        ] {
            version = try await service.perform(
                action, code: tet.code, inputs: inputs, expectedVersion: version, actor: by, at: at(time), on: app.db
            ).version
        }
        // The desk finishing its queue after closing time on a Friday; withdrawn by the applicant later.
        let friday = try await service.create(
            request("Đặng Văn Phúc", "092190007731"), actor: desk, at: at("2026-03-06T17:40:00"), on: app.db)
        _ = try await service.perform(
            .withdraw, code: friday.code, inputs: ActionInputs(reason: "Công dân có đơn xin rút hồ sơ"),
            expectedVersion: friday.version, actor: desk, at: at("2026-03-09T08:00:00"), on: app.db)
        // Received at a ward's centre for Sở Tư pháp (Nghị định 118/2025), forwarded, then handed over.
        let (ward, _) = try await actor("vithanh.tiepnhan")
        let forwarded = try await service.create(
            request("Huỳnh Thị Mai", "092195006620"), actor: ward, at: at("2026-03-10T09:15:00"), on: app.db)
        let handedOver = try await service.perform(
            .handOver, code: forwarded.code, inputs: ActionInputs(), expectedVersion: forwarded.version, actor: desk,
            at: at("2026-03-10T14:00:00"), on: app.db)
        _ = try await service.perform(
            .assign, code: forwarded.code, inputs: ActionInputs(officer: officerUser.id),
            expectedVersion: handedOver.version, actor: head, at: at("2026-03-11T08:00:00"), on: app.db)
    }
}

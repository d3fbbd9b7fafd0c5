/// "Hồ sơ chờ xử lý": the states in which a dossier waits for someone of a role, derived from the
/// action table: a state waits for a role when the role has an action there that moves the dossier
/// on (not a side action: an apology, a withdrawal, a new officer, a file, a rating).
public enum WorkQueue {
    static let sideActions: Set<Action> = [.apologise, .withdraw, .reassign, .uploadFile, .rate, .dispatchResult]

    public static func states(for role: Role) -> [DossierState] { byRole[role]! }

    /// The reception desk's queues, one menu entry each, in the order of the work: what waits for
    /// the desk is of several kinds, and "Hồ sơ chờ tiếp nhận" means only the online submissions to
    /// accept. Together they are the desk's whole queue (`states(for: .reception)`).
    public static let desk: [(name: String, status: Status)] = [
        ("Hồ sơ chờ tiếp nhận", .submitted), ("Hồ sơ chờ bàn giao", .received),
        ("Hồ sơ chờ bổ sung", .awaitingSupplement), ("Hồ sơ chờ thanh toán", .awaitingPayment),
        ("Hồ sơ chờ trả kết quả", .completed),
    ]

    /// Worked out once from the table.
    static let byRole: [Role: [DossierState]] = Dictionary(
        uniqueKeysWithValues: Role.allCases.map { role in
            (
                role,
                DossierState.all.filter { state in
                    // A paused dossier resumes to where it was: any plausible earlier state will do here.
                    let before =
                        state.status == .awaitingPayment
                        ? DossierState(.received) : DossierState(.processing, .inProgress)
                    return StateMachine.available(
                        from: state, actor: ActorContext(roles: [role], isAssignedOfficer: true),
                        stateBeforePause: before
                    )
                    .contains { !sideActions.contains($0) }
                }
            )
        })
}

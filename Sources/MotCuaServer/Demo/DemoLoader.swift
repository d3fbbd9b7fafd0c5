import Fluent
import Foundation
import SQLKit
import MotCuaCore
import Vapor

/// Loads the demo province: organisation, catalogue, users, and dossiers produced by running the
/// real actions through `DossierService`, so that codes, logs and deadlines are genuine.
public struct DemoLoader: Sendable {
    public static let password = "MotCua@2026"

    /// The person behind a demo citizen account, the same on each of their dossiers.
    static func person(of citizen: UserModel) -> DossierService.Applicant {
        let n = Int(citizen.username.filter(\.isNumber)) ?? 0
        return DossierService.Applicant(
            kind: "person", name: citizen.fullName, idNumber: "09219000" + String(format: "%04d", n),
            birthDate: "1985-0\(1 + n % 9)-1\(n % 9)",
            address: "Số \(n), đường Trần Hưng Đạo, phường Vị Thanh, thành phố Cần Thơ",
            phone: "0912" + String(format: "%06d", n), email: nil)
    }

    let db: any Database
    let context: MotCuaContext
    let passwordHash: String

    init(app: Application) throws {
        db = app.db
        context = app.motcua
        passwordHash = try app.password.hash(Self.password)
    }

    struct Staff: Sendable {
        var reception: [String: UserModel] = [:]  // agency slug -> reception
        var leader: [String: UserModel] = [:]  // agency slug -> leader
        var head: [String: UserModel] = [:]  // "agency.dept" -> head
        var officers: [String: [UserModel]] = [:]  // "agency.dept" -> officers
        var citizens: [UserModel] = []
    }

    /// The demo accounts, for the README and the start-up message.
    public static let accounts: [(username: String, role: String)] = [
        ("quantri", "Quản trị hệ thống (admin)"),
        ("lanhdaotinh", "Lãnh đạo thành phố - theo dõi toàn thành phố (monitor)"),
        ("stp.tiepnhan", "Cán bộ tiếp nhận, Sở Tư pháp (reception)"),
        ("stp.hctp.truongphong", "Lãnh đạo Phòng Hành chính tư pháp (head)"),
        ("stp.hctp.cv1", "Chuyên viên thụ lý, Phòng Hành chính tư pháp (officer)"),
        ("stp.lanhdao", "Lãnh đạo Sở Tư pháp (leader)"),
        ("stc.tiepnhan", "Cán bộ tiếp nhận, Sở Tài chính (reception)"),
        (
            "ttpvhcc.tiepnhan",
            "Trung tâm Phục vụ hành chính công thành phố: tiếp nhận hồ sơ của mọi cơ quan (reception)"
        ),
        ("vithanh.tiepnhan", "Trung tâm phục vụ hành chính công phường Vị Thanh (reception)"),
        ("vithanh.kt.truongphong", "Lãnh đạo Phòng Kinh tế, Hạ tầng và Đô thị phường Vị Thanh (head)"),
        ("vithanh.kt.cv1", "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị phường Vị Thanh (officer)"),
        ("vithanh.lanhdao", "Lãnh đạo UBND phường Vị Thanh (leader)"),
        ("hoaluu.tiepnhan", "Trung tâm phục vụ hành chính công xã Hỏa Lựu (reception)"),
        ("congdan1", "Công dân (citizen)"),
    ]

    /// Whether the database has no agencies yet.
    public static func isEmpty(_ app: Application) async throws -> Bool {
        try await AgencyModel.query(on: app.db).count() == 0
    }

    public static func load(
        _ app: Application, dossiers: Int, seed: UInt64 = 2026, now: Date = Date(),
        progress: @escaping @Sendable (Int, Int, Double) -> Void = { _, _, _ in }
    ) async throws {
        let loader = try DemoLoader(app: app)
        var rng = SplitMix64(seed: seed)
        let staff = try await loader.organisation(rng: &rng)
        try await DemoSigning.prepare(app, now: now)
        try await loader.dossiers(count: dossiers, staff: staff, now: now, seed: seed, progress: progress)
    }

    func person(_ rng: inout SplitMix64) -> String {
        let c = DemoCatalogue.self
        return
            """
            \(c.familyNames.randomElement(using: &rng)!) \(c.middleNames.randomElement(using: &rng)!) \
            \(c.givenNames.randomElement(using: &rng)!)
            """
    }

    func organisation(rng: inout SplitMix64) async throws -> Staff {
        var agencyIDs: [String: UUID] = [:]
        var departmentIDs: [String: UUID] = [:]
        var staff = Staff()
        var models: [String: AgencyModel] = [:]
        for a in DemoCatalogue.agencies {
            let model = AgencyModel(
                id: UUID(), code: a.code, name: a.name, kind: a.kind, parentID: a.parent.flatMap { agencyIDs[$0] },
                effectiveFrom: a.effectiveFrom)
            try await model.create(on: db)
            agencyIDs[a.slug] = model.id
            models[a.slug] = model
            for d in a.departments {
                let dep = DepartmentModel(id: UUID(), agencyID: model.id!, name: d.name)
                try await dep.create(on: db)
                departmentIDs["\(a.slug).\(d.slug)"] = dep.id
            }
        }
        func user(
            _ username: String, _ roles: Set<Role>, agency: String?, department: String? = nil, disabled: Date? = nil
        ) async throws -> UserModel {
            let u = UserModel(
                id: UUID(), username: username, passwordHash: passwordHash, fullName: person(&rng), roles: roles,
                agencyID: agency.flatMap { agencyIDs[$0] }, departmentID: department.flatMap { departmentIDs[$0] })
            u.disabledAt = disabled
            try await u.create(on: db)
            return u
        }
        let admin = try await user("quantri", [.admin], agency: "ubndtinh")
        _ = try await user("lanhdaotinh", [.monitor], agency: "ubndtinh")
        // The closed agencies' staff are those who acted on their dossiers; their accounts closed with them.
        let handledBefore = Set(DemoCatalogue.procedures.flatMap { $0.before.map(\.agency) })
        let handledBy = Set(
            DemoCatalogue.procedures.flatMap { p in
                ["\(p.agency).\(p.department)"] + p.before.map { "\($0.agency).\($0.department)" }
            })
        for a in DemoCatalogue.agencies where a.kind != .province && (a.closed == nil || handledBefore.contains(a.slug))
        {
            let disabled = a.closed.flatMap { LocalDate(iso: $0.from) }.map { VietnamTime.instant($0, secondOfDay: 0) }
            staff.reception[a.slug] = try await user(
                "\(a.slug).tiepnhan", [.reception], agency: a.slug, disabled: disabled)
            staff.leader[a.slug] = try await user("\(a.slug).lanhdao", [.leader], agency: a.slug, disabled: disabled)
            for d in a.departments where handledBy.contains("\(a.slug).\(d.slug)") {
                let key = "\(a.slug).\(d.slug)"
                staff.head[key] = try await user(
                    "\(key).truongphong", [.head], agency: a.slug, department: key, disabled: disabled)
                staff.officers[key] = [
                    try await user("\(key).cv1", [.officer], agency: a.slug, department: key, disabled: disabled),
                    try await user("\(key).cv2", [.officer], agency: a.slug, department: key, disabled: disabled),
                ]
            }
        }
        for i in 1...10 { staff.citizens.append(try await user("congdan\(i)", [.citizen], agency: nil)) }
        // The history, written as the administrator writes it on the agency merger page.
        for a in DemoCatalogue.agencies {
            guard let (from, successor) = a.closed, let day = LocalDate(iso: from) else { continue }
            try await models[a.slug]!.close(
                from: day, into: models[successor], actor: Actor(user: admin),
                at: VietnamTime.instant(day, secondOfDay: 7 * 3600), on: db)
        }

        var fieldIDs: [String: UUID] = [:]
        for f in DemoCatalogue.fields {
            let model = FieldModel(id: UUID(), code: f.code, name: f.name)
            try await model.create(on: db)
            fieldIDs[f.code] = model.id
        }
        for p in DemoCatalogue.procedures {
            let days = p.unit == .workingHours ? p.amount / 8 : p.amount
            var steps = ProcedureTerms.defaultSteps(totalDays: days)
            if p.unit == .workingHours { steps = steps.map { ProcessStep(name: $0.name, share: $0.share * 8) } }
            let terms = ProcedureTerms(
                code: p.code, name: p.name, timeAmount: p.amount, timeUnit: p.unit, feeVND: p.fee,
                feeTiming: p.fee == 0 ? .exempt : .before, onlineLevel: p.online, components: p.components,
                steps: steps, resultType: p.result, declaration: DemoEForms.form(forCode: p.code))
            try await ProcedureModel(
                id: UUID(), terms: terms, fieldID: fieldIDs[p.field]!, agencyID: agencyIDs[p.agency]!,
                departmentID: departmentIDs["\(p.agency).\(p.department)"]!
            ).create(on: db)
        }
        return staff
    }

    // MARK: Dossiers

    /// Rows decided in memory and written in large transactions: each dossier's life is run
    /// through `DossierService.plan` and `apply` (the same decisions as the API), only the writes
    /// are batched, so a million dossiers load in minutes.
    final class Batch: @unchecked Sendable {
        var dossiers: [DossierModel] = []
        var components: [DossierComponentModel] = []
        var log: [LogChain.Entry] = []
        var payments: [PaymentModel] = []

        func flush(on connection: any Database) async throws {
            guard !dossiers.isEmpty else { return }
            try await connection.transaction { tx in
                try await self.dossiers.insert(on: tx)
                try await self.components.insert(on: tx)
                try await self.log.insert(on: tx)
                if !self.payments.isEmpty { try await self.payments.create(on: tx) }
            }
        }
    }

    /// Into an empty database, loads without the secondary indexes of the loaded tables and builds
    /// them at the end: a million dossiers inserted one by one at random places in fourteen indexes
    /// cost more than building the indexes once. They are rebuilt even if the load fails, and
    /// `Launch.migrate` recreates any that are missing.
    static func withIndexesBuiltAfterwards<T: Sendable>(on db: any Database, _ body: () async throws -> T) async throws
        -> T
    {
        guard let sql = db as? any SQLDatabase, try await DossierModel.query(on: db).count() == 0 else {
            return try await body()
        }
        for index in SecondaryIndex.bulkLoaded { try await index.drop(on: sql) }
        try await NameSearchIndex.drop(on: sql)
        return try await withCleanup(body) {
            for index in SecondaryIndex.bulkLoaded { try await index.create(on: sql) }
            try await NameSearchIndex.create(on: sql)
            try await Launch.updatePlannerStatistics(on: sql, onlyIfMissing: false)
        }
    }

    /// Runs `body` on one connection kept for the whole load. On SQLite it gets a large page cache
    /// (the indexes of a large load outgrow the default 2 MB and every insert would read pages from
    /// disk), fewer and larger checkpoints, and no sync at each commit (a demo load that is cut short
    /// is simply started again); the server's settings are restored before the connection goes back
    /// to the pool.
    func withLoadingConnection<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws
        -> T
    {
        try await db.withConnection { connection in
            guard let sql = connection as? any SQLDatabase, sql.dialect.name == "sqlite" else {
                return try await body(connection)
            }
            func set(_ pragmas: [String]) async throws {
                for p in pragmas { try await sql.raw("PRAGMA \(unsafeRaw: p)").run() }
            }
            try await set(["cache_size = -262144", "synchronous = NORMAL", "wal_autocheckpoint = 50000"])
            return try await withCleanup({ try await body(connection) }) {
                try await set(["cache_size = -2000", "synchronous = FULL", "wal_autocheckpoint = 1000"])
            }
        }
    }

    /// Writes batches one after another: concurrent SQLite writers would only wait on each other.
    actor WriteGate {
        private var tail: Task<Void, any Error>?

        func write(_ batch: Batch, on db: any Database) async throws {
            let previous = tail
            let task = Task(priority: .high) {
                try await previous?.value
                try await batch.flush(on: db)
            }
            tail = task
            try await task.value
        }
    }

    actor LoadedCount {
        private var value = 0
        func add(_ n: Int) -> Int {
            value += n
            return value
        }
    }

    /// Who handled a procedure in one period of the history, and until when (its first day closed).
    struct Era: Sendable {
        let agency: String
        let department: String
        let until: LocalDate?
        /// The procedure as this agency held it: its agency and department, the catalogue's terms.
        let procedure: ProcedureModel
    }

    /// The people of one agency's department a dossier passes through.
    struct Crew {
        let reception: UserModel, head: UserModel, officers: [UserModel], leader: UserModel

        init(_ staff: Staff, _ era: Era) {
            let department = "\(era.agency).\(era.department)"
            guard let reception = staff.reception[era.agency], let head = staff.head[department],
                let officers = staff.officers[department], let leader = staff.leader[era.agency]
            else { fatalError("demo catalogue: no staff for \(department)") }
            (self.reception, self.head, self.officers, self.leader) = (reception, head, officers, leader)
        }

        /// The one who takes over `user`'s part when the dossier moves from `old` to this crew.
        func counterpart(of user: UserModel, in old: Crew) -> UserModel {
            if user.id == old.reception.id { return reception }
            if user.id == old.head.id { return head }
            if user.id == old.leader.id { return leader }
            if let i = old.officers.firstIndex(where: { $0.id == user.id }) { return officers[i % officers.count] }
            return user
        }
    }

    struct Lookups: Sendable {
        /// Each procedure's history, oldest first; the last is the agency that handles it now.
        let eras: [String: [Era]]
        let terms: [String: ProcedureTerms]
        let agencies: [UUID: AgencyModel]
        let officers: [UUID: UserModel]
        /// Each user as an actor, made once rather than on each of millions of actions.
        let actors: [UUID: Actor]
    }

    /// Generates `count` dossiers in two shards, one per core, each owning a disjoint set of
    /// agencies (so their daily code counters never collide), while batches are written in turn.
    func dossiers(
        count: Int, staff: Staff, now: Date, seed: UInt64, progress: @escaping @Sendable (Int, Int, Double) -> Void
    ) async throws {
        let procedures = try await ProcedureModel.query(on: db).all()
        let users =
            Array(staff.reception.values) + Array(staff.leader.values) + Array(staff.head.values)
            + staff.officers.values.flatMap { $0 } + staff.citizens
        let agencies = try await AgencyModel.query(on: db).all()
        let agencyIDs = Dictionary(uniqueKeysWithValues: agencies.map { ($0.code, $0.id!) })
        let departmentIDs = Dictionary(
            uniqueKeysWithValues: try await DepartmentModel.query(on: db).all().map {
                ("\($0.agencyID)|\($0.name)", $0.id!)
            })
        var eras: [String: [Era]] = [:]
        let agencyBySlug = Dictionary(uniqueKeysWithValues: DemoCatalogue.agencies.map { ($0.slug, $0) })
        for p in DemoCatalogue.procedures {
            let current = procedures.first { $0.code == p.code }!
            let terms = try current.terms
            eras[p.code] =
                p.before.map { (slug, department) in
                    let a = agencyBySlug[slug]!
                    let agencyID = agencyIDs[a.code]!
                    let name = a.departments.first { $0.slug == department }!.name
                    return Era(
                        agency: slug, department: department, until: a.closed.flatMap { LocalDate(iso: $0.from) },
                        procedure: ProcedureModel(
                            id: current.id, terms: terms, fieldID: current.fieldID, agencyID: agencyID,
                            departmentID: departmentIDs["\(agencyID)|\(name)"]!))
                } + [Era(agency: p.agency, department: p.department, until: nil, procedure: current)]
        }
        // Each version of the terms once, as the dossiers written in batches refer to them.
        for era in eras.values.joined() {
            try await ProcedureTermVersions.store(era.procedure.termsJSON, name: try era.procedure.terms.name, on: db)
        }
        let lookups = Lookups(
            eras: eras,
            terms: Dictionary(uniqueKeysWithValues: try procedures.map { ($0.code, try $0.terms) }),
            agencies: Dictionary(uniqueKeysWithValues: agencies.map { ($0.id!, $0) }),
            officers: Dictionary(uniqueKeysWithValues: staff.officers.values.flatMap { $0 }.map { ($0.id!, $0) }),
            actors: Dictionary(uniqueKeysWithValues: users.map { ($0.id!, Actor(user: $0)) }))
        let slugs = Array(Set(DemoCatalogue.procedures.map(\.agency))).sorted()
        let shards = count < 1000 ? 1 : 2
        let gate = WriteGate()
        let done = LoadedCount()
        let started = Date()
        let counters = try await withLoadingConnection { db in
            try await Self.withIndexesBuiltAfterwards(on: db) {
                try await withThrowingTaskGroup(of: [String: Int].self) { group in
                    for shard in 0..<shards {
                        let catalogue = DemoCatalogue.procedures.filter {
                            slugs.firstIndex(of: $0.agency)! % shards == shard
                        }
                        let n = count / shards + (shard < count % shards ? 1 : 0)
                        group.addTask(priority: .low) {
                            var rng = SplitMix64(seed: seed &+ UInt64(shard) &* 0x9E37_79B9)
                            return try await self.generate(
                                count: n, catalogue: catalogue, staff: staff, now: now, lookups: lookups, rng: &rng
                            ) { @Sendable batch in
                                let written = batch.dossiers.count
                                try await gate.write(batch, on: db)
                                let total = await done.add(written)
                                progress(total, count, Date().timeIntervalSince(started))
                            }
                        }
                    }
                    return try await group.reduce(into: [String: Int]()) { $0.merge($1) { a, _ in a } }
                }
            }
        }
        // Later receptions continue each agency's numbering of the day.
        let rows = counters.map { key, last in
            let parts = key.split(separator: "|")
            let row = DossierCounterModel()
            row.id = UUID()
            row.agencyCode = String(parts[0])
            row.day = String(parts[1])
            row.last = last
            return row
        }
        for chunk in stride(from: 0, to: rows.count, by: 2000) {
            try await Array(rows[chunk..<min(chunk + 2000, rows.count)]).create(on: db)
        }
        // The rows were written without the services: the statistics count them once, here.
        try await ReportTallyStore.rebuild(on: db)
    }

    /// One shard's dossiers, each decided by `DossierService.plan` and `apply`; returns its counters.
    func generate(
        count: Int, catalogue: [DemoCatalogue.Procedure], staff: Staff, now: Date, lookups: Lookups,
        rng: inout SplitMix64,
        flush: @escaping @Sendable (Batch) async throws -> Void
    ) async throws -> [String: Int] {
        let calendar = context.calendar
        let service = context.dossiers
        let start = VietnamTime.instant(DemoCatalogue.firstDay, secondOfDay: 0)
        let agencies = lookups.agencies, officersByID = lookups.officers, actors = lookups.actors
        var counters: [String: Int] = [:]  // "agency code|day" -> last number
        // Double buffering: one batch is written while the next is generated.
        var batch = Batch()
        var writing: Task<Void, any Error>?
        var i = 0
        // In a demo of some size, every procedure's first dossier is received in 2024 by the agency that
        // handled it then: each closed agency has dossiers of its own whatever the count.
        let firstOfEach = count < 100 ? [] : catalogue.filter { !$0.before.isEmpty }
        var forced = 0
        while i < count {
            let p: DemoCatalogue.Procedure
            var t: Date
            if forced < firstOfEach.count {
                p = firstOfEach[forced]
                forced += 1
                t = try calendar.nextOpening(atOrAfter: start.addingTimeInterval(Double(rng.next() % (300 * 86400))))
            } else {
                p = catalogue.randomElement(using: &rng)!
                // Receipt at a random working moment since January 2024, denser in recent months; one in
                // six in the last three weeks, so that any demo has work waiting in every queue.
                let span = max(365 * 86400, now.timeIntervalSince(start))
                let u = Double(rng.next() % 10_000) / 10_000
                let back = rng.next() % 6 == 0 ? u * 21 * 86400 : pow(u, 2) * span
                t = try calendar.nextOpening(atOrAfter: now.addingTimeInterval(-back))
            }
            t = try calendar.adding(workingSeconds: Int(rng.next() % (6 * 3600)), to: t)
            guard t < now else { continue }
            // The agency that handled the procedure on that day: the dossier keeps it.
            let eras = lookups.eras[p.code]!
            let received = VietnamTime.local(t).date
            var era = eras.firstIndex { $0.until.map { received < $0 } ?? true }!
            let procedure = eras[era].procedure
            guard let agency = agencies[procedure.agencyID], received.iso >= agency.effectiveFrom,
                let procedureTerms = lookups.terms[p.code]
            else { continue }
            // The crews the dossier passed through, the last one's people act now.
            var crews = [Crew(staff, eras[era])]
            var crew: Crew { crews[crews.count - 1] }
            /// Who does `user`'s part now: the same place in each later crew.
            func current(_ user: UserModel) -> UserModel {
                crews.indices.dropFirst().reduce(user) { u, k in crews[k].counterpart(of: u, in: crews[k - 1]) }
            }

            let online = p.online != .none && rng.next() % 100 < 40
            // Citizens submit online at any hour: one in three such submissions arrives in the evening
            // and waits for the desk's acceptance, from which its time counts.
            if online, Int(t.timeIntervalSince1970) % 3 == 0 {
                let (day, second) = VietnamTime.local(t)
                let evening = VietnamTime.instant(day, secondOfDay: 17 * 3600 + 60 + second % (5 * 3600))
                if evening < now { t = evening }
            }
            let citizen = staff.citizens.randomElement(using: &rng)!
            let c = DemoCatalogue.self
            var input = DossierService.NewDossier(
                procedureCode: p.code, channel: online ? .online : (rng.next() % 100 < 5 ? .postal : .direct),
                applicant: .init(
                    kind: "person", name: person(&rng), idNumber: "0920" + pad(Int(rng.next() % 100_000_000), 8),
                    birthDate: pad(1950 + Int(rng.next() % 55), 4) + "-" + pad(1 + Int(rng.next() % 12), 2) + "-"
                        + pad(1 + Int(rng.next() % 28), 2),
                    address:
                        """
                        Số \(1 + rng.next() % 300), \(c.streets.randomElement(using: &rng)!), \
                        \(c.places.randomElement(using: &rng)!)
                        """,
                    phone: "09" + pad(Int(rng.next() % 100_000_000), 8), email: nil),
                representative: nil, contentSummary: nil, resultDelivery: nil, components: nil)
            // A citizen's online dossier is their own, under their name; one in five is submitted for
            // someone else (a relative), the account's holder then named as the one who submits it.
            if online {
                let me = Self.person(of: citizen)
                if Int(t.timeIntervalSince1970) % 5 == 0 { input.representative = me } else { input.applicant = me }
            }

            // The counter sometimes finishes its queue after closing time: such a receipt counts from
            // the next opening.
            if input.channel == .direct, Int(t.timeIntervalSince1970) % 20 == 0 {
                let (day, second) = VietnamTime.local(t)
                let late = VietnamTime.instant(day, secondOfDay: 17 * 3600 + 60 + second % 3000)
                if late < now { t = late }
            }
            let creator = actors[(online ? citizen : crew.reception).id!]!
            let plan = try service.plan(
                input, actor: creator, at: t, procedure: procedure, agency: agency, terms: procedureTerms)
            let key = "\(plan.agencyCode)|\(plan.day.iso)"
            let number = (counters[key] ?? 0) + 1
            counters[key] = number
            let d = plan.dossier
            var last = LogChain.next(plan.assign(number: number, actor: creator, at: t, service: service), after: nil)
            var entries = [last]

            // How fast this dossier goes: most on time, some late.
            let late = rng.next() % 100 < 15
            let speed = late ? 1.15 + Double(rng.next() % 60) / 100 : 0.35 + Double(rng.next() % 55) / 100
            let terms = plan.terms
            let totalHours = terms.timeUnit == .workingHours ? terms.timeAmount : terms.timeAmount * 8
            var payment: PaymentModel?
            // Still open when its agency closed: carried to the successor that morning, the log says so.
            func carry(before next: Date) throws {
                while let until = eras[era].until, era + 1 < eras.count,
                    next >= VietnamTime.instant(until, secondOfDay: 0)
                {
                    let at = max(t, try calendar.nextOpening(atOrAfter: VietnamTime.instant(until, secondOfDay: 0)))
                    let from = eras[era].procedure, to = eras[era + 1].procedure
                    era += 1
                    crews.append(Crew(staff, eras[era]))
                    let officer = d.assignedOfficerID.flatMap { officersByID[$0] }.map(current)
                    let entry = AgencyTransfer.carry(
                        d, from: agencies[from.agencyID]!, to: agencies[to.agencyID]!, department: to.departmentID,
                        officer: officer?.id, actor: actors[crew.reception.id!]!, at: at)
                    last = LogChain.next(entry, after: (last.content.seq, last.hash))
                    entries.append(last)
                }
            }
            func act(
                _ action: Action, by user: UserModel, share: Double, _ inputs: ActionInputs = ActionInputs(),
                transaction: String? = nil
            ) throws -> Bool {
                let next = try calendar.adding(workingSeconds: max(60, Int(share * totalHours * 3600 * speed)), to: t)
                guard next < now else { return false }
                try carry(before: next)
                let user = current(user)
                var inputs = inputs
                inputs.officer = inputs.officer.map { officersByID[$0].map(current)?.id ?? $0 }
                t = next
                let before = d.state
                let content = try service.apply(
                    action, to: d, inputs: inputs, actor: actors[user.id!]!, at: t,
                    officer: inputs.officer.flatMap { officersByID[$0] }, terms: terms)
                if let effect = PaymentEffect.of(action, from: before, to: d.state, inputs: inputs) {
                    payment = PaymentModel.apply(
                        effect, of: d, awaiting: payment?.status == PaymentStatus.awaiting.rawValue ? payment : nil,
                        transactionID: transaction, at: t)
                }
                d.version += 1
                last = LogChain.next(content, after: (last.content.seq, last.hash))
                entries.append(last)
                return true
            }
            let roll = rng.next() % 1000
            let officer = crew.officers.randomElement(using: &rng)!
            run: do {
                if online {
                    // Some recent online submissions still wait for reception.
                    if roll % 13 == 5 && now.timeIntervalSince(t) < 10 * 86400 { break run }
                    if roll < 30 {
                        _ = try act(
                            .reject, by: crew.reception, share: 0.02,
                            ActionInputs(reason: "Hồ sơ không đúng thẩm quyền giải quyết"));
                        break run
                    }
                    guard try act(.accept, by: crew.reception, share: 0.02) else { break run }
                }
                if roll >= 30 && roll < 50 {
                    _ = try act(
                        .withdraw, by: crew.reception, share: 0.05,
                        ActionInputs(reason: "Công dân có đơn xin rút hồ sơ"));
                    break run
                }
                if terms.feeVND > 0 && roll % 7 == 0 {
                    guard try act(.requestPayment, by: crew.reception, share: 0.02, ActionInputs(amount: terms.feeVND))
                    else { break run }
                    // Online applicants pay through the payment platform (its transaction id is the receipt), most
                    // others in cash.
                    let paid =
                        online
                        ? ActionInputs(amount: terms.feeVND, paymentReceipt: "PG-" + d.code, paymentMethod: .online)
                        : ActionInputs(
                            paymentReceipt: "BL\(100000 + i)", paymentMethod: roll % 3 == 0 ? .transfer : .cash)
                    guard
                        try act(
                            .confirmPayment, by: crew.reception, share: 0.1, paid,
                            transaction: online ? "PG-" + d.code : nil
                        )
                    else { break run }
                }
                guard try act(.handOver, by: crew.reception, share: 0.05) else { break run }
                guard try act(.assign, by: crew.head, share: 0.05, ActionInputs(officer: officer.id)) else { break run }
                if roll % 10 == 1 {
                    // Some are asked twice (the clock stops twice, and the due date moves twice).
                    let rounds =
                        [("Bổ sung bản sao giấy tờ chứng minh nơi cư trú", 0.1, 0.3)]
                        + (roll % 20 == 11 ? [("Bổ sung bản chính giấy tờ để đối chiếu", 0.05, 0.2)] : [])
                    for (reason, asking, answering) in rounds {
                        guard try act(.requestSupplement, by: officer, share: asking, ActionInputs(reason: reason))
                        else { break run }
                        guard try act(.supplement, by: crew.reception, share: answering) else { break run }
                    }
                }
                let refuse = roll % 50 == 3
                let proposal =
                    refuse
                    ? ActionInputs(
                        opinion: "Đề nghị từ chối", reason: "Hồ sơ không đủ điều kiện theo quy định", proposal: .refuse)
                    : ActionInputs(opinion: "Hồ sơ hợp lệ, đề nghị giải quyết", proposal: .approve)
                guard try act(.propose, by: officer, share: 0.45, proposal) else { break run }
                if roll % 10 == 2 {
                    guard
                        try act(
                            .returnForRework, by: crew.head, share: 0.05,
                            ActionInputs(opinion: "Đề nghị kiểm tra lại thông tin chủ hồ sơ"))
                    else { break run }
                    guard try act(.propose, by: officer, share: 0.1, proposal) else { break run }
                }
                guard
                    try act(
                        .submitForSignature, by: crew.head, share: 0.1,
                        ActionInputs(opinion: "Kính trình lãnh đạo xem xét"))
                else { break run }
                if late && roll % 3 == 0, let due = d.dueAt {
                    let appointment = try calendar.adding(workingSeconds: Int(totalHours * 3600), to: due)
                    _ = try act(
                        .apologise, by: crew.leader, share: 0.01,
                        ActionInputs(reason: "Cần thêm thời gian xác minh", appointment: appointment))
                }
                guard
                    try act(
                        refuse ? .refuse : .approve, by: crew.leader, share: 0.1,
                        refuse ? ActionInputs(reason: "Không đủ điều kiện") : ActionInputs())
                else { break run }
                if refuse { break run }
                guard try act(.returnResult, by: crew.reception, share: 0.1) else { break run }
                if online, roll % 2 == 0, let owner = d.ownerID,
                    let citizen = staff.citizens.first(where: { $0.id == owner })
                {
                    let rating: Satisfaction =
                        roll % 9 == 0 ? .dissatisfied : (roll % 3 == 0 ? .satisfied : .verySatisfied)
                    _ = try act(.rate, by: citizen, share: 0.05, ActionInputs(rating: rating))
                }
            }
            // Left open (waiting on the applicant, or for today's desk) at an agency since closed.
            if Status(rawValue: d.status)?.isOpen == true { _ = try carry(before: now) }
            d.logSeq = last.content.seq
            d.logHash = last.hash
            batch.dossiers.append(d)
            if let payment { batch.payments.append(payment) }
            batch.components.append(contentsOf: plan.components)
            batch.log.append(contentsOf: entries)
            i += 1
            // Generating never suspends by itself; yielding often lets the writer's continuations run
            // on the cooperative pool (one thread per core) instead of waiting for a whole batch.
            if i % 4 == 0 { await Task.yield() }
            if i % 1000 == 0 || i == count {
                try await writing?.value
                let full = batch
                batch = Batch()
                writing = Task(priority: .high) { try await flush(full) }
            }
        }
        try await writing?.value
        return counters
    }
}

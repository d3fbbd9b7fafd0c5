/// The quality index of Quyết định 766/QĐ-TTg (DOMAIN.md section 13) that MotCua's own data gives,
/// for one unit and one month: each a share, nil where there was nothing to divide.
public struct QualityIndicators: Sendable, Equatable {
    public var onTimeRate: Double?
    public var onlineShare: Double?
    public var proceduresOnlineShare: Double?
    public var onlinePaymentShare: Double?
    public var electronicResultShare: Double?
    public var satisfactionRate: Double?
    /// Dossiers received with at least one component reused from the applicant's store.
    public var reusedShare: Double?
    /// Dossiers whose every message to the national portal was acknowledged within a day, among
    /// those queued for it.
    public var syncedOnTimeShare: Double?

    /// The indicators' names, in the order of `values`.
    public static let headings = [
        "Tỷ lệ giải quyết đúng hạn", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "Tỷ lệ TTHC có hồ sơ trực tuyến",
        "Tỷ lệ thanh toán trực tuyến", "Tỷ lệ kết quả điện tử", "Tỷ lệ hài lòng",
        "Tỷ lệ hồ sơ có thành phần được tái sử dụng", "Tỷ lệ hồ sơ đồng bộ đúng hạn lên Cổng DVC quốc gia",
    ]

    public var values: [Double?] {
        [
            onTimeRate, onlineShare, proceduresOnlineShare, onlinePaymentShare, electronicResultShare, satisfactionRate,
            reusedShare, syncedOnTimeShare,
        ]
    }

    public init(
        onTimeRate: Double? = nil, onlineShare: Double? = nil, proceduresOnlineShare: Double? = nil,
        onlinePaymentShare: Double? = nil, electronicResultShare: Double? = nil, satisfactionRate: Double? = nil,
        reusedShare: Double? = nil, syncedOnTimeShare: Double? = nil
    ) {
        self.onTimeRate = onTimeRate
        self.onlineShare = onlineShare
        self.proceduresOnlineShare = proceduresOnlineShare
        self.onlinePaymentShare = onlinePaymentShare
        self.electronicResultShare = electronicResultShare
        self.satisfactionRate = satisfactionRate
        self.reusedShare = reusedShare
        self.syncedOnTimeShare = syncedOnTimeShare
    }

    /// From a month's counts: the II.06a numbers, the procedures offered online and those that had an
    /// online dossier, the ratings (very satisfied, satisfied, not satisfied), the results signed
    /// electronically, the fees paid (online, all), the dossiers received with a reused component,
    /// and the dossiers synced on time with the national portal (on time, all queued).
    public init(
        counts c: SummaryCounts, proceduresOffered: Int, proceduresUsed: Int, ratings: [Int],
        electronicResults: Int, onlinePayments: Int, payments: Int, reusedDossiers: Int = 0,
        synced: (onTime: Int, all: Int) = (0, 0)
    ) {
        func share(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
        let r = ratings + [0, 0, 0]
        self.init(
            onTimeRate: c.onTimeRate, onlineShare: share(c.newOnline, c.newOnline + c.newDirect),
            proceduresOnlineShare: share(proceduresUsed, proceduresOffered),
            onlinePaymentShare: share(onlinePayments, payments),
            electronicResultShare: share(electronicResults, c.resolved),
            satisfactionRate: share(r[0] + r[1], r[0] + r[1] + r[2]),
            reusedShare: share(reusedDossiers, c.newOnline + c.newDirect),
            syncedOnTimeShare: share(synced.onTime, synced.all))
    }
}

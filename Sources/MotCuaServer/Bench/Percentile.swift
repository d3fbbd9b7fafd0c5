/// The benchmarks' percentiles: nearest rank, so a p95 is a time that was measured.
public enum Percentile {
    /// The value at fraction `q` (0.5, 0.95) of `sorted`, ascending; 0 when there is none.
    public static func of(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * q).rounded(.up)) - 1))]
    }
}

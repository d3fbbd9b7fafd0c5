import Foundation

/// A horizontal stacked bar chart drawn on the server as SVG (readable in print and without
/// JavaScript): one bar per row, one coloured segment per series, scaled to the largest bar or,
/// for shares, each bar to 100%.
struct StackedBars: Encodable, Sendable {
    struct Segment: Encodable, Sendable { let x: Int; let width: Int; let color: String; let title: String }
    struct Bar: Encodable, Sendable {
        let label: String; let y: Int; let textY: Int; let segments: [Segment]; let value: String; let valueX: Int
    }
    struct Legend: Encodable, Sendable { let name: String; let color: String; let x: Int; let textX: Int }

    let caption: String
    let bars: [Bar]
    let legend: [Legend]
    let height: Int

    static let colors = ["#1565c0", "#b71c1c", "#2e7d32", "#f9a825", "#6a1b9a"]

    /// `rows`: label and one value per series. With `shares`, each bar is its values' shares.
    init(caption: String, series: [String], rows: [(String, [Int])], shares: Bool) {
        self.caption = caption
        let left = 240, width = 480
        let largest = max(1, rows.map { $0.1.reduce(0, +) }.max() ?? 1)
        var bars: [Bar] = []
        for (i, row) in rows.enumerated() {
            let total = row.1.reduce(0, +)
            let scale = shares ? (total == 0 ? 0 : Double(width) / Double(total)) : Double(width) / Double(largest)
            var x = left
            var segments: [Segment] = []
            for (k, v) in row.1.enumerated() where v > 0 {
                let w = max(1, Int((Double(v) * scale).rounded()))
                segments.append(
                    Segment(
                        x: x, width: w, color: Self.colors[k % Self.colors.count],
                        title: "\(series[k]): \(PageTime.number(v))"))
                x += w
            }
            let y = 30 + i * 24
            bars.append(
                Bar(
                    label: String(row.0.prefix(36)), y: y, textY: y + 14, segments: segments,
                    value: PageTime.number(total), valueX: x + 6))
        }
        self.bars = bars
        legend = series.enumerated().map {
            Legend(
                name: $1, color: Self.colors[$0 % Self.colors.count], x: left + $0 * 150, textX: left + $0 * 150 + 16)
        }
        height = 40 + rows.count * 24
    }
}

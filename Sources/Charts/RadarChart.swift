import Foundation

/// A radar (spider) chart over compass sectors: sector 0 at north, clockwise — the studies' plots of
/// how the cells of a susceptibility class spread over eight aspect sectors.
public struct RadarChart: Chart {
    public struct Series: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }

    public var series: [Series]
    public var sectors: [String]
    public var valueLabel: String
    public var title: String?

    public static let compass8 = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]

    public init(series: [Series], sectors: [String] = RadarChart.compass8, valueLabel: String, title: String? = nil) {
        self.series = series; self.sectors = sectors; self.valueLabel = valueLabel; self.title = title
    }

    /// Wide enough that the legend column beside the radar leaves it as tall as the chart (no empty bands).
    public var preferredSize: Size { Size(width: 430, height: 320) }

    public func validate() throws {
        guard sectors.count >= 3 else { throw ChartError.invalidData(chart: "radar chart", reason: "needs ≥ 3 sectors") }
        guard !series.isEmpty else { throw ChartError.invalidData(chart: "radar chart", reason: "no series") }
        for s in series where s.values.count != sectors.count || s.values.contains(where: { !$0.isFinite || $0 < 0 }) {
            throw ChartError.invalidData(chart: "radar chart",
                                         reason: "series \(s.label): needs \(sectors.count) finite, non-negative values")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let area = canvas.drawTitle(title, in: rect)
        let legendEntries = series.enumerated().map { LegendEntry($1.label, .line(t.color($0), dash: t.dash($0))) }
        let legend = canvas.legendSize(legendEntries)
        let legendWidth = max(legend.width, canvas.textWidth("Rings:", size: t.annotationSize),
                              canvas.textWidth(valueLabel, size: t.annotationSize))
        let chartArea = series.count > 1 || !series[0].label.isEmpty ? area.inset(right: legendWidth + 4) : area
        let labelRoom = t.tickSize * 2.4
        let radius = max(10, min(chartArea.width, chartArea.height) / 2 - labelRoom)
        let c = Point(chartArea.midX, chartArea.midY)
        let maxValue = series.flatMap(\.values).max() ?? 1
        let rings = niceTicks(0, max(maxValue, 1e-12), target: 4)
        let top = rings.ticks.last!
        let n = sectors.count
        func point(_ k: Int, _ r: Double) -> Point {
            let a = 2 * Double.pi * Double(k) / Double(n)
            return Point(c.x + r * sin(a), c.y - r * cos(a))
        }
        // Rings and spokes.
        for v in rings.ticks where v > 0 {
            canvas.newPath(); canvas.addPolyline((0..<n).map { point($0, radius * v / top) }, closed: true)
            canvas.stroke(t.gridColor.withAlpha(1), width: 0.6)
        }
        for k in 0..<n {
            canvas.strokeLine(c, point(k, radius), color: Color(hex: 0xCCCCCC), width: 0.6)
            let lp = point(k, radius + t.tickSize * 1.1)
            let a = 2 * Double.pi * Double(k) / Double(n)
            let h: HAlign = abs(sin(a)) < 0.2 ? .center : (sin(a) > 0 ? .left : .right)
            let vAl: VAlign = cos(a) > 0.7 ? .bottom : (cos(a) < -0.7 ? .top : .middle)
            canvas.text(sectors[k], at: lp, size: t.labelSize, bold: true, align: h, vAlign: vAl)
        }
        // Series.
        for (i, s) in series.enumerated() {
            let pts = (0..<n).map { point($0, radius * s.values[$0] / top) }
            canvas.newPath(); canvas.addPolyline(pts, closed: true)
            canvas.fill(t.color(i).withAlpha(0.12), preserve: true)
            canvas.stroke(t.color(i), width: t.seriesLineWidth, dash: t.dash(i))
            for p in pts {
                canvas.newPath(); canvas.addMarker(MarkerShape.cycling(i), at: p, size: 4)
                canvas.fill(t.color(i))
            }
        }
        // Ring values half-way between the first two spokes, on a white halo, over everything.
        let d = decimalsFor(step: rings.step)
        let a = Double.pi / Double(n)
        for v in rings.ticks where v > 0 {
            let r = radius * v / top
            let p = Point(c.x + r * sin(a), c.y - r * cos(a))
            let s = formatNumber(v, decimals: d)
            let w = canvas.textWidth(s, size: t.tickSize - 1)
            canvas.fillRect(Rect(x: p.x - w / 2 - 1, y: p.y - (t.tickSize - 1) * 0.5, width: w + 2,
                                 height: t.tickSize - 1), Color.white.withAlpha(0.85))
            canvas.text(s, at: p, size: t.tickSize - 1, color: Color(hex: 0x444444), align: .center, vAlign: .middle)
        }
        if chartArea.width < area.width {
            // The legend and the ring caption share one column, wide enough for both (nothing clipped).
            let x = area.maxX - legendWidth
            canvas.drawLegend(legendEntries, at: Point(x, area.minY))
            canvas.text("Rings:", at: Point(x, area.minY + legend.height + 4), size: t.annotationSize, align: .left, vAlign: .top)
            canvas.text(valueLabel, at: Point(x, area.minY + legend.height + 4 + t.annotationSize * 1.3),
                        size: t.annotationSize, align: .left, vAlign: .top)
        } else {
            canvas.text("Rings: \(valueLabel)", at: Point(area.minX, area.minY), size: t.annotationSize, align: .left,
                        vAlign: .top)
        }
    }
}

import Foundation

/// A ternary diagram: compositions (a, b, c) with a + b + c = 1 inside an equilateral triangle, a at
/// the top vertex, b bottom-left, c bottom-right; grid and ticks every 0.2 (in %), optionally the
/// density of points over a triangular grid beneath them.
public struct TernaryChart: Chart {
    public struct Series: Sendable {
        public var label: String
        /// Compositions; each is normalised to sum to 1.
        public var points: [(Double, Double, Double)]
        public init(label: String, points: [(Double, Double, Double)]) { self.label = label; self.points = points }
    }

    public var series: [Series]
    /// Names of the components a, b, c.
    public var axisLabels: (String, String, String)
    /// Subdivisions per side for the density layer (nil: no density).
    public var densityDivisions: Int?
    public var title: String?

    public init(series: [Series], axisLabels: (String, String, String), densityDivisions: Int? = nil,
                title: String? = nil) {
        self.series = series; self.axisLabels = axisLabels; self.densityDivisions = densityDivisions; self.title = title
    }

    public var preferredSize: Size { Size(width: 340, height: 310) }

    public func validate() throws {
        for s in series {
            for p in s.points where !(p.0 >= 0 && p.1 >= 0 && p.2 >= 0 && p.0 + p.1 + p.2 > 0) {
                throw ChartError.invalidData(chart: "ternary chart",
                                             reason: "series \(s.label): components must be ≥ 0 with a positive sum")
            }
        }
        if let d = densityDivisions, d < 1 {
            throw ChartError.invalidData(chart: "ternary chart", reason: "density divisions must be ≥ 1")
        }
    }

    static func normalised(_ p: (Double, Double, Double)) -> (Double, Double, Double) {
        let s = p.0 + p.1 + p.2
        return (p.0 / s, p.1 / s, p.2 / s)
    }

    /// Index of the small triangle of an n-division grid that holds the composition (a, b, c).
    static func densityCell(_ p: (Double, Double, Double), divisions n: Int) -> (i: Int, j: Int, upward: Bool) {
        // i: band of a (0 at the bottom); j: band of c; the remainder decides the triangle's orientation.
        let i = min(n - 1, Int(p.0 * Double(n))), j = min(n - 1 - i, Int(p.2 * Double(n)))
        let upward = (p.0 * Double(n) - Double(i)) + (p.2 * Double(n) - Double(j)) <= 1 || i + j == n - 1
        return (i, j, upward)
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let area = canvas.drawTitle(title, in: rect)
        let entries = series.enumerated().map { LegendEntry($1.label, .marker(t.color($0), MarkerShape.cycling($0))) }
        let legend = canvas.legendSize(entries)
        let colorBarRoom = densityDivisions != nil ? 52.0 : 0
        var tri = area.inset(top: t.labelSize * 1.6, left: 24, bottom: t.labelSize * 1.6 + t.tickSize * 2, right: 24 + colorBarRoom)
        tri = tri.fitted(aspect: 2 / 3.0.squareRoot())
        let top = Point(tri.midX, tri.minY), left = Point(tri.minX, tri.maxY), right = Point(tri.maxX, tri.maxY)
        func pos(_ a: Double, _ b: Double, _ c: Double) -> Point {
            Point(a * top.x + b * left.x + c * right.x, a * top.y + b * left.y + c * right.y)
        }
        // Density layer.
        if let n = densityDivisions {
            var counts = [[Int]](repeating: [Int](repeating: 0, count: 2 * n), count: n)
            for s in series { for p in s.points {
                let q = Self.normalised(p)
                let cell = Self.densityCell(q, divisions: n)
                counts[cell.i][2 * cell.j + (cell.upward ? 0 : 1)] += 1
            } }
            let maxCount = max(1, counts.flatMap { $0 }.max() ?? 1)
            let step = 1 / Double(n)
            for i in 0..<n { for j in 0..<(n - i) {
                let a0 = Double(i) * step, c0 = Double(j) * step
                let up = [pos(a0, 1 - a0 - c0, c0), pos(a0, 1 - a0 - c0 - step, c0 + step), pos(a0 + step, 1 - a0 - step - c0, c0)]
                if counts[i][2 * j] > 0 {
                    canvas.newPath(); canvas.addPolyline(up, closed: true)
                    canvas.fill(ColorMap.blues.color(at: Double(counts[i][2 * j]) / Double(maxCount)), preserve: true)
                    canvas.stroke(ColorMap.blues.color(at: Double(counts[i][2 * j]) / Double(maxCount)), width: 0.3)
                }
                if i + j < n - 1, counts[i][2 * j + 1] > 0 {
                    let down = [pos(a0, 1 - a0 - c0 - step, c0 + step), pos(a0 + step, 1 - a0 - 2 * step - c0, c0 + step),
                                pos(a0 + step, 1 - a0 - step - c0, c0)]
                    canvas.newPath(); canvas.addPolyline(down, closed: true)
                    canvas.fill(ColorMap.blues.color(at: Double(counts[i][2 * j + 1]) / Double(maxCount)), preserve: true)
                    canvas.stroke(ColorMap.blues.color(at: Double(counts[i][2 * j + 1]) / Double(maxCount)), width: 0.3)
                }
            } }
            let bar = Rect(x: tri.maxX + 28, y: tri.minY + tri.height * 0.15, width: 9, height: tri.height * 0.6)
            canvas.drawColorBar(.blues, lo: 0, hi: Double(maxCount), in: bar, label: "Points per cell")
        }
        // Grid lines every 0.2 for each component, then the outline.
        let grid = [0.2, 0.4, 0.6, 0.8]
        for g in grid {
            canvas.strokeLine(pos(g, 1 - g, 0), pos(g, 0, 1 - g), color: Color(hex: 0xCCCCCC), width: 0.5, dash: [2, 2])
            canvas.strokeLine(pos(0, g, 1 - g), pos(1 - g, g, 0), color: Color(hex: 0xCCCCCC), width: 0.5, dash: [2, 2])
            canvas.strokeLine(pos(1 - g, 0, g), pos(0, 1 - g, g), color: Color(hex: 0xCCCCCC), width: 0.5, dash: [2, 2])
        }
        canvas.newPath(); canvas.addPolyline([top, left, right], closed: true)
        canvas.stroke(t.axisColor, width: t.axisLineWidth)
        // Ticks (percent): a along the left side, b along the bottom, c along the right side.
        let tl = t.tickLength
        // The vertices are named, so the 0 and 100 ticks would only crowd the corners.
        for g in grid {
            let label = formatNumber(g * 100, decimals: 0)
            let pa = pos(g, 1 - g, 0)      // left side: a = g
            canvas.strokeLine(pa, Point(pa.x - tl, pa.y), color: t.axisColor, width: 0.6)
            canvas.text(label, at: Point(pa.x - tl - 2, pa.y), size: t.tickSize, align: .right, vAlign: .middle)
            let pb = pos(0, g, 1 - g)      // bottom: b = g
            canvas.strokeLine(pb, Point(pb.x - tl * 0.5, pb.y + tl * 0.87), color: t.axisColor, width: 0.6)
            canvas.text(label, at: Point(pb.x - tl * 0.5, pb.y + tl + 1), size: t.tickSize, align: .center, vAlign: .top)
            let pc = pos(1 - g, 0, g)      // right side: c = g
            canvas.strokeLine(pc, Point(pc.x + tl * 0.5, pc.y - tl * 0.87), color: t.axisColor, width: 0.6)
            canvas.text(label, at: Point(pc.x + tl * 0.5 + 2, pc.y - tl * 0.87), size: t.tickSize, align: .left,
                        vAlign: .middle)
        }
        // Component names at their vertices (100 % of that component), with "(%)".
        canvas.text("\(axisLabels.0) (%)", at: Point(top.x, top.y - 4), size: t.labelSize, bold: true, align: .center,
                    vAlign: .bottom)
        canvas.text("\(axisLabels.1) (%)", at: Point(left.x, left.y + tl + t.tickSize * 1.4 + 2), size: t.labelSize,
                    bold: true, align: .left, vAlign: .top)
        canvas.text("\(axisLabels.2) (%)", at: Point(right.x, right.y + tl + t.tickSize * 1.4 + 2), size: t.labelSize,
                    bold: true, align: .right, vAlign: .top)
        // Points.
        for (i, s) in series.enumerated() {
            for p in s.points {
                let q = Self.normalised(p)
                canvas.newPath(); canvas.addMarker(MarkerShape.cycling(i), at: pos(q.0, q.1, q.2), size: 4.5)
                canvas.fill(t.color(i).withAlpha(0.85), preserve: true)
                canvas.stroke(.white, width: 0.3)
            }
        }
        if !entries.isEmpty, !(series.count == 1 && series[0].label.isEmpty) {
            canvas.drawLegend(entries, at: Point(area.maxX - legend.width, area.minY))
        }
    }
}

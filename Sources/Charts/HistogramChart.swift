import Foundation
import SummaryStatistics

/// A histogram with an optional fitted normal density (scaled to counts) and a μ / σ / n note.
public struct HistogramChart: Chart {
    public var values: [Double]
    public var bins: Int
    /// Bin range; the data's range when nil.
    public var range: ClosedRange<Double>?
    public var fitNormal: Bool
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var color: Color?

    public init(values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil, fitNormal: Bool = true,
                xLabel: String, yLabel: String = "Number of cells", title: String? = nil, color: Color? = nil) {
        self.values = values; self.bins = bins; self.range = range; self.fitNormal = fitNormal
        self.xLabel = xLabel; self.yLabel = yLabel; self.title = title; self.color = color
    }

    public func validate() throws {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { throw ChartError.invalidData(chart: "histogram", reason: "no finite values") }
        guard bins >= 1 else { throw ChartError.invalidData(chart: "histogram", reason: "bins must be ≥ 1") }
    }

    /// Bin edges and counts (the last bin includes its upper edge, as NumPy).
    public func counts() -> (edges: [Double], counts: [Int]) {
        let v = values.filter(\.isFinite)
        var lo = range?.lowerBound ?? (v.min() ?? 0), hi = range?.upperBound ?? (v.max() ?? 1)
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let w = (hi - lo) / Double(bins)
        var c = [Int](repeating: 0, count: bins)
        for x in v where x >= lo && x <= hi { c[min(bins - 1, Int((x - lo) / w))] += 1 }
        return ((0...bins).map { lo + Double($0) * w }, c)
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let (edges, c) = counts()
        let v = values.filter(\.isFinite)
        let mu = Summary.mean(v), sd = Summary.standardDeviation(v)
        let w = edges[1] - edges[0]
        var top = Double(c.max() ?? 1)
        let showFit = fitNormal && sd.isFinite && sd > 0
        if showFit { top = max(top, Double(v.count) * w * Summary.normalPDF(mu, mean: mu, sd: sd)) }
        let x = Axis.linear(edges.first!, edges.last!, label: xLabel, extend: false)
        let y = Axis.linear(0, top * 1.08, label: yLabel)
        let area = drawCartesianFrame(on: canvas, in: rect, x: x, y: y, title: title)
        let fillColor = color ?? t.color(0).withAlpha(0.55)
        for (i, n) in c.enumerated() where n > 0 {
            let r = Rect(x: area.px(edges[i]), y: area.py(Double(n)), width: area.px(edges[i + 1]) - area.px(edges[i]),
                         height: area.py(0) - area.py(Double(n)))
            canvas.fillRect(r, fillColor)
            canvas.strokeRect(r, Color.white, width: 0.4)
        }
        var entries = [LegendEntry("Observed", .swatch(fillColor))]
        if showFit {
            let n = 160
            let pts = (0...n).map { k -> Point in
                let xv = edges.first! + (edges.last! - edges.first!) * Double(k) / Double(n)
                return area.point(xv, Double(v.count) * w * Summary.normalPDF(xv, mean: mu, sd: sd))
            }
            canvas.save(); canvas.clip(to: area.rect)
            canvas.newPath(); canvas.addPolyline(pts)
            canvas.stroke(t.color(1), width: t.seriesLineWidth)
            canvas.restore()
            entries.append(LegendEntry("Normal fit", .line(t.color(1), dash: [])))
        }
        drawAxisLines(on: canvas, area: area)
        let digits = max(2, 3 - Int(floor(log10(max(abs(mu), abs(sd), 1e-12)))) - 1)
        let note = ["μ = \(formatNumber(mu, decimals: digits))", "σ = \(formatNumber(sd, decimals: digits))",
                    "n = \(formatGrouped(Double(v.count)))"]
        let legend = canvas.legendSize(entries)
        let noteX = area.rect.maxX - 8 - legend.width
        canvas.drawLegend(entries, at: Point(noteX, area.rect.minY + 6))
        for (i, line) in note.enumerated() {
            canvas.text(line, at: Point(noteX + 6, area.rect.minY + 6 + legend.height + 4 + Double(i) * t.annotationSize * 1.35),
                        size: t.annotationSize, vAlign: .top)
        }
    }
}

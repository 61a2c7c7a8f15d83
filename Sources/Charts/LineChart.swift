/// Lines with markers, e.g. the best objective value against Bayesian-optimisation iterations.
public struct LineChart: Chart {
    public struct Series: Sendable {
        public var label: String
        public var x: [Double]
        public var y: [Double]
        public var markers: Bool
        /// Draw as a step function (value held until the next x), as a running best is.
        public var step: Bool
        public init(label: String, x: [Double], y: [Double], markers: Bool = true, step: Bool = false) {
            self.label = label; self.x = x; self.y = y; self.markers = markers; self.step = step
        }
    }

    public struct Reference: Sendable {
        public var label: String
        public var y: Double
        public init(label: String, y: Double) { self.label = label; self.y = y }
    }

    public var series: [Series]
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var reference: Reference?
    public var legendPlacement: LegendPlacement
    /// x counts something (evaluations, epochs): ticks only at whole numbers.
    public var integerX: Bool

    public init(series: [Series], xLabel: String, yLabel: String, title: String? = nil, reference: Reference? = nil,
                legendPlacement: LegendPlacement = .upperRight, integerX: Bool = false) {
        self.series = series; self.xLabel = xLabel; self.yLabel = yLabel; self.title = title; self.reference = reference
        self.legendPlacement = legendPlacement; self.integerX = integerX
    }

    public func validate() throws {
        guard !series.isEmpty else { throw ChartError.invalidData(chart: "line chart", reason: "no series") }
        for s in series where s.x.count != s.y.count || s.x.isEmpty {
            throw ChartError.invalidData(chart: "line chart", reason: "series \(s.label): x and y differ in length or are empty")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let xs = series.flatMap(\.x).filter(\.isFinite)
        var ys = series.flatMap(\.y).filter(\.isFinite)
        if let r = reference { ys.append(r.y) }
        let ySpan = max(1e-12, ys.max()! - ys.min()!)
        var x = Axis.linear(xs.min()!, xs.max()!, label: xLabel)
        if integerX {
            // Whole-number ticks at a whole-number step (1, 2, 5, 10 …), labelled without decimals.
            let span = max(1, xs.max()! - xs.min()!)
            let step = [1.0, 2, 5, 10, 20, 50, 100, 200, 500, 1000].first { span / $0 <= 8 } ?? (span / 8).rounded(.up)
            let lo = (xs.min()! / step).rounded(.down) * step, hi = (xs.max()! / step).rounded(.up) * step
            let ticks = stride(from: lo, through: hi + step * 1e-9, by: step).map { $0 }
            x = Axis(lo: lo, hi: hi, ticks: ticks, tickLabels: ticks.map { String(Int($0)) }, label: xLabel)
        }
        // A little room around the data, but not below zero for data that are never negative.
        let yLo = ys.min()! >= 0 ? max(0, ys.min()! - 0.03 * ySpan) : ys.min()! - 0.03 * ySpan
        let y = Axis.linear(yLo, ys.max()! + 0.03 * ySpan, label: yLabel)
        let area = drawCartesianFrame(on: canvas, in: rect, x: x, y: y, title: title)
        var entries: [LegendEntry] = []
        canvas.save(); canvas.clip(to: area.rect.inset(by: -3))
        if let r = reference {
            canvas.strokeLine(Point(area.rect.minX, area.py(r.y)), Point(area.rect.maxX, area.py(r.y)), color: .gray,
                              width: 0.9, dash: [4, 3])
        }
        for (i, s) in series.enumerated() {
            var pts: [Point] = []
            for k in s.x.indices where s.x[k].isFinite && s.y[k].isFinite {
                let p = area.point(s.x[k], s.y[k])
                if s.step, let last = pts.last { pts.append(Point(p.x, last.y)) }
                pts.append(p)
            }
            canvas.newPath(); canvas.addPolyline(pts)
            canvas.stroke(t.color(i), width: t.seriesLineWidth, dash: t.dash(i))
            if s.markers {
                for k in s.x.indices where s.x[k].isFinite && s.y[k].isFinite {
                    canvas.newPath(); canvas.addMarker(MarkerShape.cycling(i), at: area.point(s.x[k], s.y[k]), size: 4.5)
                    canvas.fill(t.color(i), preserve: true); canvas.stroke(.white, width: 0.4)
                }
            }
            entries.append(LegendEntry(s.label, s.markers ? .marker(t.color(i), MarkerShape.cycling(i))
                                                          : .line(t.color(i), dash: t.dash(i))))
        }
        canvas.restore()
        if let r = reference { entries.append(LegendEntry(r.label, .line(.gray, dash: [4, 3]))) }
        if entries.count > 1 || !(series.first?.label.isEmpty ?? true) {
            canvas.drawLegend(entries, in: area.rect, placement: legendPlacement)
        }
    }
}

/// Box plots, one per group: Tukey boxes (quartiles, whiskers at 1.5 × IQR, outliers as dots) with the
/// mean as a white diamond.
public struct BoxPlotChart: Chart {
    public struct Group: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }

    public var groups: [Group]
    public var valueLabel: String
    public var groupLabel: String
    public var title: String?

    /// The value axis never runs below this (e.g. 0 for slopes in degrees); unbounded when nil.
    public var valueFloor: Double?

    public init(groups: [Group], valueLabel: String, groupLabel: String = "", title: String? = nil, valueFloor: Double? = nil) {
        self.valueFloor = valueFloor
        self.groups = groups; self.valueLabel = valueLabel; self.groupLabel = groupLabel; self.title = title
    }

    public func validate() throws {
        guard !groups.isEmpty else { throw ChartError.invalidData(chart: "box plot", reason: "no groups") }
        for g in groups where !g.values.contains(where: \.isFinite) {
            throw ChartError.invalidData(chart: "box plot", reason: "group \(g.label) has no finite values")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let stats = groups.map { BoxStatistics($0.values) }
        let lo = stats.map { min($0.lowerWhisker, $0.outliers.first ?? .infinity) }.min()!
        let hi = stats.map { max($0.upperWhisker, $0.outliers.last ?? -.infinity) }.max()!
        let pad = (hi - lo) * 0.04
        let x = Axis.categorical(groups.map(\.label), label: groupLabel)
        let y = Axis.linear(valueFloor.map { max($0, lo - pad) } ?? lo - pad, hi + pad, label: valueLabel)
        // The legend sits right of the plot, where it cannot hide a box.
        let legendEntries = [LegendEntry("Median", .line(t.axisColor, dash: [])), LegendEntry("Mean", .marker(.white, .diamond))]
        let legend = canvas.legendSize(legendEntries)
        let area = drawCartesianFrame(on: canvas, in: rect.inset(right: legend.width + 8), x: x, y: y, title: title)
        let slot = area.rect.width / Double(groups.count)
        let half = min(22, slot * 0.3)
        for (i, s) in stats.enumerated() {
            let cx = area.px(Double(i))
            let color = t.color(i)
            canvas.strokeLine(Point(cx, area.py(s.lowerWhisker)), Point(cx, area.py(s.q1)), color: t.axisColor, width: 0.8)
            canvas.strokeLine(Point(cx, area.py(s.q3)), Point(cx, area.py(s.upperWhisker)), color: t.axisColor, width: 0.8)
            for w in [s.lowerWhisker, s.upperWhisker] {
                canvas.strokeLine(Point(cx - half * 0.5, area.py(w)), Point(cx + half * 0.5, area.py(w)),
                                  color: t.axisColor, width: 0.8)
            }
            let box = Rect(x: cx - half, y: area.py(s.q3), width: 2 * half, height: area.py(s.q1) - area.py(s.q3))
            canvas.fillRect(box, color.withAlpha(0.35))
            canvas.strokeRect(box, color, width: 1)
            canvas.strokeLine(Point(cx - half, area.py(s.median)), Point(cx + half, area.py(s.median)), color: color,
                              width: 1.8)
            canvas.newPath(); canvas.addMarker(.diamond, at: Point(cx, area.py(s.mean)), size: 5)
            canvas.fill(.white, preserve: true); canvas.stroke(t.axisColor, width: 0.7)
            for o in s.outliers {
                canvas.newPath(); canvas.addCircle(center: Point(cx, area.py(o)), radius: 1.4)
                canvas.stroke(color, width: 0.6)
            }
        }
        canvas.drawLegend(legendEntries, at: Point(area.rect.maxX + 8, area.rect.minY))
    }
}

/// A dumbbell chart: for each row two estimates (e.g. landslides vs random points, or two scenarios)
/// as markers joined by a line, each with its 95 % confidence interval as a capped bar.
public struct DumbbellChart: Chart {
    public struct Row: Sendable {
        public var label: String
        public var first: Estimate
        public var second: Estimate
        public init(label: String, first: Estimate, second: Estimate) {
            self.label = label; self.first = first; self.second = second
        }
    }

    public var rows: [Row]
    public var seriesLabels: (String, String)
    public var valueLabel: String
    public var title: String?

    public init(rows: [Row], seriesLabels: (String, String), valueLabel: String, title: String? = nil) {
        self.rows = rows; self.seriesLabels = seriesLabels; self.valueLabel = valueLabel; self.title = title
    }

    public func validate() throws {
        guard !rows.isEmpty else { throw ChartError.invalidData(chart: "dumbbell chart", reason: "no rows") }
        for r in rows {
            for e in [r.first, r.second] where !(e.lower <= e.value && e.value <= e.upper) {
                throw ChartError.invalidData(chart: "dumbbell chart",
                                             reason: "row \(r.label): interval must contain the value")
            }
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let lo = rows.map { min($0.first.lower, $0.second.lower) }.min()!
        let hi = rows.map { max($0.first.upper, $0.second.upper) }.max()!
        let pad = max((hi - lo) * 0.06, 1e-9)
        // Rows top to bottom: category i at y = n − 1 − i.
        let n = rows.count
        var y = Axis.categorical(rows.map(\.label).reversed(), label: "")
        y.lo = -0.6; y.hi = Double(n) - 0.4
        let x = Axis.linear(lo - pad, hi + pad, label: valueLabel)
        let entries = [LegendEntry(seriesLabels.0, .marker(t.color(0), .circle)),
                       LegendEntry(seriesLabels.1, .marker(t.color(1), .square))]
        let legend = canvas.legendSize(entries)
        let area = drawCartesianFrame(on: canvas, in: rect.inset(right: legend.width + 4), x: x, y: y, title: title)
        for (i, r) in rows.enumerated() {
            let cy = area.py(Double(n - 1 - i))
            canvas.strokeLine(Point(area.px(r.first.value), cy), Point(area.px(r.second.value), cy),
                              color: Color(hex: 0xAAAAAA), width: 2.5)
            for (k, e) in [r.first, r.second].enumerated() {
                let dy = 0.0
                let color = t.color(k)
                canvas.strokeLine(Point(area.px(e.lower), cy + dy), Point(area.px(e.upper), cy + dy), color: color, width: 1)
                for end in [e.lower, e.upper] {
                    canvas.strokeLine(Point(area.px(end), cy + dy - 2), Point(area.px(end), cy + dy + 2), color: color,
                                      width: 1)
                }
                canvas.newPath(); canvas.addMarker(k == 0 ? .circle : .square, at: Point(area.px(e.value), cy + dy), size: 6)
                canvas.fill(color, preserve: true); canvas.stroke(.white, width: 0.5)
            }
        }
        canvas.drawLegend(entries, at: Point(area.rect.maxX + 8, area.rect.minY))
        canvas.text("Bars: 95 % CI", at: Point(area.rect.maxX + 8, area.rect.minY + legend.height + 4),
                    size: t.annotationSize, align: .left, vAlign: .top)
    }
}

/// Grouped or stacked bars: categories along x, one bar (or one stack segment) per series.
public struct BarChart: Chart {
    public enum Mode: Sendable { case grouped, stacked }
    public struct Series: Sendable {
        public var label: String
        public var values: [Double]
        /// Grouped bars: an interval per category, [low, high] (e.g. a 95 % interval over replicates),
        /// drawn as a whisker; nil or an empty entry for none.
        public var intervals: [[Double]]?
        public init(label: String, values: [Double], intervals: [[Double]]? = nil) {
            self.label = label; self.values = values; self.intervals = intervals
        }
    }

    public var categories: [String]
    public var series: [Series]
    public var mode: Mode
    public var valueLabel: String
    public var categoryLabel: String
    public var title: String?
    /// Print each bar's value above it (grouped) or inside it (stacked).
    public var showValues: Bool
    public var valueDecimals: Int
    /// Colours per series (the theme's categorical palette when nil).
    public var colors: [Color]?
    /// Grouped bars: where the value axis starts and bars rise from (e.g. 0.5 for AUC); 0 when nil.
    public var baseline: Double?
    /// The value axis never runs above this (e.g. 1 for AUC: the value labels use the title's space).
    public var valueCeiling: Double?
    /// A dashed horizontal reference (e.g. chance, AUC 0.5) with its label.
    public var reference: (value: Double, label: String)?
    /// Grouped bars: the value axis takes in every whisker whole, below the bars' origin too (for
    /// differences, whose intervals crossing 0 are the point); by default whiskers below the origin are cut.
    public var wholeIntervals = false

    public init(categories: [String], series: [Series], mode: Mode = .grouped, valueLabel: String,
                categoryLabel: String = "", title: String? = nil, showValues: Bool = false, valueDecimals: Int = 1,
                colors: [Color]? = nil, baseline: Double? = nil, valueCeiling: Double? = nil,
                reference: (value: Double, label: String)? = nil) {
        self.categories = categories; self.series = series; self.mode = mode; self.valueLabel = valueLabel
        self.categoryLabel = categoryLabel; self.title = title; self.showValues = showValues
        self.valueDecimals = valueDecimals; self.colors = colors; self.baseline = baseline; self.valueCeiling = valueCeiling
        self.reference = reference
    }

    public func validate() throws {
        guard !categories.isEmpty, !series.isEmpty else {
            throw ChartError.invalidData(chart: "bar chart", reason: "needs categories and series")
        }
        // Grouped bars may miss a value (NaN: drawn as a gap marked "n/a"); stacked ones may not.
        for s in series where s.values.count != categories.count
            || s.values.contains(where: { $0.isInfinite || (mode == .stacked && $0.isNaN) }) || s.values.allSatisfy(\.isNaN) {
            throw ChartError.invalidData(chart: "bar chart",
                                         reason: "series \(s.label): needs \(categories.count) finite values")
        }
        if mode == .stacked, series.contains(where: { $0.values.contains { $0 < 0 } }) {
            throw ChartError.invalidData(chart: "bar chart", reason: "stacked bars need non-negative values")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        func color(_ i: Int) -> Color { colors.map { $0[i % $0.count] } ?? t.color(i) }
        let totals = categories.indices.map { c in series.reduce(0) { $0 + $1.values[c] } }
        // Whiskers raise the axis's top (up to the ceiling) but never lower its bottom: the bars' origin
        // stays where it was, and a whisker that reaches below the axis is cut there and marked.
        let whiskers = series.flatMap { $0.intervals?.flatMap { $0 } ?? [] }.filter(\.isFinite)
        let all = series.flatMap(\.values).filter(\.isFinite) + (reference.map { [$0.value] } ?? [])
        let top = mode == .stacked ? totals.max()! : (all + whiskers).max()!
        var bottom = mode == .stacked ? 0 : min(baseline ?? 0, all.min()!)
        // Bars below their origin, or charts of differences, show their whiskers whole: the bottom follows them.
        if mode == .grouped, wholeIntervals || all.min()! < (baseline ?? 0), let low = whiskers.min() { bottom = min(bottom, low) }
        // A reference at the bars' origin stays visible: the axis starts a little below it.
        if mode == .grouped, let reference, reference.value <= bottom { bottom = reference.value - 0.06 * (top - reference.value) }
        let base = mode == .stacked ? 0 : (baseline ?? 0)
        let x = Axis.categorical(categories, label: categoryLabel)
        let headroom = mode == .stacked ? top : top * (showValues ? 1.12 : 1.04)
        let y = valueCeiling.map { ceiling in
            Axis.linear(bottom, min(headroom, ceiling), label: valueLabel, extend: false)
        } ?? Axis.linear(bottom, headroom, label: valueLabel)
        let hasLegend = series.count > 1 || !series[0].label.isEmpty
        // Legend outside, on the right, top to bottom in the order the segments stack (top first).
        let ordered = series.enumerated().map { LegendEntry($1.label, .swatch(color($0))) }
        let entries = mode == .stacked ? Array(ordered.reversed()) : ordered
        let legendWidth = hasLegend ? canvas.legendSize(entries).width + 4 : 0
        let frame = rect.inset(right: legendWidth)
        let rotate = categories.map { canvas.textWidth($0, size: t.tickSize) }.reduce(0, +) > (frame.width - 80) * 0.85
        let area = drawCartesianFrame(on: canvas, in: frame, x: x, y: y, title: title, rotateXLabels: rotate)
        let slot = area.rect.width / Double(categories.count)
        let groupWidth = slot * 0.78
        for c in categories.indices {
            let left = area.px(Double(c)) - groupWidth / 2
            var stackBase = 0.0
            for (s, ser) in series.enumerated() {
                let v = ser.values[c]
                if v.isNaN {
                    let w = groupWidth / Double(series.count)
                    canvas.text("n/a", at: Point(left + (Double(s) + 0.5) * w, area.py(base) - 1.5), size: t.tickSize - 2,
                                color: Color(hex: 0x777777), align: .center, vAlign: .bottom)
                    continue
                }
                let r: Rect
                switch mode {
                case .grouped:
                    let w = groupWidth / Double(series.count)
                    let y0 = area.py(base), y1 = area.py(v)
                    r = Rect(x: left + Double(s) * w, y: min(y0, y1), width: w, height: abs(y0 - y1))
                case .stacked:
                    let y0 = area.py(stackBase), y1 = area.py(stackBase + v)
                    r = Rect(x: left, y: y1, width: groupWidth, height: y0 - y1)
                    stackBase += v
                }
                canvas.fillRect(r, color(s))
                canvas.strokeRect(r, .white, width: 0.5)
                // The interval's whisker; the value label goes above it.
                var labelTop = r.minY
                var labelInside = false
                if mode == .grouped, let iv = ser.intervals, c < iv.count, iv[c].count == 2, iv[c].allSatisfy(\.isFinite) {
                    let lo = area.py(max(y.lo, iv[c][0])), hi = area.py(min(y.hi, iv[c][1]))
                    let cap = min(4, r.width * 0.3)
                    canvas.strokeLine(Point(r.midX, lo), Point(r.midX, hi), color: t.axisColor, width: 1)
                    // A cap where the interval ends; an arrowhead where the axis cuts it.
                    for (end, cut, inward) in [(lo, iv[c][0] < y.lo, -1.0), (hi, iv[c][1] > y.hi, 1.0)] {
                        if cut {
                            canvas.strokeLine(Point(r.midX - cap, end + inward * cap), Point(r.midX, end), color: t.axisColor, width: 1)
                            canvas.strokeLine(Point(r.midX + cap, end + inward * cap), Point(r.midX, end), color: t.axisColor, width: 1)
                        } else {
                            canvas.strokeLine(Point(r.midX - cap, end), Point(r.midX + cap, end), color: t.axisColor, width: 1)
                        }
                    }
                    labelTop = min(labelTop, hi)
                    // Above a whisker cut at the axis's top there is no room: the label goes inside the bar.
                    labelInside = iv[c][1] > y.hi && v >= base
                }
                if showValues {
                    let label = formatNumber(v, decimals: valueDecimals)
                    // Shrink a label to its bar's width; leave it out below 5 pt.
                    let natural = canvas.textWidth(label, size: t.tickSize - 1)
                    let size = min(t.tickSize - 1, (t.tickSize - 1) * r.width * 0.95 / max(natural, 1e-9))
                    if size < 5 { continue }
                    if mode == .grouped && labelInside {
                        let width = canvas.textWidth(label, size: size)
                        canvas.fillRect(Rect(x: r.midX - width / 2 - 1, y: r.minY + 1.5, width: width + 2, height: size + 1),
                                        Color.white.withAlpha(0.9))
                        canvas.text(label, at: Point(r.midX, r.minY + 2), size: size, align: .center, vAlign: .top)
                    } else if mode == .grouped {
                        canvas.text(label, at: Point(r.midX, v >= base ? labelTop - 1.5 : r.maxY + 1.5), size: size,
                                    align: .center, vAlign: v >= base ? .bottom : .top)
                    } else if r.height > size * 1.2 && canvas.textWidth(label, size: size) < r.width {
                        canvas.text(label, at: r.center, size: size, color: color(s).contrastingText, align: .center,
                                    vAlign: .middle)
                    }
                }
            }
        }
        if let reference {
            let y = area.py(reference.value)
            canvas.strokeLine(Point(area.rect.minX, y), Point(area.rect.maxX, y), color: t.axisColor, width: 0.8, dash: [4, 3])
            // The label on a white box, so that a bar behind it does not hide it.
            let size = t.tickSize - 1.5, width = canvas.textWidth(reference.label, size: size)
            canvas.fillRect(Rect(x: area.rect.minX + 2, y: y + 1, width: width + 3, height: size + 2), Color.white.withAlpha(0.85))
            canvas.text(reference.label, at: Point(area.rect.minX + 3.5, y + 1.5), size: size, color: t.axisColor,
                        align: .left, vAlign: .top)
        }
        drawAxisLines(on: canvas, area: area, rotateXLabels: rotate)
        if hasLegend { canvas.drawLegend(entries, at: Point(area.rect.maxX + 8, area.rect.minY)) }
    }
}

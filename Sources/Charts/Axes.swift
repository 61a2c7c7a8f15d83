import Foundation

/// Formats a number for a label: fixed decimals, a true minus sign (U+2212), no "−0".
public func formatNumber(_ v: Double, decimals: Int) -> String {
    let d = max(0, decimals)
    var s = String(format: "%.\(d)f", v)
    if s.hasPrefix("-") {
        let rest = s.dropFirst()
        s = rest.allSatisfy({ $0 == "0" || $0 == "." }) ? String(rest) : "\u{2212}" + rest
    }
    return s
}

/// Formats a large coordinate with thin-space thousands separators: 714000 → "714 000".
public func formatGrouped(_ v: Double) -> String {
    let negative = v < 0
    let digits = String(Int((abs(v)).rounded()))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append("\u{2009}") }
        out.append(ch)
    }
    return (negative ? "\u{2212}" : "") + out
}

/// "Nice" tick positions (1, 2, 2.5 or 5 × 10ᵏ) covering [lo, hi] with about `target` intervals
/// (Heckbert 1990, "Nice numbers for graph labels").
public func niceTicks(_ lo: Double, _ hi: Double, target: Int = 5) -> (ticks: [Double], step: Double) {
    guard lo.isFinite, hi.isFinite else { return ([0, 1], 1) }
    var a = lo, b = hi
    if a == b { a -= 0.5 * max(1, abs(a)); b += 0.5 * max(1, abs(b)) }
    if a > b { swap(&a, &b) }
    let raw = (b - a) / Double(max(1, target))
    let mag = pow(10, floor(log10(raw)))
    let f = raw / mag
    let step = (f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10) * mag
    let first = floor(a / step + 1e-9) * step, last = ceil(b / step - 1e-9) * step
    var ticks: [Double] = []
    var t = first
    while t <= last + step * 1e-9 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t = first + Double(ticks.count) * step
    }
    return (ticks, step)
}

/// Decimals needed to tell ticks `step` apart.
public func decimalsFor(step: Double) -> Int {
    guard step > 0, step.isFinite else { return 0 }
    for d in 0...8 where abs(step * pow(10, Double(d)) - (step * pow(10, Double(d))).rounded()) < 1e-6 { return d }
    return 8
}

/// One axis of a Cartesian chart: its domain, tick positions and labels, and title.
public struct Axis: Sendable {
    public var lo: Double
    public var hi: Double
    public var ticks: [Double]
    public var tickLabels: [String]
    public var label: String

    public init(lo: Double, hi: Double, ticks: [Double], tickLabels: [String], label: String) {
        self.lo = lo; self.hi = hi; self.ticks = ticks; self.tickLabels = tickLabels; self.label = label
    }

    /// Nice ticks over the data range; the domain is widened to the outer ticks when `extend` is true.
    public static func linear(_ lo: Double, _ hi: Double, label: String, target: Int = 5, extend: Bool = true,
                              format: ((Double) -> String)? = nil) -> Axis {
        let (all, step) = niceTicks(lo, hi, target: target)
        let d = decimalsFor(step: step)
        let domainLo = extend ? all.first! : min(lo, hi), domainHi = extend ? all.last! : max(lo, hi)
        let ticks = all.filter { $0 >= domainLo - step * 1e-9 && $0 <= domainHi + step * 1e-9 }
        return Axis(lo: domainLo, hi: domainHi, ticks: ticks,
                    tickLabels: ticks.map { format?($0) ?? formatNumber($0, decimals: d) }, label: label)
    }

    /// A fixed domain with ticks every `step`.
    public static func fixed(_ lo: Double, _ hi: Double, step: Double, label: String) -> Axis {
        let n = Int(((hi - lo) / step).rounded())
        let ticks = (0...n).map { lo + Double($0) * step }
        let d = decimalsFor(step: step)
        return Axis(lo: lo, hi: hi, ticks: ticks, tickLabels: ticks.map { formatNumber($0, decimals: d) }, label: label)
    }

    /// Categories at 0, 1, …, n − 1 with the domain padded by half a slot on each side.
    public static func categorical(_ names: [String], label: String) -> Axis {
        Axis(lo: -0.5, hi: Double(names.count) - 0.5, ticks: names.indices.map(Double.init), tickLabels: names,
             label: label)
    }

    func fraction(_ v: Double) -> Double { hi == lo ? 0.5 : (v - lo) / (hi - lo) }
}

/// The plotting rectangle of a Cartesian chart and the maps from data to points.
public struct PlotArea: Sendable {
    public let rect: Rect
    public let x: Axis
    public let y: Axis
    public func px(_ v: Double) -> Double { rect.minX + x.fraction(v) * rect.width }
    public func py(_ v: Double) -> Double { rect.maxY - y.fraction(v) * rect.height }
    public func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }
}

/// Lays out and draws a Cartesian frame: title, axis labels, ticks with labels, light grid lines.
/// Returns the plotting area for the chart's data.
public func drawCartesianFrame(on canvas: Canvas, in rect: Rect, x: Axis, y: Axis, title: String?,
                               grid: Bool = true, squarePlot: Bool = false, rotateXLabels: Bool = false) -> PlotArea {
    let t = canvas.theme
    var top = t.margin, bottom = t.margin, left = t.margin
    let right = t.margin + 6
    if let title, !title.isEmpty { top += t.titleSize * 1.6 }
    let yTickWidth = y.tickLabels.map { canvas.textWidth($0, size: t.tickSize) }.max() ?? 0
    left += yTickWidth + t.tickLength + 3
    if !y.label.isEmpty { left += t.labelSize * 1.5 }
    let xTickHeight: Double = rotateXLabels
        ? (x.tickLabels.map { canvas.textWidth($0, size: t.tickSize) }.max() ?? 0) * 0.72 + t.tickSize * 0.8
        : t.tickSize * 1.25
    bottom += xTickHeight + t.tickLength + 3
    if !x.label.isEmpty { bottom += t.labelSize * 1.5 }
    top += t.tickSize * 0.6 // room for the top tick label's half height
    var plot = rect.inset(top: top, left: left, bottom: bottom, right: right)
    if squarePlot {
        let s = min(plot.width, plot.height)
        plot = Rect(x: plot.x, y: plot.y, width: s, height: s)
    }
    let area = PlotArea(rect: plot, x: x, y: y)

    if let title, !title.isEmpty {
        canvas.text(title, at: Point(plot.midX, rect.minY + t.margin), size: t.titleSize, bold: true,
                    align: .center, vAlign: .top)
    }
    if grid {
        for v in y.ticks { canvas.strokeLine(Point(plot.minX, area.py(v)), Point(plot.maxX, area.py(v)),
                                             color: t.gridColor, width: t.gridLineWidth) }
        for v in x.ticks { canvas.strokeLine(Point(area.px(v), plot.minY), Point(area.px(v), plot.maxY),
                                             color: t.gridColor, width: t.gridLineWidth) }
    }
    drawAxisLines(on: canvas, area: area, rotateXLabels: rotateXLabels)
    // Axis titles.
    if !x.label.isEmpty {
        canvas.text(x.label, at: Point(plot.midX, rect.maxY - t.margin), size: t.labelSize, align: .center,
                    vAlign: .bottom)
    }
    if !y.label.isEmpty {
        canvas.text(y.label, at: Point(rect.minX + t.margin, plot.midY), size: t.labelSize, align: .center,
                    vAlign: .top, rotationDegrees: 90)
    }
    return area
}

/// The frame's spines, ticks and tick labels (left and bottom), drawn over the data.
public func drawAxisLines(on canvas: Canvas, area: PlotArea, rotateXLabels: Bool = false) {
    let t = canvas.theme, plot = area.rect
    canvas.newPath()
    canvas.addRect(plot)
    canvas.stroke(t.axisColor, width: t.axisLineWidth)
    for (v, label) in zip(area.x.ticks, area.x.tickLabels) {
        let px = area.px(v)
        canvas.strokeLine(Point(px, plot.maxY), Point(px, plot.maxY + t.tickLength), color: t.axisColor,
                          width: t.axisLineWidth)
        if rotateXLabels {
            canvas.text(label, at: Point(px + t.tickSize * 0.3, plot.maxY + t.tickLength + 3), size: t.tickSize,
                        align: .right, vAlign: .top, rotationDegrees: 45)
        } else {
            canvas.text(label, at: Point(px, plot.maxY + t.tickLength + 2), size: t.tickSize, align: .center,
                        vAlign: .top)
        }
    }
    for (v, label) in zip(area.y.ticks, area.y.tickLabels) {
        let py = area.py(v)
        canvas.strokeLine(Point(plot.minX - t.tickLength, py), Point(plot.minX, py), color: t.axisColor,
                          width: t.axisLineWidth)
        canvas.text(label, at: Point(plot.minX - t.tickLength - 2, py), size: t.tickSize, align: .right,
                    vAlign: .middle)
    }
}

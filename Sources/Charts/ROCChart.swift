/// One receiver operating characteristic curve: (FPR, TPR) points from (0, 0) to (1, 1) and its AUC.
public struct ROCCurve: Sendable {
    public var label: String
    public var falsePositiveRate: [Double]
    public var truePositiveRate: [Double]
    public var auc: Double
    /// A band around the curve at the same false-positive rates (e.g. the 2.5 and 97.5 percentiles of
    /// replicate curves), drawn translucent; nil for none.
    public var band: (lower: [Double], upper: [Double])?
    /// The AUC's interval, printed in the legend.
    public var aucInterval: [Double]?
    public init(label: String, falsePositiveRate: [Double], truePositiveRate: [Double], auc: Double,
                band: (lower: [Double], upper: [Double])? = nil, aucInterval: [Double]? = nil) {
        self.label = label; self.falsePositiveRate = falsePositiveRate; self.truePositiveRate = truePositiveRate
        self.auc = auc; self.band = band; self.aucInterval = aucInterval
    }
}

/// ROC curves on the unit square with the chance diagonal; the legend gives each curve's AUC.
public struct ROCChart: Chart {
    public var curves: [ROCCurve]
    public var title: String?
    public var aucDecimals = 3

    public init(curves: [ROCCurve], title: String? = nil) { self.curves = curves; self.title = title }

    /// The square plot and, beneath it, the legend (one row per curve, plus chance).
    public var preferredSize: Size { Size(width: 300, height: 300 + Double(curves.count + 1) * 13 + 12) }

    public func validate() throws {
        guard !curves.isEmpty else { throw ChartError.invalidData(chart: "ROC chart", reason: "no curves") }
        for c in curves where c.falsePositiveRate.count != c.truePositiveRate.count || c.falsePositiveRate.isEmpty
            || c.band.map({ $0.lower.count != c.falsePositiveRate.count || $0.upper.count != c.falsePositiveRate.count }) == true {
            throw ChartError.invalidData(chart: "ROC chart", reason: "curve \(c.label): FPR, TPR and band differ in length or are empty")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let x = Axis.fixed(0, 1, step: 0.2, label: "False positive rate (1 − specificity)")
        let y = Axis.fixed(0, 1, step: 0.2, label: "True positive rate (sensitivity)")
        // The legend goes beneath the plot, where it cannot hide a curve.
        let entries = curves.enumerated().map { i, c in
            LegendEntry("\(c.label) (AUC = \(formatNumber(c.auc, decimals: aucDecimals))"
                        + (c.aucInterval.map { " [\(formatNumber($0[0], decimals: aucDecimals)), \(formatNumber($0[1], decimals: aucDecimals))]" } ?? "")
                        + ")", .line(t.color(i), dash: t.dash(i)))
        } + [LegendEntry("Chance (AUC = 0.5)", .line(.gray, dash: [3, 3]))]
        let legend = canvas.legendSize(entries)
        let area = drawCartesianFrame(on: canvas, in: rect.inset(bottom: legend.height + 6), x: x, y: y, title: title,
                                      squarePlot: true)
        canvas.save(); canvas.clip(to: area.rect.inset(by: -1))
        canvas.strokeLine(area.point(0, 0), area.point(1, 1), color: .gray, width: 0.8, dash: [3, 3])
        for (i, c) in curves.enumerated() {
            guard let band = c.band else { continue }
            canvas.newPath()
            canvas.addPolyline(zip(c.falsePositiveRate, band.upper).map { area.point($0, $1) }
                               + zip(c.falsePositiveRate, band.lower).reversed().map { area.point($0, $1) })
            canvas.fill(t.color(i).withAlpha(0.13))
        }
        for (i, c) in curves.enumerated() {
            canvas.newPath()
            canvas.addPolyline(zip(c.falsePositiveRate, c.truePositiveRate).map { area.point($0, $1) })
            canvas.stroke(t.color(i), width: t.seriesLineWidth, dash: t.dash(i))
        }
        canvas.restore()
        canvas.drawLegend(entries, at: Point(max(rect.minX, area.rect.midX - legend.width / 2), rect.maxY - legend.height - 2))
    }
}

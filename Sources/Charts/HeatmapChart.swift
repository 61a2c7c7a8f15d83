/// A heatmap in a diverging palette centred on 0, each cell printed with its value, and a colour bar:
/// a correlation matrix (square, the same labels on both sides), or with `columnLabels` a rows ×
/// columns table, e.g. a difference over the levels of two varied settings.
public struct HeatmapChart: Chart {
    public var labels: [String]
    public var matrix: [[Double]]
    public var range: ClosedRange<Double>
    public var valueLabel: String
    public var decimals: Int
    public var title: String?
    /// Labels of the columns when they differ from the rows' (nil: a square matrix).
    public var columnLabels: [String]?

    public init(labels: [String], matrix: [[Double]], range: ClosedRange<Double> = -1...1,
                valueLabel: String = "Pearson r", decimals: Int = 2, title: String? = nil, columnLabels: [String]? = nil) {
        self.labels = labels; self.matrix = matrix; self.range = range; self.valueLabel = valueLabel
        self.decimals = decimals; self.title = title; self.columnLabels = columnLabels
    }

    public var preferredSize: Size { Size(width: 340, height: 300) }

    public func validate() throws {
        let columns = columnLabels ?? labels
        guard !labels.isEmpty, !columns.isEmpty, matrix.count == labels.count, matrix.allSatisfy({ $0.count == columns.count }) else {
            throw ChartError.invalidData(chart: "heatmap", reason: "matrix must be \(labels.count) × \(columns.count)")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let n = labels.count
        let columns = columnLabels ?? labels
        let m = columns.count
        let area = canvas.drawTitle(title, in: rect)
        let labelWidth = (labels.map { canvas.textWidth($0, size: t.tickSize) }.max() ?? 0) + 5
        let columnWidth = (columns.map { canvas.textWidth($0, size: t.tickSize) }.max() ?? 0) + 5
        let grid = area.inset(top: 0, left: labelWidth, bottom: columnWidth * 0.75 + 4, right: 58)
            .fitted(aspect: Double(m) / Double(n))
        let cell = grid.width / Double(m)
        let map = ColorMap.divergingBlueRed
        let valueSize = min(t.tickSize, cell * 0.3)
        for i in 0..<n { for j in 0..<m {
            let v = matrix[i][j]
            let r = Rect(x: grid.minX + Double(j) * cell, y: grid.minY + Double(i) * cell, width: cell, height: cell)
            let color = v.isFinite ? map.color(at: (v - range.lowerBound) / (range.upperBound - range.lowerBound))
                                   : Color(hex: 0xEEEEEE)
            canvas.fillRect(r, color)
            canvas.strokeRect(r, .white, width: 0.8)
            canvas.text(v.isFinite ? formatNumber(v, decimals: decimals) : "–", at: r.center, size: valueSize,
                        color: color.contrastingText, align: .center, vAlign: .middle)
        } }
        for (i, l) in labels.enumerated() {
            canvas.text(l, at: Point(grid.minX - 4, grid.minY + (Double(i) + 0.5) * cell), size: t.tickSize,
                        align: .right, vAlign: .middle)
        }
        for (j, l) in columns.enumerated() {
            canvas.text(l, at: Point(grid.minX + (Double(j) + 0.5) * cell + t.tickSize * 0.3, grid.maxY + 4),
                        size: t.tickSize, align: .right, vAlign: .top, rotationDegrees: 45)
        }
        let bar = Rect(x: grid.maxX + 10, y: grid.minY, width: 9, height: grid.height)
        canvas.drawColorBar(map, lo: range.lowerBound, hi: range.upperBound, in: bar, label: valueLabel)
    }
}

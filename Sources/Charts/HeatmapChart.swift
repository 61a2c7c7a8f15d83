/// A correlation heatmap: a square matrix in a diverging palette centred on 0, each cell printed with
/// its value, and a colour bar.
public struct HeatmapChart: Chart {
    public var labels: [String]
    public var matrix: [[Double]]
    public var range: ClosedRange<Double>
    public var valueLabel: String
    public var decimals: Int
    public var title: String?

    public init(labels: [String], matrix: [[Double]], range: ClosedRange<Double> = -1...1,
                valueLabel: String = "Pearson r", decimals: Int = 2, title: String? = nil) {
        self.labels = labels; self.matrix = matrix; self.range = range; self.valueLabel = valueLabel
        self.decimals = decimals; self.title = title
    }

    public var preferredSize: Size { Size(width: 340, height: 300) }

    public func validate() throws {
        guard !labels.isEmpty, matrix.count == labels.count, matrix.allSatisfy({ $0.count == labels.count }) else {
            throw ChartError.invalidData(chart: "heatmap", reason: "matrix must be \(labels.count) × \(labels.count)")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let n = labels.count
        let area = canvas.drawTitle(title, in: rect)
        let labelWidth = (labels.map { canvas.textWidth($0, size: t.tickSize) }.max() ?? 0) + 5
        let grid = area.inset(top: 0, left: labelWidth, bottom: labelWidth * 0.75 + 4, right: 58)
            .fitted(aspect: 1)
        let cell = grid.width / Double(n)
        let map = ColorMap.divergingBlueRed
        let valueSize = min(t.tickSize, cell * 0.3)
        for i in 0..<n { for j in 0..<n {
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
            canvas.text(l, at: Point(grid.minX + (Double(i) + 0.5) * cell + t.tickSize * 0.3, grid.maxY + 4),
                        size: t.tickSize, align: .right, vAlign: .top, rotationDegrees: 45)
        }
        let bar = Rect(x: grid.maxX + 10, y: grid.minY, width: 9, height: grid.height)
        canvas.drawColorBar(map, lo: range.lowerBound, hi: range.upperBound, in: bar, label: valueLabel)
    }
}

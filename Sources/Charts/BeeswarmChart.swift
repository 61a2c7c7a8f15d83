import Foundation
import SummaryStatistics

/// A SHAP beeswarm: one row per feature (largest mean |SHAP| at the top), each explained sample a dot
/// at its SHAP value, stacked where dots crowd, coloured by the feature's value (low blue → high red).
public struct BeeswarmChart: Chart {
    public struct Feature: Sendable {
        public var name: String
        public var shapValues: [Double]
        public var featureValues: [Double]
        public init(name: String, shapValues: [Double], featureValues: [Double]) {
            self.name = name; self.shapValues = shapValues; self.featureValues = featureValues
        }
    }

    public var features: [Feature]
    public var valueLabel: String
    public var title: String?

    public init(features: [Feature], valueLabel: String = "SHAP value (impact on model output)", title: String? = nil) {
        self.features = features; self.valueLabel = valueLabel; self.title = title
    }

    public var preferredSize: Size { Size(width: 380, height: max(200, 60 + 34 * Double(features.count))) }

    public func validate() throws {
        guard !features.isEmpty else { throw ChartError.invalidData(chart: "beeswarm", reason: "no features") }
        for f in features where f.shapValues.count != f.featureValues.count || f.shapValues.isEmpty {
            throw ChartError.invalidData(chart: "beeswarm",
                                         reason: "feature \(f.name): SHAP and feature values differ in length or are empty")
        }
    }

    /// Features ordered by mean |SHAP|, largest first.
    public var ordered: [Feature] {
        features.enumerated().sorted {
            let a = Summary.mean($0.element.shapValues.map(abs)), b = Summary.mean($1.element.shapValues.map(abs))
            return a != b ? a > b : $0.offset < $1.offset
        }.map(\.element)
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let rows = ordered
        let all = rows.flatMap(\.shapValues)
        let span = max(1e-12, (all.max()! - all.min()!))
        var x = Axis.linear(all.min()! - 0.04 * span, all.max()! + 0.04 * span, label: valueLabel)
        x.label = valueLabel
        let n = rows.count
        var y = Axis(lo: -0.5, hi: Double(n) - 0.5, ticks: (0..<n).map(Double.init),
                     tickLabels: rows.map(\.name).reversed(), label: "")
        y.label = ""
        let area = drawCartesianFrame(on: canvas, in: rect.inset(right: 46), x: x, y: y, title: title, grid: false)
        canvas.strokeLine(Point(area.px(0), area.rect.minY), Point(area.px(0), area.rect.maxY), color: .gray, width: 0.6)
        let rowHeight = area.rect.height / Double(n)
        let dot = 2.6
        for (r, f) in rows.enumerated() {
            let cy = area.py(Double(n - 1 - r))
            canvas.strokeLine(Point(area.rect.minX, cy), Point(area.rect.maxX, cy), color: t.gridColor, width: 0.4,
                              dash: [1, 2])
            let lo = f.featureValues.filter(\.isFinite).min() ?? 0, hi = f.featureValues.filter(\.isFinite).max() ?? 1
            // Swarm: quantise x to the dot size, spread each bin's dots alternately above and below the row.
            let order = f.shapValues.indices.sorted { f.shapValues[$0] < f.shapValues[$1] }
            var binCounts: [Int: Int] = [:]
            var offsets = [Double](repeating: 0, count: f.shapValues.count)
            for i in order {
                let bin = Int((area.px(f.shapValues[i]) / dot).rounded())
                let k = binCounts[bin, default: 0]
                binCounts[bin] = k + 1
                offsets[i] = Double((k + 1) / 2) * (k % 2 == 0 ? 1 : -1)
            }
            let maxOffset = max(1, offsets.map(abs).max() ?? 1)
            let scale = min(dot * 0.9, rowHeight * 0.42 / maxOffset)
            for i in order {
                let p = Point(area.px(f.shapValues[i]), cy + offsets[i] * scale)
                let v = f.featureValues[i]
                let color = v.isFinite ? ColorMap.featureValue.color(at: hi > lo ? (v - lo) / (hi - lo) : 0.5) : .gray
                canvas.newPath(); canvas.addCircle(center: p, radius: dot / 2)
                canvas.fill(color.withAlpha(0.85))
            }
        }
        drawAxisLines(on: canvas, area: area)
        let bar = Rect(x: area.rect.maxX + 14, y: area.rect.minY + area.rect.height * 0.1, width: 7,
                       height: area.rect.height * 0.8)
        var pixels: [UInt32] = []
        for i in 0..<64 { pixels.append(ColorMap.featureValue.color(at: 1 - (Double(i) + 0.5) / 64).premultipliedARGB) }
        canvas.drawImage(argb: pixels, width: 1, height: 64, in: bar)
        canvas.text("High", at: Point(bar.midX, bar.minY - 2), size: t.tickSize, align: .center, vAlign: .bottom)
        canvas.text("Low", at: Point(bar.midX, bar.maxY + 2), size: t.tickSize, align: .center, vAlign: .top)
        canvas.text("Feature value", at: Point(bar.maxX + 3, bar.midY), size: t.tickSize, align: .center,
                    vAlign: .bottom, rotationDegrees: -90)
    }
}

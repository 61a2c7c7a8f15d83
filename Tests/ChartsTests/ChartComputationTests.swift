@testable import Charts
import Foundation
import SummaryStatistics
import Testing

/// The numbers charts compute before drawing, against NumPy's and textbook values.
@Suite struct ChartComputationTests {
    @Test func boxStatisticsMatchNumPyPercentiles() {
        // numpy.percentile(range(1, 11), [25, 50, 75]) = 3.25, 5.5, 7.75 (linear, type 7).
        let s = BoxStatistics((1...10).map(Double.init))
        #expect(s.q1 == 3.25 && s.median == 5.5 && s.q3 == 7.75)
        #expect(s.lowerWhisker == 1 && s.upperWhisker == 10 && s.outliers.isEmpty && s.mean == 5.5)
        // With 50 added: numpy gives q1 = 3.5, q3 = 8.5; the fence 8.5 + 1.5 × 5 = 16 makes 50 an outlier.
        let t = BoxStatistics((1...10).map(Double.init) + [50])
        #expect(t.q1 == 3.5 && t.q3 == 8.5 && t.upperWhisker == 10 && t.outliers == [50])
    }

    @Test func histogramCountsMatchNumPy() {
        // numpy.histogram([0, .5, 1, 1.5, 2, 2.5, 3], bins=3) → edges [0, 1, 2, 3], counts [2, 2, 3].
        let h = HistogramChart(values: [0, 0.5, 1, 1.5, 2, 2.5, 3], bins: 3, xLabel: "x").counts()
        #expect(h.edges == [0, 1, 2, 3] && h.counts == [2, 2, 3])
        // numpy.histogram([1, 2, 2, 3, 10], bins=2, range=(0, 4)) → [3, 1] (10 is outside).
        #expect(HistogramChart(values: [1, 2, 2, 3, 10], bins: 2, range: 0...4, xLabel: "x").counts().counts == [1, 3])
    }

    @Test func confidenceIntervalOfTheMean() {
        // 1…5: mean 3, s = √2.5, half-width 1.959964 · √2.5 / √5 = 1.385904.
        let e = Estimate.meanWithCI95([1, 2, 3, 4, 5])
        #expect(e.value == 3)
        #expect(abs(e.upper - 3 - 1.3859038243496782) < 1e-12 && abs(3 - e.lower - 1.3859038243496782) < 1e-12)
        #expect(abs(Summary.standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]) - 2.138089935299395) < 1e-12)
    }

    @Test func niceTicksAndLabels() {
        #expect(niceTicks(0, 0.93).ticks.map { ($0 * 10).rounded() / 10 } == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(niceTicks(1711.2, 3164.2, target: 3).ticks == [1500, 2000, 2500, 3000, 3500])
        #expect(niceTicks(-0.06, 0.062, target: 5).step == 0.025)
        #expect(formatNumber(-1.5, decimals: 1) == "\u{2212}1.5")
        #expect(formatNumber(-0.0001, decimals: 2) == "0.00")
        #expect(formatGrouped(9_560_750) == "9\u{2009}560\u{2009}750")
        #expect(formatGrouped(712) == "712")
        #expect(decimalsFor(step: 0.25) == 2 && decimalsFor(step: 5) == 0 && decimalsFor(step: 0.1) == 1)
    }

    @Test func ternaryDensityCellsPartitionTheTriangle() {
        // n = 2: four small triangles. (a, b, c) → band of a, band of c, orientation.
        #expect(TernaryChart.densityCell((1, 0, 0), divisions: 2) == (1, 0, true))
        #expect(TernaryChart.densityCell((0.2, 0.6, 0.2), divisions: 2) == (0, 0, true))
        #expect(TernaryChart.densityCell((0.4, 0.2, 0.4), divisions: 2) == (0, 0, false))
        #expect(TernaryChart.densityCell((0, 0, 1), divisions: 2) == (0, 1, true))
        // Equal areas: uniform points on the simplex fill the n² cells equally (within sampling error).
        var counts = [String: Int]()
        let n = 3, m = 300
        for i in 0...m { for j in 0...(m - i) {
            let a = Double(i) / Double(m), c = Double(j) / Double(m)
            let cell = TernaryChart.densityCell((a, 1 - a - c, c), divisions: n)
            counts["\(cell.i),\(cell.j),\(cell.upward)", default: 0] += 1
        } }
        #expect(counts.count == n * n)
        let mean = Double(counts.values.reduce(0, +)) / Double(n * n)
        #expect(counts.values.allSatisfy { abs(Double($0) - mean) / mean < 0.05 }, "\(counts)")
    }

    @Test func rasterResamplingTakesTheCellUnderEachPixelCentre() {
        // 4 × 2 cells numbered 0…7, halved in each direction: pixel centres fall on cells (row 1, col 1) and (1, 3).
        let g = MapGrid(columns: 4, rows: 2, west: 0, north: 0, cellSize: 1)
        let img = rasterImage(grid: g, maxColumns: 2, maxRows: 1) { UInt32($0) }
        #expect(img.w == 2 && img.h == 1 && img.pixels == [5, 7])
        // No upsampling: a small raster keeps its own size.
        let same = rasterImage(grid: g, maxColumns: 100, maxRows: 100) { UInt32($0) }
        #expect(same.w == 4 && same.h == 2 && same.pixels == Array(0..<8).map(UInt32.init))
    }

    @Test func coloursAndMaps() {
        #expect(ColorMap.viridis.color(at: 0) == Color(hex: 0x440154))
        #expect(ColorMap.viridis.color(at: 1) == Color(hex: 0xFDE725))
        #expect(ColorMap.viridis.color(at: 0.5) == Color(hex: 0x21918C))
        #expect(Color(hex: 0xFF0000, alpha: 0.5).premultipliedARGB == 0x8080_0000)
        #expect(Color.white.contrastingText == .black && Color(hex: 0x08306B).contrastingText == .white)
        #expect(Theme.standard.susceptibility.count == Theme.susceptibilityClassNames.count)
    }
}

import Charts
import Foundation
import Testing
import TestSupport

/// PNG and PDF files: valid (poppler's `pdfinfo` reads them), the requested size, reproducible byte
/// for byte, never half-written, and with legends that state what the data say.
@Suite struct OutputFileTests {
    /// Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian).
    static func pngSize(_ path: String) throws -> (Int, Int) {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(d.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG signature")
        func be32(_ o: Int) -> Int { d[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    @Test(arguments: Specimens.all().map(\.name))
    func pdfIsValidAndPngHasTheRequestedPixels(name: String) throws {
        let chart = try #require(Specimens.all().first { $0.name == name }?.chart)
        let dir = try TemporaryDirectory()
        let size = chart.preferredSize
        try chart.render(to: dir.path("f.pdf"))
        let info = try runProcess("pdfinfo", [dir.path("f.pdf")])
        #expect(info.status == 0, "pdfinfo rejected \(name).pdf: \(info.stderr)")
        #expect(info.stdout.contains("Pages:           1"))
        let pageSize = String(format: "Page size:       %g x %g pts", size.width, size.height)
        #expect(info.stdout.contains(pageSize), "expected \(pageSize) in\n\(info.stdout)")
        for dpi in [72.0, 200.0] {
            try chart.render(to: dir.path("f.png"), dpi: dpi)
            let (w, h) = try Self.pngSize(dir.path("f.png"))
            #expect(w == Int((size.width * dpi / 72).rounded()) && h == Int((size.height * dpi / 72).rounded()),
                    "\(name) at \(dpi) dpi: \(w) × \(h) pixels")
        }
    }

    @Test func filesAreReproducibleByteForByte() throws {
        let dir = try TemporaryDirectory()
        for ext in ["png", "pdf", "svg"] {
            try Specimens.classedMap().render(to: dir.path("a.\(ext)"))
            try Specimens.classedMap().render(to: dir.path("b.\(ext)"))
            let a = try Data(contentsOf: URL(fileURLWithPath: dir.path("a.\(ext)")))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir.path("b.\(ext)")))
            #expect(a == b, "two renderings of the same map differ as .\(ext)")
        }
    }

    @Test func unknownFormatAndUnwritablePlaceFailWithoutLeavingFiles() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: ChartError.unknownFormat(path: dir.path("f.gif"))) {
            try Specimens.roc().render(to: dir.path("f.gif"))
        }
        #expect(throws: ChartError.self) { try Specimens.roc().render(to: dir.path("missing/f.pdf")) }
        #expect(throws: ChartError.self) { try Specimens.roc().render(to: dir.path("missing/f.png")) }
        let left = try dir.contents()
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func invalidDataIsRejectedBeforeDrawing() throws {
        let dir = try TemporaryDirectory()
        let bad: [any Chart] = [
            ROCChart(curves: [ROCCurve(label: "x", falsePositiveRate: [0, 1], truePositiveRate: [0], auc: 0.5)]),
            HistogramChart(values: [.nan], xLabel: "x"),
            RadarChart(series: [.init(label: "a", values: [1, 2, 3])], valueLabel: "%"),
            BarChart(categories: ["a", "b"], series: [.init(label: "s", values: [1])], valueLabel: "v"),
            HeatmapChart(labels: ["a", "b"], matrix: [[1, 0]]),
            ClassedMapChart(grid: MapGrid(columns: 2, rows: 2, west: 0, north: 0, cellSize: 1), classes: [0, 1, 2]),
            ClassedMapChart(grid: MapGrid(columns: 1, rows: 1, west: 0, north: 0, cellSize: 1), classes: [7]),
            TernaryChart(series: [.init(label: "t", points: [(-1, 1, 1)])], axisLabels: ("a", "b", "c")),
            DumbbellChart(rows: [.init(label: "r", first: Estimate(value: 5, lower: 6, upper: 7),
                                       second: Estimate(value: 1, lower: 0, upper: 2))],
                          seriesLabels: ("a", "b"), valueLabel: "v"),
        ]
        for (i, chart) in bad.enumerated() {
            #expect(throws: ChartError.self, "chart \(i) should be rejected") { try chart.render(to: dir.path("\(i).pdf")) }
        }
        #expect(try dir.contents().isEmpty)
    }

    /// The text of the PDF (poppler's `pdftotext`) carries the numbers the legend claims; they are
    /// checked against the data by an independent computation.
    @Test func rocLegendAUCsAreTheAreasUnderTheDrawnCurves() throws {
        let dir = try TemporaryDirectory()
        let chart = Specimens.roc()
        try chart.render(to: dir.path("roc.pdf"))
        let text = try runProcess("pdftotext", ["-raw", dir.path("roc.pdf"), "-"]).stdout
        for c in chart.curves {
            // Trapezoidal area under the plotted points (200 intervals): within 2e-3 of the binormal AUC.
            var area = 0.0
            for k in 1..<c.falsePositiveRate.count {
                area += (c.falsePositiveRate[k] - c.falsePositiveRate[k - 1]) * (c.truePositiveRate[k] + c.truePositiveRate[k - 1]) / 2
            }
            #expect(abs(area - c.auc) < 2e-3, "\(c.label): area \(area) vs legend \(c.auc)")
            #expect(text.contains("\(c.label) (AUC = \(String(format: "%.3f", area)))"), "legend text:\n\(text)")
        }
        #expect(text.contains("Chance (AUC = 0.5)"))
    }

    @Test func classedMapLegendGivesEachClassShareOfTheValidCells() throws {
        let dir = try TemporaryDirectory()
        // 3 × 4 cells: 6 in class 0, 3 in class 1, 1 in class 2, 2 outside → 60 %, 30 %, 10 %.
        let chart = ClassedMapChart(grid: MapGrid(columns: 4, rows: 3, west: 500_000, north: 9_000_000, cellSize: 100),
                                    classes: [0, 0, 0, 255, 0, 0, 0, 255, 1, 1, 1, 2],
                                    classNames: ["Low", "Medium", "High"],
                                    colors: [Color(hex: 0xFFFFB2), Color(hex: 0xFD8D3C), Color(hex: 0xBD0026)],
                                    points: [(500_050, 8_999_950)])
        try chart.render(to: dir.path("m.pdf"))
        let text = try runProcess("pdftotext", ["-raw", dir.path("m.pdf"), "-"]).stdout
        for expected in ["Low (60.0 %)", "Medium (30.0 %)", "High (10.0 %)", "Landslides (1)", "N", "100 m"] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
    }

    @Test func greekLettersReachThePDFAsText() throws {
        let dir = try TemporaryDirectory()
        try Specimens.histogram().render(to: dir.path("h.pdf"))
        try Specimens.box().render(to: dir.path("b.pdf"))
        try Specimens.continuousMap().render(to: dir.path("m.pdf"))
        let text = try ["h", "b", "m"].map { try runProcess("pdftotext", ["-raw", dir.path("\($0).pdf"), "-"]).stdout }
            .joined(separator: "\n")
        for s in ["μ = ", "σ = ", "φ′", "β"] { #expect(text.contains(s), "missing \(s)") }
    }
}

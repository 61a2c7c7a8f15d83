import Charts
import Foundation
import Testing
import TestSupport

/// Every chart type, drawn from the fixed specimen data, against committed SVG files.
///
/// SVG is compared as text, byte for byte: Cairo writes the same file for the same drawing. A
/// deliberate change to a chart is re-recorded with
/// `LANDSLIDE_RECORD_GOLDEN=1 swift test --filter GoldenFigureTests` — then look at the PNGs
/// (`make gallery`) before committing the new SVGs. The files depend on Cairo (1.16) and the
/// DejaVu fonts (fonts-dejavu-core) of the Debian image CI uses.
@Suite struct GoldenFigureTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["LANDSLIDE_RECORD_GOLDEN"] == "1"
    /// The composite panel figure is made of the other specimens; its golden file would repeat theirs.
    static let names = Specimens.all().map(\.name).filter { $0 != "panels" }

    @Test(arguments: names)
    func svgMatchesGoldenFile(name: String) throws {
        let chart = try #require(Specimens.all().first { $0.name == name }?.chart)
        let dir = try TemporaryDirectory()
        let path = dir.path("\(name).svg")
        try chart.render(to: path)
        let produced = try Data(contentsOf: URL(fileURLWithPath: path))
        let golden = Self.goldenDirectory.appendingPathComponent("\(name).svg")
        if Self.recording {
            try produced.write(to: golden)
            return
        }
        let expected = try #require(try? Data(contentsOf: golden),
                                    "no golden file \(golden.path); record it with LANDSLIDE_RECORD_GOLDEN=1")
        #expect(produced == expected, "\(name).svg differs from \(golden.path); if the change is intended, re-record (see the suite's doc comment)")
    }

    @Test func panelFigureLettersItsPanels() {
        #expect((0..<4).map(PanelFigure.letter) == ["(a)", "(b)", "(c)", "(d)"])
        #expect(PanelFigure.letter(25) == "(z)")
        #expect(PanelFigure.letter(26) == "(aa)")
        let p = Specimens.panels()
        #expect(p.rows == 2)
        #expect(p.preferredSize == Size(width: 600, height: 520))
    }
}

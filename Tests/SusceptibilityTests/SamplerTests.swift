import Foundation
import GeoRaster
import Randomness
import Testing
import TestSupport
@testable import Susceptibility

/// Each sampler keeps its promises: no sample in a landslide cell or the exclusion buffer, the minimum
/// spacing, the requested count, and the same samples for the same seed.
@Suite struct SamplerTests {
    static let grid = Grid<Float>(rows: 60, cols: 80, repeating: 1,
                                  geoTransform: GeoTransform(originX: 0, pixelWidth: 10, originY: 600, pixelHeight: -10),
                                  nodata: -9999)
    static let landslides = [5 * 80 + 7, 30 * 80 + 40, 31 * 80 + 40, 50 * 80 + 70]

    func distance(_ a: Int, _ b: Int) -> Double {
        let dr = Double(a / 80 - b / 80) * 10, dc = Double(a % 80 - b % 80) * 10
        return (dr * dr + dc * dc).squareRoot()
    }

    @Test(arguments: [(0.0, 0.0), (50.0, 30.0), (120.0, 45.0)])
    func promises(exclusionMeters: Double, spacingMeters: Double) throws {
        let candidates = NegativeSampling.outsideBuffer(Self.grid, landslides: Self.landslides, bufferMeters: exclusionMeters)
        var g9 = SeededGenerator(seed: 9), g9b = SeededGenerator(seed: 9), g10 = SeededGenerator(seed: 10)
        let drawn = try NegativeSampling.draw(candidates: candidates, geoTransform: Self.grid.geoTransform, rows: 60, cols: 80,
                                              count: 40, spacingMeters: spacingMeters, avoid: Self.landslides, generator: &g9,
                                              sampler: "test")
        #expect(drawn.count == 40)
        #expect(Set(drawn).count == 40)
        for d in drawn {
            #expect(!Self.landslides.contains(d))
            for l in Self.landslides { #expect(distance(d, l) > exclusionMeters) }
        }
        for (i, a) in drawn.enumerated() { for b in drawn[(i + 1)...] { #expect(distance(a, b) >= spacingMeters) } }
        let again = try NegativeSampling.draw(candidates: candidates, geoTransform: Self.grid.geoTransform, rows: 60, cols: 80,
                                              count: 40, spacingMeters: spacingMeters, avoid: Self.landslides, generator: &g9b,
                                              sampler: "test")
        #expect(again == drawn, "same seed, same samples")
        let other = try NegativeSampling.draw(candidates: candidates, geoTransform: Self.grid.geoTransform, rows: 60, cols: 80,
                                              count: 40, spacingMeters: spacingMeters, avoid: Self.landslides, generator: &g10,
                                              sampler: "test")
        #expect(other != drawn)
    }

    @Test func tooFewCandidatesIsAClearError() {
        var candidates = [Bool](repeating: false, count: 60 * 80)
        for i in 0..<10 { candidates[i] = true }
        var g1 = SeededGenerator(seed: 1)
        #expect(throws: SamplingError(sampler: "slope", candidates: 10, drawn: 10, requested: 20)) {
            try NegativeSampling.draw(candidates: candidates, geoTransform: Self.grid.geoTransform, rows: 60, cols: 80,
                                      count: 20, spacingMeters: 0, avoid: [], generator: &g1, sampler: "slope")
        }
    }

    /// The POF region: threshold (strict >), opening, closing with rectangles, as OpenCV; stable = not unstable.
    @Test func pofStableRegion() {
        var pof = [Float](repeating: 0.1, count: 10 * 10)
        for r in 2..<6 { for c in 2..<6 { pof[r * 10 + c] = 0.9 } }  // a 4 × 4 unstable block survives opening
        pof[8 * 10 + 8] = 0.95                                          // a lone cell does not
        let grid = Grid(rows: 10, cols: 10, nodata: -9999, values: pof)
        let stable = NegativeSampling.pofStableRegion(grid, threshold: 0.5, openSize: 3, closeSize: 3)
        #expect(!stable[3 * 10 + 3] && !stable[2 * 10 + 2])
        #expect(stable[8 * 10 + 8], "isolated unstable cell removed by the opening")
        #expect(stable.filter { !$0 }.count == 16)
    }
}

@Suite struct InformationValueTests {
    /// Two classes, 6 and 4 cells; 3 landslides all in class 1: I₁ = ln((3/3)/(4/10)) = ln 2.5, and class 0
    /// (no landslide) takes N = ½: I₀ = ln((0.5/3)/(6/10)).
    @Test func handExample() throws {
        let factor = try ClassedFactor(name: "f", values: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], categorical: true)
        let model = InformationValueModel(factors: [factor], landslideCells: [6, 7, 9])
        #expect(abs(model.values[0][1] - log(2.5)) < 1e-12)
        #expect(abs(model.values[0][0] - log((0.5 / 3) / 0.6)) < 1e-12)
        #expect(model.total[8] == model.values[0][1] && model.total[0] == model.values[0][0])
    }

    /// Quantile classes of 1…10 in 5 classes: upper bounds at ranks ⌈10·j/5⌉ = 2, 4, 6, 8, two values per class.
    @Test func quantileClasses() throws {
        let f = try ClassedFactor(name: "q", values: (1...10).map(Double.init) + [.nan], classes: 5, method: .quantiles)
        #expect(f.classes == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1])
    }

    /// PCA weights sum to 1; two factors that are copies of each other weigh the same.
    @Test func pcaWeights() {
        var rng: UInt64 = 7
        func next() -> Double { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Double(rng >> 11) / Double(1 << 53) }
        let a = (0..<500).map { _ in next() }, b = (0..<500).map { _ in next() }
        let w = PCAWeights(names: ["a", "a copy", "b"], columns: [a, a, b])
        #expect(abs(w.weights.reduce(0, +) - 1) < 1e-12)
        #expect(abs(w.weights[0] - w.weights[1]) < 1e-9)
        #expect(w.kept.count == 3)
        #expect(abs(w.eigenvalues.reduce(0, +) - 3) < 1e-9, "the trace of a correlation matrix")
    }
}

/// Step 6 (METHODS.md A4): the output map's grey-level opening and closing.
@Suite struct MapCleaningTests {
    /// A one-cell peak and a one-cell pit are narrower than a 3 × 3 element: opening removes the peak,
    /// closing fills the pit; a cell without a value stays without one and does not pull its neighbours.
    @Test func openingAndClosingRemoveNarrowPeaksAndPitsAndIgnoreMissingCells() {
        var v = [Float](repeating: 1, count: 49)
        v[2 * 7 + 2] = 9      // a peak
        v[4 * 7 + 4] = -5     // a pit
        v[6 * 7 + 0] = .nan   // no value
        var valid = [Bool](repeating: true, count: 49)
        valid[6 * 7 + 0] = false
        let out = MapCleaning.clean(v, valid: valid, rows: 7, cols: 7, openSize: 3, closeSize: 3)
        #expect(out[6 * 7 + 0].isNaN)
        for i in 0..<49 where i != 6 * 7 + 0 { #expect(out[i] == 1, "cell \(i): \(out[i])") }
        // A plateau wider than the element, two cells from the border, survives both. (One cell from the
        // border, closing would take the border in: OpenCV ignores pixels outside the image.)
        var wide = [Float](repeating: 0, count: 81)
        for r in 2...5 { for c in 2...5 { wide[r * 9 + c] = 5 } }
        #expect(MapCleaning.clean(wide, valid: [Bool](repeating: true, count: 81), rows: 9, cols: 9, openSize: 3, closeSize: 3) == wide)
    }
}

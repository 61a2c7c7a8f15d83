import Foundation
import GeoRaster
import Reliability
import Terrain
import Testing
import TestSupport
@testable import SlopePhysics

/// PRL-STIM routing against closed forms and the water balance.
@Suite struct PRLSTIMTests {
    /// A plane descending east at `slope` degrees, `cols` cells of 10 m, 3 rows.
    static func plane(cols: Int, slopeDegrees: Double) -> Grid<Float> {
        let drop = 10 * tan(slopeDegrees * .pi / 180)
        return Grid(rows: 3, cols: cols,
                    geoTransform: GeoTransform(originX: 0, pixelWidth: 10, originY: 30, pixelHeight: -10),
                    nodata: -9999, values: (0..<(3 * cols)).map { Float(500 - drop * Double($0 % cols)) })
    }

    /// On an east-draining plane with P > k_s, column c receives the excess of the c cells above it:
    /// supply_c = P + c (P − k_s); every cell infiltrates k_s; z_w = min(k_s t / (n ΔS cos β), h_s).
    @Test func runOnAlongAPlaneIsTheClosedForm() throws {
        let dem = Self.plane(cols: 6, slopeDegrees: 20)
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let depth = Grid<Float>(like: dem, nodata: -9999, values: [Float](repeating: 2, count: dem.count))
        let soil = SoilHydraulics(porosity: 0.4, finalSaturation: 1, initialSaturation: 0.5,
                                  saturatedConductivityMetersPerSecond: 2e-6)
        let p = 5e-6, hours = 2.0
        let r = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soil: soil,
                            steps: [(hours * 3600, p)])
        for col in 0..<6 {
            let beta = Double(slope[1, col]) * .pi / 180  // the Float32 slope the model was given (≈ 20°)
            #expect(abs(beta - 20 * Double.pi / 180) < 1e-6)
            let c = 1 * 6 + col
            #expect(abs(Double(r.supplyMetersPerSecond[c]) - (p + Double(col) * (p - 2e-6))) < 1e-12)
            #expect(abs(r.infiltrationMeters[c] - 2e-6 * hours * 3600) < 1e-12)
            #expect(abs(r.wettingFrontMeters[c] - min(2e-6 * hours * 3600 / (0.2 * cos(beta)), 2)) < 1e-9)
        }
        #expect(r.balanceError < 1e-12)
    }

    /// The regime report on the closed-form plane: with P < k_s every cell is supply-limited and nothing
    /// is routed; with P > k_s every cell is capacity-limited and the routed volume is the closed form
    /// Σ_c (supply_c − k_s) t · area, supply_c = P + c (P − k_s) (6 columns, 3 rows).
    @Test func infiltrationRegimeIsTheClosedForm() throws {
        let dem = Self.plane(cols: 6, slopeDegrees: 20)
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let depth = Grid<Float>(like: dem, nodata: -9999, values: [Float](repeating: 2, count: dem.count))
        let ks = 2e-6, hours = 2.0
        let soil = SoilHydraulics(porosity: 0.4, finalSaturation: 1, initialSaturation: 0.5, saturatedConductivityMetersPerSecond: ks)
        let valid = [Bool](repeating: true, count: dem.count)
        let dry = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soil: soil, steps: [(hours * 3600, 1e-6)])
            .regime(saturatedConductivityMetersPerSecond: ks, rainMetersPerSecond: [1e-6], valid: valid, cellAreaSquareMeters: 100)
        #expect(dry.supplyLimitedCells == 18 && dry.capacityLimitedCells == 0 && dry.routedRunoffCubicMeters == 0)
        #expect(abs(dry.peakRainMillimetersPerHour - 3.6) < 1e-9 && abs(dry.saturatedConductivityMillimetersPerHour - 7.2) < 1e-9)
        let p = 5e-6
        let wet = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soil: soil, steps: [(hours * 3600, p)])
            .regime(saturatedConductivityMetersPerSecond: ks, rainMetersPerSecond: [p], valid: valid, cellAreaSquareMeters: 100)
        #expect(wet.capacityLimitedCells == 18)
        let expected = 3 * (0..<6).map { c in (p + Double(c) * (p - ks) - ks) * hours * 3600 * 100 }.reduce(0, +)
        #expect(abs(wet.routedRunoffCubicMeters - expected) / expected < 1e-9)
    }

    /// On Loja under a storm heavier than k_s, rain in = infiltration + outflow at the outlets to 1e-9.
    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func waterIsConservedOnLoja() throws {
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let depth = try SoilDepthZModel.depth(dem, minMeters: 0.1, maxMeters: 3)
        let soil = SoilHydraulics(porosity: 0.12, finalSaturation: 1, initialSaturation: 0.67,
                                  saturatedConductivityMetersPerSecond: 2.5e-6)
        let steps = try Hyetograph(endHours: [1, 2, 3, 5], intensityMillimetersPerHour: [4, 30, 12, 0]).steps()
        let r = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soil: soil, steps: steps)
        #expect(r.outflowAtOutlets > 0.1 * r.rainIn, "the storm produces real runoff")
        #expect(r.balanceError < 1e-9)
        // ~6·10⁵ additions: allow their accumulated rounding.
        #expect(abs(r.rainIn - 46e-3 * 158_326) / r.rainIn < 1e-10)
    }

    /// The hyetograph: steps, totals, truncation at the evaluation time, and validation naming the line.
    @Test func hyetographSteps() throws {
        let h = try Hyetograph(endHours: [1, 3, 4], intensityMillimetersPerHour: [2, 5, 1])
        #expect(abs(h.totalMillimeters() - 13) < 1e-12)
        #expect(abs(h.totalMillimeters(until: 2) - 7) < 1e-12)
        #expect(h.steps(until: 2).map(\.seconds) == [3600, 3600])
        let dir = try TemporaryDirectory()
        let bad = try dir.write("# storm\nelapsed_h,intensity_mm_per_h\n1,2\n1,3\n", to: "bad.csv")
        #expect { try Hyetograph.read(csv: bad) } throws: { "\($0)".contains("bad.csv:4") && "\($0)".contains("increasing") }
        let negative = try dir.write("elapsed_h,intensity_mm_per_h\n1,-2\n", to: "neg.csv")
        #expect { try Hyetograph.read(csv: negative) } throws: { "\($0)".contains("neg.csv:2") }
    }

    /// The shipped reconstruction of Study A's storm: 104.3 mm in 18 h, 52.15 mm by 21:00 (9 h).
    @Test func studyAStormReconstruction() throws {
        let path = TestPaths.repositoryRoot.appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path
        let h = try Hyetograph.read(csv: path)
        #expect(abs(h.totalMillimeters() - 104.3) < 1e-9)
        #expect(abs(h.totalMillimeters(until: 9) - 52.15) < 1e-9)
        #expect(h.endHours.count == 18)
    }

    /// With no moisture deficit (S_f ≤ S_o) the front is at h_s, the limit of the formula as the deficit
    /// falls to 0⁺, so the wetting front is continuous there.
    @Test func zeroDeficitSaturatesTheColumn() {
        let beta = 0.5
        let justAbove = InfiniteSlope.wettingFront(infiltrationMeters: 0.05, porosity: 0.4, finalSaturation: 0.50001,
                                                   initialSaturation: 0.5, soilDepthMeters: 1.5, slopeRadians: beta)
        let none = InfiniteSlope.wettingFront(infiltrationMeters: 0.05, porosity: 0.4, finalSaturation: 0.5,
                                              initialSaturation: 0.5, soilDepthMeters: 1.5, slopeRadians: beta)
        let negative = InfiniteSlope.wettingFront(infiltrationMeters: 0.05, porosity: 0.4, finalSaturation: 0.4,
                                                  initialSaturation: 0.5, soilDepthMeters: 1.5, slopeRadians: beta)
        #expect(justAbove == 1.5 && none == 1.5 && negative == 1.5)
    }
}

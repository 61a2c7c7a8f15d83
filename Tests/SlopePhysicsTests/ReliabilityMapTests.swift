import Foundation
import GeoRaster
import Reliability
import Terrain
import Testing
import TestSupport
@testable import SlopePhysics

/// The map-scale FORM on a 60 × 60 window of Loja under Study A's reconstructed storm (9 h).
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct ReliabilityMapTests {
    static func window(cov: Double) throws -> (ReliabilityMap, PRLSTIMResult) {
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self,
                                    window: RasterWindow(row: 150, col: 150, rows: 60, cols: 60))
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let depth = try SoilDepthZModel.depth(dem, minMeters: 0.1, maxMeters: 3)
        let storm = try Hyetograph.read(csv: TestPaths.repositoryRoot
            .appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path).steps(until: 9)
        let soil = SoilHydraulics(porosity: 0.12, finalSaturation: 1, initialSaturation: 0.67,
                                  saturatedConductivityMetersPerSecond: 2.5e-5)
        let result = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soil: soil, steps: storm)
        let means = [18.5, 20, 0.12, 1, 0.67, 25, 2.5e-5]
        let uncertainty = CellUncertainty(marginals: means.map { .normal(mean: $0, sd: cov * $0) } + [.fixed(1)],
                                          soilDepth: { .normal(mean: $0, sd: cov * $0) },
                                          correlation: .identity(8))
        return (try ReliabilityMap.compute(slopeDegrees: slope, soilDepthMeters: depth, storm: result,
                                           uncertainty: uncertainty, profile: .c), result)
    }

    /// With normal marginals the origin of the standard space is the means, so β < 0 (POF > ½) exactly
    /// where FOS at the means is below 1.
    @Test func betaSignFollowsFOSAtTheMeans() throws {
        let (map, _) = try Self.window(cov: 0.2)
        #expect(map.converged > 3000 && map.notConverged == 0)
        var checked = 0
        for i in 0..<map.status.count where map.status.values[i] == CellStatus.converged.rawValue {
            #expect((map.beta.values[i] < 0) == (map.fos.values[i] < 1), "cell \(i)")
            #expect(map.pof.values[i] >= 0 && map.pof.values[i] <= 1)
            checked += 1
        }
        #expect(checked == map.converged)
    }

    /// As COV → 0 the map becomes the deterministic verdict: POF > 0.99 where FOS(mean) < 0.97 and
    /// POF < 0.01 where FOS(mean) > 1.03 (at COV 0.001 the FOS spread is ~0.3 %, so 3 % is ~10 SD).
    @Test func vanishingCOVMapIsTheDeterministicMap() throws {
        let (map, _) = try Self.window(cov: 0.001)
        var unstable = 0, stable = 0
        for i in 0..<map.status.count where map.status.values[i] == CellStatus.converged.rawValue {
            let fos = map.fos.values[i]
            if fos < 0.97 { #expect(map.pof.values[i] > 0.99); unstable += 1 }
            if fos > 1.03 { #expect(map.pof.values[i] < 0.01); stable += 1 }
        }
        #expect(unstable > 50 && stable > 1000, "the window has both kinds of cell")
    }
}

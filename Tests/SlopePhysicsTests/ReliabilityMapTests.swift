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
    static func window(cov: Double, correlation: CorrelationMatrix = .identity(8), lognormal: Bool = false)
        throws -> (ReliabilityMap, PRLSTIMResult) {
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
        let marginal: @Sendable (Double) -> Marginal = { m in
            lognormal ? .lognormal(mean: m, sd: cov * m) : .normal(mean: m, sd: cov * m)
        }
        let uncertainty = CellUncertainty(marginals: means.map(marginal) + [.fixed(1)], soilDepth: marginal,
                                          correlation: correlation)
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

    /// Issue G2's degeneracy, proved on the map: with normal marginals and signed β, POF < 0.5 ⇔ FOS at the
    /// means > 1, whatever the COV or the correlation, so Study A's POF < 0.5 sampler picks the same cells
    /// in every COV and correlation scenario. A threshold other than 0.5, or lognormal marginals (whose
    /// standard-space origin is the medians, not the means), make the scenarios matter.
    @Test func pofBelowHalfIsTheSameCellsAtEveryCOVAndCorrelation() throws {
        var correlated = Array(repeating: Array(repeating: 0.0, count: 8), count: 8)
        for i in 0..<8 { correlated[i][i] = 1 }
        correlated[0][1] = -0.5; correlated[1][0] = -0.5  // c′–φ′, as Study A's CN/CL scenarios
        let maps = try [(0.05, CorrelationMatrix.identity(8)), (0.2, .identity(8)), (0.3, .identity(8)),
                        (0.2, try CorrelationMatrix(correlated))].map { try Self.window(cov: $0.0, correlation: $0.1).0 }
        let n = maps[0].pof.count
        let everywhere = (0..<n).filter { i in maps.allSatisfy { $0.pof.isValid(at: i) } }
        #expect(everywhere.count > 3000)
        func stable(_ map: ReliabilityMap, below threshold: Float) -> Set<Int> {
            Set(everywhere.filter { map.pof.values[$0] < threshold })
        }
        let atHalf = maps.map { stable($0, below: 0.5) }
        for (k, set) in atHalf.enumerated().dropFirst() { #expect(set == atHalf[0], "scenario \(k) picks other cells at 0.5") }
        #expect(atHalf[0].count > 100 && atHalf[0].count < everywhere.count, "both stable and unstable cells")
        // At 0.1 the COV moves the boundary.
        let atTenth = maps.prefix(3).map { stable($0, below: 0.1) }
        #expect(atTenth[0] != atTenth[2], "COV 0.05 and 0.3 pick the same cells at POF < 0.1")
        // With lognormal marginals the COV moves the 0.5 boundary too.
        let lognormal = try [0.05, 0.3].map { try Self.window(cov: $0, lognormal: true).0 }
        let common = everywhere.filter { i in lognormal.allSatisfy { $0.pof.isValid(at: i) } }
        let sets = lognormal.map { m in Set(common.filter { m.pof.values[$0] < 0.5 }) }
        #expect(sets[0] != sets[1], "lognormal marginals: COV 0.05 and 0.3 pick the same cells at 0.5")
    }
}

import Foundation
import GeoRaster
import NeuralNet
import Randomness
import StudyCore
import Stages
import Twin
import ExperimentKit
import Testing
import TestSupport

/// The criterion: the dense map equals per-patch evaluation to 1e-5 on Loja — Study A's
/// channels from the real DEM (slope, aspect, elevation, D8, Z-model soil depth), a patch CNN with
/// the full 17 × 17 geometry (kernel 3; fewer channels to keep the debug-build test short) and
/// non-trivial batch-norm statistics, every cell within 8 cells of the raster edge or of nodata
/// (where padding matters) plus 2,000 random interior cells.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct DenseMapLojaTests {
    @Test func denseMapEqualsPatchByPatchOnLoja() throws {
        let config = try StudyConfig.load(TestPaths.lojaConfig)
        let context = try StudyContext(config)
        let factors = try FactorLayers.load(context, names: FactorLayers.studyAChannels)
        let raster = factors.raster(moments: factors.moments())
        var g = SeededGenerator(seed: 31)
        let net: Network<Float> = Models.patchCNN(inputChannels: 5, patch: 17, kernel: 3, channels: 6, hidden: 12,
                                                  dropout: 0.2, generator: &g)
        for case let bn as BatchNorm<Float> in net.layers {
            bn.runningMean = (0..<bn.channels).map { _ in Float(0.2 * g.nextNormal()) }
            bn.runningVariance = (0..<bn.channels).map { _ in Float(0.5 + g.nextUnit()) }
        }
        let dense = try DenseMap.probabilities(net, factors: raster)
        let rows = raster.rows, cols = raster.columns
        // Cells whose patch touches the edge or an invalid cell.
        var near = [Bool](repeating: false, count: rows * cols)
        for r in 0..<rows { for c in 0..<cols where !raster.valid[r * cols + c] || r < 8 || c < 8 || r >= rows - 8 || c >= cols - 8 {
            for dr in -8...8 { for dc in -8...8 {
                let rr = r + dr, cc = c + dc
                if rr >= 0, rr < rows, cc >= 0, cc < cols { near[rr * cols + cc] = true }
            } }
        } }
        var cells = (0..<(rows * cols)).filter { near[$0] && raster.valid[$0] }
        let interior = (0..<(rows * cols)).filter { !near[$0] && raster.valid[$0] }
        for _ in 0..<2000 { cells.append(interior[Int(g.nextUnit() * Double(interior.count))]) }
        let reference = DenseMap.patchByPatch(net, factors: raster, cells: cells)
        let worst = zip(cells, reference).map { abs(dense[$0] - $1) }.max()!
        #expect(worst <= 1e-5, "max |dense − patch| = \(worst) over \(cells.count) cells")
        #expect(cells.count > 10_000)
        #expect((0..<(rows * cols)).allSatisfy { raster.valid[$0] != dense[$0].isNaN })
    }
}

@testable import NeuralNet
import Randomness
import Testing

/// The dense map against cutting a patch per cell, on a synthetic raster with a nodata hole and
/// cells on every edge. (The same comparison on Loja's real layers is in StudyTests.)
@Suite struct DenseMapTests {
    static func trainedLikeNetwork(channels: Int, patch: Int, kernel: Int, width: Int, hidden: Int) -> Network<Float> {
        var g = SeededGenerator(seed: 21)
        let net: Network<Float> = Models.patchCNN(inputChannels: channels, patch: patch, kernel: kernel, channels: width,
                                                  hidden: hidden, dropout: 0.3, generator: &g)
        // Non-trivial batch-norm statistics, as after training.
        for case let bn as BatchNorm<Float> in net.layers {
            bn.runningMean = (0..<bn.channels).map { _ in Float(0.3 * g.nextNormal()) }
            bn.runningVariance = (0..<bn.channels).map { _ in Float(0.5 + g.nextUnit()) }
            bn.gamma.value = (0..<bn.channels).map { _ in Float(1 + 0.2 * g.nextNormal()) }
            bn.beta.value = (0..<bn.channels).map { _ in Float(0.1 * g.nextNormal()) }
        }
        return net
    }

    /// Odd widths leave a channel and an output without a partner in the FFT head's paired transforms.
    @Test(arguments: [(17, 3, 6, 10), (9, 2, 6, 10), (13, 4, 6, 10), (17, 3, 5, 7)])
    func denseMapEqualsPatchByPatch(patch: Int, kernel: Int, width: Int, hidden: Int) throws {
        var g = SeededGenerator(seed: 22)
        let rows = 23, cols = 31, ch = 3
        var valid = [Bool](repeating: true, count: rows * cols)
        for r in 9..<13 { for c in 12..<17 { valid[r * cols + c] = false } }
        let raster = FactorRaster(channels: ch, rows: rows, columns: cols,
                                  values: (0..<(ch * rows * cols)).map { _ in Float(g.nextNormal()) }, valid: valid)
        let net = Self.trainedLikeNetwork(channels: ch, patch: patch, kernel: kernel, width: width, hidden: hidden)
        let dense = try DenseMap.probabilities(net, factors: raster, tileRows: 5)
        let shifted = try DenseMap.probabilities(net, factors: raster, tileRows: 5, head: .shiftedGEMM)
        let cells = (0..<(rows * cols)).filter { valid[$0] }
        let reference = DenseMap.patchByPatch(net, factors: raster, cells: cells)
        var worst: Float = 0
        var worstShifted: Float = 0
        for (k, cell) in cells.enumerated() {
            worst = max(worst, abs(dense[cell] - reference[k])); worstShifted = max(worstShifted, abs(shifted[cell] - reference[k]))
        }
        #expect(worst <= 1e-5, "max |dense (FFT head) − patch| = \(worst)")
        #expect(worstShifted <= 1e-5, "max |dense (shifted GEMM head) − patch| = \(worstShifted)")
        #expect((0..<(rows * cols)).filter { !valid[$0] }.allSatisfy { dense[$0].isNaN })
        #expect(Set(reference.map { ($0 * 100).rounded() }).count > 5, "the network's outputs should vary across cells")
    }
}

/// A convolution over a large image runs in bands of output rows (``Conv2D/inferInBands``); each band's
/// im2col must read its rows of every channel plane of the whole image.
@Suite struct ConvolutionBandTests {
    @Test(arguments: [1, 2, 5])
    func bandsEqualTheWholeImage(bandRows: Int) {
        var g = SeededGenerator(seed: 5)
        let conv = Conv2D<Float>(inChannels: 3, outChannels: 4, kernel: (3, 3), generator: &g)
        conv.bias.value = [0.1, -0.2, 0.3, 0]
        let x = Tensor<Float>(shape: [2, 3, 13, 17], data: (0..<(2 * 3 * 13 * 17)).map { _ in Float(g.nextNormal()) })
        let whole = conv.infer(x), banded = conv.inferInBands(x, bandRows: bandRows)
        #expect(banded.shape == whole.shape)
        let worst = zip(whole.data, banded.data).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5, "max |banded − whole| = \(worst)")
    }
}

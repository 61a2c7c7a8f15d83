import Foundation
import NeuralNet
import Randomness
import Testing

@Suite struct TrainingTests {
    static func toyProblem(seed: UInt64) -> LabelledSet<Float> {
        var g = SeededGenerator(seed: seed)
        let n = 200
        var x: [Float] = [], y: [Int] = []
        for _ in 0..<n {
            let v = (0..<13).map { _ in Float(g.nextNormal()) }
            x += v
            y.append(v[0] + 0.5 * v[3] - v[7] > 0 ? 1 : 0)
        }
        return LabelledSet(inputs: Tensor(shape: [n, 13, 1], data: x), labels: y)
    }

    /// Same seed ⇒ the same weights, bit for bit (shuffling, dropout and initialisation all come from
    /// the injected generator; batches are split over threads in a fixed way).
    @Test func trainingIsDeterministicForASeed() {
        func run() -> [[Float]] {
            var g = SeededGenerator(seed: 11)
            let net: Network<Float> = Models.lstm(inputs: 13, hidden: 6, generator: &g)
            let data = Self.toyProblem(seed: 12)
            Trainer.train(net, on: data, optimizer: Adam<Float>(learningRate: 0.01), options: TrainingOptions(epochs: 5, batchSize: 32),
                          generator: &g)
            return net.parameters.map(\.value)
        }
        #expect(run() == run())
        func runCNN() -> [[Float]] {
            var g = SeededGenerator(seed: 13)
            let net: Network<Float> = Models.patchCNN(inputChannels: 2, patch: 9, kernel: 3, channels: 4, hidden: 8, dropout: 0.3,
                                                      generator: &g)
            let x = Tensor<Float>(shape: [40, 2, 9, 9], data: (0..<(40 * 2 * 81)).map { _ in Float(g.nextNormal()) })
            Trainer.train(net, on: LabelledSet(inputs: x, labels: (0..<40).map { $0 % 2 }),
                          optimizer: SGD<Float>(learningRate: 0.01, weightDecay: 1e-3), options: TrainingOptions(epochs: 3, batchSize: 16),
                          generator: &g)
            return net.parameters.map(\.value)
        }
        #expect(runCNN() == runCNN())
    }

    /// Early stopping keeps the epoch with the lowest validation loss.
    @Test func earlyStoppingKeepsTheBestEpoch() {
        var g = SeededGenerator(seed: 14)
        let net: Network<Float> = Models.cnn1D(inputs: 13, channels: 4, generator: &g)
        let all = Self.toyProblem(seed: 15)
        let x1d = all.inputs.reshaped([all.count, 1, 13, 1])
        let train = LabelledSet(inputs: x1d.gather(Array(0..<60)), labels: Array(all.labels[0..<60]))
        let valid = LabelledSet(inputs: x1d.gather(Array(60..<200)), labels: Array(all.labels[60..<200]))
        let h = Trainer.train(net, on: train, validation: valid, optimizer: Adam<Float>(learningRate: 0.05),
                              options: TrainingOptions(epochs: 200, batchSize: 16, patience: 10), generator: &g)
        let best = h.validationLoss.min()!
        #expect(h.validationLoss[h.bestEpoch - 1] == best)
        #expect(abs(Trainer.loss(net, on: valid) - best) < 1e-6, "restored weights give the best validation loss")
        #expect(h.stoppedEarly && h.validationLoss.count == h.bestEpoch + 10)
    }

    /// Shapley values of a fitted surrogate explain the response (Study A's use: AUC as a function of
    /// threshold, opening and closing kernels). For an additive response the exact values are known,
    /// φ_j = f_j(x_j) − mean_b f_j(b_j); a GP fitted to 40 design points reproduces them to 0.02.
    @Test func shapleyValuesOfAGPSurrogate() {
        var g = SeededGenerator(seed: 16)
        func response(_ x: [Double]) -> Double { 0.8 - 0.3 * (x[0] - 0.5) * (x[0] - 0.5) - 0.1 * x[1] + 0.05 * sin(3 * x[2]) }
        let design = (0..<40).map { _ in (0..<3).map { _ in g.nextUnit() } }
        let gp = GaussianProcess(inputs: design, targets: design.map(response), generator: &g)
        let background = Array(design.prefix(20))
        let surrogate: Shapley.Model = { $0.map { gp.predict($0).mean } }
        for x in [[0.1, 0.9, 0.3], [0.6, 0.2, 0.8]] {
            let phi = Shapley.exact(x, background: background, model: surrogate).values
            let truth = Shapley.exact(x, background: background, model: { $0.map(response) }).values
            for j in 0..<3 { #expect(abs(phi[j] - truth[j]) < 0.02, "feature \(j): surrogate \(phi[j]) vs \(truth[j])") }
        }
    }
}

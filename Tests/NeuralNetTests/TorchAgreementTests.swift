import Foundation
import NeuralNet
import Randomness
import Testing

/// The same weights and batch through our networks and through PyTorch (Fixtures/torch_fixtures.json,
/// made by Fixtures/make_torch_fixtures.py with Debian's python3-torch, float64): loss, every
/// parameter gradient, the input gradient, batch-norm running statistics and one Adam step.
///
/// Tolerance, per array: max |ours − torch| ≤ 1e-4 · max |torch| (the 1e-4 relative). In
/// Float64 the agreement is ~1e-12; in Float32, ~1e-6.
@Suite struct TorchAgreementTests {
    struct Case: Decodable {
        let parameters: [[Double]]
        let input_shape: [Int]
        let input: [Double]
        let labels: [Int]
        let loss: Double
        let gradients: [[Double]]
        let input_gradient: [Double]
        let batchnorm_running: [[[Double]]]
        let after_adam_step: [[Double]]
        let adam: [String: Double]
    }
    struct File: Decodable { let patch_cnn: Case; let lstm: Case }

    static let fixtures: File = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torch_fixtures.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    static func close(_ ours: [Double], _ torch: [Double], _ what: String, relative: Double = 1e-4,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == torch.count, "\(what): \(ours.count) vs \(torch.count) values", sourceLocation: sourceLocation)
        let scale = max(torch.map(abs).max() ?? 0, 1e-300)
        let worst = zip(ours, torch).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= relative * scale, "\(what): max difference \(worst) vs scale \(scale)", sourceLocation: sourceLocation)
    }

    static func run<S: NetScalar>(_ net: Network<S>, _ c: Case, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let params = net.parameters
        #expect(params.count == c.parameters.count, "\(name): \(params.count) parameter arrays vs torch's \(c.parameters.count)")
        for (p, v) in zip(params, c.parameters) { p.value = v.map { S($0) } }
        let x = Tensor<S>(shape: c.input_shape, data: c.input.map { S($0) })
        // The training path (`backpropagate`: parameters' gradients only, the first layer's input
        // gradient never formed) gives torch's gradients too; its batch-norm update is undone.
        let state = net.batchNormState()
        net.zeroGradients()
        net.backpropagate(Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: c.labels).gradient)
        for (i, (p, tg)) in zip(params, c.gradients).enumerated() {
            close(p.grad.map(Double.init), tg, "\(name) training-path gradient of parameter \(i) (\(p.name))",
                  sourceLocation: sourceLocation)
        }
        net.restoreBatchNormState(state)
        net.zeroGradients()
        let (loss, g) = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: c.labels)
        let dx = net.backward(g)
        #expect(abs(Double(loss) - c.loss) <= 1e-4 * abs(c.loss), "\(name): loss \(loss) vs torch \(c.loss)",
                sourceLocation: sourceLocation)
        for (i, (p, tg)) in zip(params, c.gradients).enumerated() {
            close(p.grad.map(Double.init), tg, "\(name) gradient of parameter \(i) (\(p.name))", sourceLocation: sourceLocation)
        }
        close(dx.data.map(Double.init), c.input_gradient, "\(name) input gradient", sourceLocation: sourceLocation)
        let bns = net.layers.compactMap { $0 as? BatchNorm<S> }
        #expect(bns.count == c.batchnorm_running.count)
        for (bn, r) in zip(bns, c.batchnorm_running) {
            close(bn.runningMean.map(Double.init), r[0], "\(name) running mean", sourceLocation: sourceLocation)
            close(bn.runningVariance.map(Double.init), r[1], "\(name) running variance", sourceLocation: sourceLocation)
        }
        // One Adam step; entries whose gradient is rounding noise (|g| < 1e-9 · max) have no defined sign.
        let adam = Adam<S>(learningRate: c.adam["learning_rate"]!, weightDecay: c.adam["weight_decay"]!)
        adam.step(params)
        for (i, (p, after)) in zip(params, c.after_adam_step).enumerated() {
            let gmax = c.gradients[i].map(abs).max() ?? 0
            let keep = c.gradients[i].indices.filter { abs(c.gradients[i][$0]) >= 1e-9 * gmax }
            close(keep.map { Double(p.value[$0]) }, keep.map { after[$0] }, "\(name) parameter \(i) after Adam",
                  sourceLocation: sourceLocation)
        }
    }

    @Test func patchCNNWithBatchNormAndPoolingMatchesPyTorch() {
        var g = SeededGenerator(seed: 1)
        let d: Network<Double> = Models.patchCNN(inputChannels: 6, patch: 17, kernel: 3, channels: 8, hidden: 16,
                                                 dropout: 0, generator: &g)
        Self.run(d, Self.fixtures.patch_cnn, name: "patch CNN (Float64)")
        let f: Network<Float> = Models.patchCNN(inputChannels: 6, patch: 17, kernel: 3, channels: 8, hidden: 16,
                                                dropout: 0, generator: &g)
        Self.run(f, Self.fixtures.patch_cnn, name: "patch CNN (Float32)")
    }

    @Test func lstmMatchesPyTorch() {
        var g = SeededGenerator(seed: 2)
        let d: Network<Double> = Models.lstm(inputs: 13, hidden: 6, generator: &g)
        Self.run(d, Self.fixtures.lstm, name: "LSTM (Float64)")
        let f: Network<Float> = Models.lstm(inputs: 13, hidden: 6, generator: &g)
        Self.run(f, Self.fixtures.lstm, name: "LSTM (Float32)")
    }
}

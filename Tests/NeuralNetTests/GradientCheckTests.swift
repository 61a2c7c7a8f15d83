import NeuralNet
import Randomness
import Testing

/// Back-propagation checked against central finite differences, in Float64, for every layer and
/// every model: loss = mean softmax cross-entropy of the network's outputs.
///
/// Tolerance: |analytic − numeric| ≤ 1e-6 · max(1, |numeric|) with step h = 1e-5. Central
/// differences err by O(h²·f‴) ≈ 1e-10 here, and rounding by O(ε/h) ≈ 1e-11, so 1e-6 leaves room
/// for curvature while any wrong term in a gradient (typically ≥ 1e-3) fails.
@Suite struct GradientCheckTests {
    static func randomInput(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.nextNormal() })
    }

    /// Checks ∂L/∂θ for up to `samples` entries of every parameter and ∂L/∂x for up to `samples` inputs.
    static func check(_ net: Network<Double>, input: Tensor<Double>, labels: [Int], samples: Int = 12,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        func loss() -> Double { Loss.softmaxCrossEntropy(net.forward(input, training: true), labels: labels).loss }
        net.zeroGradients()
        let (_, g) = Loss.softmaxCrossEntropy(net.forward(input, training: true), labels: labels)
        let dx = net.backward(g)
        let h = 1e-5
        var picker = SeededGenerator(seed: 99)
        var checked = 0
        for p in net.parameters {
            let idx = p.value.count <= samples ? Array(p.value.indices)
                : (0..<samples).map { _ in Int(picker.nextUnit() * Double(p.value.count)) }
            for i in idx {
                let keep = p.value[i]
                p.value[i] = keep + h; let up = loss()
                p.value[i] = keep - h; let down = loss()
                p.value[i] = keep
                let numeric = (up - down) / (2 * h)
                #expect(abs(p.grad[i] - numeric) <= 1e-6 * max(1, abs(numeric)),
                        "\(net.name) \(p.name)[\(i)]: analytic \(p.grad[i]) vs numeric \(numeric)", sourceLocation: sourceLocation)
                checked += 1
            }
        }
        var x = input
        for _ in 0..<samples {
            let i = Int(picker.nextUnit() * Double(x.count))
            let keep = x.data[i]
            x.data[i] = keep + h
            let up = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels).loss
            x.data[i] = keep - h
            let down = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels).loss
            x.data[i] = keep
            let numeric = (up - down) / (2 * h)
            #expect(abs(dx.data[i] - numeric) <= 1e-6 * max(1, abs(numeric)),
                    "\(net.name) input[\(i)]: analytic \(dx.data[i]) vs numeric \(numeric)", sourceLocation: sourceLocation)
        }
        #expect(checked > 0)
    }

    @Test func conv2DValidAndSame() {
        for padding in [Padding.valid, .same] {
            for kernel in [(3, 3), (2, 2), (4, 1)] {
                var g = SeededGenerator(seed: 1)
                let conv = Conv2D<Double>(inChannels: 3, outChannels: 4, kernel: kernel, padding: padding, generator: &g)
                let out = conv.outputShape([3, 6, 5]).reduce(1, *)
                let net = Network<Double>(name: "conv \(padding) \(kernel)", inputShape: [3, 6, 5],
                                          layers: [conv, Dense<Double>(inputs: out, outputs: 2, generator: &g)])
                Self.check(net, input: Self.randomInput([5, 3, 6, 5], seed: 2), labels: [0, 1, 1, 0, 1])
            }
        }
    }

    @Test func reluTanhMaxPoolAndBatchNorm() {
        var g = SeededGenerator(seed: 3)
        let layers: [(String, [any Layer<Double>], Int)] = [
            ("relu", [ReLU<Double>()], 2 * 6 * 6),
            ("tanh", [Tanh<Double>()], 2 * 6 * 6),
            ("maxpool s2", [MaxPool2D<Double>(pool: (2, 2), stride: (2, 2))], 2 * 3 * 3),
            ("maxpool s1", [MaxPool2D<Double>(pool: (2, 2), stride: (1, 1))], 2 * 5 * 5),
            ("batchnorm", [BatchNorm<Double>(channels: 2)], 2 * 6 * 6),
        ]
        for (name, ls, out) in layers {
            let net = Network<Double>(name: name, inputShape: [2, 6, 6],
                                      layers: ls + [Dense<Double>(inputs: out, outputs: 2, generator: &g)])
            Self.check(net, input: Self.randomInput([4, 2, 6, 6], seed: 4), labels: [1, 0, 0, 1])
        }
    }

    @Test func batchNormInFeatureVectors() {
        var g = SeededGenerator(seed: 5)
        let net = Network<Double>(name: "bn1d", inputShape: [7], layers: [
            Dense<Double>(inputs: 7, outputs: 5, generator: &g), BatchNorm<Double>(channels: 5), Tanh<Double>(),
            Dense<Double>(inputs: 5, outputs: 2, generator: &g)])
        Self.check(net, input: Self.randomInput([6, 7], seed: 6), labels: [0, 1, 0, 1, 1, 0])
    }

    @Test func lstmThroughTime() {
        var g = SeededGenerator(seed: 7)
        let net = Network<Double>(name: "lstm", inputShape: [9, 3], layers: [
            LSTM<Double>(inputs: 3, hidden: 5, generator: &g), Dense<Double>(inputs: 5, outputs: 2, generator: &g)])
        Self.check(net, input: Self.randomInput([4, 9, 3], seed: 8), labels: [0, 1, 1, 0])
    }

    @Test func dropoutBackwardUsesTheForwardMask() {
        var g = SeededGenerator(seed: 9)
        let d = Dropout<Double>(probability: 0.4, generator: &g)
        let x = Self.randomInput([3, 50], seed: 10)
        let y = d.forward(x, training: true)
        let dy = Self.randomInput([3, 50], seed: 11)
        let dx = d.backward(dy)
        var dropped = 0
        for i in 0..<x.count {
            let m = y.data[i] / x.data[i]   // 0 or 1/(1 − p)
            #expect(abs(m) < 1e-12 || abs(m - 1 / 0.6) < 1e-12)
            #expect(abs(dx.data[i] - m * dy.data[i]) < 1e-12)
            if abs(m) < 1e-12 { dropped += 1 }
        }
        #expect(dropped > 30 && dropped < 90, "dropped \(dropped) of 150 at p = 0.4")
        #expect(d.forward(x, training: false) == x)
    }

    @Test func everyModel() {
        var g = SeededGenerator(seed: 12)
        let patch: Network<Double> = Models.patchCNN(inputChannels: 3, patch: 9, kernel: 2, channels: 4, hidden: 6,
                                                     dropout: 0, generator: &g)
        Self.check(patch, input: Self.randomInput([4, 3, 9, 9], seed: 13), labels: [1, 0, 1, 0], samples: 6)
        let bp: Network<Double> = Models.bp(inputs: 13, hidden: 6, generator: &g)
        Self.check(bp, input: Self.randomInput([5, 13], seed: 14), labels: [1, 0, 1, 0, 0])
        let lstm: Network<Double> = Models.lstm(inputs: 13, hidden: 6, generator: &g)
        Self.check(lstm, input: Self.randomInput([5, 13, 1], seed: 15), labels: [1, 0, 1, 0, 0])
        let cnn: Network<Double> = Models.cnn1D(inputs: 13, channels: 4, generator: &g)
        Self.check(cnn, input: Self.randomInput([5, 1, 13, 1], seed: 16), labels: [1, 0, 1, 0, 0])
    }
}

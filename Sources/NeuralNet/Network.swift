import Foundation

/// Layers in sequence, with a softmax output read as class probabilities.
public final class Network<Scalar: NetScalar> {
    public let layers: [any Layer<Scalar>]
    /// Shape of one input sample (without the batch dimension).
    public let inputShape: [Int]
    public let name: String

    public init(name: String, inputShape: [Int], layers: [any Layer<Scalar>]) {
        self.name = name; self.inputShape = inputShape; self.layers = layers
    }

    public var parameters: [Parameter<Scalar>] { layers.flatMap { $0.parameters } }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Logits (or linear outputs) for a batch.
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        var t = x
        for layer in layers { t = layer.forward(t, training: training) }
        return t
    }

    /// Inference-mode outputs without touching any layer's state (thread-safe).
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var t = x
        for layer in layers { t = layer.infer(t) }
        return t
    }

    /// Back-propagates ∂L/∂output through every layer, accumulating parameter gradients; returns ∂L/∂input.
    @discardableResult
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        var g = dy
        for layer in layers.reversed() { g = layer.backward(consume g) }
        return g
    }

    /// Back-propagation for training: the parameters' gradients only (∂L/∂input is not formed).
    public func backpropagate(_ dy: Tensor<Scalar>) {
        var g = dy
        for layer in layers.dropFirst().reversed() { g = layer.backward(consume g) }
        layers.first?.accumulateParameterGradients(g)
    }

    public func zeroGradients() { for p in parameters { p.zeroGrad() } }

    /// Class probabilities (softmax of the outputs) in inference mode, in batches of `batchSize`.
    public func probabilities(_ x: Tensor<Scalar>, batchSize: Int = 256) -> [[Double]] {
        var out: [[Double]] = []
        var start = 0
        while start < x.batch {
            let idx = Array(start..<min(x.batch, start + batchSize))
            let logits = infer(x.gather(idx))
            out += Loss.softmax(logits).map { $0.map(Double.init) }
            start += batchSize
        }
        return out
    }

    /// Copies of every parameter's values (for early stopping's "best so far").
    public func snapshot() -> [[Scalar]] { parameters.map { $0.value } }
    public func restore(_ s: [[Scalar]]) { for (p, v) in zip(parameters, s) { p.value = v } }

    /// Batch-norm running statistics, which are state but not parameters.
    public func batchNormState() -> [[Scalar]] {
        layers.compactMap { $0 as? BatchNorm<Scalar> }.flatMap { [$0.runningMean, $0.runningVariance] }
    }
    public func restoreBatchNormState(_ s: [[Scalar]]) {
        for (k, bn) in layers.compactMap({ $0 as? BatchNorm<Scalar> }).enumerated() {
            bn.runningMean = s[2 * k]; bn.runningVariance = s[2 * k + 1]
        }
    }
}

public enum Loss {
    /// Row-wise softmax of [N, K] logits, stabilised by the row maximum.
    public static func softmax<S: NetScalar>(_ logits: Tensor<S>) -> [[S]] {
        let k = logits.shape[1]
        return (0..<logits.batch).map { i in
            let row = logits.data[(i * k)..<((i + 1) * k)]
            let m = row.max()!
            let e = row.map { S.exp($0 - m) }
            let z = e.reduce(0, +)
            return e.map { $0 / z }
        }
    }

    /// Mean softmax cross-entropy over the batch and its gradient with respect to the logits:
    /// L = −(1/N) Σ log softmax(z_i)[y_i];  ∂L/∂z_i = (softmax(z_i) − onehot(y_i)) / N.
    public static func softmaxCrossEntropy<S: NetScalar>(_ logits: Tensor<S>, labels: [Int]) -> (loss: S, gradient: Tensor<S>) {
        let n = logits.batch, k = logits.shape[1]
        let p = softmax(logits)
        var loss: S = 0
        var g = [S](repeating: 0, count: n * k)
        for i in 0..<n {
            loss -= S.log(max(p[i][labels[i]], S.leastNormalMagnitude))
            for j in 0..<k { g[i * k + j] = (p[i][j] - (j == labels[i] ? 1 : 0)) / S(n) }
        }
        return (loss / S(n), Tensor(shape: logits.shape, data: g))
    }

    /// ½ Σ w² over the decaying parameters (add λ times this to a loss for L2 regularisation).
    public static func l2<S: NetScalar>(_ parameters: [Parameter<S>]) -> S {
        parameters.filter { $0.decays }.reduce(0) { acc, p in acc + p.value.reduce(0) { $0 + $1 * $1 } / 2 }
    }
}

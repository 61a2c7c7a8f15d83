import Randomness

/// max(0, x).
public final class ReLU<Scalar: NetScalar>: Layer {
    private var mask: [Bool] = []
    public init() {}
    public func outputShape(_ s: [Int]) -> [Int] { s }
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        mask = x.data.map { $0 > 0 }
        return infer(x)
    }
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { Tensor(shape: x.shape, data: x.data.map { $0 > 0 ? $0 : 0 }) }
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        Tensor(shape: dy.shape, data: zip(dy.data, mask).map { $1 ? $0 : 0 })
    }
}

/// tanh(x).
public final class Tanh<Scalar: NetScalar>: Layer {
    private var output: [Scalar] = []
    public init() {}
    public func outputShape(_ s: [Int]) -> [Int] { s }
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        output = x.data.map { Scalar.tanh($0) }
        return Tensor(shape: x.shape, data: output)
    }
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { Tensor(shape: x.shape, data: x.data.map { Scalar.tanh($0) }) }
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        Tensor(shape: dy.shape, data: zip(dy.data, output).map { $0 * (1 - $1 * $1) })
    }
}

/// Fully connected: y = x Wᵀ + b, W [out, in] (PyTorch's layout); any input is flattened per sample.
public final class Dense<Scalar: NetScalar>: Layer {
    public let inputs: Int, outputs: Int
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    private var input: Tensor<Scalar>?

    public init(inputs: Int, outputs: Int, initialization: Initialization = .glorot, generator: inout SeededGenerator) {
        self.inputs = inputs; self.outputs = outputs
        weight = Parameter(name: "weight", value: initialization.values(count: inputs * outputs, fanIn: inputs,
                                                                          fanOut: outputs, generator: &generator), decays: true)
        bias = Parameter(name: "bias", value: [Scalar](repeating: 0, count: outputs), decays: false)
    }

    public var parameters: [Parameter<Scalar>] { [weight, bias] }
    public func outputShape(_ s: [Int]) -> [Int] { [outputs] }

    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        input = x
        return infer(x)
    }

    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.batch
        precondition(x.perSample == inputs, "Dense expects \(inputs) inputs per sample, got shape \(x.shape)")
        var out = [Scalar](repeating: 0, count: n * outputs)
        for i in 0..<n { for j in 0..<outputs { out[i * outputs + j] = bias.value[j] } }
        x.data.withUnsafeBufferPointer { xp in weight.value.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer { op in
            Scalar.gemm(transA: false, transB: true, m: n, n: outputs, k: inputs, alpha: 1, a: xp.baseAddress!, lda: inputs,
                        b: wp.baseAddress!, ldb: inputs, beta: 1, c: op.baseAddress!, ldc: outputs)
        } } }
        return Tensor(shape: [n, outputs], data: out)
    }

    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("backward before forward") }
        let n = x.batch
        var dx = [Scalar](repeating: 0, count: x.count)
        dy.data.withUnsafeBufferPointer { gp in x.data.withUnsafeBufferPointer { xp in
            weight.grad.withUnsafeMutableBufferPointer { dwp in
                Scalar.gemm(transA: true, transB: false, m: outputs, n: inputs, k: n, alpha: 1, a: gp.baseAddress!,
                            lda: outputs, b: xp.baseAddress!, ldb: inputs, beta: 1, c: dwp.baseAddress!, ldc: inputs)
            }
            weight.value.withUnsafeBufferPointer { wp in dx.withUnsafeMutableBufferPointer { dxp in
                Scalar.gemm(transA: false, transB: false, m: n, n: inputs, k: outputs, alpha: 1, a: gp.baseAddress!,
                            lda: outputs, b: wp.baseAddress!, ldb: inputs, beta: 0, c: dxp.baseAddress!, ldc: inputs)
            } }
        } }
        for i in 0..<n { for j in 0..<outputs { bias.grad[j] += dy.data[i * outputs + j] } }
        return Tensor(shape: x.shape, data: dx)
    }
}

/// Inverted dropout: in training, each value is zeroed with probability p and the rest scaled by
/// 1 / (1 − p); at inference, the identity. The mask comes from the layer's own seeded stream.
public final class Dropout<Scalar: NetScalar>: Layer {
    public let probability: Double
    private var generator: SeededGenerator
    private var mask: [Scalar] = []
    public init(probability: Double, generator: inout SeededGenerator) {
        self.probability = probability
        self.generator = SeededGenerator(seed: generator.next())
    }
    public func outputShape(_ s: [Int]) -> [Int] { s }
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        guard training, probability > 0 else { mask = []; return x }
        let keep = Scalar(1 / (1 - probability))
        mask = (0..<x.count).map { _ in generator.nextUnit() < probability ? 0 : keep }
        return Tensor(shape: x.shape, data: zip(x.data, mask).map { $0 * $1 })
    }
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x }
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        mask.isEmpty ? dy : Tensor(shape: dy.shape, data: zip(dy.data, mask).map { $0 * $1 })
    }
}

/// Max pooling over (ph × pw) windows with the given stride (floor mode: windows that would run off
/// the edge are dropped, as PyTorch's default). Gradient goes to the first maximum of each window.
public final class MaxPool2D<Scalar: NetScalar>: Layer {
    public let poolHeight: Int, poolWidth: Int, strideY: Int, strideX: Int
    private var argmax: [Int32] = []
    private var inputShape: [Int] = []
    public init(pool: (Int, Int) = (2, 2), stride: (Int, Int) = (2, 2)) {
        poolHeight = pool.0; poolWidth = pool.1; strideY = stride.0; strideX = stride.1
    }
    public func outputShape(_ s: [Int]) -> [Int] {
        [s[0], (s[1] - poolHeight) / strideY + 1, (s[2] - poolWidth) / strideX + 1]
    }
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        inputShape = x.shape
        let (out, at) = pool(x)
        argmax = at
        return out
    }

    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { pool(x).0 }

    func pool(_ x: Tensor<Scalar>) -> (Tensor<Scalar>, [Int32]) {
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
        let os = outputShape([c, h, w]), ho = os[1], wo = os[2]
        var out = [Scalar](repeating: 0, count: n * c * ho * wo)
        var argmax = [Int32](repeating: 0, count: out.count)
        var o = 0
        for plane in 0..<(n * c) {
            let base = plane * h * w
            for oy in 0..<ho { for ox in 0..<wo {
                var best = -Scalar.infinity, at = 0
                for i in 0..<poolHeight { for j in 0..<poolWidth {
                    let idx = base + (oy * strideY + i) * w + ox * strideX + j
                    if x.data[idx] > best { best = x.data[idx]; at = idx }
                } }
                out[o] = best; argmax[o] = Int32(at); o += 1
            } }
        }
        return (Tensor(shape: [n, c, ho, wo], data: out), argmax)
    }
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        var dx = [Scalar](repeating: 0, count: inputShape.reduce(1, *))
        for (o, g) in dy.data.enumerated() { dx[Int(argmax[o])] += g }
        return Tensor(shape: inputShape, data: dx)
    }
}

/// Batch normalisation (Ioffe & Szegedy 2015) over the batch and spatial positions of each channel
/// (dimension 1): PyTorch's BatchNorm1d/2d semantics — biased variance to normalise in training,
/// running estimates with momentum 0.1 and the unbiased variance, ε = 1e-5.
public final class BatchNorm<Scalar: NetScalar>: Layer {
    public let channels: Int
    public let gamma: Parameter<Scalar>
    public let beta: Parameter<Scalar>
    public var runningMean: [Scalar]
    public var runningVariance: [Scalar]
    public var momentum: Scalar = 0.1
    public var epsilon: Scalar = 1e-5
    private var normalized: [Scalar] = []
    private var inverseStd: [Scalar] = []
    private var shape: [Int] = []

    public init(channels: Int) {
        self.channels = channels
        gamma = Parameter(name: "gamma", value: [Scalar](repeating: 1, count: channels), decays: false)
        beta = Parameter(name: "beta", value: [Scalar](repeating: 0, count: channels), decays: false)
        runningMean = [Scalar](repeating: 0, count: channels)
        runningVariance = [Scalar](repeating: 1, count: channels)
    }

    public var parameters: [Parameter<Scalar>] { [gamma, beta] }
    public func outputShape(_ s: [Int]) -> [Int] { s }

    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        shape = x.shape
        let n = x.shape[0], c = x.shape[1], inner = x.count / (n * c)
        precondition(c == channels, "BatchNorm expects \(channels) channels, got shape \(x.shape)")
        var out = [Scalar](repeating: 0, count: x.count)
        if training {
            normalized = [Scalar](repeating: 0, count: x.count)
            inverseStd = [Scalar](repeating: 0, count: c)
            let m = Scalar(n * inner)
            for ch in 0..<c {
                var sum: Scalar = 0
                for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner { sum += x.data[b + q] } }
                let mean = sum / m
                var sq: Scalar = 0
                for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner { let d = x.data[b + q] - mean; sq += d * d } }
                let variance = sq / m
                let inv = 1 / (variance + epsilon).squareRoot()
                inverseStd[ch] = inv
                for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner {
                    let xh = (x.data[b + q] - mean) * inv
                    normalized[b + q] = xh
                    out[b + q] = gamma.value[ch] * xh + beta.value[ch]
                } }
                runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean
                let unbiased = m > 1 ? sq / (m - 1) : variance
                runningVariance[ch] = (1 - momentum) * runningVariance[ch] + momentum * unbiased
            }
            return Tensor(shape: x.shape, data: out)
        }
        return infer(x)
    }

    /// y = γ (x − running mean) / √(running variance + ε) + β.
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.shape[0], c = x.shape[1], inner = x.count / (n * c)
        var out = [Scalar](repeating: 0, count: x.count)
        for ch in 0..<c {
            let inv = 1 / (runningVariance[ch] + epsilon).squareRoot()
            let scale = gamma.value[ch] * inv, shift = beta.value[ch] - runningMean[ch] * scale
            for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner { out[b + q] = x.data[b + q] * scale + shift } }
        }
        return Tensor(shape: x.shape, data: out)
    }

    /// dx = γ / σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), per channel.
    public func backward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = shape[0], c = shape[1], inner = dy.count / (n * c)
        let m = Scalar(n * inner)
        var dx = [Scalar](repeating: 0, count: dy.count)
        for ch in 0..<c {
            var sumDy: Scalar = 0, sumDyXh: Scalar = 0
            for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner {
                sumDy += dy.data[b + q]; sumDyXh += dy.data[b + q] * normalized[b + q]
            } }
            gamma.grad[ch] += sumDyXh
            beta.grad[ch] += sumDy
            let k = gamma.value[ch] * inverseStd[ch]
            for s in 0..<n { let b = (s * c + ch) * inner; for q in 0..<inner {
                dx[b + q] = k * (dy.data[b + q] - sumDy / m - normalized[b + q] * sumDyXh / m)
            } }
        }
        return Tensor(shape: shape, data: dx)
    }
}

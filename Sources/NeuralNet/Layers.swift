import Randomness

/// max(0, x).
public final class ReLU<Scalar: NetScalar>: Layer {
    private var output: [Scalar] = []
    public init() {}
    public func outputShape(_ s: [Int]) -> [Int] { s }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        let y = infer(x)
        output = y.data
        return y
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var out = scratch(Scalar.self, count: x.count)
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
            nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!
            forEachChunk(xp.count, chunks: xp.count > 1 << 16 ? 2 : 1) { _, r in
                for i in r { let v = xb[i]; ob[i] = v > 0 ? v : 0 }
            }
        } }
        return Tensor(shape: x.shape, data: out)
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        // In place: the gradient arriving here is owned by this call (Network.backward consumes it).
        var g = dy
        g.data.withUnsafeMutableBufferPointer { gp in output.withUnsafeBufferPointer { yp in
            nonisolated(unsafe) let gb = gp.baseAddress!, yb = yp.baseAddress!
            forEachChunk(gp.count, chunks: gp.count > 1 << 16 ? 2 : 1) { _, r in
                for i in r { gb[i] = yb[i] > 0 ? gb[i] : 0 }
            }
        } }
        return g
    }
}

/// tanh(x).
public final class Tanh<Scalar: NetScalar>: Layer {
    private var output: [Scalar] = []
    public init() {}
    public func outputShape(_ s: [Int]) -> [Int] { s }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        output = x.data.map { Scalar.tanh($0) }
        return Tensor(shape: x.shape, data: output)
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { Tensor(shape: x.shape, data: x.data.map { Scalar.tanh($0) }) }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
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

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        input = x
        return infer(x)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.batch
        precondition(x.perSample == inputs, "Dense expects \(inputs) inputs per sample, got shape \(x.shape)")
        var out = [Scalar](repeating: 0, count: n * outputs)
        for i in 0..<n { for j in 0..<outputs { out[i * outputs + j] = bias.value[j] } }
        x.data.withUnsafeBufferPointer { xp in weight.value.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer { op in
            nonisolated(unsafe) let xb = xp.baseAddress!, wb = wp.baseAddress!, ob = op.baseAddress!
            let inputs = self.inputs, outputs = self.outputs
            // Two halves of the batch, one per core (BLAS itself runs single-threaded).
            forEachChunk(n, chunks: n >= 32 ? 2 : 1) { _, r in
                Scalar.gemm(transA: false, transB: true, m: r.count, n: outputs, k: inputs, alpha: 1, a: xb + r.lowerBound * inputs,
                            lda: inputs, b: wb, ldb: inputs, beta: 1, c: ob + r.lowerBound * outputs, ldc: outputs)
            }
        } } }
        return Tensor(shape: [n, outputs], data: out)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("backward before forward") }
        let n = x.batch
        var dx = [Scalar](repeating: 0, count: x.count)
        dy.data.withUnsafeBufferPointer { gp in x.data.withUnsafeBufferPointer { xp in
            weight.grad.withUnsafeMutableBufferPointer { dwp in weight.value.withUnsafeBufferPointer { wp in dx.withUnsafeMutableBufferPointer { dxp in
                nonisolated(unsafe) let gb = gp.baseAddress!, xb = xp.baseAddress!, dwb = dwp.baseAddress!
                nonisolated(unsafe) let wb = wp.baseAddress!, dxb = dxp.baseAddress!
                let inputs = self.inputs, outputs = self.outputs
                // Task 0: dW (rows of W split in two); task 1: dX (rows of the batch split in two) — four
                // independent GEMMs writing disjoint blocks.
                let split = n >= 32 && outputs >= 32
                forEachChunk(4, chunks: split ? 4 : 1) { _, tasks in
                    for task in tasks {
                        if task < 2 {
                            let r = split ? (task == 0 ? 0..<(outputs / 2) : (outputs / 2)..<outputs) : (task == 0 ? 0..<outputs : 0..<0)
                            if !r.isEmpty {
                                Scalar.gemm(transA: true, transB: false, m: r.count, n: inputs, k: n, alpha: 1, a: gb + r.lowerBound,
                                            lda: outputs, b: xb, ldb: inputs, beta: 1, c: dwb + r.lowerBound * inputs, ldc: inputs)
                            }
                        } else {
                            let r = split ? (task == 2 ? 0..<(n / 2) : (n / 2)..<n) : (task == 2 ? 0..<n : 0..<0)
                            if !r.isEmpty {
                                Scalar.gemm(transA: false, transB: false, m: r.count, n: inputs, k: outputs, alpha: 1,
                                            a: gb + r.lowerBound * outputs, lda: outputs, b: wb, ldb: inputs, beta: 0,
                                            c: dxb + r.lowerBound * inputs, ldc: inputs)
                            }
                        }
                    }
                }
            } } }
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
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        guard training, probability > 0 else { mask = []; return x }
        let keep = Scalar(1 / (1 - probability))
        mask = (0..<x.count).map { _ in generator.nextUnit() < probability ? 0 : keep }
        return Tensor(shape: x.shape, data: zip(x.data, mask).map { $0 * $1 })
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
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
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        inputShape = x.shape
        let (out, at) = pool(x)
        argmax = at
        return out
    }

    /// The maxima alone (no argmax kept): dense maps run this over whole tiles.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard poolHeight == 2 && poolWidth == 2 else { return pool(x).0 }
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
        let os = outputShape([c, h, w]), ho = os[1], wo = os[2]
        var out = scratch(Scalar.self, count: n * c * ho * wo)
        let sy = strideY, sx = strideX
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
            nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!
            forEachChunk(n * c, chunks: 4) { _, planes in
                for plane in planes {
                    let base = plane * h * w
                    var o = plane * ho * wo
                    for oy in 0..<ho {
                        let row = base + oy * sy * w
                        for ox in 0..<wo {
                            // The same comparisons as `pool`, so the same value (NaN included).
                            let a0 = row + ox * sx
                            var best = xb[a0]
                            if xb[a0 + 1] > best { best = xb[a0 + 1] }
                            if xb[a0 + w] > best { best = xb[a0 + w] }
                            if xb[a0 + w + 1] > best { best = xb[a0 + w + 1] }
                            ob[o] = best; o += 1
                        }
                    }
                }
            }
        } }
        return Tensor(shape: [n, c, ho, wo], data: out)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func pool(_ x: Tensor<Scalar>) -> (Tensor<Scalar>, [Int32]) {
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
        let os = outputShape([c, h, w]), ho = os[1], wo = os[2]
        var out = scratch(Scalar.self, count: n * c * ho * wo)
        var argmax = [Int32](unsafeUninitializedCapacity: out.count) { _, k in k = n * c * ho * wo }
        let ph = poolHeight, pw = poolWidth, sy = strideY, sx = strideX
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in argmax.withUnsafeMutableBufferPointer { ap in
            nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!, ab = ap.baseAddress!
            forEachChunk(n * c, chunks: 4) { _, planes in
                for plane in planes {
                    let base = plane * h * w
                    var o = plane * ho * wo
                    if ph == 2 && pw == 2 {
                        for oy in 0..<ho {
                            let row = base + oy * sy * w
                            for ox in 0..<wo {
                                let a0 = row + ox * sx, a1 = a0 + 1, a2 = a0 + w, a3 = a2 + 1
                                var at = a0, best = xb[a0]
                                if xb[a1] > best { best = xb[a1]; at = a1 }
                                if xb[a2] > best { best = xb[a2]; at = a2 }
                                if xb[a3] > best { best = xb[a3]; at = a3 }
                                ob[o] = best; ab[o] = Int32(at); o += 1
                            }
                        }
                        continue
                    }
                    for oy in 0..<ho { for ox in 0..<wo {
                        var at = base + oy * sy * w + ox * sx
                        var best = xb[at]
                        for i in 0..<ph { for j in 0..<pw {
                            let idx = base + (oy * sy + i) * w + ox * sx + j
                            if xb[idx] > best { best = xb[idx]; at = idx }
                        } }
                        ob[o] = best; ab[o] = Int32(at); o += 1
                    } }
                }
            }
        } } }
        return (Tensor(shape: [n, c, ho, wo], data: out), argmax)
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        var dx = [Scalar](repeating: 0, count: inputShape.reduce(1, *))
        dy.data.withUnsafeBufferPointer { gp in argmax.withUnsafeBufferPointer { ap in dx.withUnsafeMutableBufferPointer { dp in
            for o in 0..<gp.count { dp[Int(ap[o])] += gp[o] }
        } } }
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

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        shape = x.shape
        guard training else { return infer(x) }
        let n = x.shape[0], c = x.shape[1], inner = x.count / (n * c)
        precondition(c == channels, "BatchNorm expects \(channels) channels, got shape \(x.shape)")
        var out = scratch(Scalar.self, count: x.count)
        normalized = scratch(Scalar.self, count: x.count)
        inverseStd = [Scalar](repeating: 0, count: c)
        let m = Scalar(n * inner), eps = epsilon, mom = momentum
        let g = gamma.value, b = beta.value
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
        normalized.withUnsafeMutableBufferPointer { np in inverseStd.withUnsafeMutableBufferPointer { ip in
        runningMean.withUnsafeMutableBufferPointer { rm in runningVariance.withUnsafeMutableBufferPointer { rv in
            nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!, nb = np.baseAddress!, ib = ip.baseAddress!
            nonisolated(unsafe) let rmb = rm.baseAddress!, rvb = rv.baseAddress!
            forEachChunk(c, chunks: 4) { _, chans in
                for ch in chans {
                    var sum: Scalar = 0
                    for s in 0..<n { let p = xb + (s * c + ch) * inner; for q in 0..<inner { sum += p[q] } }
                    let mean = sum / m
                    var sq: Scalar = 0
                    for s in 0..<n { let p = xb + (s * c + ch) * inner; for q in 0..<inner { let d = p[q] - mean; sq += d * d } }
                    let inv = 1 / (sq / m + eps).squareRoot()
                    ib[ch] = inv
                    let gc = g[ch], bc = b[ch]
                    for s in 0..<n {
                        let off = (s * c + ch) * inner
                        for q in 0..<inner { let xh = (xb[off + q] - mean) * inv; nb[off + q] = xh; ob[off + q] = gc * xh + bc }
                    }
                    rmb[ch] = (1 - mom) * rmb[ch] + mom * mean
                    let unbiased = m > 1 ? sq / (m - 1) : sq / m
                    rvb[ch] = (1 - mom) * rvb[ch] + mom * unbiased
                }
            }
        } } } } } }
        return Tensor(shape: x.shape, data: out)
    }

    /// y = γ (x − running mean) / √(running variance + ε) + β.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let n = x.shape[0], c = x.shape[1], inner = x.count / (n * c)
        var out = [Scalar](repeating: 0, count: x.count)
        let scale = (0..<c).map { gamma.value[$0] / (runningVariance[$0] + epsilon).squareRoot() }
        let shift = (0..<c).map { beta.value[$0] - runningMean[$0] * scale[$0] }
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
            for s in 0..<n { for ch in 0..<c {
                let off = (s * c + ch) * inner, a = scale[ch], b = shift[ch]
                for q in 0..<inner { op[off + q] = xp[off + q] * a + b }
            } }
        } }
        return Tensor(shape: x.shape, data: out)
    }

    /// dx = γ / σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), per channel.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        let n = shape[0], c = shape[1], inner = dy.count / (n * c)
        let m = Scalar(n * inner)
        var dx = scratch(Scalar.self, count: dy.count)
        var sums = [Scalar](repeating: 0, count: 2 * c)
        let g = gamma.value
        dy.data.withUnsafeBufferPointer { gp in normalized.withUnsafeBufferPointer { np in inverseStd.withUnsafeBufferPointer { ip in
        dx.withUnsafeMutableBufferPointer { dp in sums.withUnsafeMutableBufferPointer { sp in
            nonisolated(unsafe) let gb = gp.baseAddress!, nb = np.baseAddress!, ib = ip.baseAddress!, db = dp.baseAddress!
            nonisolated(unsafe) let sb = sp.baseAddress!
            forEachChunk(c, chunks: 4) { _, chans in
                for ch in chans {
                    var sumDy: Scalar = 0, sumDyXh: Scalar = 0
                    for s in 0..<n { let off = (s * c + ch) * inner; for q in 0..<inner {
                        sumDy += gb[off + q]; sumDyXh += gb[off + q] * nb[off + q]
                    } }
                    sb[2 * ch] = sumDy; sb[2 * ch + 1] = sumDyXh
                    let k = g[ch] * ib[ch], a = sumDy / m, b = sumDyXh / m
                    for s in 0..<n { let off = (s * c + ch) * inner; for q in 0..<inner {
                        db[off + q] = k * (gb[off + q] - a - nb[off + q] * b)
                    } }
                }
            }
        } } } } }
        for ch in 0..<c { beta.grad[ch] += sums[2 * ch]; gamma.grad[ch] += sums[2 * ch + 1] }
        return Tensor(shape: shape, data: dx)
    }
}

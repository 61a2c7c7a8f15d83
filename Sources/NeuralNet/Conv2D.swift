import Randomness

/// Padding of a convolution: none ("valid"), or enough to keep the size ("same"; for an even kernel
/// the extra row/column goes to the bottom/right, as PyTorch does).
public enum Padding: String, Sendable { case valid, same }

/// 2-D convolution, stride 1, by im2col and one GEMM per sample (Chellapilla et al. 2006).
/// Weights [out, in, kh, kw] and bias [out], PyTorch's layout. Samples are processed in a fixed
/// number of chunks, concurrently; the chunks' weight gradients are summed in chunk order.
public final class Conv2D<Scalar: NetScalar>: Layer {
    public let inChannels: Int, outChannels: Int, kernelHeight: Int, kernelWidth: Int
    public let padding: Padding
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    static var chunks: Int { 4 }
    /// Samples per im2col matrix and GEMM.
    static var group: Int { 8 }
    private var input: Tensor<Scalar>?

    public init(inChannels: Int, outChannels: Int, kernel: (Int, Int), padding: Padding = .valid,
                initialization: Initialization = .he, generator: inout SeededGenerator) {
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernelHeight = kernel.0; self.kernelWidth = kernel.1; self.padding = padding
        let fanIn = inChannels * kernel.0 * kernel.1
        weight = Parameter(name: "weight", value: initialization.values(count: outChannels * fanIn, fanIn: fanIn,
                                                                          fanOut: outChannels * kernel.0 * kernel.1,
                                                                          generator: &generator), decays: true)
        bias = Parameter(name: "bias", value: [Scalar](repeating: 0, count: outChannels), decays: false)
    }

    public var parameters: [Parameter<Scalar>] { [weight, bias] }

    var padTop: Int { padding == .same ? (kernelHeight - 1) / 2 : 0 }
    var padLeft: Int { padding == .same ? (kernelWidth - 1) / 2 : 0 }

    public func outputShape(_ s: [Int]) -> [Int] {
        padding == .same ? [outChannels, s[1], s[2]] : [outChannels, s[1] - kernelHeight + 1, s[2] - kernelWidth + 1]
    }

    /// The output columns `ox` whose input column `ox + x0` lies inside `0..<w`.
    @inline(__always)
    static func insideColumns(wo: Int, w: Int, x0: Int) -> Range<Int> {
        let lo = min(wo, max(0, -x0)), hi = max(lo, min(wo, w - x0))
        return lo..<hi
    }

    /// Columns for one sample: row (c, i, j), column (oy, ox) holds x[c, oy + i − top, ox + j − left].
    /// Each output row is one contiguous copy of an input row (zeros where the padding lies).
    /// `planeStride` (default h·w) is the distance between channel planes: a band of rows of a taller image.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func im2col(_ x: UnsafePointer<Scalar>, h: Int, w: Int, ho: Int, wo: Int, into cols: UnsafeMutablePointer<Scalar>,
                ld: Int? = nil, planeStride: Int? = nil) {
        let ld = ld ?? ho * wo, planeStride = planeStride ?? h * w
        let pt = padTop, pl = padLeft, kh = kernelHeight, kw = kernelWidth
        var row = 0
        for c in 0..<inChannels {
            let plane = x + c * planeStride
            for i in 0..<kh { for j in 0..<kw {
                let dst = cols + row * ld
                let x0 = j - pl
                let inside = Self.insideColumns(wo: wo, w: w, x0: x0)
                for oy in 0..<ho {
                    let y = oy + i - pt
                    let d = dst + oy * wo
                    if y < 0 || y >= h { d.update(repeating: 0, count: wo); continue }
                    if inside.lowerBound > 0 { d.update(repeating: 0, count: inside.lowerBound) }
                    (d + inside.lowerBound).update(from: plane + y * w + inside.lowerBound + x0, count: inside.count)
                    if inside.upperBound < wo { (d + inside.upperBound).update(repeating: 0, count: wo - inside.upperBound) }
                }
                row += 1
            } }
        }
    }

    /// The adjoint of im2col: adds each column entry back onto its input position.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func col2im(_ cols: UnsafePointer<Scalar>, h: Int, w: Int, ho: Int, wo: Int, into dx: UnsafeMutablePointer<Scalar>,
                ld: Int? = nil) {
        let ld = ld ?? ho * wo
        let pt = padTop, pl = padLeft, kh = kernelHeight, kw = kernelWidth
        var row = 0
        for c in 0..<inChannels {
            let plane = dx + c * h * w
            for i in 0..<kh { for j in 0..<kw {
                let srcRow = cols + row * ld
                let x0 = j - pl
                let inside = Self.insideColumns(wo: wo, w: w, x0: x0)
                for oy in 0..<ho {
                    let y = oy + i - pt
                    guard y >= 0 && y < h else { continue }
                    let d = plane + y * w + x0, s = srcRow + oy * wo
                    for ox in inside { d[ox] += s[ox] }
                }
                row += 1
            } }
        }
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        input = x
        return infer(x)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.shape.count == 4 && x.shape[1] == inChannels, "Conv2D expects [N, \(inChannels), H, W], got \(x.shape)")
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let os = outputShape([inChannels, h, w]), ho = os[1], wo = os[2]
        let k = inChannels * kernelHeight * kernelWidth, p = ho * wo
        // A large image (a dense map's tile) goes in bands of output rows whose im2col matrix stays
        // in cache (~2 MB), each GEMM writing straight into its rows of the output.
        let bandRows = max(1, (1 << 19) / (k * wo))
        if padding == .valid && bandRows < ho {
            return inferInBands(x, bandRows: bandRows)
        }
        var out = scratch(Scalar.self, count: n * outChannels * p)
        let wgt = weight.value, b = bias.value, o = outChannels, group = Self.group
        x.data.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!
                forEachChunk(n, chunks: Self.chunks) { _, range in
                    // Groups of samples share one im2col matrix [k, g·p] and one GEMM.
                    let group = min(group, range.count)
                    var cols = scratch(Scalar.self, count: k * group * p)
                    var tmp = scratch(Scalar.self, count: o * group * p)
                    cols.withUnsafeMutableBufferPointer { cp in tmp.withUnsafeMutableBufferPointer { tp in wgt.withUnsafeBufferPointer { wp in
                        var s0 = range.lowerBound
                        while s0 < range.upperBound {
                            let gs = min(group, range.upperBound - s0), ld = gs * p
                            for s in 0..<gs {
                                self.im2col(xb + (s0 + s) * self.inChannels * h * w, h: h, w: w, ho: ho, wo: wo,
                                            into: cp.baseAddress! + s * p, ld: ld)
                            }
                            Scalar.gemm(transA: false, transB: false, m: o, n: ld, k: k, alpha: 1, a: wp.baseAddress!, lda: k,
                                        b: cp.baseAddress!, ldb: ld, beta: 0, c: tp.baseAddress!, ldc: ld)
                            for s in 0..<gs {
                                let dst = ob + (s0 + s) * o * p
                                for c in 0..<o {
                                    let src = tp.baseAddress! + c * ld + s * p, bc = b[c]
                                    for q in 0..<p { dst[c * p + q] = src[q] + bc }
                                }
                            }
                            s0 += gs
                        }
                    } } }
                }
            }
        }
        return Tensor(shape: [n, outChannels, ho, wo], data: out)
    }

    /// `infer` for valid padding, `bandRows` output rows at a time: band [y0, y0 + r) reads input rows
    /// [y0, y0 + r + kh − 1), so its im2col is that of a shorter image. Samples run concurrently.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func inferInBands(_ x: Tensor<Scalar>, bandRows: Int) -> Tensor<Scalar> {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let os = outputShape([inChannels, h, w]), ho = os[1], wo = os[2]
        let k = inChannels * kernelHeight * kernelWidth, p = ho * wo, o = outChannels
        var out = scratch(Scalar.self, count: n * o * p)
        let wgt = weight.value, b = bias.value
        x.data.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in wgt.withUnsafeBufferPointer { wp in
            nonisolated(unsafe) let xb = xp.baseAddress!, ob = op.baseAddress!, wb = wp.baseAddress!
            forEachChunk(n, chunks: Self.chunks) { _, range in
                var cols = scratch(Scalar.self, count: k * bandRows * wo)
                cols.withUnsafeMutableBufferPointer { cp in
                    let cb = cp.baseAddress!
                    for sample in range {
                        let image = xb + sample * self.inChannels * h * w, dst = ob + sample * o * p
                        var y0 = 0
                        while y0 < ho {
                            let r = min(bandRows, ho - y0), positions = r * wo
                            self.im2col(image + y0 * w, h: r + self.kernelHeight - 1, w: w, ho: r, wo: wo, into: cb, ld: positions,
                                        planeStride: h * w)
                            Scalar.gemm(transA: false, transB: false, m: o, n: positions, k: k, alpha: 1, a: wb, lda: k,
                                        b: cb, ldb: positions, beta: 0, c: dst + y0 * wo, ldc: p)
                            for c in 0..<o {
                                let row = dst + c * p + y0 * wo, bc = b[c]
                                for q in 0..<positions { row[q] += bc }
                            }
                            y0 += r
                        }
                    }
                }
            }
        } } }
        return Tensor(shape: [n, o, ho, wo], data: out)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        backward(dy, inputGradient: true)!
    }

    /// As the first layer of a network, only the parameters' gradients are needed: skips the
    /// transposed GEMM and col2im that give ∂L/∂input.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func accumulateParameterGradients(_ dy: consuming Tensor<Scalar>) {
        _ = backward(dy, inputGradient: false)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func backward(_ dy: consuming Tensor<Scalar>, inputGradient: Bool) -> Tensor<Scalar>? {
        guard let x = input else { preconditionFailure("backward before forward") }
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], ho = dy.shape[2], wo = dy.shape[3]
        let k = inChannels * kernelHeight * kernelWidth, p = ho * wo, o = outChannels
        let chunks = max(1, min(Self.chunks, n))
        // Each chunk accumulates its own weight and bias gradients in its slice; summed in chunk order.
        var dWAll = [Scalar](repeating: 0, count: chunks * o * k)
        var dBAll = [Scalar](repeating: 0, count: chunks * o)
        var dx = [Scalar](repeating: 0, count: inputGradient ? x.count : 0)
        let wgt = weight.value
        x.data.withUnsafeBufferPointer { xp in dy.data.withUnsafeBufferPointer { dyp in dx.withUnsafeMutableBufferPointer { dxp in
        dWAll.withUnsafeMutableBufferPointer { dwp in dBAll.withUnsafeMutableBufferPointer { dbp in wgt.withUnsafeBufferPointer { wp in
            nonisolated(unsafe) let xb = xp.baseAddress!, dyb = dyp.baseAddress!, dxb = dxp.baseAddress!
            nonisolated(unsafe) let dwb = dwp.baseAddress!, dbb = dbp.baseAddress!, wb = wp.baseAddress!
            forEachChunk(n, chunks: chunks) { chunk, range in
                let group = min(Self.group, range.count)
                var cols = scratch(Scalar.self, count: k * group * p)
                var g = scratch(Scalar.self, count: o * group * p)
                let dW = dwb + chunk * o * k, dB = dbb + chunk * o
                cols.withUnsafeMutableBufferPointer { cp in g.withUnsafeMutableBufferPointer { gp in
                    let cb = cp.baseAddress!, gb = gp.baseAddress!
                    var s0 = range.lowerBound
                    while s0 < range.upperBound {
                        let gs = min(group, range.upperBound - s0), ld = gs * p
                        for s in 0..<gs {
                            self.im2col(xb + (s0 + s) * self.inChannels * h * w, h: h, w: w, ho: ho, wo: wo, into: cb + s * p, ld: ld)
                            let src = dyb + (s0 + s) * o * p
                            for c in 0..<o {
                                let d = gb + c * ld + s * p
                                var acc: Scalar = 0
                                for q in 0..<p { let v = src[c * p + q]; d[q] = v; acc += v }
                                dB[c] += acc
                            }
                        }
                        Scalar.gemm(transA: false, transB: true, m: o, n: k, k: ld, alpha: 1,
                                    a: gb, lda: ld, b: cb, ldb: ld, beta: 1, c: dW, ldc: k)
                        if inputGradient {
                            Scalar.gemm(transA: true, transB: false, m: k, n: ld, k: o, alpha: 1,
                                        a: wb, lda: k, b: gb, ldb: ld, beta: 0, c: cb, ldc: ld)
                        }
                        for s in 0..<gs where inputGradient {
                            self.col2im(cb + s * p, h: h, w: w, ho: ho, wo: wo, into: dxb + (s0 + s) * self.inChannels * h * w, ld: ld)
                        }
                        s0 += gs
                    }
                } }
            }
        } } } } } }
        for c in 0..<chunks {
            for i in 0..<(o * k) { weight.grad[i] += dWAll[c * o * k + i] }
            for i in 0..<o { bias.grad[i] += dBAll[c * o + i] }
        }
        return inputGradient ? Tensor(shape: x.shape, data: dx) : nil
    }
}

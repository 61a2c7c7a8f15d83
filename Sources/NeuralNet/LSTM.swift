import Randomness

/// Long short-term memory (Hochreiter & Schmidhuber 1997) with PyTorch's equations and layout:
/// gates i, f, g, o stacked in W_ih [4H, in], W_hh [4H, H], b_ih, b_hh;
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·);  c′ = f ⊙ c + i ⊙ g;  h′ = o ⊙ tanh(c′).
/// Input [N, T, in]; output the last hidden state [N, H]. Backward is full backpropagation through
/// time over all T steps.
public final class LSTM<Scalar: NetScalar>: Layer {
    public let inputs: Int, hidden: Int
    public let weightIH: Parameter<Scalar>, weightHH: Parameter<Scalar>
    public let biasIH: Parameter<Scalar>, biasHH: Parameter<Scalar>
    // Per step, kept for backward: gate activations [N, 4H], cell states, tanh of cell states, hidden states.
    private var gates: [[Scalar]] = [], cells: [[Scalar]] = [], tanhCells: [[Scalar]] = [], hiddens: [[Scalar]] = []
    private var input: Tensor<Scalar>?

    public init(inputs: Int, hidden: Int, generator: inout SeededGenerator) {
        self.inputs = inputs; self.hidden = hidden
        let init_ = Initialization.uniform(1 / Double(hidden).squareRoot())
        let g = 4 * hidden
        weightIH = Parameter(name: "weight_ih", value: init_.values(count: g * inputs, fanIn: inputs, fanOut: g, generator: &generator), decays: true)
        weightHH = Parameter(name: "weight_hh", value: init_.values(count: g * hidden, fanIn: hidden, fanOut: g, generator: &generator), decays: true)
        biasIH = Parameter(name: "bias_ih", value: init_.values(count: g, fanIn: inputs, fanOut: g, generator: &generator), decays: false)
        biasHH = Parameter(name: "bias_hh", value: init_.values(count: g, fanIn: hidden, fanOut: g, generator: &generator), decays: false)
    }

    public var parameters: [Parameter<Scalar>] { [weightIH, weightHH, biasIH, biasHH] }
    public func outputShape(_ s: [Int]) -> [Int] { [hidden] }

    @inline(__always) static func sigmoid(_ x: Scalar) -> Scalar { 1 / (1 + Scalar.exp(-x)) }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar> {
        input = x
        let r = run(x)
        gates = r.gates; cells = r.cells; tanhCells = r.tanhCells; hiddens = r.hiddens
        return r.output
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar> { run(x).output }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func run(_ x: Tensor<Scalar>) -> (output: Tensor<Scalar>, gates: [[Scalar]], cells: [[Scalar]], tanhCells: [[Scalar]],
                                      hiddens: [[Scalar]]) {
        precondition(x.shape.count == 3 && x.shape[2] == inputs, "LSTM expects [N, T, \(inputs)], got \(x.shape)")
        let n = x.shape[0], steps = x.shape[1], h4 = 4 * hidden, hd = hidden
        var h = [Scalar](repeating: 0, count: n * hd), c = [Scalar](repeating: 0, count: n * hd)
        var gates: [[Scalar]] = [], cells = [c], tanhCells = [c], hiddens = [h]
        var xt = [Scalar](repeating: 0, count: n * inputs)
        for t in 0..<steps {
            for s in 0..<n { for k in 0..<inputs { xt[s * inputs + k] = x.data[(s * steps + t) * inputs + k] } }
            var a = [Scalar](repeating: 0, count: n * h4)
            for s in 0..<n { for j in 0..<h4 { a[s * h4 + j] = biasIH.value[j] + biasHH.value[j] } }
            xt.withUnsafeBufferPointer { xp in weightIH.value.withUnsafeBufferPointer { wp in a.withUnsafeMutableBufferPointer { ap in
                Scalar.gemm(transA: false, transB: true, m: n, n: h4, k: inputs, alpha: 1, a: xp.baseAddress!, lda: inputs,
                            b: wp.baseAddress!, ldb: inputs, beta: 1, c: ap.baseAddress!, ldc: h4)
            } } }
            h.withUnsafeBufferPointer { hp in weightHH.value.withUnsafeBufferPointer { wp in a.withUnsafeMutableBufferPointer { ap in
                Scalar.gemm(transA: false, transB: true, m: n, n: h4, k: hd, alpha: 1, a: hp.baseAddress!, lda: hd,
                            b: wp.baseAddress!, ldb: hd, beta: 1, c: ap.baseAddress!, ldc: h4)
            } } }
            var tc = c
            for s in 0..<n {
                let b = s * h4
                for j in 0..<hd {
                    let i = Self.sigmoid(a[b + j]), f = Self.sigmoid(a[b + hd + j])
                    let g = Scalar.tanh(a[b + 2 * hd + j]), o = Self.sigmoid(a[b + 3 * hd + j])
                    a[b + j] = i; a[b + hd + j] = f; a[b + 2 * hd + j] = g; a[b + 3 * hd + j] = o
                    let cn = f * c[s * hd + j] + i * g
                    c[s * hd + j] = cn
                    tc[s * hd + j] = Scalar.tanh(cn)
                    h[s * hd + j] = o * tc[s * hd + j]
                }
            }
            gates.append(a); cells.append(c); tanhCells.append(tc); hiddens.append(h)
        }
        return (Tensor(shape: [n, hd], data: h), gates, cells, tanhCells, hiddens)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar> {
        guard let x = input else { preconditionFailure("backward before forward") }
        let n = x.shape[0], steps = x.shape[1], h4 = 4 * hidden, hd = hidden
        var dh = dy.data
        var dc = [Scalar](repeating: 0, count: n * hd)
        var dx = [Scalar](repeating: 0, count: x.count)
        var xt = [Scalar](repeating: 0, count: n * inputs)
        var da = [Scalar](repeating: 0, count: n * h4)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let a = gates[t], cPrev = cells[t], tc = tanhCells[t + 1], hPrev = hiddens[t]
            for s in 0..<n {
                let b = s * h4
                for j in 0..<hd {
                    let i = a[b + j], f = a[b + hd + j], g = a[b + 2 * hd + j], o = a[b + 3 * hd + j]
                    let k = s * hd + j
                    let dO = dh[k] * tc[k]
                    let dC = dc[k] + dh[k] * o * (1 - tc[k] * tc[k])
                    da[b + j] = dC * g * i * (1 - i)
                    da[b + hd + j] = dC * cPrev[k] * f * (1 - f)
                    da[b + 2 * hd + j] = dC * i * (1 - g * g)
                    da[b + 3 * hd + j] = dO * o * (1 - o)
                    dc[k] = dC * f
                }
            }
            for s in 0..<n { for k in 0..<inputs { xt[s * inputs + k] = x.data[(s * steps + t) * inputs + k] } }
            for s in 0..<n { for j in 0..<h4 { biasIH.grad[j] += da[s * h4 + j]; biasHH.grad[j] += da[s * h4 + j] } }
            var dxt = [Scalar](repeating: 0, count: n * inputs)
            da.withUnsafeBufferPointer { dap in
                xt.withUnsafeBufferPointer { xp in weightIH.grad.withUnsafeMutableBufferPointer { gp in
                    Scalar.gemm(transA: true, transB: false, m: h4, n: inputs, k: n, alpha: 1, a: dap.baseAddress!, lda: h4,
                                b: xp.baseAddress!, ldb: inputs, beta: 1, c: gp.baseAddress!, ldc: inputs)
                } }
                hPrev.withUnsafeBufferPointer { hp in weightHH.grad.withUnsafeMutableBufferPointer { gp in
                    Scalar.gemm(transA: true, transB: false, m: h4, n: hd, k: n, alpha: 1, a: dap.baseAddress!, lda: h4,
                                b: hp.baseAddress!, ldb: hd, beta: 1, c: gp.baseAddress!, ldc: hd)
                } }
                weightIH.value.withUnsafeBufferPointer { wp in dxt.withUnsafeMutableBufferPointer { dp in
                    Scalar.gemm(transA: false, transB: false, m: n, n: inputs, k: h4, alpha: 1, a: dap.baseAddress!, lda: h4,
                                b: wp.baseAddress!, ldb: inputs, beta: 0, c: dp.baseAddress!, ldc: inputs)
                } }
                weightHH.value.withUnsafeBufferPointer { wp in dh.withUnsafeMutableBufferPointer { dp in
                    Scalar.gemm(transA: false, transB: false, m: n, n: hd, k: h4, alpha: 1, a: dap.baseAddress!, lda: h4,
                                b: wp.baseAddress!, ldb: hd, beta: 0, c: dp.baseAddress!, ldc: hd)
                } }
            }
            for s in 0..<n { for k in 0..<inputs { dx[(s * steps + t) * inputs + k] = dxt[s * inputs + k] } }
        }
        return Tensor(shape: x.shape, data: dx)
    }
}

/// Levenberg–Marquardt training of a small network on the sum of squared errors between its linear
/// outputs and one-hot targets — MATLAB's `trainlm`, which Study B's BP network used (METHODS.md B2):
/// (JᵀJ + μI) δ = Jᵀe, μ starting at 1e-3, ×0.1 after a step that lowers the error, ×10 otherwise
/// (up to 1e10); stop at `epochs`, when the mean squared error reaches `goal`, or after `maxFail`
/// epochs in a row without a lower validation error (then the best weights are kept).
public struct LevenbergMarquardt: Sendable {
    public var epochs = 1000
    public var goal = 1e-6
    public var mu = 1e-3
    public var muDecrease = 0.1
    public var muIncrease = 10.0
    public var muMax = 1e10
    public var maxFail = 6
    public init(epochs: Int = 1000, goal: Double = 1e-6, maxFail: Int = 6) {
        self.epochs = epochs; self.goal = goal; self.maxFail = maxFail
    }

    /// Residuals (outputs − one-hot targets), sample-major: e[2i + k].
    static func residuals(_ net: Network<Double>, _ set: LabelledSet<Double>) -> [Double] {
        let out = net.forward(set.inputs, training: false)
        let k = out.shape[1]
        return (0..<set.count).flatMap { i in (0..<k).map { j in out.data[i * k + j] - (set.labels[i] == j ? 1 : 0) } }
    }

    /// The Jacobian of the residuals with respect to all parameters, row-major [N·K, P], one backward
    /// pass per sample and output.
    static func jacobian(_ net: Network<Double>, _ set: LabelledSet<Double>) -> (j: [Double], rows: Int, cols: Int) {
        let params = net.parameters
        let p = params.reduce(0) { $0 + $1.value.count }
        var j: [Double] = []
        var rows = 0
        for i in 0..<set.count {
            let x = set.inputs.gather([i])
            let out = net.forward(x, training: false)
            let k = out.shape[1]
            for o in 0..<k {
                net.zeroGradients()
                _ = net.forward(x, training: false)
                var dy = [Double](repeating: 0, count: k)
                dy[o] = 1
                net.backward(Tensor(shape: [1, k], data: dy))
                for prm in params { j.append(contentsOf: prm.grad) }
                rows += 1
            }
        }
        return (j, rows, p)
    }

    static func flatParameters(_ net: Network<Double>) -> [Double] { net.parameters.flatMap { $0.value } }
    static func setParameters(_ net: Network<Double>, _ v: [Double]) {
        var o = 0
        for p in net.parameters { p.value = Array(v[o..<(o + p.value.count)]); o += p.value.count }
    }

    @discardableResult
    public func train(_ net: Network<Double>, on training: LabelledSet<Double>, validation: LabelledSet<Double>? = nil)
        -> TrainingHistory {
        var history = TrainingHistory()
        var mu = self.mu
        func sse(_ set: LabelledSet<Double>) -> Double { Self.residuals(net, set).reduce(0) { $0 + $1 * $1 } }
        var error = sse(training)
        var bestValidation = validation.map(sse) ?? .infinity
        var best = Self.flatParameters(net)
        var fails = 0
        let outputs = 2.0
        for epoch in 1...max(1, epochs) {
            let e = Self.residuals(net, training)
            let (j, rows, cols) = Self.jacobian(net, training)
            var jtj = [Double](repeating: 0, count: cols * cols), jte = [Double](repeating: 0, count: cols)
            for r in 0..<rows {
                let row = r * cols
                for a in 0..<cols {
                    let ja = j[row + a]
                    if ja == 0 { continue }
                    jte[a] += ja * e[r]
                    for b in 0...a { jtj[a * cols + b] += ja * j[row + b] }
                }
            }
            for a in 0..<cols { for b in 0..<a { jtj[b * cols + a] = jtj[a * cols + b] } }
            let theta = Self.flatParameters(net)
            var improved = false
            while mu <= muMax {
                var m = jtj
                for a in 0..<cols { m[a * cols + a] += mu }
                if let delta = LinearAlgebra.solveSPD(m, jte, n: cols) {
                    Self.setParameters(net, zip(theta, delta).map { $0 - $1 })
                    let trial = sse(training)
                    if trial < error {
                        error = trial
                        mu *= muDecrease
                        improved = true
                        break
                    }
                }
                mu *= muIncrease
            }
            if !improved { Self.setParameters(net, theta) }
            history.trainingLoss.append(error / (Double(training.count) * outputs))
            if let validation {
                let v = sse(validation)
                history.validationLoss.append(v / (Double(validation.count) * outputs))
                if v < bestValidation {
                    bestValidation = v; best = Self.flatParameters(net); fails = 0; history.bestEpoch = epoch
                } else {
                    fails += 1
                }
                if fails >= maxFail { history.stoppedEarly = true; break }
            } else {
                history.bestEpoch = epoch
            }
            if !improved || error / (Double(training.count) * outputs) <= goal { break }
        }
        if validation != nil, history.bestEpoch > 0 { Self.setParameters(net, best) }
        return history
    }
}

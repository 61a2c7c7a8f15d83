import Foundation
import Randomness

/// Gaussian-process regression with a Matérn 5/2 kernel and one length scale per dimension
/// (Rasmussen & Williams 2006, eq. 4.17):
///   k(x, x′) = σ² (1 + √5 r + 5r²/3) exp(−√5 r),  r² = Σ_d ((x_d − x′_d) / ℓ_d)²,
/// plus noise variance σ_n² on the diagonal. Targets are standardised; the hyperparameters
/// (log σ², log ℓ_d, log σ_n²) maximise the log marginal likelihood
///   log p(y | X) = −½ yᵀK⁻¹y − Σ log L_ii − n/2 log 2π
/// by Nelder–Mead from several starts. The Cholesky factor comes from LAPACK.
public struct GaussianProcess: Sendable {
    public private(set) var inputs: [[Double]]
    public private(set) var targets: [Double]
    public private(set) var signalVariance = 1.0
    public private(set) var lengthScales: [Double]
    public private(set) var noiseVariance = 1e-6
    public private(set) var logMarginalLikelihood = -Double.infinity
    private(set) var mean: Double, scale: Double
    var chol: [Double] = []
    var alpha: [Double] = []

    /// Bounds of the hyperparameters (inputs are expected in the unit cube; targets standardised).
    public static let lengthScaleBounds = (0.01, 10.0)
    public static let signalBounds = (0.01, 100.0)
    public static let noiseBounds = (1e-8, 0.1)

    public init(inputs: [[Double]], targets: [Double], restarts: Int = 4, generator: inout SeededGenerator) {
        precondition(!inputs.isEmpty && inputs.count == targets.count)
        self.inputs = inputs
        let m = targets.reduce(0, +) / Double(targets.count)
        let sd = targets.count > 1 ? (targets.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(targets.count - 1)).squareRoot() : 1
        mean = m; scale = sd > 0 ? sd : 1
        self.targets = targets.map { ($0 - m) / (sd > 0 ? sd : 1) }
        let d = inputs[0].count
        lengthScales = [Double](repeating: 0.3, count: d)
        // Nelder–Mead over log-hyperparameters from the default and random starts; keep the best.
        let lo = [log(Self.signalBounds.0)] + [Double](repeating: log(Self.lengthScaleBounds.0), count: d) + [log(Self.noiseBounds.0)]
        let hi = [log(Self.signalBounds.1)] + [Double](repeating: log(Self.lengthScaleBounds.1), count: d) + [log(Self.noiseBounds.1)]
        var starts = [[0.0] + [Double](repeating: log(0.3), count: d) + [log(1e-4)]]
        for _ in 0..<restarts { starts.append(zip(lo, hi).map { $0 + ($1 - $0) * generator.nextUnit() }) }
        let probe = self
        func objective(_ t: [Double]) -> Double {
            let c = zip(zip(t, lo), hi).map { min($1, max($0.1, $0.0)) }
            return -(probe.withHyperparameters(c).logMarginalLikelihood)
        }
        var best = starts[0], bestValue = Double.infinity
        for s in starts {
            let (x, f) = NelderMead.minimize(objective, start: s, step: 0.5, iterations: 300)
            if f < bestValue { bestValue = f; best = zip(zip(x, lo), hi).map { min($1, max($0.1, $0.0)) } }
        }
        self = withHyperparameters(best)
    }

    /// This GP refitted (Cholesky and weights) with log-hyperparameters t = (log σ², log ℓ…, log σ_n²).
    func withHyperparameters(_ t: [Double]) -> GaussianProcess {
        var g = self
        g.signalVariance = exp(t[0])
        g.lengthScales = t[1..<(t.count - 1)].map(exp)
        g.noiseVariance = exp(t[t.count - 1])
        let n = inputs.count
        var k = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i {
            let v = g.kernel(inputs[i], inputs[j]) + (i == j ? g.noiseVariance : 0)
            k[i * n + j] = v; k[j * n + i] = v
        } }
        guard let l = LinearAlgebra.cholesky(k, n: n) else { g.logMarginalLikelihood = -.infinity; return g }
        g.chol = l
        g.alpha = LinearAlgebra.backward(l, LinearAlgebra.forward(l, targets, n: n), n: n)
        var lml = -0.5 * zip(targets, g.alpha).map(*).reduce(0, +) - 0.5 * Double(n) * log(2 * .pi)
        for i in 0..<n { lml -= log(l[i * n + i]) }
        g.logMarginalLikelihood = lml
        return g
    }

    public func kernel(_ a: [Double], _ b: [Double]) -> Double {
        var r2 = 0.0
        for d in 0..<a.count { let z = (a[d] - b[d]) / lengthScales[d]; r2 += z * z }
        let r = (5 * r2).squareRoot()
        return signalVariance * (1 + r + r * r / 3) * exp(-r)
    }

    /// Posterior mean and standard deviation at x, in the targets' units.
    public func predict(_ x: [Double]) -> (mean: Double, sd: Double) {
        let n = inputs.count
        let ks = inputs.map { kernel($0, x) }
        let mu = zip(ks, alpha).map(*).reduce(0, +)
        let v = LinearAlgebra.forward(chol, ks, n: n)
        let variance = max(1e-12, signalVariance - v.map { $0 * $0 }.reduce(0, +))
        return (mean + scale * mu, scale * variance.squareRoot())
    }
}

/// Nelder–Mead simplex minimisation (Nelder & Mead 1965; standard coefficients 1, 2, ½, ½).
public enum NelderMead {
    public static func minimize(_ f: ([Double]) -> Double, start: [Double], step: Double, iterations: Int,
                                tolerance: Double = 1e-10) -> (x: [Double], value: Double) {
        let n = start.count
        var simplex = [start] + (0..<n).map { i -> [Double] in var p = start; p[i] += step; return p }
        var values = simplex.map(f)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }; values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + 1e-12) { break }
            let centroid = (0..<n).map { d in simplex[0..<n].map { $0[d] }.reduce(0, +) / Double(n) }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let r = along(-1), fr = f(r)
            if fr < values[0] {
                let e = along(-2), fe = f(e)
                if fe < fr { simplex[n] = e; values[n] = fe } else { simplex[n] = r; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = r; values[n] = fr
            } else {
                let c = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(c)
                if fc < min(fr, values[n]) {
                    simplex[n] = c; values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = f(simplex[i])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return (simplex[best], values[best])
    }
}

import Foundation
import Randomness

/// One dimension of a search space (Study A's Table 1 mixes all three kinds).
public enum SearchDimension: Sendable, Equatable {
    /// A real interval, searched linearly.
    case real(String, ClosedRange<Double>)
    /// A positive real interval, searched in log scale (learning rates, L2 factors).
    case logReal(String, ClosedRange<Double>)
    /// A finite set of values (integers, e.g. kernel size {2, 3, 4, 5} or channels {32, 64, 128}).
    case choice(String, [Double])

    public var name: String {
        switch self { case let .real(n, _), let .logReal(n, _), let .choice(n, _): n }
    }

    /// Maps u ∈ [0, 1] to a value of the dimension (choices: the u-th of the list, equal widths).
    public func value(_ u: Double) -> Double {
        let t = min(1, max(0, u))
        switch self {
        case let .real(_, r): return r.lowerBound + t * (r.upperBound - r.lowerBound)
        case let .logReal(_, r): return exp(log(r.lowerBound) + t * (log(r.upperBound) - log(r.lowerBound)))
        case let .choice(_, vs): return vs[min(vs.count - 1, Int(t * Double(vs.count)))]
        }
    }

    /// The unit-cube coordinate of a value (choices: the centre of its slot) — so that the GP sees
    /// one point per distinct configuration.
    public func unit(_ v: Double) -> Double {
        switch self {
        case let .real(_, r): return (v - r.lowerBound) / (r.upperBound - r.lowerBound)
        case let .logReal(_, r): return (log(v) - log(r.lowerBound)) / (log(r.upperBound) - log(r.lowerBound))
        case let .choice(_, vs):
            let i = vs.firstIndex(of: v) ?? vs.indices.min { abs(vs[$0] - v) < abs(vs[$1] - v) }!
            return (Double(i) + 0.5) / Double(vs.count)
        }
    }
}

public struct OptimizationTrace: Sendable {
    /// Every evaluated point (in the dimensions' units) and its objective, in order.
    public var points: [[Double]] = []
    public var values: [Double] = []
    /// Best value so far after each evaluation (the convergence trace).
    public var bestSoFar: [Double] = []
    public var best: (point: [Double], value: Double)? {
        guard let i = values.indices.min(by: { values[$0] < values[$1] }) else { return nil }
        return (points[i], values[i])
    }
}

/// Bayesian optimisation (Snoek, Larochelle & Adams 2012): a Matérn 5/2 GP on the evaluations so
/// far, the next point maximising expected improvement
///   EI(x) = (f* − μ) Φ(z) + σ φ(z),  z = (f* − μ) / σ   (minimisation),
/// found by scoring random candidates and polishing the best with Nelder–Mead. Points are snapped to
/// their dimensions (choices, bounds) before scoring, so EI is that of a point that can be evaluated.
public struct BayesianOptimizer: Sendable {
    public var dimensions: [SearchDimension]
    public var initialPoints = 5
    public var candidates = 2000
    public init(dimensions: [SearchDimension], initialPoints: Int = 5) {
        self.dimensions = dimensions; self.initialPoints = initialPoints
    }

    func snap(_ u: [Double]) -> [Double] { zip(dimensions, u).map { $0.unit($0.value($1)) } }

    static func normalPDF(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    public static func expectedImprovement(mean: Double, sd: Double, best: Double) -> Double {
        guard sd > 1e-12 else { return max(0, best - mean) }
        let z = (best - mean) / sd
        return (best - mean) * normalCDF(z) + sd * normalPDF(z)
    }

    /// Minimises `objective` with `evaluations` calls; `progress` sees each (index, point, value).
    public func minimize(evaluations: Int, generator: inout SeededGenerator, objective: ([Double]) -> Double,
                         progress: (Int, [Double], Double) -> Void = { _, _, _ in }) -> OptimizationTrace {
        var trace = OptimizationTrace()
        var units: [[Double]] = []
        let d = dimensions.count
        func evaluate(_ u: [Double]) {
            let x = zip(dimensions, u).map { $0.value($1) }
            let y = objective(x)
            units.append(u); trace.points.append(x); trace.values.append(y)
            trace.bestSoFar.append(min(trace.bestSoFar.last ?? .infinity, y))
            progress(trace.values.count, x, y)
        }
        // Initial design: a Latin hypercube (one point per stratum in every dimension).
        let n0 = min(initialPoints, evaluations)
        let strata = (0..<d).map { _ in Trainer.permutation(n0, generator: &generator) }
        for i in 0..<n0 {
            evaluate(snap((0..<d).map { (Double(strata[$0][i]) + generator.nextUnit()) / Double(n0) }))
        }
        while trace.values.count < evaluations {
            let gp = GaussianProcess(inputs: units, targets: trace.values, generator: &generator)
            let best = trace.values.min()!
            func ei(_ u: [Double]) -> Double {
                let s = snap(u.map { min(1, max(0, $0)) })
                let p = gp.predict(s)
                return Self.expectedImprovement(mean: p.mean, sd: p.sd, best: best)
            }
            var scored: [([Double], Double)] = (0..<candidates).map { _ in
                let u = (0..<d).map { _ in generator.nextUnit() }
                return (u, ei(u))
            }
            // Also candidates near the best points so far: the optimum is often beside them.
            for k in trace.values.indices.sorted(by: { trace.values[$0] < trace.values[$1] }).prefix(3) {
                for _ in 0..<100 {
                    let u = units[k].map { min(1, max(0, $0 + 0.05 * generator.nextNormal())) }
                    scored.append((u, ei(u)))
                }
            }
            scored.sort { $0.1 > $1.1 }
            var next = scored[0].0, nextEI = scored[0].1
            for (start, _) in scored.prefix(3) {
                let (x, f) = NelderMead.minimize({ -ei($0) }, start: start, step: 0.05, iterations: 200, tolerance: 1e-12)
                if -f > nextEI { nextEI = -f; next = x.map { min(1, max(0, $0)) } }
            }
            var u = snap(next)
            // Never re-evaluate a point: with EI ≈ 0 everywhere, explore at random instead.
            if units.contains(where: { zip($0, u).allSatisfy { abs($0 - $1) < 1e-9 } }) {
                u = snap((0..<d).map { _ in generator.nextUnit() })
            }
            evaluate(u)
        }
        return trace
    }
}

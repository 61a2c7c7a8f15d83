import Foundation
import Reliability
import SlopePhysics

/// Per-evaluation costs of the limit state (for `form-bench --micro`).
func microBenchmark() {
    let rates = [Double](repeating: 1.6e-6, count: 9), seconds = [Double](repeating: 3600, count: 9)
    let ls = InfiniteSlopeLimitState(slopeRadians: 0.5, profile: .c, wettingFront: .supply(metersPerSecond: rates, seconds: seconds))
    var x = Vector8<Double>(repeating: 0)
    for (i, v) in [18.5, 20, 0.12, 1, 0.67, 25, 2.5e-5, 2.0].enumerated() { x[i] = v }
    let n = 1_000_000
    var sink = 0.0
    var t0 = Date()
    for k in 0..<n {
        x[0] = 18.5 + Double(k & 7) * 1e-3
        sink += ls(x)
    }
    print(String(format: "micro: g on doubles  %.0f ns", Date().timeIntervalSince(t0) / Double(n) * 1e9))
    t0 = Date()
    for k in 0..<n {
        var d = Vector8<Dual>(repeating: Dual(0))
        for i in 0..<8 { d[i] = Dual.variable(x[i] + Double(k & 7) * 1e-9, index: i) }
        sink += ls(d).gradient[1]
    }
    print(String(format: "micro: g on duals    %.0f ns", Date().timeIntervalSince(t0) / Double(n) * 1e9))
    let problem = try! ReliabilityProblem(marginals: [18.5, 20, 0.12, 1, 0.67, 25, 2.5e-5, 2.0].map { .normal(mean: $0, sd: 0.2 * $0) },
                                          limitState: ls)
    t0 = Date()
    var iterations = 0
    for _ in 0..<20_000 {
        let r = FORM.solve(problem)
        iterations += r.iterations
        sink += r.beta
    }
    print(String(format: "micro: FORM.solve    %.0f ns (%.1f iterations)", Date().timeIntervalSince(t0) / 20_000 * 1e9, Double(iterations) / 20_000))
    struct Smooth: LimitState {
        let inner: InfiniteSlopeLimitState
        func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T { inner(x) }
    }
    let smooth = try! ReliabilityProblem(marginals: problem.marginals, limitState: Smooth(inner: ls))
    t0 = Date()
    for _ in 0..<20_000 { sink += FORM.solve(smooth).beta }
    print(String(format: "micro: FORM.solve, no piecewise wrapper  %.0f ns", Date().timeIntervalSince(t0) / 20_000 * 1e9))
    t0 = Date()
    for _ in 0..<20_000 { sink += (try! ReliabilityProblem(marginals: problem.marginals, limitState: ls)).marginals[0].mean }
    print(String(format: "micro: ReliabilityProblem.init  %.0f ns", Date().timeIntervalSince(t0) / 20_000 * 1e9))
    if sink == 42 { print(sink) }
}

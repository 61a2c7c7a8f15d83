import Foundation
import Reliability
import SlopePhysics
import Stages
import StudyCore

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

/// Which solver path the cells take (`form-bench --census`): cells, mean iterations and time per cell
/// for each ``FORMMethod``, on one thread.
func census(inputs: PPMRun.Inputs, uncertainty: CellUncertainty) throws {
    var methods: [String: (cells: Int, iterations: Int, time: Double)] = [:]
    for c in 0..<inputs.dem.count where inputs.slope.isValid(at: c) && inputs.soilDepth.isValid(at: c)
        && inputs.storm.wettingFrontMeters[c] > 0 && inputs.slope.values[c] >= ReliabilityMap.flatSlopeDegrees {
        let (problem, _) = try cellProblem(inputs: inputs, uncertainty: uncertainty, cell: c)
        let t0 = Date()
        let r = FORM.solve(problem)
        let dt = Date().timeIntervalSince(t0)
        if !r.converged {
            print(String(format: "not converged: cell %d, slope %.3f°, soil depth %.3f m, FOS at the means %.3f, β %.4f after %d iterations (%@)",
                         c, inputs.slope.values[c], inputs.soilDepth.values[c], r.gAtMean + 1, r.beta, r.iterations,
                         r.method.description as NSString))
        }
        let key = r.method.description + (r.converged ? "" : " (not converged)")
        let old = methods[key] ?? (0, 0, 0)
        methods[key] = (old.cells + 1, old.iterations + r.iterations, old.time + dt)
    }
    for (k, v) in methods.sorted(by: { $0.key < $1.key }) {
        print(String(format: "%@: %d cells, %.1f iterations, %.2f µs per cell", k, v.cells, Double(v.iterations) / Double(v.cells), v.time / Double(v.cells) * 1e6))
    }
}

/// Cell c's FORM problem (profile c, its supply series from PRL-STIM at the means) and that series.
func cellProblem(inputs: PPMRun.Inputs, uncertainty: CellUncertainty,
                 cell c: Int) throws -> (ReliabilityProblem<InfiniteSlopeLimitState>, [Double]) {
    let n = inputs.dem.count
    let rates = inputs.storm.stepSeconds.indices.map { Double(inputs.storm.supplyMetersPerSecond[$0 * n + c]) }
    let limitState = InfiniteSlopeLimitState(slopeRadians: Double(inputs.slope.values[c]) * .pi / 180, profile: .c,
                                             wettingFront: .supply(metersPerSecond: rates, seconds: inputs.storm.stepSeconds))
    return (try uncertainty.problem(soilDepthMeters: Double(inputs.soilDepth.values[c]), limitState: limitState), rates)
}

import Foundation

/// A structural-reliability problem: marginals, their correlation, and a limit state g (failure g < 0).
public struct ReliabilityProblem<G: LimitState>: Sendable {
    /// Up to eight variables in the limit state's order; `.fixed` ones are constants.
    public private(set) var marginals: [Marginal]
    /// Normal-space correlation of the *random* variables, in their order among `marginals`
    /// (the "equivalent-normal" convention of METHODS.md A3; see ``NatafCorrection`` for the other).
    public let correlation: CorrelationMatrix
    public let limitState: G
    /// Positions in `marginals` of the random variables.
    public let randomIndices: [Int]
    /// Fast paths, precomputed: every random variable normal (then equivalent normals are constant and
    /// x = μ + σ z), and an identity correlation (then L = R = I).
    @usableFromInline let allNormal: Bool
    @usableFromInline let identityCorrelation: Bool
    @usableFromInline var normalMean: SIMD8<Double>
    @usableFromInline var normalSD: SIMD8<Double>
    /// The full vector with the fixed values in place (random slots 0).
    @usableFromInline var fixedBase: Vector8<Double>

    public init(marginals: [Marginal], correlation: CorrelationMatrix? = nil, limitState: G) throws {
        precondition(marginals.count <= 8, "at most eight variables")
        self.marginals = marginals
        randomIndices = marginals.indices.filter { marginals[$0].isRandom }
        let m = randomIndices.count
        self.correlation = correlation ?? CorrelationMatrix.identity(m)
        guard self.correlation.size == m else {
            throw CorrelationError.notSquare(rows: self.correlation.size, cols: m)
        }
        self.limitState = limitState
        var mean = SIMD8<Double>.zero, sd = SIMD8<Double>.zero
        var allNormal = true
        for (k, i) in randomIndices.enumerated() {
            if case let .normal(mu, sigma) = marginals[i] { mean[k] = mu; sd[k] = sigma } else { allNormal = false }
        }
        self.allNormal = allNormal
        normalMean = mean
        normalSD = sd
        identityCorrelation = self.correlation.isIdentity
        var base = Vector8<Double>(repeating: 0)
        for (i, marginal) in marginals.enumerated() { if case let .fixed(c) = marginal { base[i] = c } }
        fixedBase = base
    }

    /// The same problem with another limit state (no re-validation: cheap, for per-cell and per-piece use).
    @inlinable public func replacing<H: LimitState>(limitState: H) -> ReliabilityProblem<H> {
        ReliabilityProblem<H>(copying: self, limitState: limitState)
    }

    /// The same problem with variable `index`'s marginal replaced by another random (or another fixed)
    /// marginal of the same kind, and another limit state: for maps, where only the soil depth and the
    /// cell's geometry change from cell to cell.
    public func replacing(marginalAt index: Int, with marginal: Marginal, limitState: G) -> ReliabilityProblem<G> {
        precondition(marginals[index].isRandom == marginal.isRandom, "randomness of a variable cannot change")
        var copy = ReliabilityProblem(copying: self, limitState: limitState)
        copy.marginals[index] = marginal
        if let k = randomIndices.firstIndex(of: index) {
            if case let .normal(mu, sigma) = marginal, allNormal {
                copy.normalMean[k] = mu
                copy.normalSD[k] = sigma
            } else if allNormal {
                return try! ReliabilityProblem(marginals: copy.marginals, correlation: correlation, limitState: limitState)
            }
        } else if case let .fixed(c) = marginal {
            copy.fixedBase[index] = c
        }
        return copy
    }

    @usableFromInline init<H>(copying other: ReliabilityProblem<H>, limitState: G) {
        marginals = other.marginals
        correlation = other.correlation
        self.limitState = limitState
        randomIndices = other.randomIndices
        allNormal = other.allNormal
        identityCorrelation = other.identityCorrelation
        normalMean = other.normalMean
        normalSD = other.normalSD
        fixedBase = other.fixedBase
    }

    /// The full variable vector with the random ones set from `random` (compact order).
    @inlinable @inline(__always) func full(_ random: SIMD8<Double>) -> Vector8<Double> {
        var v = fixedBase
        for (k, i) in randomIndices.enumerated() { v[i] = random[k] }
        return v
    }

    /// g and its gradient with respect to the random variables (compact order), by dual numbers.
    @inlinable @inline(__always) func valueAndGradient(_ random: SIMD8<Double>) -> (Double, SIMD8<Double>) {
        var v = Vector8<Dual>(repeating: Dual(0))
        for i in 0..<marginals.count { v[i] = Dual(fixedBase[i]) }
        for (k, i) in randomIndices.enumerated() { v[i] = Dual.variable(random[k], index: k) }
        let g = limitState(v)
        return (g.value, g.gradient)
    }

    @inlinable @inline(__always) func value(_ random: SIMD8<Double>) -> Double { limitState(full(random)) }

    /// Physical values of the random variables at standard-normal point u (x = F⁻¹(Φ(L u))).
    @inlinable @inline(__always) func physical(u: SIMD8<Double>) -> SIMD8<Double> {
        let z = lower(u)
        if allNormal { return normalMean + normalSD * z }
        var x = SIMD8<Double>.zero
        for (k, i) in randomIndices.enumerated() { x[k] = marginals[i].value(atStandardNormal: z[k]) }
        return x
    }

    /// L·v.
    @inlinable @inline(__always) func lower(_ v: SIMD8<Double>) -> SIMD8<Double> {
        if identityCorrelation { return v }
        let m = correlation.size, l = correlation.cholesky
        var out = SIMD8<Double>.zero
        for i in 0..<m {
            var s = 0.0
            for j in 0...i { s += l[i * m + j] * v[j] }
            out[i] = s
        }
        return out
    }

    /// Lᵀ·v.
    @inlinable @inline(__always) func lowerTransposed(_ v: SIMD8<Double>) -> SIMD8<Double> {
        if identityCorrelation { return v }
        let m = correlation.size, l = correlation.cholesky
        var out = SIMD8<Double>.zero
        for j in 0..<m {
            var s = 0.0
            for i in j..<m { s += l[i * m + j] * v[i] }
            out[j] = s
        }
        return out
    }

    /// L⁻¹·z (forward substitution).
    @inlinable @inline(__always) func solveLower(_ z: SIMD8<Double>) -> SIMD8<Double> {
        if identityCorrelation { return z }
        let m = correlation.size, l = correlation.cholesky
        var y = SIMD8<Double>.zero
        for i in 0..<m {
            var s = z[i]
            for j in 0..<i { s -= l[i * m + j] * y[j] }
            y[i] = s / l[i * m + i]
        }
        return y
    }

    /// R·v.
    @inlinable @inline(__always) func correlate(_ v: SIMD8<Double>) -> SIMD8<Double> {
        if identityCorrelation { return v }
        let m = correlation.size, r = correlation.entries
        var out = SIMD8<Double>.zero
        for i in 0..<m {
            var s = 0.0
            for j in 0..<m { s += r[i * m + j] * v[j] }
            out[i] = s
        }
        return out
    }

    /// g at standard-normal point u and its gradient there: ∇ᵤg = Lᵀ(σᴺ ∘ ∇ₓg), since dx/dz = σᴺ(x) (closed
    /// forms, so no φ(z)/f(x) underflow in far tails) and dz/du = L.
    @inlinable @inline(__always) func standardGradient(_ u: SIMD8<Double>) -> (g: Double, gradient: SIMD8<Double>) {
        let x = physical(u: u)
        var dxdz = normalSD
        if !allNormal {
            for (k, i) in randomIndices.enumerated() { dxdz[k] = marginals[i].equivalentNormal(at: x[k]).sd }
        }
        let (g, gradient) = valueAndGradient(x)
        return (g, lowerTransposed(dxdz * gradient))
    }

    /// The random variables' standard-normal coordinates z = Φ⁻¹(F(x)).
    @inlinable @inline(__always) func standardNormal(_ x: SIMD8<Double>) -> SIMD8<Double> {
        if allNormal {
            var z = SIMD8<Double>.zero
            for k in 0..<randomIndices.count { z[k] = (x[k] - normalMean[k]) / normalSD[k] }
            return z
        }
        var z = SIMD8<Double>.zero
        for (k, i) in randomIndices.enumerated() { z[k] = marginals[i].standardNormal(at: x[k]) }
        return z
    }
}

/// Options of the FORM solver.
public struct FORMOptions: Sendable {
    /// Convergence: the step in standard-normal units, and |g| relative to max(1, |g(mean)|). 1e-6
    /// puts β within ~1e-6; tighter values can stall on rounding in F⁻¹(Φ(·)) chains.
    public var tolerance = 1e-6
    /// Iteration cap of HLRF-x before switching to iHLRF, and of iHLRF.
    public var maxIterations = 100
    /// Use iHLRF from the start instead of as the fallback.
    public var alwaysLineSearch = false
    /// Iteration cap of the active-set solver for piecewise limit states (it can creep along a kink
    /// edge), and the HLRF-x cap tried before it (HLRF-x converges within ~15 iterations when it
    /// converges at all; at a kink it cycles).
    public var maxActiveSetIterations = 1000
    public var maxHLRFIterationsBeforeActiveSet = 30
    public init() {}
}

/// The outcome of FORM for one problem.
public struct FORMResult: Sendable {
    /// Signed reliability index: negative when the origin of the standard-normal space (the
    /// marginals' medians; the means for normal variables) lies in the failure domain, so that
    /// P_f = Φ(−β) > 0.5 there (METHODS.md A3; OpenTURNS's "generalised" index).
    public var beta: Double
    /// Φ(−β).
    public var probabilityOfFailure: Double
    /// The most probable failure point, all variables in the limit state's order.
    public var designPoint: Vector8<Double>
    /// Its standard-normal coordinates (random variables, compact order).
    public var designPointU: SIMD8<Double>
    /// g at the means.
    public var gAtMean: Double
    public var iterations: Int
    public var converged: Bool
    /// "HLRF-x" or "iHLRF" (the line-search fallback).
    public var method: String

    @inlinable public init(beta: Double, probabilityOfFailure: Double, designPoint: Vector8<Double>,
                           designPointU: SIMD8<Double>, gAtMean: Double, iterations: Int, converged: Bool, method: String) {
        self.beta = beta
        self.probabilityOfFailure = probabilityOfFailure
        self.designPoint = designPoint
        self.designPointU = designPointU
        self.gAtMean = gAtMean
        self.iterations = iterations
        self.converged = converged
        self.method = method
    }
}

/// FORM by the Hasofer–Lind–Rackwitz–Fiessler iteration in the physical space ("HLRF-x"; Low & Tang
/// 2007; Ji & Kodikara 2015), METHODS.md A3:
///
///     T_k = D_k R D_k,  D_k = diag(σᴺ_k)      (Rackwitz–Fiessler equivalent normals at x_k)
///     x_{k+1} = μᴺ_k + T_k ∇g · [∇gᵀ(x_k − μᴺ_k) − g(x_k)] / (∇gᵀ T_k ∇g)
///
/// started at the means, with exact gradients (``Dual``). At the design point x*, zᵢ = Φ⁻¹(Fᵢ(x*ᵢ))
/// and β = ‖L⁻¹z‖ (R = LLᵀ): the same point and index as FORM with a Nataf (normal-copula)
/// transformation whose normal-space correlation is R. When HLRF-x fails to converge within the cap
/// (it can oscillate on strongly non-linear limit states), the improved HLRF of Zhang & Der
/// Kiureghian (1995) — the same direction with an Armijo line search on the merit ½‖u‖² + c|g| — is
/// run from the origin instead.
public enum FORM {
    /// What every solver needs first: the means, g there, the sign of β (from the origin of the
    /// standard space, i.e. the medians) and the scale of g for the tolerances.
    @usableFromInline struct Start {
        @usableFromInline var means: SIMD8<Double>
        @usableFromInline var gMean: Double
        @usableFromInline var sign: Double
        @usableFromInline var gScale: Double

        @inlinable init<G>(_ p: ReliabilityProblem<G>) {
            means = .zero
            for (k, i) in p.randomIndices.enumerated() { means[k] = p.marginals[i].mean }
            gMean = p.value(means)
            // The origin of the standard space is the medians: the means when every variable is normal.
            sign = (p.allNormal ? gMean : p.value(p.physical(u: .zero))) < 0 ? -1 : 1
            gScale = max(1, abs(gMean))
        }

        /// The result at design point u (standard space) or x (physical; derived from u when omitted).
        @inlinable func result<G>(_ p: ReliabilityProblem<G>, u: SIMD8<Double>, x: SIMD8<Double>? = nil, iterations: Int,
                       converged: Bool, method: String) -> FORMResult {
            let beta = sign * (u * u).sum().squareRoot()
            return FORMResult(beta: beta, probabilityOfFailure: StandardNormal.cdf(-beta),
                              designPoint: p.full(x ?? p.physical(u: u)), designPointU: u, gAtMean: gMean,
                              iterations: iterations, converged: converged, method: method)
        }
    }

    @inlinable public static func solve<G>(_ p: ReliabilityProblem<G>, options: FORMOptions = FORMOptions()) -> FORMResult {
        solve(p, options: options, asGeneric: ())
    }

    /// The smooth-limit-state solver, callable from the piecewise overload.
    @inlinable static func solve<G>(_ p: ReliabilityProblem<G>, options: FORMOptions, asGeneric: Void) -> FORMResult {
        let m = p.randomIndices.count
        let start = Start(p)
        let (means, gMean) = (start.means, start.gMean)
        if m == 0 {
            return FORMResult(beta: gMean < 0 ? -.infinity : .infinity, probabilityOfFailure: gMean < 0 ? 1 : 0,
                              designPoint: p.full(means), designPointU: .zero, gAtMean: gMean, iterations: 0,
                              converged: true, method: "deterministic")
        }
        if !options.alwaysLineSearch, let (x, iterations) = hlrfX(p, start: means, gScale: start.gScale, options: options) {
            return start.result(p, u: p.solveLower(p.standardNormal(x)), x: x, iterations: iterations, converged: true,
                                method: "HLRF-x")
        }
        let (u, iterations, converged) = iHLRF(p, gScale: start.gScale, options: options)
        return start.result(p, u: u, iterations: iterations, converged: converged, method: "iHLRF")
    }

    /// HLRF-x; `nil` when it does not converge within the cap (or leaves the support).
    @inlinable static func hlrfX<G>(_ p: ReliabilityProblem<G>, start: SIMD8<Double>, gScale: Double,
                         options: FORMOptions) -> (SIMD8<Double>, Int)? {
        var x = start
        var previous: SIMD8<Double>?
        var beforePrevious: SIMD8<Double>?
        for k in 0...options.maxIterations {
            var meanN = p.normalMean, sdN = p.normalSD  // normals are their own equivalent normals
            if !p.allNormal {
                for (j, i) in p.randomIndices.enumerated() {
                    let e = p.marginals[i].equivalentNormal(at: x[j])
                    guard e.sd.isFinite, e.sd > 0, e.mean.isFinite else { return nil }
                    meanN[j] = e.mean
                    sdN[j] = e.sd
                }
            }
            let (g, gradient) = p.valueAndGradient(x)
            guard g.isFinite else { return nil }
            if let previous {
                var step = 0.0
                for j in 0..<p.randomIndices.count { step = max(step, abs(x[j] - previous[j]) / sdN[j]) }
                if step < options.tolerance && abs(g) < options.tolerance * gScale { return (x, k) }
            }
            let a = sdN * gradient
            let ra = p.correlate(a)
            let denominator = (a * ra).sum()
            guard denominator > 0 else { return nil }
            let numerator = (gradient * (x - meanN)).sum() - g
            // A 2-cycle (x_{k+1} ≈ x_{k−1} while x_k is far from both): HLRF-x is bouncing across a kink;
            // give up now rather than at the cap, so the caller's fallback starts sooner.
            if let before = beforePrevious, k >= 4 {
                var back = 0.0, across = 0.0
                for j in 0..<p.randomIndices.count {
                    back = max(back, abs(x[j] - before[j]) / sdN[j])
                    across = max(across, abs(x[j] - previous![j]) / sdN[j])
                }
                if back < 1e-3 * across && across > 1e-3 { return nil }
            }
            beforePrevious = previous
            previous = x
            x = meanN + sdN * ra * (numerator / denominator)
            for j in p.randomIndices.count..<8 { x[j] = 0 }
        }
        return nil
    }

    /// iHLRF in the standard-normal space with an Armijo line search.
    @inlinable static func iHLRF<G>(_ p: ReliabilityProblem<G>, gScale: Double, options: FORMOptions) -> (SIMD8<Double>, Int, Bool) {
        let m = p.randomIndices.count
        var u = SIMD8<Double>.zero
        for k in 1...options.maxIterations {
            let (g, grad) = p.standardGradient(u)
            let norm2 = (grad * grad).sum()
            guard norm2 > 0, g.isFinite else { return (u, k, false) }
            let d = grad * (((grad * u).sum() - g) / norm2) - u
            var dNorm = 0.0
            for j in 0..<m { dNorm = max(dNorm, abs(d[j])) }
            if dNorm < options.tolerance && abs(g) < options.tolerance * gScale { return (u, k, true) }
            let target = u + d
            let c = max(10, 2 * max((u * u).sum(), (target * target).sum()).squareRoot() / norm2.squareRoot())
            let merit0 = 0.5 * (u * u).sum() + c * abs(g)
            let slope = ((u + grad * (c * (g < 0 ? -1 : 1))) * d).sum()
            var lambda = 1.0
            while lambda > 1e-8 {
                let trial = u + d * lambda
                let gt = p.value(p.physical(u: trial))
                if gt.isFinite && 0.5 * (trial * trial).sum() + c * abs(gt) <= merit0 + 0.5 * lambda * slope { break }
                lambda /= 2
            }
            u += d * lambda
        }
        return (u, options.maxActiveSetIterations, false)
    }
}

/// A limit state with kinks: near the design point it is the maximum of smooth pieces (so failure means
/// every piece is negative). FORM then finds the closest point of the piecewise-smooth surface,
/// including points on the edge where two pieces meet, instead of cycling across the kink.
public protocol PiecewiseLimitState: LimitState {
    /// The smooth pieces (at most two are used); g = max over them wherever this holds.
    var pieces: [Self] { get }
    /// Both pieces at once (a limit state can share work between them; by default they are evaluated
    /// one after the other).
    func pieceValues<T: ReliabilityScalar>(_ x: Vector8<T>) -> (T, T)
}

extension PiecewiseLimitState {
    @inlinable public func pieceValues<T: ReliabilityScalar>(_ x: Vector8<T>) -> (T, T) {
        let p = pieces
        return (p[0](x), p[1](x))
    }
}

extension ReliabilityProblem where G: PiecewiseLimitState {
    /// Both pieces' values and standard-space gradients at u, from one evaluation of ``PiecewiseLimitState/pieceValues(_:)``.
    @inlinable @inline(__always)
    func pieceGradients(_ u: SIMD8<Double>) -> (g1: Double, a1: SIMD8<Double>, g2: Double, a2: SIMD8<Double>) {
        let x = physical(u: u)
        var dxdz = normalSD
        if !allNormal {
            for (k, i) in randomIndices.enumerated() { dxdz[k] = marginals[i].equivalentNormal(at: x[k]).sd }
        }
        var v = Vector8<Dual>(repeating: Dual(0))
        for i in 0..<marginals.count { v[i] = Dual(fixedBase[i]) }
        for (k, i) in randomIndices.enumerated() { v[i] = Dual.variable(x[k], index: k) }
        let (d1, d2) = limitState.pieceValues(v)
        return (d1.value, lowerTransposed(dxdz * d1.gradient), d2.value, lowerTransposed(dxdz * d2.gradient))
    }
}

extension FORM {
    /// FORM for a piecewise-smooth limit state: HLRF-x first (most problems never meet the kink); if it
    /// does not converge within a short leash, an active-set HLRF on the pieces (below).
    ///
    /// Active-set step (in the standard-normal space, pieces g₁, g₂ linearised at u_k as aᵢ·v = bᵢ,
    /// bᵢ = aᵢ·u_k − gᵢ): the candidates are the projections of the origin onto plane 1 (valid if
    /// a₂·v ≤ b₂), onto plane 2 (valid if a₁·v ≤ b₁) and onto their intersection (always on the
    /// linearised surface max = 0); the nearest valid one is the target, approached with the Armijo line
    /// search of iHLRF on the merit ½‖u‖² + c|max(g₁, g₂)|. Where one piece alone is active this is
    /// HLRF; on the edge it is the two-constraint projection of the multi-constraint HLRF. Converged when
    /// |g| is within tolerance and either the step or the change of β is (on an edge the point creeps
    /// while β has settled); the cap is `maxActiveSetIterations`. A limit cycle whose β varies by less than
    /// 1e-4 (relative) over 50 iterations with |g| < 1e-3 is accepted and labelled "β settled to 1e-4".
    @inlinable public static func solve<G: PiecewiseLimitState>(_ p: ReliabilityProblem<G>,
                                                     options: FORMOptions = FORMOptions()) -> FORMResult {
        let m = p.randomIndices.count
        let pieces = p.limitState.pieces
        guard m > 0, pieces.count == 2 else { return solve(p as ReliabilityProblem<G>, options: options, asGeneric: ()) }
        let start = Start(p)
        var shortLeash = options
        shortLeash.maxIterations = min(options.maxIterations, options.maxHLRFIterationsBeforeActiveSet)
        if !options.alwaysLineSearch, let (x, iterations) = hlrfX(p, start: start.means, gScale: start.gScale, options: shortLeash) {
            return start.result(p, u: p.solveLower(p.standardNormal(x)), x: x, iterations: iterations, converged: true,
                                method: "HLRF-x")
        }
        var settled = false
        let (u, iterations, converged) = activeSetHLRF(p, gScale: start.gScale, options: options, settled: &settled)
        return start.result(p, u: u, iterations: iterations, converged: converged,
                            method: settled ? "active-set HLRF (β settled to 1e-4)" : "active-set HLRF")
    }

    @inlinable static func activeSetHLRF<G: PiecewiseLimitState>(_ whole: ReliabilityProblem<G>, gScale: Double,
                                                                 options: FORMOptions,
                                                                 settled: inout Bool) -> (SIMD8<Double>, Int, Bool) {
        let m = whole.randomIndices.count
        func exact(_ u: SIMD8<Double>) -> Double { whole.value(whole.physical(u: u)) }
        var u = SIMD8<Double>.zero
        var previousBeta = -1.0
        var recentBetas: [Double] = []
        var recentG = 0.0
        for k in 1...options.maxActiveSetIterations {
            let (g1, a1, g2, a2) = whole.pieceGradients(u)
            guard g1.isFinite, g2.isFinite else { return (u, k, false) }
            let b1 = (a1 * u).sum() - g1, b2 = (a2 * u).sum() - g2
            let n1 = (a1 * a1).sum(), n2 = (a2 * a2).sum(), n12 = (a1 * a2).sum()
            var target: SIMD8<Double>?
            func consider(_ v: SIMD8<Double>) {
                if target == nil || (v * v).sum() < (target! * target!).sum() { target = v }
            }
            if n1 > 0 { let v = a1 * (b1 / n1); if (a2 * v).sum() <= b2 + 1e-12 * max(1, abs(b2)) { consider(v) } }
            if n2 > 0 { let v = a2 * (b2 / n2); if (a1 * v).sum() <= b1 + 1e-12 * max(1, abs(b1)) { consider(v) } }
            let det = n1 * n2 - n12 * n12
            if det > 1e-14 * n1 * n2 {
                let l1 = (b1 * n2 - b2 * n12) / det, l2 = (b2 * n1 - b1 * n12) / det
                consider(a1 * l1 + a2 * l2)
            }
            if target == nil {
                // No valid candidate (the planes nearly parallel): plain HLRF on the active (larger) piece.
                let (a, b, n) = g1 >= g2 ? (a1, b1, n1) : (a2, b2, n2)
                guard n > 0 else { return (u, k, false) }
                target = a * (b / n)
            }
            let v = target!
            let g = max(g1, g2)
            let d = v - u
            var step = 0.0
            for j in 0..<m { step = max(step, abs(d[j])) }
            let beta = (u * u).sum().squareRoot()
            if abs(g) < options.tolerance * gScale {
                // Converged: the point has stopped, or (creeping along a kink edge, where the merit's line
                // search shortens steps) β has settled to within the tolerance.
                let scale = max(1, beta)  // far design points (β of tens): relative tolerances
                if step < options.tolerance * scale || abs(beta - previousBeta) < options.tolerance * scale { return (u, k, true) }
            }
            previousBeta = beta
            // A limit cycle on the surface (e.g. across c′ = 0, where g stops being the max of its pieces):
            // accept when β has settled to 1e-4 (relative) over the last 50 iterations with |g| small,
            // and say so in the result's method.
            recentBetas.append(beta)
            recentG = max(recentG * 0.98, abs(g))
            if recentBetas.count > 50 { recentBetas.removeFirst() }
            if recentBetas.count == 50, abs(g) < 1e-3 * gScale, recentG < 1e-3 * gScale,
               recentBetas.max()! - recentBetas.min()! < 1e-4 * max(1, beta) {
                settled = true
                return (u, k, true)
            }
            // Penalty above the multiplier ‖u‖/‖∇g‖ at both ends of the step (Zhang & Der Kiureghian 1995),
            // so that a long step toward a distant design point is not rejected by the merit.
            let gradientNorm = min(n1 > 0 ? n1 : n2, n2 > 0 ? n2 : n1).squareRoot()
            let reach = max((u * u).sum(), (v * v).sum()).squareRoot()
            let c = max(10, 2 * reach / gradientNorm)
            let merit0 = 0.5 * (u * u).sum() + c * abs(g)
            var lambda = 1.0
            while lambda > 1e-10 {
                let trial = u + d * lambda
                let gt = exact(trial)
                if gt.isFinite && 0.5 * (trial * trial).sum() + c * abs(gt) < merit0 - 1e-4 * lambda * (d * d).sum() { break }
                lambda /= 2
            }
            if lambda <= 1e-10 { lambda = 1 }  // no decrease possible: take the full step (HLRF behaviour)
            u += d * lambda
        }
        return (u, options.maxActiveSetIterations, false)
    }
}

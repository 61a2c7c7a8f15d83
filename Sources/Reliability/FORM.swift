import Foundation

/// A structural-reliability problem: marginals, their correlation, and a limit state g (failure g < 0).
public struct ReliabilityProblem<G: LimitState>: Sendable {
    /// Up to eight variables in the limit state's order; `.fixed` ones are constants.
    public private(set) var marginals: [Marginal]
    /// Normal-space correlation of the *random* variables, in their order among `marginals`
    /// (the "equivalent-normal" convention of METHODS.md A3; see ``NatafCorrection`` for the other).
    public let correlation: CorrelationMatrix
    public var limitState: G
    /// Positions in `marginals` of the random variables.
    public let randomIndices: [Int]
    /// Fast paths, precomputed: every random variable normal (then equivalent normals are constant and
    /// x = μ + σ z), and an identity correlation (then L = R = I).
    @usableFromInline var allNormal: Bool
    @usableFromInline let identityCorrelation: Bool
    @usableFromInline var normalMean: SIMD8<Double>
    @usableFromInline var normalSD: SIMD8<Double>
    /// 1/σ of the normal variables (0 in lanes beyond the random variables).
    @usableFromInline var normalInverseSD: SIMD8<Double>
    /// The full vector with the fixed values in place (random slots 0).
    @usableFromInline var fixedBase: Vector8<Double>
    /// The same as dual numbers, random slot i seeded with the unit vector of its compact index.
    @usableFromInline var dualBase: Vector8<Dual>
    /// The variables are all random, in order (the compact and the full order agree).
    @usableFromInline let randomInOrder: Bool

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
        var inverse = SIMD8<Double>.zero
        for k in randomIndices.indices where sd[k] > 0 { inverse[k] = 1 / sd[k] }
        normalInverseSD = inverse
        identityCorrelation = self.correlation.isIdentity
        var base = Vector8<Double>(repeating: 0)
        for (i, marginal) in marginals.enumerated() { if case let .fixed(c) = marginal { base[i] = c } }
        fixedBase = base
        var duals = Vector8<Dual>(repeating: Dual(0))
        for i in marginals.indices { duals[i] = Dual(base[i]) }
        for (k, i) in randomIndices.enumerated() { duals[i] = Dual.variable(0, index: k) }
        dualBase = duals
        randomInOrder = randomIndices == Array(0..<8)
    }

    /// The same problem with another limit state (no re-validation: cheap, for per-cell and per-piece use).
    @inlinable public func replacing<H: LimitState>(limitState: H) -> ReliabilityProblem<H> {
        ReliabilityProblem<H>(copying: self, limitState: limitState)
    }

    /// The same problem with variable `index`'s marginal replaced by another random (or another fixed)
    /// marginal, and another limit state: for maps, where only the soil depth and the cell's geometry
    /// change from cell to cell.
    public func replacing(marginalAt index: Int, with marginal: Marginal, limitState: G) -> ReliabilityProblem<G> {
        var copy = ReliabilityProblem(copying: self, limitState: limitState)
        copy.replaceMarginal(at: index, with: marginal)
        return copy
    }

    /// Replaces variable `index`'s marginal in place (no allocation when the problem's storage is not
    /// shared): a map keeps one problem per thread and changes the soil depth and the limit state per
    /// cell. The randomness of a variable cannot change (the correlation matrix is over the random ones).
    public mutating func replaceMarginal(at index: Int, with marginal: Marginal) {
        precondition(marginals[index].isRandom == marginal.isRandom, "randomness of a variable cannot change")
        marginals[index] = marginal
        if let k = randomIndices.firstIndex(of: index) {
            if case let .normal(mu, sigma) = marginal {
                normalMean[k] = mu
                normalSD[k] = sigma
                normalInverseSD[k] = 1 / sigma
            } else {
                normalMean[k] = 0
                normalSD[k] = 0
                normalInverseSD[k] = 0
            }
            allNormal = randomIndices.allSatisfy { if case .normal = marginals[$0] { return true } else { return false } }
        } else if case let .fixed(c) = marginal {
            fixedBase[index] = c
            dualBase[index] = Dual(c)
        }
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
        normalInverseSD = other.normalInverseSD
        fixedBase = other.fixedBase
        dualBase = other.dualBase
        randomInOrder = other.randomInOrder
    }

    /// The full variable vector with the random ones set from `random` (compact order).
    @inlinable @inline(__always) func full(_ random: SIMD8<Double>) -> Vector8<Double> {
        var v = fixedBase
        for (k, i) in randomIndices.enumerated() { v[i] = random[k] }
        return v
    }

    /// The full vector as dual numbers at the random variables' values `random` (compact order), each
    /// random variable seeded with its unit vector.
    @inlinable @inline(__always) func duals(_ random: SIMD8<Double>) -> Vector8<Dual> {
        var v = dualBase
        if randomInOrder {
            v.storage.0.value = random[0]
            v.storage.1.value = random[1]
            v.storage.2.value = random[2]
            v.storage.3.value = random[3]
            v.storage.4.value = random[4]
            v.storage.5.value = random[5]
            v.storage.6.value = random[6]
            v.storage.7.value = random[7]
        } else {
            for (k, i) in randomIndices.enumerated() { v[i].value = random[k] }
        }
        return v
    }

    /// g and its gradient with respect to the random variables (compact order), by dual numbers.
    @inlinable @inline(__always) func valueAndGradient(_ random: SIMD8<Double>) -> (Double, SIMD8<Double>) {
        let g = limitState(duals(random))
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
    /// Convergence: the step in standard-normal units (Euclidean norm), and |g| relative to
    /// max(1, |g(mean)|). 1e-6 puts β within ~1e-6; tighter values can stall on rounding in F⁻¹(Φ(·))
    /// chains.
    public var tolerance = 1e-6
    /// Iteration cap of HLRF-x before switching to iHLRF, and of iHLRF.
    public var maxIterations = 100
    /// Use iHLRF from the start instead of as the fallback.
    public var alwaysLineSearch = false
    /// Iteration cap of the active-set solver for piecewise limit states (it can creep along a kink
    /// edge or a sharply curved surface: on Loja one cell of 158,325 at COV 0.3, far in the tails, needs
    /// a few thousand), and the HLRF-x cap tried before it (HLRF-x converges within ~15 iterations when
    /// it converges at all; at a kink it cycles).
    public var maxActiveSetIterations = 10_000
    public var maxHLRFIterationsBeforeActiveSet = 30
    public init() {}
}

/// Which FORM iteration produced a result.
public enum FORMMethod: String, Sendable, Codable, CustomStringConvertible {
    /// No random variables: the sign of g decides.
    case deterministic
    /// HLRF in the physical space (the published algorithm).
    case hlrfX = "HLRF-x"
    /// Improved HLRF with an Armijo line search (the fallback for smooth limit states).
    case iHLRF
    /// HLRF-x on each piece of a piecewise limit state whose origin fails; the nearer design point on the surface.
    case nearerPiece = "HLRF-x, nearer piece"
    /// The active-set HLRF of piecewise limit states.
    case activeSet = "active-set HLRF"
    /// The same, accepted in a limit cycle whose β had settled to 1e-4 (relative).
    case activeSetSettled = "active-set HLRF (β settled to 1e-4)"

    public var description: String { rawValue }
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
    public var method: FORMMethod

    @inlinable public init(beta: Double, probabilityOfFailure: Double, designPoint: Vector8<Double>,
                           designPointU: SIMD8<Double>, gAtMean: Double, iterations: Int, converged: Bool, method: FORMMethod) {
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
            if p.allNormal {
                means = p.normalMean
            } else {
                means = .zero
                for (k, i) in p.randomIndices.enumerated() { means[k] = p.marginals[i].mean }
            }
            gMean = p.value(means)
            // The origin of the standard space is the medians: the means when every variable is normal.
            sign = (p.allNormal ? gMean : p.value(p.physical(u: .zero))) < 0 ? -1 : 1
            gScale = max(1, abs(gMean))
        }

        /// The result at design point u (standard space) or x (physical; derived from u when omitted).
        @inlinable func result<G>(_ p: ReliabilityProblem<G>, u: SIMD8<Double>, x: SIMD8<Double>? = nil, iterations: Int,
                       converged: Bool, method: FORMMethod) -> FORMResult {
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
                              converged: true, method: .deterministic)
        }
        if !options.alwaysLineSearch,
           case let .converged(x, iterations) = hlrfX(p, start: means, gScale: start.gScale, options: options, value: { p.value($0) },
                                                    evaluate: { let (g, gradient) = p.valueAndGradient($0); return (g, gradient, false) }) {
            return start.result(p, u: p.solveLower(p.standardNormal(x)), x: x, iterations: iterations, converged: true,
                                method: .hlrfX)
        }
        let (u, iterations, converged) = iHLRF(p, gScale: start.gScale, options: options)
        return start.result(p, u: u, iterations: iterations, converged: converged, method: .iHLRF)
    }

    /// How HLRF-x ended.
    @usableFromInline enum HLRFOutcome {
        case converged(SIMD8<Double>, Int)
        /// Did not converge within the cap, cycled, or left the support.
        case failed
        /// The iterates crossed to the other piece of a piecewise limit state: at iterate x after k steps.
        case crossed(SIMD8<Double>, Int)
    }

    /// HLRF-x. `evaluate` gives g, its gradient (physical space, compact order) and, for a piecewise
    /// limit state, which piece is active; HLRF-x stops as soon as an iterate crosses to the other piece
    /// (on Loja every cell whose iterates cross once also crosses back: HLRF-x cycles across kinks).
    ///
    /// `value` is the same g on plain doubles: once a step is within the tolerance, it alone decides
    /// whether g is too, and the gradient is not evaluated.
    @inlinable static func hlrfX<G>(_ p: ReliabilityProblem<G>, start: SIMD8<Double>, gScale: Double, options: FORMOptions,
                                    value: (SIMD8<Double>) -> Double,
                                    evaluate: (SIMD8<Double>) -> (g: Double, gradient: SIMD8<Double>, side: Bool))
        -> HLRFOutcome {
        var x = start
        var previous: SIMD8<Double>?
        var beforePrevious: SIMD8<Double>?
        var lastSide = false
        for k in 0...options.maxIterations {
            var meanN = p.normalMean, sdN = p.normalSD  // normals are their own equivalent normals
            var inverseSD = p.normalInverseSD             // 0 beyond the random variables
            if !p.allNormal {
                for (j, i) in p.randomIndices.enumerated() {
                    let e = p.marginals[i].equivalentNormal(at: x[j])
                    guard e.sd.isFinite, e.sd > 0, e.mean.isFinite else { return .failed }
                    meanN[j] = e.mean
                    sdN[j] = e.sd
                    inverseSD[j] = 1 / e.sd
                }
            }
            // Steps in standard units, Euclidean norm (squared).
            if let previous {
                let d = (x - previous) * inverseSD
                if (d * d).sum() < options.tolerance * options.tolerance
                    && abs(value(x)) < options.tolerance * gScale { return .converged(x, k) }
            }
            let (g, gradient, side) = evaluate(x)
            guard g.isFinite else { return .failed }
            if k == 0 {
                lastSide = side
            } else if side != lastSide {
                return .crossed(x, k)
            }
            let a = sdN * gradient
            let ra = p.correlate(a)
            let denominator = (a * ra).sum()
            guard denominator > 0 else { return .failed }
            let numerator = (gradient * (x - meanN)).sum() - g
            // A 2-cycle (x_{k+1} ≈ x_{k−1} while x_k is far from both): HLRF-x is bouncing across a kink;
            // give up now rather than at the cap, so the caller's fallback starts sooner.
            if let before = beforePrevious, let previous, k >= 4 {
                let back = (x - before) * inverseSD, across = (x - previous) * inverseSD
                let back2 = (back * back).sum(), across2 = (across * across).sum()
                if back2 < 1e-6 * across2 && across2 > 1e-6 { return .failed }
            }
            beforePrevious = previous
            previous = x
            // Lanes beyond the random variables stay 0 (their μᴺ and σᴺ are 0).
            x = meanN + sdN * ra * (numerator / denominator)
        }
        return .failed
    }

    /// iHLRF in the standard-normal space with an Armijo line search.
    @inlinable static func iHLRF<G>(_ p: ReliabilityProblem<G>, gScale: Double, options: FORMOptions) -> (SIMD8<Double>, Int, Bool) {
        var u = SIMD8<Double>.zero
        for k in 1...options.maxIterations {
            let (g, grad) = p.standardGradient(u)
            let norm2 = (grad * grad).sum()
            guard norm2 > 0, g.isFinite else { return (u, k, false) }
            let d = grad * (((grad * u).sum() - g) / norm2) - u
            let dNorm = (d * d).sum().squareRoot()
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
        return (u, options.maxIterations, false)
    }
}


import Foundation

/// A limit state with a kink: the larger of two smooth pieces,
///
///     g(x) = max(g₁(x), g₂(x)),
///
/// so failure (g < 0) means both pieces fail, and g is continuous while its gradient jumps where the
/// pieces cross (an infinite slope whose wetting front is capped at the soil depth). FORM then finds
/// the closest point of the piecewise-smooth surface, including points on the edge where the pieces
/// meet, instead of cycling across the kink.
public protocol PiecewiseLimitState: LimitState {
    /// g₁ and g₂ at x, sharing their common work. `callAsFunction` must return their maximum.
    func pieces<T: ReliabilityScalar>(_ x: Vector8<T>) -> (first: T, second: T)
}

/// The two pieces linearised at a point of the standard space: value and gradient of each.
@usableFromInline struct PieceLinearisation {
    @usableFromInline var g1: Double
    @usableFromInline var a1: SIMD8<Double>
    @usableFromInline var g2: Double
    @usableFromInline var a2: SIMD8<Double>

    @inlinable init(g1: Double, a1: SIMD8<Double>, g2: Double, a2: SIMD8<Double>) {
        self.g1 = g1
        self.a1 = a1
        self.g2 = g2
        self.a2 = a2
    }
}

extension ReliabilityProblem where G: PiecewiseLimitState {
    /// Both pieces with their standard-space gradients, from one dual evaluation of
    /// ``PiecewiseLimitState/pieces(_:)``.
    @inlinable @inline(__always) func linearisedPieces(_ u: SIMD8<Double>) -> PieceLinearisation {
        let x = physical(u: u)
        var dxdz = normalSD
        if !allNormal {
            for (k, i) in randomIndices.enumerated() { dxdz[k] = marginals[i].equivalentNormal(at: x[k]).sd }
        }
        let (d1, d2) = limitState.pieces(duals(x))
        return PieceLinearisation(g1: d1.value, a1: lowerTransposed(dxdz * d1.gradient),
                                  g2: d2.value, a2: lowerTransposed(dxdz * d2.gradient))
    }

    /// One piece's value and physical-space gradient (compact order) at x (`side` is `second`).
    @inlinable @inline(__always) func piece(second: Bool, at x: SIMD8<Double>) -> (g: Double, gradient: SIMD8<Double>, side: Bool) {
        let (d1, d2) = limitState.pieces(duals(x))
        return second ? (d2.value, d2.gradient, true) : (d1.value, d1.gradient, false)
    }

    /// g = max(g₁, g₂) and its physical-space gradient (compact order) at x, and whether the second
    /// piece is the larger, from one dual evaluation.
    @inlinable @inline(__always) func activePiece(_ x: SIMD8<Double>) -> (g: Double, gradient: SIMD8<Double>, side: Bool) {
        let (d1, d2) = limitState.pieces(duals(x))
        return d2.value > d1.value ? (d2.value, d2.gradient, true) : (d1.value, d1.gradient, false)
    }
}

extension FORM {
    /// FORM for a piecewise-smooth limit state, g = max(g₁, g₂).
    ///
    /// Where the origin of the standard space is safe (β > 0) the failure domain {g₁ < 0} ∩ {g₂ < 0}
    /// lies away from it and its nearest point is found by HLRF-x from the means (most problems never
    /// meet the kink, and it is the published algorithm); as soon as an iterate crosses the kink (the
    /// other piece becomes the larger; HLRF-x would then cycle across it) the active-set HLRF below
    /// takes over from that iterate (from the origin if HLRF-x fails in any other way).
    ///
    /// Where the origin fails (β < 0) the safe domain is the union {g₁ > 0} ∪ {g₂ > 0} and the nearest
    /// point of its boundary is not unique in general: each piece has its own. So each piece is solved
    /// on its own by HLRF-x, and the nearer design point that lies on the surface (the other piece ≤ 0
    /// there) is the answer (``FORMMethod/nearerPiece``). If neither lies on the surface, both
    /// constrained optima are on the edge g₁ = g₂ = 0 and the active-set HLRF finds it.
    ///
    /// Active-set step (standard-normal space; g₁, g₂ linearised at u_k as aᵢ·v = bᵢ with
    /// bᵢ = aᵢ·u_k − gᵢ): the linearised surface max = 0 is (plane 1 ∩ {a₂·v ≤ b₂}) ∪
    /// (plane 2 ∩ {a₁·v ≤ b₁}), so its point nearest the origin is the projection of the origin onto
    /// plane 1 (if a₂·v ≤ b₂ there), onto plane 2 (if a₁·v ≤ b₁ there), or onto their intersection.
    /// The nearest valid candidate is the target, approached with the Armijo line search of iHLRF on
    /// the merit ½‖u‖² + c|g| (g exact), a rejected full step first being given a second-order
    /// correction back onto the surface. Where one piece alone is active this is HLRF; on the edge it
    /// is the two-constraint projection of the multi-constraint HLRF. Converged when |g| is within
    /// tolerance and either the step or the change of β is (on an edge the point creeps while β has
    /// settled); the cap is `maxActiveSetIterations`. A limit cycle in which β has varied by less than
    /// 1e-4 (relative) over 50 iterations with |g| < 1e-3 is accepted and labelled
    /// ``FORMMethod/activeSetSettled``. The iterations reported are those of every stage.
    @inlinable public static func solve<G: PiecewiseLimitState>(_ p: ReliabilityProblem<G>,
                                                                options: FORMOptions = FORMOptions()) -> FORMResult {
        guard !p.randomIndices.isEmpty else { return solve(p as ReliabilityProblem<G>, options: options, asGeneric: ()) }
        let start = Start(p)
        var shortLeash = options
        shortLeash.maxIterations = min(options.maxIterations, options.maxHLRFIterationsBeforeActiveSet)
        var from = SIMD8<Double>.zero
        var spent = 0
        if !options.alwaysLineSearch && start.sign < 0 {
            let (best, iterations) = pieceDesignPoint(p, start: start, options: shortLeash, nearer: true)
            spent = iterations
            if let best {
                return start.result(p, u: best.u, x: best.x, iterations: spent, converged: true, method: .nearerPiece)
            }
        } else if !options.alwaysLineSearch {
            switch hlrfX(p, start: start.means, gScale: start.gScale, options: shortLeash, value: { p.value($0) },
                         evaluate: { p.activePiece($0) }) {
            case let .converged(x, iterations):
                return start.result(p, u: p.solveLower(p.standardNormal(x)), x: x, iterations: iterations,
                                    converged: true, method: .hlrfX)
            case let .crossed(x, iterations):
                let u = p.solveLower(p.standardNormal(x))
                if (u * u).sum().isFinite { from = u }
                spent = iterations
            case .failed:
                spent = shortLeash.maxIterations
            }
        }
        var settled = false
        let (u, iterations, converged) = activeSetHLRF(p, from: from, gScale: start.gScale, options: options,
                                                       settled: &settled)
        spent += iterations
        return start.result(p, u: u, iterations: spent, converged: converged,
                            method: settled ? .activeSetSettled : .activeSet)
    }

    /// Each piece solved on its own by HLRF-x from the means; of the design points that lie on the
    /// surface (the other piece ≤ 0 there), the nearer one (`nearer`, for a failing origin) or the
    /// farther one. Also the iterations spent.
    @inlinable static func pieceDesignPoint<G: PiecewiseLimitState>(_ p: ReliabilityProblem<G>, start: Start,
                                                                    options: FORMOptions, nearer: Bool)
        -> (point: (x: SIMD8<Double>, u: SIMD8<Double>)?, iterations: Int) {
        var best: (x: SIMD8<Double>, u: SIMD8<Double>)?
        var spent = 0
        for second in [false, true] {
            switch hlrfX(p, start: start.means, gScale: start.gScale, options: options,
                         value: { let (g1, g2) = p.limitState.pieces(p.full($0)); return second ? g2 : g1 },
                         evaluate: { p.piece(second: second, at: $0) }) {
            case let .converged(x, iterations):
                spent += iterations
                let (g1, g2) = p.limitState.pieces(p.full(x))
                guard (second ? g1 : g2) <= options.tolerance * start.gScale else { continue }
                let u = p.solveLower(p.standardNormal(x))
                if let b = best {
                    let closer = (u * u).sum() < (b.u * b.u).sum()
                    if closer == nearer { best = (x, u) }
                } else {
                    best = (x, u)
                }
            case .crossed, .failed:
                spent += options.maxIterations
            }
        }
        return (best, spent)
    }

    @inlinable static func activeSetHLRF<G: PiecewiseLimitState>(_ p: ReliabilityProblem<G>, from start: SIMD8<Double>,
                                                                 gScale: Double, options: FORMOptions,
                                                                 settled: inout Bool) -> (SIMD8<Double>, Int, Bool) {
        var u = start
        var previousBeta = -1.0
        // β's range over blocks of 50 iterations, for the limit-cycle acceptance.
        var blockMin = Double.infinity, blockMax = -Double.infinity, blockLength = 0, blockG = 0.0
        for k in 1...options.maxActiveSetIterations {
            let l = p.linearisedPieces(u)
            guard l.g1.isFinite, l.g2.isFinite else { return (u, k, false) }
            let b1 = (l.a1 * u).sum() - l.g1, b2 = (l.a2 * u).sum() - l.g2
            let n1 = (l.a1 * l.a1).sum(), n2 = (l.a2 * l.a2).sum(), n12 = (l.a1 * l.a2).sum()
            // Candidates as v = c₁a₁ + c₂a₂, compared by ‖v‖² = c₁²n₁ + 2c₁c₂n₁₂ + c₂²n₂ (Gram matrix of a₁, a₂).
            var best = (c1: 0.0, c2: 0.0, norm: Double.infinity)
            if n1 > 0 {  // onto plane 1, valid if a₂·v ≤ b₂
                let c = b1 / n1
                if c * n12 <= b2 + 1e-12 * max(1, abs(b2)), c * c * n1 < best.norm { best = (c, 0, c * c * n1) }
            }
            if n2 > 0 {  // onto plane 2, valid if a₁·v ≤ b₁
                let c = b2 / n2
                if c * n12 <= b1 + 1e-12 * max(1, abs(b1)), c * c * n2 < best.norm { best = (0, c, c * c * n2) }
            }
            let det = n1 * n2 - n12 * n12
            if det > 1e-12 * n1 * n2 {  // onto the edge a₁·v = b₁, a₂·v = b₂
                let c1 = (b1 * n2 - b2 * n12) / det, c2 = (b2 * n1 - b1 * n12) / det
                let norm = c1 * c1 * n1 + 2 * c1 * c2 * n12 + c2 * c2 * n2
                if norm < best.norm { best = (c1, c2, norm) }
            }
            if best.norm == .infinity {
                // No valid candidate (the planes nearly parallel): plain HLRF on the active (larger) piece.
                if l.g1 >= l.g2 {
                    guard n1 > 0 else { return (u, k, false) }
                    best = (b1 / n1, 0, 0)
                } else {
                    guard n2 > 0 else { return (u, k, false) }
                    best = (0, b2 / n2, 0)
                }
            }
            let v = l.a1 * best.c1 + l.a2 * best.c2
            let g = max(l.g1, l.g2)
            let d = v - u
            let step = (d * d).sum().squareRoot()
            let beta = (u * u).sum().squareRoot()
            if abs(g) < options.tolerance * gScale {
                // Converged: the point has stopped, or (creeping along a kink edge, where the merit's line
                // search shortens steps) β has settled to within the tolerance.
                let scale = max(1, beta)  // far design points (β of tens): relative tolerances
                if step < options.tolerance * scale || abs(beta - previousBeta) < options.tolerance * scale {
                    return (u, k, true)
                }
            }
            previousBeta = beta
            blockMin = min(blockMin, beta)
            blockMax = max(blockMax, beta)
            blockG = max(blockG, abs(g))
            blockLength += 1
            if blockLength == 50 {
                if blockG < 1e-3 * gScale && blockMax - blockMin < 1e-4 * max(1, beta) {
                    settled = true
                    return (u, k, true)
                }
                blockMin = .infinity
                blockMax = -.infinity
                blockG = 0
                blockLength = 0
            }
            // Penalty above the multiplier ‖u‖/‖∇g‖ at both ends of the step (Zhang & Der Kiureghian 1995),
            // so that a long step toward a distant design point is not rejected by the merit.
            let gradientNorm = (l.g1 >= l.g2 ? n1 : n2).squareRoot()
            let reach = max((u * u).sum(), (v * v).sum()).squareRoot()
            let c = gradientNorm > 0 ? max(10, 2 * reach / gradientNorm) : 10
            let merit0 = 0.5 * (u * u).sum() + c * abs(g)
            func accepted(_ trial: SIMD8<Double>, _ gt: Double, _ lambda: Double) -> Bool {
                gt.isFinite && 0.5 * (trial * trial).sum() + c * abs(gt) < merit0 - 1e-4 * lambda * (d * d).sum()
            }
            let full = u + d
            let gFull = p.value(p.physical(u: full))
            if accepted(full, gFull, 1) {
                u = full
                continue
            }
            // Second-order correction (the Maratos remedy of SQP): where the surface curves, the full step
            // lands off it and the merit rejects it; projecting the trial back along the piece's own
            // gradient (one piece active: the edge is left to the line search) usually restores it.
            if best.c1 == 0 || best.c2 == 0 {
                let (a, n) = best.c2 == 0 ? (l.a1, n1) : (l.a2, n2)
                let corrected = full - a * (gFull / n)
                let gCorrected = p.value(p.physical(u: corrected))
                if accepted(corrected, gCorrected, 1) {
                    u = corrected
                    continue
                }
            }
            var lambda = 0.5
            while lambda > 1e-10 {
                let trial = u + d * lambda
                if accepted(trial, p.value(p.physical(u: trial)), lambda) { break }
                lambda /= 2
            }
            if lambda <= 1e-10 { lambda = 1 }  // no decrease possible: take the full step (HLRF behaviour)
            u += d * lambda
        }
        return (u, options.maxActiveSetIterations, false)
    }
}

import Foundation
import Testing
@testable import Reliability

/// Two planes in the standard space of normal variables x = μ + σu: gᵢ = kᵢ(bᵢ − αᵢ·u) with unit αᵢ,
/// so plane i lies at signed distance bᵢ from the origin along αᵢ. g = max(g₁, g₂): failure needs both.
struct TwoPlanes: PiecewiseLimitState {
    var means: [Double], sds: [Double]
    var alpha1: [Double], b1: Double, k1: Double
    var alpha2: [Double], b2: Double, k2: Double

    func pieces<T: ReliabilityScalar>(_ x: Vector8<T>) -> (first: T, second: T) {
        var s1 = T(b1), s2 = T(b2)
        for i in means.indices {
            let u = (x[i] - means[i]) / sds[i]
            s1 = s1 - u * alpha1[i]
            s2 = s2 - u * alpha2[i]
        }
        return (s1 * k1, s2 * k2)
    }

    func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        let (g1, g2) = pieces(x)
        return T.maximum(g1, g2)
    }

    /// The problem with these normal marginals.
    func problem() throws -> ReliabilityProblem<TwoPlanes> {
        try ReliabilityProblem(marginals: zip(means, sds).map { .normal(mean: $0, sd: $1) }, limitState: self)
    }
}

/// The piecewise FORM of the soil-depth cap on the cases where the answer is known in closed form.
@Suite struct PiecewiseFORMTests {
    static let means = [10.0, 20.0, 5.0], sds = [2.0, 3.0, 1.0]

    /// Planes 60° apart at distance 3, origin safe: neither plane's own nearest point fails on the other
    /// piece, so the design point is on the edge, at β = √(2·3²/(1 + cos 60°)) = √12 — where plain
    /// HLRF cycles between the two planes.
    @Test func designPointOnTheEdge() throws {
        let angle = Double.pi / 3
        let planes = TwoPlanes(means: Self.means, sds: Self.sds, alpha1: [1, 0, 0], b1: 3, k1: 1,
                               alpha2: [cos(angle), sin(angle), 0], b2: 3, k2: 1)
        let r = FORM.solve(try planes.problem())
        #expect(r.converged)
        #expect(abs(r.beta - 12.0.squareRoot()) < 1e-6, "β = \(r.beta)")
        // The edge point u = (3, √3, 0), in physical units.
        #expect(abs(r.designPoint[0] - (10 + 2 * 3)) < 1e-5)
        #expect(abs(r.designPoint[1] - (20 + 3 * 3.0.squareRoot())) < 1e-5)
        #expect(abs(r.designPoint[2] - 5) < 1e-5)
        #expect(r.method == .activeSet || r.method == .activeSetSettled)
    }

    /// Planes 30° apart at distances 2 and 3, origin safe: plane 2's own nearest point 3α₂ = (2.60, 1.5)
    /// fails on plane 1 too (u₁ > 2), so it is on the surface and the design point, β = 3; plane 1's
    /// own point (2, 0) does not fail on plane 2.
    @Test func designPointOnOnePiece() throws {
        let angle = Double.pi / 6
        let planes = TwoPlanes(means: Self.means, sds: Self.sds, alpha1: [1, 0, 0], b1: 2, k1: 1,
                               alpha2: [cos(angle), sin(angle), 0], b2: 3, k2: 1)
        let r = FORM.solve(try planes.problem())
        #expect(r.converged)
        #expect(abs(r.beta - 3) < 1e-6, "β = \(r.beta)")
        #expect(abs(r.designPoint[0] - (10 + 2 * 3 * cos(angle))) < 1e-5)
        #expect(abs(r.designPoint[1] - (20 + 3 * 3 * sin(angle))) < 1e-5)
    }

    /// The origin fails on both pieces (β < 0): the safe domain is the union of the pieces' safe sides
    /// and its nearest boundary point is the nearer plane's own point, even when the other piece is the
    /// larger at the origin (plain HLRF on max(g₁, g₂) follows that one to the farther plane).
    @Test func failingOriginTakesTheNearerPiece() throws {
        // Boundaries u₁ = 1 and u₂ = 2; at the origin g₁ = −5, g₂ = −2.
        let planes = TwoPlanes(means: Self.means, sds: Self.sds, alpha1: [-1, 0, 0], b1: -1, k1: 5,
                               alpha2: [0, -1, 0], b2: -2, k2: 1)
        let p = try planes.problem()
        #expect(p.limitState.pieces(p.full(p.normalMean)).second > p.limitState.pieces(p.full(p.normalMean)).first)
        let r = FORM.solve(p)
        #expect(r.converged && r.method == .nearerPiece)
        #expect(abs(r.beta + 1) < 1e-9, "β = \(r.beta)")
        #expect(abs(r.probabilityOfFailure - StandardNormal.cdf(1)) < 1e-9)
        #expect(abs(r.designPoint[0] - 12) < 1e-6 && abs(r.designPoint[1] - 20) < 1e-6)
    }

    /// With identical pieces the piecewise solver is HLRF-x on the one plane: β = b exactly.
    @Test func identicalPiecesAreOnePlane() throws {
        let planes = TwoPlanes(means: Self.means, sds: Self.sds, alpha1: [0.6, 0.8, 0], b1: 2.5, k1: 1,
                               alpha2: [0.6, 0.8, 0], b2: 2.5, k2: 1)
        let r = FORM.solve(try planes.problem())
        #expect(r.method == .hlrfX)
        #expect(abs(r.beta - 2.5) < 1e-9)
    }
}

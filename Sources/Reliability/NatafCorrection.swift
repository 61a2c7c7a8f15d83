import CLAPACKE
import Foundation

/// The "Nataf-corrected" convention of METHODS.md A3: given the correlation ρ of the *physical*
/// variables, find the correlation ρ₀ of their normal images such that the Nataf (1962) model
/// reproduces ρ (Liu & Der Kiureghian 1986):
///
///     ρ = E[(Xᵢ − μᵢ)(Xⱼ − μⱼ)] / (σᵢσⱼ),  Xᵢ = Fᵢ⁻¹(Φ(Z₁)),  Xⱼ = Fⱼ⁻¹(Φ(ρ₀Z₁ + √(1 − ρ₀²) Z₂))
///
/// The expectation is a 2-D Gauss–Hermite quadrature (64 × 64 nodes from the Golub–Welsch
/// eigenproblem, LAPACK `dstev`); ρ₀ is found by bisection (the map ρ₀ ↦ ρ is increasing). Normal
/// pairs keep ρ₀ = ρ.
public enum NatafCorrection {
    /// Nodes and weights for E[f(Z)], Z ~ N(0, 1): probabilists' Gauss–Hermite, n points.
    public static func gaussHermite(_ n: Int) -> (nodes: [Double], weights: [Double]) {
        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = (1..<n).map { Double($0).squareRoot() }
        var vectors = [Double](repeating: 0, count: n * n)
        _ = LAPACKE_dstev(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int32(n), &diagonal, &offDiagonal, &vectors, Int32(n))
        let weights = (0..<n).map { vectors[$0] * vectors[$0] }  // first row of the eigenvectors, squared
        return (diagonal, weights)
    }

    private static let rule = gaussHermite(64)

    /// ρ of the physical pair implied by normal-space correlation ρ₀.
    public static func physicalCorrelation(_ a: Marginal, _ b: Marginal, normalSpace rho0: Double) -> Double {
        let (nodes, weights) = rule
        let ma = a.mean, sa = a.standardDeviation, mb = b.mean, sb = b.standardDeviation
        let root = (1 - rho0 * rho0).squareRoot()
        let xa = nodes.map { (a.value(atStandardNormal: $0) - ma) / sa }
        var sum = 0.0
        for (i, z1) in nodes.enumerated() {
            var inner = 0.0
            for (j, z2) in nodes.enumerated() {
                inner += weights[j] * (b.value(atStandardNormal: rho0 * z1 + root * z2) - mb) / sb
            }
            sum += weights[i] * xa[i] * inner
        }
        return sum
    }

    /// The normal-space correlation matrix reproducing `physical` for the random marginals (compact order).
    public static func normalSpaceCorrelation(_ physical: CorrelationMatrix, marginals: [Marginal]) throws -> CorrelationMatrix {
        let n = physical.size
        precondition(marginals.count == n, "one marginal per row")
        var rows = (0..<n).map { i in (0..<n).map { j in physical[i, j] } }
        for i in 0..<n {
            for j in (i + 1)..<n where physical[i, j] != 0 {
                let target = physical[i, j]
                if case .normal = marginals[i], case .normal = marginals[j] { continue }
                var lo = -0.999999, hi = 0.999999
                for _ in 0..<60 {
                    let mid = (lo + hi) / 2
                    if physicalCorrelation(marginals[i], marginals[j], normalSpace: mid) < target { lo = mid } else { hi = mid }
                }
                rows[i][j] = (lo + hi) / 2
                rows[j][i] = rows[i][j]
            }
        }
        return try CorrelationMatrix(rows)
    }
}

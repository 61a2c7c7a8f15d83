import Foundation
import Randomness

/// A sampling estimate of a failure probability with its standard error.
public struct SamplingEstimate: Sendable, Codable {
    public var probability: Double
    public var standardError: Double
    public var samples: Int
    /// Coefficient of variation of the estimate (standard error / probability).
    public var cov: Double { probability > 0 ? standardError / probability : .infinity }
}

/// Sampling cross-checks of FORM.
public enum Sampling {
    /// Crude Monte Carlo: the share of samples with g < 0, x = F⁻¹(Φ(L u)), u ~ N(0, I).
    public static func monteCarlo<G>(_ p: ReliabilityProblem<G>, samples: Int,
                                     generator: inout SeededGenerator) -> SamplingEstimate {
        let m = p.randomIndices.count
        var failures = 0
        for _ in 0..<samples {
            var u = SIMD8<Double>.zero
            for j in 0..<m { u[j] = generator.nextNormal() }
            if p.value(p.physical(u: u)) < 0 { failures += 1 }
        }
        let pf = Double(failures) / Double(samples)
        return SamplingEstimate(probability: pf, standardError: (pf * (1 - pf) / Double(samples)).squareRoot(), samples: samples)
    }

    /// Importance sampling with the standard normal shifted to the FORM design point u* (Melchers 1989):
    /// u ~ N(u*, I), weight φ(u)/φ(u − u*) = exp(−u·u* + ‖u*‖²/2).
    public static func importanceSampling<G>(_ p: ReliabilityProblem<G>, designPointU center: SIMD8<Double>,
                                             samples: Int, generator: inout SeededGenerator) -> SamplingEstimate {
        let m = p.randomIndices.count
        let half = 0.5 * (center * center).sum()
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<samples {
            var u = center
            for j in 0..<m { u[j] += generator.nextNormal() }
            guard p.value(p.physical(u: u)) < 0 else { continue }
            let w = exp(half - (u * center).sum())
            sum += w
            sumSquares += w * w
        }
        let n = Double(samples)
        let pf = sum / n
        let variance = max(0, sumSquares / n - pf * pf) / n
        return SamplingEstimate(probability: pf, standardError: variance.squareRoot(), samples: samples)
    }
}

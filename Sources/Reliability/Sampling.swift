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

/// When a sampling estimate stops: its coefficient of variation below `covTarget`, or `maxSamples`
/// drawn, checked after every `batch` samples (issue G9: `ppm.cov_target`, default 0.05).
public struct SamplingStop: Sendable, Equatable {
    public var covTarget: Double
    public var maxSamples: Int
    public var batch: Int
    public init(covTarget: Double = 0.05, maxSamples: Int = 1_000_000, batch: Int = 1_000) {
        self.covTarget = covTarget
        self.maxSamples = maxSamples
        self.batch = batch
    }
}

extension Sampling {
    /// Crude Monte Carlo until the estimate's COV, √((1 − p)/(n p)), is below the target or the cap is
    /// reached. A run that sees no failure reports p = 0 with standard error 0 and `samples` = the cap:
    /// read it as "below about 3 / cap" (the rule of three).
    public static func monteCarlo<G>(_ p: ReliabilityProblem<G>, stop: SamplingStop,
                                     generator: inout SeededGenerator) -> SamplingEstimate {
        let m = p.randomIndices.count
        var failures = 0, n = 0
        while n < stop.maxSamples {
            for _ in 0..<min(stop.batch, stop.maxSamples - n) {
                var u = SIMD8<Double>.zero
                for j in 0..<m { u[j] = generator.nextNormal() }
                if p.value(p.physical(u: u)) < 0 { failures += 1 }
                n += 1
            }
            let pf = Double(failures) / Double(n)
            if failures > 0, ((1 - pf) / (Double(n) * pf)).squareRoot() <= stop.covTarget { break }
        }
        let pf = Double(failures) / Double(n)
        return SamplingEstimate(probability: pf, standardError: (pf * (1 - pf) / Double(n)).squareRoot(), samples: n)
    }

    /// Defensive mixture importance sampling (Hesterberg 1995): u drawn from
    /// q(u) = α₀ φ(u) + (1 − α₀)/k Σᵢ φ(u − cᵢ), the standard normal itself and unit normals centred at
    /// each design point cᵢ (FORM's, or both pieces' at a kink); weight φ(u)/q(u), so the estimate
    /// (1/n) Σ 1[g(u) < 0] φ(u)/q(u) is unbiased whatever the centres, and each weight is at most 1/α₀
    /// (no sample can blow up the variance, as a single shifted normal can when the design point is
    /// poor). Stops when the estimate's COV is below the target or at the cap.
    public static func importanceSampling<G>(_ p: ReliabilityProblem<G>, centers: [SIMD8<Double>],
                                             defensiveShare alpha0: Double = 0.1, stop: SamplingStop,
                                             generator: inout SeededGenerator) -> SamplingEstimate {
        precondition(!centers.isEmpty && alpha0 > 0 && alpha0 < 1)
        let m = p.randomIndices.count
        let k = centers.count
        let share = (1 - alpha0) / Double(k)
        let halfNorms = centers.map { 0.5 * ($0 * $0).sum() }
        var sum = 0.0, sumSquares = 0.0, n = 0
        while n < stop.maxSamples {
            for _ in 0..<min(stop.batch, stop.maxSamples - n) {
                n += 1
                var u = SIMD8<Double>.zero
                for j in 0..<m { u[j] = generator.nextNormal() }
                let pick = generator.nextUnit()
                if pick >= alpha0 { u += centers[min(k - 1, Int((pick - alpha0) / share))] }
                guard p.value(p.physical(u: u)) < 0 else { continue }
                // φ(u − c)/φ(u) = exp(u·c − ‖c‖²/2); the weight is 1 / (α₀ + share · Σ that).
                var ratio = 0.0
                for (c, h) in zip(centers, halfNorms) { ratio += exp((u * c).sum() - h) }
                let w = 1 / (alpha0 + share * ratio)
                sum += w
                sumSquares += w * w
            }
            let pf = sum / Double(n)
            let variance = max(0, sumSquares / Double(n) - pf * pf) / Double(n)
            if pf > 0, variance.squareRoot() / pf <= stop.covTarget { break }
        }
        let pf = sum / Double(n)
        let variance = max(0, sumSquares / Double(n) - pf * pf) / Double(n)
        return SamplingEstimate(probability: pf, standardError: variance.squareRoot(), samples: n)
    }
}

/// How a probability of failure is computed (issue G9; `landslide form --reliability`).
public enum ReliabilityMethod: String, Sendable, CaseIterable, Codable {
    /// FORM: Φ(−β) at the design point (Study A's method).
    case form
    /// Defensive mixture importance sampling around FORM's design point, to a target COV.
    case importanceSampling = "importance-sampling"
    /// Crude Monte Carlo to a target COV (for checks on few cells: slow where P_f is small).
    case monteCarlo = "monte-carlo"
}

import Foundation
import Randomness
import Testing
@testable import Reliability

/// The sampling methods of `--reliability` on a limit state with an exact answer: R − S with R, S
/// independent normals is linear in normals, so P_f = Φ(−β) with β = (μR − μS)/√(σR² + σS²) exactly,
/// and FORM returns it. Monte Carlo and importance sampling must cover it within three of their own
/// standard errors, and stop at the COV they were asked for.
@Suite struct SamplingMethodTests {
    static let problem = try! ReliabilityProblem(marginals: [.normal(mean: 200, sd: 20), .normal(mean: 100, sd: 30)],
                                                 limitState: ResistanceMinusLoad())
    static let exactBeta = 100 / (400.0 + 900).squareRoot()   // 2.7735
    static var exactPf: Double { StandardNormal.cdf(-exactBeta) }

    @Test func formIsExactOnALinearLimitStateInNormals() {
        let r = FORM.solve(Self.problem)
        #expect(abs(r.beta - Self.exactBeta) < 1e-9)
    }

    @Test(arguments: [0.1, 0.05])
    func importanceSamplingCoversTheExactValue(covTarget: Double) {
        var g = SeededGenerator(seed: 7)
        let centre = FORM.solve(Self.problem).designPointU
        let e = Sampling.importanceSampling(Self.problem, centers: [centre], stop: SamplingStop(covTarget: covTarget), generator: &g)
        #expect(abs(e.probability - Self.exactPf) < 3 * e.standardError, "\(e.probability) ± \(e.standardError) vs \(Self.exactPf)")
        #expect(e.cov <= covTarget, "stopped at COV \(e.cov)")
        #expect(e.samples < 20_000, "importance sampling needs few samples here: \(e.samples)")
    }

    @Test func monteCarloCoversTheExactValue() {
        var g = SeededGenerator(seed: 11)
        let e = Sampling.monteCarlo(Self.problem, stop: SamplingStop(covTarget: 0.1), generator: &g)
        #expect(abs(e.probability - Self.exactPf) < 3 * e.standardError, "\(e.probability) ± \(e.standardError) vs \(Self.exactPf)")
        #expect(e.cov <= 0.1)
        // Crude sampling needs about (1 − p)/(p · 0.1²) ≈ 36,000 samples for p ≈ 0.0028.
        #expect(e.samples > 20_000)
    }

    /// The defensive mixture stays unbiased with a poor centre (here the wrong side of the origin),
    /// where a single shifted normal would not cover the failure domain at all.
    @Test func aPoorCentreCostsSamplesNotBias() {
        var g = SeededGenerator(seed: 3)
        let wrong = -FORM.solve(Self.problem).designPointU
        let e = Sampling.importanceSampling(Self.problem, centers: [wrong], stop: SamplingStop(covTarget: 0.1, maxSamples: 400_000),
                                            generator: &g)
        #expect(abs(e.probability - Self.exactPf) < 3 * e.standardError)
    }

    @Test func aCappedRunStopsAtTheCap() {
        var g = SeededGenerator(seed: 5)
        let e = Sampling.monteCarlo(Self.problem, stop: SamplingStop(covTarget: 0.001, maxSamples: 5_000), generator: &g)
        #expect(e.samples == 5_000)
    }
}

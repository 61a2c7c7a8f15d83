import Foundation
import Testing
@testable import SummaryStatistics

/// Intervals and verdicts against published tables and hand computations.
@Suite struct IntervalTests {
    /// t(0.975, ν) from the standard tables (e.g. NIST/SEMATECH e-Handbook, Table 1.4.2.7; Abramowitz &
    /// Stegun Table 26.10), to the 6 decimals they print.
    @Test(arguments: [(1.0, 12.706205), (2, 4.302653), (4, 2.776445), (9, 2.262157), (29, 2.045230), (100, 1.983972)])
    func studentTQuantilesMatchTheTables(_ nu: Double, _ expected: Double) {
        #expect(abs(Summary.studentTQuantile(0.975, degreesOfFreedom: nu) - expected) < 5e-6)
        #expect(abs(Summary.studentTQuantile(0.025, degreesOfFreedom: nu) + expected) < 5e-6)
    }

    /// I_x(a, b) at closed forms: I_x(1, 1) = x, I_x(a, 1) = xᵃ, I_x(1, b) = 1 − (1 − x)ᵇ, I_½(a, a) = ½.
    @Test func incompleteBetaClosedForms() {
        for x in [0.1, 0.37, 0.8] {
            #expect(abs(Summary.regularizedIncompleteBeta(x, a: 1, b: 1) - x) < 1e-13)
            #expect(abs(Summary.regularizedIncompleteBeta(x, a: 3.5, b: 1) - pow(x, 3.5)) < 1e-13)
            #expect(abs(Summary.regularizedIncompleteBeta(x, a: 1, b: 2.5) - (1 - pow(1 - x, 2.5))) < 1e-13)
        }
        #expect(abs(Summary.regularizedIncompleteBeta(0.5, a: 7.3, b: 7.3) - 0.5) < 1e-13)
    }

    /// Mean ± t(0.975, 4)·SD/√5 for 1…5: mean 3, SD √2.5, half-width 2.776445·1.581139/2.236068 = 1.963243.
    @Test func replicatedInterval() {
        let r = Replicated([1, 2, 3, 4, 5])
        #expect(r.n == 5 && r.mean == 3 && abs(r.sd - 2.5.squareRoot()) < 1e-12)
        #expect(abs(r.ci95[0] - (3 - 1.963243)) < 1e-5 && abs(r.ci95[1] - (3 + 1.963243)) < 1e-5)
        let one = Replicated([0.7])
        #expect(one.ci95 == [0.7, 0.7] && one.sd.isNaN)
        // A replicate without a value keeps its place but does not count.
        let gap = Replicated([1, .nan, 2, 3, 4, 5])
        #expect(gap.n == 5 && gap.mean == 3 && gap.ci95 == r.ci95 && gap.values.count == 6 && gap.values[1].isNaN)
    }

    /// r = 0.5 from 30 pairs: z = 0.549306, se = 1/√27 = 0.192450, interval tanh(0.172103, 0.926509) = (0.170, 0.729).
    @Test func fisherInterval() {
        let ci = Summary.fisherInterval(r: 0.5, n: 30)
        #expect(abs(ci[0] - tanh(0.549306 - 1.959964 / 27.0.squareRoot())) < 1e-6 && abs(ci[0] - 0.1703) < 1e-3)
        #expect(abs(ci[1] - 0.7296) < 1e-3)
        #expect(Summary.fisherInterval(r: 0.5, n: 3).allSatisfy { $0.isNaN })
    }

    @Test func verdicts() {
        #expect(Verdict.paired(Replicated([0.05, 0.06, 0.04, 0.05]), meanA: 0.8, meanB: 0.75) == .holds)
        #expect(Verdict.paired(Replicated([-0.05, -0.06, -0.04]), meanA: 0.7, meanB: 0.75) == .contradicted)
        #expect(Verdict.paired(Replicated([0.05, -0.06, 0.04]), meanA: 0.8, meanB: 0.79) == .inconclusive)
        #expect(Verdict.paired(Replicated([0.0005, 0.0004, 0.0006]), meanA: 0.9995, meanB: 0.9991) == .untestable)
        #expect(Verdict.paired(Replicated([0.05]), meanA: 0.8, meanB: 0.75) == .inconclusive)  // one replicate decides nothing
        // r = −0.036 over 30 runs (the old "holds"): Fisher's interval (−0.39, 0.33) contains 0.
        #expect(Verdict.correlation(r: -0.036, n: 30, sign: -1) == .inconclusive)
        #expect(Verdict.correlation(r: -0.6, n: 30, sign: -1) == .holds)
        #expect(Verdict.correlation(r: 0.6, n: 30, sign: -1) == .contradicted)
    }

    /// With SD 0.05 a mean difference of 0.02 needs the least n with t(0.975, n−1)·0.05/√n < 0.02: n = 27
    /// (t(0.975, 26) = 2.055529: 2.0555·0.05/√27 = 0.01978; at n = 26, 2.0595·0.05/√26 = 0.02020).
    @Test func replicatesNeeded() {
        #expect(Summary.replicatesNeeded(mean: 0.02, sd: 0.05) == 27)
        #expect(Summary.replicatesNeeded(mean: 0, sd: 0.05) == nil)
    }
}

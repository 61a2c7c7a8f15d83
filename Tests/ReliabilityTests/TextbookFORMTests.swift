import Foundation
import Randomness
import Testing
import TestSupport
@testable import Reliability

/// pystra's basic case: g = 1.7 − x₂/(1000x₃) − (x₁/(200x₃))².
struct PystraBasic: LimitState {
    func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        let r = x[0] / (x[2] * 200)
        return 1.7 - x[1] / (x[2] * 1000) - r * r
    }
}

/// UQpy's R − S: g = x₁ − x₂.
struct ResistanceMinusLoad: LimitState {
    func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T { x[0] - x[1] }
}

/// The textbook cases of ../shared/reference (pystra's and UQpy's test suites, recomputed with
/// OpenTURNS 1.27), through the Reliability API.
@Suite struct TextbookFORMTests {
    static let pystraMarginals: [Marginal] = [.lognormal(mean: 500, sd: 100), .normal(mean: 2000, sd: 400),
                                              .uniform(mean: 5, sd: 0.5)]
    static let pystraR: [[Double]] = [[1, 0.3, 0.2], [0.3, 1, 0.2], [0.2, 0.2, 1]]

    func reference(_ name: String) throws -> [String: Any] {
        let cases = try #require(try TestPaths.referenceJSON()["textbook_form"] as? [[String: Any]])
        return try #require(cases.first { ($0["name"] as? String)?.hasPrefix(name) == true })
    }

    /// β = 3.72332 when R acts on the equivalent normals (the published convention).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func pystraEquivalentNormal() throws {
        let expected = try #require((try reference("pystra")["expected"] as? [String: Double])?["beta_equivalent_normal_R"])
        let p = try ReliabilityProblem(marginals: Self.pystraMarginals, correlation: try CorrelationMatrix(Self.pystraR),
                                       limitState: PystraBasic())
        let r = FORM.solve(p)
        #expect(r.converged)
        #expect(abs(r.beta - expected) < 1e-3, "β = \(r.beta)")
        // Both solvers reach the same point.
        var options = FORMOptions()
        options.alwaysLineSearch = true
        #expect(abs(FORM.solve(p, options: options).beta - r.beta) < 1e-6)
    }

    /// β = 3.73477 when R is the physical correlation (Nataf-corrected; pystra's own 3.7347).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func pystraNatafCorrected() throws {
        let expected = try #require((try reference("pystra")["expected"] as? [String: Double])?["beta_nataf_corrected"])
        let r0 = try NatafCorrection.normalSpaceCorrelation(try CorrelationMatrix(Self.pystraR), marginals: Self.pystraMarginals)
        let p = try ReliabilityProblem(marginals: Self.pystraMarginals, correlation: r0, limitState: PystraBasic())
        let r = FORM.solve(p)
        #expect(r.converged)
        #expect(abs(r.beta - expected) < 1e-3, "β = \(r.beta)")
    }

    /// UQpy's R − S: β = 2.23607, design point (160, 160).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func resistanceMinusLoad() throws {
        let expected = try #require(try reference("UQpy")["expected"] as? [String: Any])
        let p = try ReliabilityProblem(marginals: [.normal(mean: 200, sd: 20), .normal(mean: 150, sd: 10)],
                                       limitState: ResistanceMinusLoad())
        let r = FORM.solve(p)
        #expect(abs(r.beta - (expected["beta"] as! Double)) < 1e-4)
        #expect(abs(r.probabilityOfFailure - (expected["pof"] as! Double)) / (expected["pof"] as! Double) < 1e-3)
        let point = expected["design_point"] as! [Double]
        #expect(abs(r.designPoint[0] - point[0]) < 1e-3 && abs(r.designPoint[1] - point[1]) < 1e-3)
    }

    /// A failing mean gives a negative β and P_f > 0.5; importance sampling at the design point agrees.
    @Test func signedBetaAndImportanceSampling() throws {
        let p = try ReliabilityProblem(marginals: [.normal(mean: 140, sd: 20), .normal(mean: 150, sd: 10)],
                                       limitState: ResistanceMinusLoad())
        let r = FORM.solve(p)
        let exact = -10 / (500.0).squareRoot()  // (μR − μS)/√(σR² + σS²)
        #expect(abs(r.beta - exact) < 1e-9)
        #expect(r.probabilityOfFailure > 0.5)
        var rng = SeededGenerator(seed: 5)
        let mc = Sampling.monteCarlo(p, samples: 200_000, generator: &rng)
        #expect(abs(mc.probability - StandardNormal.cdf(-exact)) < 4 * mc.standardError)
    }
}

@Suite struct DistributionTests {
    /// Φ and Φ⁻¹ against tabulated values (Abramowitz & Stegun 26.2) and each other.
    @Test func standardNormal() {
        #expect(abs(StandardNormal.cdf(1.96) - 0.9750021048517795) < 1e-15)
        #expect(abs(StandardNormal.cdf(-3) - 0.0013498980316300946) < 1e-17)
        for p in [1e-12, 1e-6, 0.001, 0.0243, 0.3, 0.5, 0.9, 0.99999] {
            let z = StandardNormal.quantile(p)
            #expect(abs(StandardNormal.cdf(z) - p) <= 1e-14 * max(p, 1e-3))
        }
        #expect(abs(StandardNormal.quantile(0.975) - 1.959963984540054) < 1e-12)
    }

    /// Each marginal's mean and sd from its parameters, quantile∘cdf = identity, and the
    /// Rackwitz–Fiessler equivalent normal matches the CDF and PDF at the point.
    @Test(arguments: [Marginal.normal(mean: 10, sd: 2), .lognormal(mean: 10, sd: 2), .uniform(mean: 10, sd: 2),
                      .truncatedNormal(mu: 10, sigma: 2, lower: 7, upper: .infinity)])
    func marginalIdentities(m: Marginal) {
        if case .truncatedNormal = m {} else {
            #expect(abs(m.mean - 10) < 1e-12 && abs(m.standardDeviation - 2) < 1e-12)
        }
        for x in [8.5, 10.0, 12.3] {
            #expect(abs(m.quantile(m.cdf(x)) - x) < 1e-9)
            let e = m.equivalentNormal(at: x)
            #expect(abs(StandardNormal.cdf((x - e.mean) / e.sd) - m.cdf(x)) < 1e-12)
            #expect(abs(StandardNormal.pdf((x - e.mean) / e.sd) / e.sd - m.pdf(x)) < 1e-12)
        }
    }

    /// Truncated normal moments against the closed forms for a half-normal (μ = 0, σ = 1, [0, ∞)):
    /// mean √(2/π), variance 1 − 2/π.
    @Test func halfNormalMoments() {
        let h = Marginal.truncatedNormal(mu: 0, sigma: 1, lower: 0, upper: .infinity)
        #expect(abs(h.mean - (2 / Double.pi).squareRoot()) < 1e-12)
        #expect(abs(h.standardDeviation - (1 - 2 / Double.pi).squareRoot()) < 1e-12)
    }

    @Test func correlationValidation() {
        #expect(throws: CorrelationError.outOfRange(i: 0, j: 1, value: 1.2)) { try CorrelationMatrix([[1, 1.2], [1.2, 1]]) }
        #expect(throws: CorrelationError.notSymmetric(i: 0, j: 1, rij: 0.5, rji: 0.4)) { try CorrelationMatrix([[1, 0.5], [0.4, 1]]) }
        #expect {
            try CorrelationMatrix([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
        } throws: { error in
            guard case let CorrelationError.notPositiveDefinite(e, _, _) = error else { return false }
            return e < 0
        }
    }

    /// For two lognormals the Nataf normal-space correlation has a closed form (Liu & Der Kiureghian 1986):
    /// ρ₀ = ln(1 + ρV₁V₂) / √(ln(1 + V₁²) ln(1 + V₂²)).
    @Test(arguments: [(-0.3, 0.1, 0.1), (0.5, 0.3, 0.2), (-0.6, 0.25, 0.4)])
    func natafLognormalClosedForm(rho: Double, v1: Double, v2: Double) throws {
        let marginals: [Marginal] = [.lognormal(mean: 18.5, sd: 18.5 * v1), .lognormal(mean: 20, sd: 20 * v2)]
        let r0 = try NatafCorrection.normalSpaceCorrelation(try CorrelationMatrix([[1, rho], [rho, 1]]), marginals: marginals)
        let exact = log(1 + rho * v1 * v2) / (log(1 + v1 * v1) * log(1 + v2 * v2)).squareRoot()
        #expect(abs(r0[0, 1] - exact) < 1e-8)
    }

    /// Gauss–Hermite: E[Z²] = 1, E[Z⁴] = 3; Nataf leaves normal pairs alone and maps ρ₀ = 0 to 0.
    @Test func quadratureAndNataf() throws {
        let (nodes, weights) = NatafCorrection.gaussHermite(64)
        #expect(abs(zip(nodes, weights).map { $0 * $0 * $1 }.reduce(0, +) - 1) < 1e-12)
        #expect(abs(zip(nodes, weights).map { pow($0, 4) * $1 }.reduce(0, +) - 3) < 1e-10)
        #expect(abs(NatafCorrection.physicalCorrelation(.lognormal(mean: 1, sd: 0.3), .uniform(mean: 0, sd: 1), normalSpace: 0)) < 1e-12)
        #expect(abs(NatafCorrection.physicalCorrelation(.normal(mean: 1, sd: 0.3), .normal(mean: 0, sd: 1), normalSpace: 0.6) - 0.6) < 1e-12)
    }
}

import Foundation
import Randomness
import Reliability
import SlopePhysics
@testable import StudyCore
@testable import Stages
import Testing
import TestSupport

/// Every single-cell case of ../shared/reference (OpenTURNS 1.27 FORM, crude Monte Carlo): β within
/// 1e-3, POF within 1 % relative, FOS at the means within 1e-6, design point within 1e-4 relative;
/// importance sampling at our design point agrees with the reference Monte Carlo within 4 combined
/// standard errors.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
struct ReferenceFORMTests {
    static let cases: [FormCase] = (try? FormCase.read(TestPaths.referenceValues.path)) ?? []

    static func expected(_ name: String) throws -> [String: Any] {
        let root = try TestPaths.referenceJSON()
        let list = (root["infinite_slope_form"] as? [String: Any])?["cases"] as? [[String: Any]] ?? []
        return try #require(list.first { $0["name"] as? String == name }?["expected"] as? [String: Any])
    }

    @Test func allFourCasesAreRead() { #expect(Self.cases.count == 4) }

    @Test(arguments: cases.map(\.name))
    func reproducesOpenTURNS(name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let e = try Self.expected(name)
        let r = try FormCaseResult.run(c, importanceSamples: 200_000, seed: 11)
        #expect(r.converged)
        #expect(abs(r.fosAtMean - (e["fos_at_mean"] as! Double)) < 1e-6)
        #expect(abs(r.beta - (e["beta"] as! Double)) < 1e-3)
        let pof = e["pof"] as! Double
        #expect(abs(r.pof - pof) / pof < 0.01)
        for (key, value) in e["design_point"] as! [String: Double] {
            #expect(abs(try #require(r.designPoint[key]) - value) / abs(value) < 1e-4, "\(key)")
        }
        let mc = e["pof_monte_carlo"] as! Double, n = e["monte_carlo_n"] as! Double
        let isEstimate = try #require(r.importanceSampling)
        let combined = (isEstimate.standardError * isEstimate.standardError + mc * (1 - mc) / n).squareRoot()
        #expect(abs(isEstimate.probability - mc) < 4 * combined, "IS \(isEstimate.probability) vs MC \(mc)")
    }
}

/// Closed-form properties of the infinite-slope model and its reliability.
@Suite struct AnalyticSlopeTests {
    func variables(c: Double = 8, phi: Double = 30, covC: Double = 0.25, covPhi: Double = 0.15) -> [FormCase.Variable] {
        let values: [(Double, Double)] = [(c, covC), (phi, covPhi), (0.4, 0), (1, 0), (0.5, 0), (19, 0), (1e-5, 0), (1.5, 0)]
        return values.map { FormCase.Variable(mean: $0.0, cov: $0.1, distribution: .normal) }
    }

    /// Profile b with c′ = 0: FOS = tan φ′ / tan β exactly, whatever the wetting front.
    @Test(arguments: [20.0, 33.0, 41.0])
    func cohesionlessDryProfile(slope: Double) {
        let ls = InfiniteSlopeLimitState(slopeRadians: slope * .pi / 180, profile: .b, wettingFront: .fixed(meters: 0.8))
        var x = Vector8<Double>(repeating: 0)
        for (i, v) in [0, 30, 0.4, 1, 0.5, 19, 1e-5, 1.5].enumerated() { x[i] = v }
        let expected = tan(30 * Double.pi / 180) / tan(slope * .pi / 180)
        #expect(abs(ls.factorOfSafety(x) - expected) <= 4 * Double.ulpOfOne * expected)
    }

    /// As the COV goes to 0, POF goes to 0 where FOS(mean) > 1 and to 1 where FOS(mean) < 1.
    @Test(arguments: [(25.0, false), (50.0, true)])
    func vanishingCOVGivesCertainty(slope: Double, fails: Bool) throws {
        var c = FormCase(name: "cov→0", slopeDegrees: slope, profile: .c, variables: variables(covC: 1e-4, covPhi: 1e-4),
                         wettingFrontMeters: 1.2, rainfall: nil, correlations: [])
        let r = try FormCaseResult.run(c, importanceSamples: nil, seed: 1)
        #expect((r.fosAtMean < 1) == fails)
        if fails { #expect(r.pof > 1 - 1e-12 && r.beta < -7) } else { #expect(r.pof < 1e-12 && r.beta > 7) }
        // and monotonically so: a larger COV moves POF toward 1/2.
        c.variables = variables(covC: 0.2, covPhi: 0.2)
        let wider = try FormCaseResult.run(c, importanceSamples: nil, seed: 1)
        #expect(abs(wider.pof - 0.5) < abs(r.pof - 0.5))
    }

    /// Constant rain P on one dry cell: I = min(P, k_s), z_w = min(I t / (n (S_f − S_o) cos β), h_s).
    @Test(arguments: [(5.0, 12.0), (50.0, 3.0), (200.0, 24.0)])
    func constantRainWettingFront(mmPerHour: Double, hours: Double) {
        let beta = 33 * Double.pi / 180
        let ls = InfiniteSlopeLimitState(slopeRadians: beta, profile: .c,
                                         wettingFront: .supply(metersPerSecond: [mmPerHour / 3.6e6], seconds: [hours * 3600]))
        var x = Vector8<Double>(repeating: 0)
        for (i, v) in [8, 30, 0.4, 1, 0.5, 19, 1e-5, 2.0].enumerated() { x[i] = v }
        let infiltration = min(mmPerHour / 3.6e6, 1e-5) * hours * 3600
        let expected = min(infiltration / (0.4 * 0.5 * cos(beta)), 2.0)
        #expect(abs(ls.wettingFrontDepth(x) - expected) < 1e-12)
    }

    /// Dual-number gradients equal central finite differences (Float64) on every parameter.
    @Test(arguments: [PressureProfile.a, .b, .c])
    func gradientsMatchFiniteDifferences(profile: PressureProfile) {
        let ls = InfiniteSlopeLimitState(slopeRadians: 0.6, profile: profile,
                                         wettingFront: .supply(metersPerSecond: [2e-6, 8e-6, 3e-6], seconds: [3600, 3600, 7200]))
        let x0: [Double] = [8, 30, 0.4, 0.95, 0.5, 19, 5e-6, 2.0]
        var dual = Vector8<Dual>(repeating: Dual(0))
        for i in 0..<8 { dual[i] = Dual.variable(x0[i], index: i) }
        let g = ls(dual)
        for i in 0..<8 {
            let h = 1e-6 * max(abs(x0[i]), 1e-9)
            var plus = Vector8<Double>(repeating: 0), minus = Vector8<Double>(repeating: 0)
            for j in 0..<8 { plus[j] = x0[j]; minus[j] = x0[j] }
            plus[i] += h
            minus[i] -= h
            let fd = (ls(plus) - ls(minus)) / (2 * h)
            #expect(abs(g.gradient[i] - fd) <= 1e-6 * max(1, abs(fd)), "∂g/∂\(InfiniteSlopeLimitState.parameterNames[i])")
        }
    }
}

/// The limit state's reading of the soil-depth cap.
@Suite struct SoilDepthCapTests {
    /// Wherever c′ ≥ 0 and φ′ ≥ 0, g (the larger of the two pieces) is the model's own FOS at
    /// z_w = min(z, h_s) − 1, computed here independently from METHODS.md A2's formula; on 2,000
    /// random parameter vectors around Study A's means, every profile.
    @Test(arguments: PressureProfile.allCases)
    func maximumOfPiecesIsTheCappedFront(profile: PressureProfile) {
        var rng = SeededGenerator(seed: 77)
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(rng.next() >> 11) / Double(1 << 53) }
        let rates = [2e-6, 8e-6, 3e-6], seconds = [3600.0, 3600, 7200]
        var capped = 0, uncapped = 0
        for _ in 0..<2000 {
            let slope = uniform(5, 55) * .pi / 180
            let ls = InfiniteSlopeLimitState(slopeRadians: slope, profile: profile,
                                             wettingFront: .supply(metersPerSecond: rates, seconds: seconds))
            let v = [uniform(0, 30), uniform(0, 40), uniform(0.05, 0.5), uniform(0.6, 1), uniform(0.2, 0.9),
                     uniform(15, 28), uniform(1e-6, 3e-5), uniform(0.1, 3)]
            var x = Vector8<Double>(repeating: 0)
            for (i, value) in v.enumerated() { x[i] = value }
            // METHODS.md A2, written out again.
            let infiltrated = zip(rates, seconds).reduce(0) { $0 + min($1.0, v[6]) * $1.1 }
            let deficit = v[2] * (v[3] - v[4])
            let zw = deficit > 0 ? min(infiltrated / (deficit * cos(slope)), v[7]) : v[7]
            if deficit > 0 && infiltrated / (deficit * cos(slope)) < v[7] { uncapped += 1 } else { capped += 1 }
            let normal = v[5] * zw * sin(slope) * cos(slope)
            let uw: Double
            switch profile {
            case .a: uw = -waterUnitWeightKNPerCubicMeter * (v[7] - zw) * cos(slope) * cos(slope)
            case .b: uw = 0
            case .c: uw = waterUnitWeightKNPerCubicMeter * zw * cos(slope) * cos(slope)
            }
            let tanPhi = tan(v[1] * .pi / 180)
            let fos = v[0] / normal + tanPhi / tan(slope) - uw * tanPhi / normal
            #expect(abs(ls(x) - (fos - 1)) <= 1e-12 * max(1, abs(fos)), "x = \(v)")
        }
        #expect(capped > 100 && uncapped > 100, "both sides of the cap are exercised")
    }
}

import Foundation
import Reliability
import Stages
import Testing
import TestSupport

/// `landslide form --reliability`: on the shared reference cases (PRL-STIM single cells), importance
/// sampling and crude Monte Carlo to a COV of 0.05 agree with the reference Monte Carlo
/// (OpenTURNS, 400,000 samples) within three standard errors of the difference, on every case; FORM's
/// own values are kept beside them.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
struct ReliabilityMethodTests {
    static func cases() throws -> [(FormCase, Double, Int)] {
        let json = try TestPaths.referenceJSON()
        let list = try #require((json["infinite_slope_form"] as? [String: Any])?["cases"] as? [[String: Any]])
        let parsed = try FormCase.read(TestPaths.referenceValues.path)
        return try zip(parsed, list).map { c, raw in
            let expected = try #require(raw["expected"] as? [String: Any])
            return (c, try #require(expected["pof_monte_carlo"] as? Double), try #require(expected["monte_carlo_n"] as? Int))
        }
    }

    @Test(arguments: [ReliabilityMethod.importanceSampling, .monteCarlo])
    func samplingAgreesWithTheReferenceMonteCarlo(method: ReliabilityMethod) throws {
        for (c, reference, n) in try Self.cases() {
            let r = try FormCaseResult.run(c, method: method, stop: SamplingStop(covTarget: 0.05), importanceSamples: nil, seed: 1)
            let se = try #require(r.pofSe)
            let referenceSE = (reference * (1 - reference) / Double(n)).squareRoot()
            let combined = (se * se + referenceSE * referenceSE).squareRoot()
            #expect(abs(r.pof - reference) < 3 * combined, "\(c.name): \(r.pof) ± \(se) vs \(reference) ± \(referenceSE)")
            #expect(se / r.pof <= 0.05 + 1e-12, "\(c.name): COV \(se / r.pof)")
            #expect(r.reliability == method.rawValue && r.pofForm > 0 && abs(r.beta + StandardNormal.quantile(r.pof)) < 1e-12)
        }
    }

    @Test func formKeepsItsOwnValues() throws {
        for (c, _, _) in try Self.cases() {
            let r = try FormCaseResult.run(c, method: .form, stop: SamplingStop(), importanceSamples: nil, seed: 1)
            #expect(r.pof == r.pofForm && r.beta == r.betaForm && r.pofSe == nil)
        }
    }
}

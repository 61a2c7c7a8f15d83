import Foundation
import GeoRaster
import Testing
import TestSupport
@testable import StudyCore
@testable import Stages

/// A copy of loja.yaml in a temporary folder, edited by `edit`, loaded against the shared data.
func loadEdited(_ edit: (String) -> String, dataRoot: String? = TestPaths.dataRoot.path,
                environment: [String: String] = [:]) throws -> StudyConfig {
    let dir = try TemporaryDirectory()
    let text = edit(try TestPaths.lojaConfigText())
    let path = try dir.write(text, to: "study.yaml")
    return try StudyConfig.load(path, dataRoot: dataRoot, environment: environment)
}

/// Expects `edit` to make loading fail with a one-line error naming `key` (and the file), containing
/// every fragment of `mentions`.
func expectConfigError(_ key: String, mentions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
                       _ edit: (String) -> String) {
    do {
        _ = try loadEdited(edit)
        Issue.record("loading succeeded; expected an error at \(key)", sourceLocation: sourceLocation)
    } catch let error as StudyConfigError {
        #expect(error.key == key, sourceLocation: sourceLocation)
        #expect(error.file.hasSuffix("study.yaml"), sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), "one line", sourceLocation: sourceLocation)
        for fragment in mentions {
            #expect(error.description.contains(fragment), "'\(error)' should mention '\(fragment)'",
                    sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
}

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct StudyConfigTests {
    @Test func lojaConfigDecodes() throws {
        let config = try StudyConfig.load(TestPaths.lojaConfig, dataRoot: TestPaths.dataRoot.path)
        #expect(config.name == "loja")
        #expect(config.demPath.hasSuffix("loja/dem.tif"))
        #expect(config.layers.map(\.name) == ["slope_saga_deg", "plan_curvature", "profile_curvature",
                                              "log10_catchment_area_m2"])
        #expect(config.inventory.crs == "EPSG:32717")
        #expect(config.evaluationPoints?.labelColumn == "lslpts")
        #expect(config.soilDepth == .zModel(minMeters: 0.1, maxMeters: 3.0))
        // Study A, Table 2 (METHODS.md A3).
        #expect(config.parameters[.cohesion].mean == 18.5)
        #expect(config.parameters[.frictionAngle].mean == 20)
        #expect(config.parameters[.porosity].mean == 0.12)
        #expect(config.parameters[.initialSaturation].mean == 0.67)
        #expect(config.parameters[.unitWeight].mean == 25)
        #expect(config.parameters[.saturatedConductivity].mean == 2.5e-5)
        #expect(config.parameters[.soilDepth].mean == nil)
        #expect(config.parameters.specs.values.allSatisfy { $0.cov == 0.10 && $0.distribution == .normal })
        guard case let .hyetograph(path, hours) = config.rainfall else {
            Issue.record("expected the reconstructed hyetograph")
            return
        }
        #expect(path.hasSuffix("Experiments/studies/storm_2013-07-21_reconstructed.csv"))
        #expect(hours == 9)
        #expect(config.seed == 20_240_805)
        #expect(config.dataRootSource == .commandLine)
    }

    @Test func dataRootPrecedence() throws {
        let root = TestPaths.dataRoot.path
        // Flag beats config beats environment beats default.
        #expect(try loadEdited({ $0 }, dataRoot: root, environment: ["LANDSLIDE_DATA_ROOT": "/nope"]).dataRootSource == .commandLine)
        #expect(try loadEdited({ $0 + "\ndata_root: \(root)\n" }, dataRoot: nil,
                               environment: ["LANDSLIDE_DATA_ROOT": "/nope"]).dataRootSource == .config)
        #expect(try loadEdited({ $0 }, dataRoot: nil, environment: ["LANDSLIDE_DATA_ROOT": root]).dataRootSource == .environment)
        #expect {
            try loadEdited({ $0 }, dataRoot: nil, environment: ["LANDSLIDE_DATA_ROOT": "/no/such/folder"])
        } throws: { "\($0)".contains("/no/such/folder") && "\($0)".contains("LANDSLIDE_DATA_ROOT") }
    }

    @Test func unknownKeyIsNamedWithItsLine() {
        expectConfigError("demm", mentions: ["unknown key", "allowed here", "study.yaml:"]) {
            $0.replacingOccurrences(of: "\ndem: loja/dem.tif", with: "\ndemm: loja/dem.tif")
        }
        expectConfigError("parameters.porosity.std", mentions: ["unknown key", "mean, cov, distribution"]) {
            $0.replacingOccurrences(of: "porosity:           {mean: 0.12,   cov: 0.10",
                                    with: "porosity:           {mean: 0.12,   std: 0.10")
        }
    }

    @Test func outOfRangeValuesNameKeyAndRange() {
        expectConfigError("parameters.cohesion_kPa.cov", mentions: ["-0.1", "COV ≥ 0"]) {
            $0.replacingOccurrences(of: "{mean: 18.5,   cov: 0.10", with: "{mean: 18.5,   cov: -0.1")
        }
        expectConfigError("parameters.porosity.mean", mentions: ["1.2", "0 < n < 1"]) {
            $0.replacingOccurrences(of: "{mean: 0.12,", with: "{mean: 1.2,")
        }
        expectConfigError("parameters.initial_saturation.mean", mentions: ["S_o", "S_f"]) {
            $0.replacingOccurrences(of: "{mean: 0.67,", with: "{mean: 1.0,")
        }
        expectConfigError("correlations[0].rho", mentions: ["1.5", "-1 ≤ ρ ≤ 1"]) {
            $0.replacingOccurrences(of: "correlations: []",
                                    with: "correlations:\n  - {a: cohesion_kPa, b: friction_angle_deg, rho: 1.5}")
        }
        expectConfigError("parameters.friction_angle_deg.mean", mentions: ["0 < φ′ (°) < 90"]) {
            $0.replacingOccurrences(of: "{mean: 20.0,", with: "{mean: 95,")
        }
        expectConfigError("soil_depth.max_m", mentions: ["h_max"]) {
            $0.replacingOccurrences(of: "max_m: 3.0", with: "max_m: 0.05")
        }
        expectConfigError("rainfall.constant.duration_h", mentions: ["duration (h) > 0"]) {
            $0.replacing(#/  hyetograph: .*storm_2013-07-21_reconstructed.csv\n  evaluate_at_h: 9/#,
                         with: "  constant: {intensity_mm_per_h: 5, duration_h: 0}")
        }
        expectConfigError("rainfall.evaluate_at_h", mentions: ["t (h) > 0"]) {
            $0.replacingOccurrences(of: "evaluate_at_h: 9", with: "evaluate_at_h: -2")
        }
        expectConfigError("rainfall.hyetograph", mentions: ["nope.csv", "not found"]) {
            $0.replacing(#/hyetograph: .*storm_2013-07-21_reconstructed.csv/#, with: "hyetograph: nope.csv")
        }
        expectConfigError("parameters.cohesion_kPa.distribution", mentions: ["gamma", "normal, lognormal"]) {
            $0.replacingOccurrences(of: "{mean: 18.5,   cov: 0.10, distribution: normal}",
                                    with: "{mean: 18.5,   cov: 0.10, distribution: gamma}")
        }
        expectConfigError("correlations[0].b", mentions: ["itself"]) {
            $0.replacingOccurrences(of: "correlations: []",
                                    with: "correlations:\n  - {a: cohesion_kPa, b: cohesion_kPa, rho: 0.5}")
        }
    }

    @Test func correlationConvention() throws {
        #expect(try loadEdited { $0 }.correlationConvention == .equivalentNormal)
        let nataf = try loadEdited { $0 + "\ncorrelation_convention: nataf-corrected\n" }
        #expect(nataf.correlationConvention == .natafCorrected)
        expectConfigError("correlation_convention", mentions: ["physical", "equivalent-normal, nataf-corrected"]) {
            $0 + "\ncorrelation_convention: physical\n"
        }
        // CL with ρ(c′, φ′) = −0.3 between lognormals: the Nataf-corrected normal-space ρ is the closed form.
        let cl = try Scenario.correlatedLognormal.uncertainty(nataf)
        let v = 0.10
        #expect(abs(cl.correlation[0, 1] - log(1 - 0.3 * v * v) / log(1 + v * v)) < 1e-8)
        #expect(try Scenario.correlatedLognormal.uncertainty(nataf, convention: .equivalentNormal).correlation[0, 1] == -0.3)
    }

    @Test func missingDataFileIsNamed() {
        expectConfigError("dem", mentions: ["loja/dem_missing.tif", "not found"]) {
            $0.replacingOccurrences(of: "dem: loja/dem.tif", with: "dem: loja/dem_missing.tif")
        }
        expectConfigError("layers.slope_saga_deg", mentions: ["nope.tif"]) {
            $0.replacingOccurrences(of: "loja/slope.tif", with: "loja/nope.tif")
        }
    }

    @Test func missingRequiredKeyIsNamed() {
        expectConfigError("seed", mentions: ["missing"]) { $0.replacingOccurrences(of: "seed: 20240805", with: "") }
    }

    @Test func invalidYAMLIsOneLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("name: [unclosed\n", to: "bad.yaml")
        #expect {
            try StudyConfig.load(path, dataRoot: TestPaths.dataRoot.path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(path) && text.contains("not valid YAML") && !text.contains("\n")
        }
    }
}

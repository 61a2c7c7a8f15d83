import ExperimentKit
import Foundation
import Randomness
import Stages
import StudyCore
import Testing
import TestSupport
import Twin

/// Issue G5: the keys an ablation can vary, their checks, the designs, and that a key reaches the stage
/// it names.
@Suite struct AblationKeyTests {
    /// A value inside each key's range, as a user would write it.
    static func validValue(_ key: AblationKey) -> String {
        switch key.type {
        case let .real(r, _, _): String((r.lowerBound + r.upperBound) / 2)
        case let .integer(r, odd): String(odd && r.lowerBound % 2 == 0 ? r.lowerBound + 1 : r.lowerBound)
        case .boolean: "true"
        case let .choice(c): c.last!
        }
    }

    @Test func everyListedKeyIsAcceptedWithAValueInItsRange() throws {
        let keys = try AblationKeys.keys(for: "model-comparison")
        #expect(keys.count >= 25)
        #expect(Set(keys.map(\.name)).count == keys.count, "a key is listed twice")
        for key in keys {
            let factor = try AblationFactor(parsing: "\(key.name)=\(Self.validValue(key))", experiment: "model-comparison")
            #expect(factor.key == key && factor.levels.count == 1)
            #expect(AblationKeys.helpText().contains(key.name), "\(key.name) is missing from --help")
        }
    }

    @Test func badKeysAndValuesAreRefusedWithTheirNames() {
        let bad = ["foo.bar=1", "sampler.pof_threshold=1.5", "sampler.pof_threshold=0", "morphology.open_kernel=4",
                   "cnn.kernel=9", "cnn.pof_channel=maybe", "ppm.profile=d", "cnn.channels=0", "parameters.porosity.mean=2",
                   "sampler.pof_threshold", "cnn.channels=8,8", "ppm.profile=a:c"]
        for text in bad {
            let name = String(text.split(separator: "=").first!)
            #expect {
                _ = try AblationFactor(parsing: text, experiment: "model-comparison")
            } throws: { error in
                (error as? AblationError)?.description.contains(name) == true
            }
        }
        #expect(throws: AblationError.self) { try AblationKeys.keys(for: "cov-sweep-typo") }
    }

    @Test func factorialCrossesEveryLevelFirstKeySlowest() throws {
        let a = try AblationFactor(parsing: "ppm.profile=a,b,c", experiment: "model-comparison")
        let b = try AblationFactor(parsing: "cnn.pof_channel=false,true", experiment: "model-comparison")
        let grid = try AblationDesign.factorial([a, b])
        #expect(grid.map(\.label) == ["ppm.profile=a, cnn.pof_channel=false", "ppm.profile=a, cnn.pof_channel=true",
                                      "ppm.profile=b, cnn.pof_channel=false", "ppm.profile=b, cnn.pof_channel=true",
                                      "ppm.profile=c, cnn.pof_channel=false", "ppm.profile=c, cnn.pof_channel=true"])
        let range = try AblationFactor(parsing: "sampler.pof_threshold=0.1:0.9", experiment: "model-comparison")
        #expect(throws: AblationError.self) { try AblationDesign.factorial([range]) }
    }

    /// One key at a time: the baseline (each key's default where it is listed, else its first level), then
    /// each key's other levels with the rest at the baseline.
    @Test func oneAtATimeVariesOneKeyAroundTheBaseline() throws {
        let profile = try AblationFactor(parsing: "ppm.profile=a,b,c", experiment: "model-comparison")
        let threshold = try AblationFactor(parsing: "sampler.pof_threshold=0.3,0.7", experiment: "model-comparison")
        let (grid, baseline) = try AblationDesign.oneAtATime([profile, threshold])
        #expect(baseline == ["ppm.profile": "c", "sampler.pof_threshold": "0.3"])
        #expect(grid.map(\.label) == ["ppm.profile=c, sampler.pof_threshold=0.3", "ppm.profile=a, sampler.pof_threshold=0.3",
                                      "ppm.profile=b, sampler.pof_threshold=0.3", "ppm.profile=c, sampler.pof_threshold=0.7"])
    }

    /// A Latin hypercube puts exactly one point in each of the K strata of every range, odd keys stay odd,
    /// and the same seed gives the same design.
    @Test func latinHypercubeStratifiesEveryRange() throws {
        let t = try AblationFactor(parsing: "sampler.pof_threshold=0.1:0.9", experiment: "model-comparison")
        let k = try AblationFactor(parsing: "morphology.open_kernel=1:15", experiment: "model-comparison")
        let grid = try AblationDesign.latinHypercube([t, k], count: 8, seed: 3)
        #expect(grid.count == 8)
        let strata = grid.map { Int((Double($0.values["sampler.pof_threshold"]!)! - 0.1) / 0.8 * 8) }
        #expect(Set(strata) == Set(0..<8))
        #expect(grid.allSatisfy { Int($0.values["morphology.open_kernel"]!)! % 2 == 1 })
        #expect(try AblationDesign.latinHypercube([t, k], count: 8, seed: 3) == grid)
        #expect(try AblationDesign.latinHypercube([t, k], count: 8, seed: 4) != grid)
    }

    /// `cnn.channels` reaches the network: the patch CNN's parameter count changes with it.
    @Test func cnnChannelsChangeTheParameterCount() throws {
        func parameters(_ channels: String) throws -> Int {
            let flags = try StudyAFlags.parse(["--cnn-channels", channels])
            var g = SeededGenerator(seed: 1)
            let settings = flags.settings.network(ModelSettings()).resolved(.patchCNN)
            return try #require(TrainRun.network(.patchCNN, inputs: 5, settings: settings, patch: 17, generator: &g).float).parameterCount
        }
        let four = try parameters("4"), eight = try parameters("8")
        #expect(four < eight, "4 channels: \(four) parameters, 8: \(eight)")
    }

    /// `cnn.patch` reaches the network: a 9 × 9 patch gives the dense head fewer inputs than 17 × 17.
    @Test func cnnPatchChangesTheParameterCount() throws {
        func parameters(_ patch: String) throws -> Int {
            let settings = try StudyAFlags.parse(["--patch", patch]).settings
            var g = SeededGenerator(seed: 1)
            let net = TrainRun.network(.patchCNN, inputs: 5, settings: settings.network(ModelSettings()).resolved(.patchCNN),
                                       patch: settings.patch, generator: &g).float
            return try #require(net).parameterCount
        }
        let nine = try parameters("9"), seventeen = try parameters("17")
        #expect(nine < seventeen, "9 × 9: \(nine) parameters, 17 × 17: \(seventeen)")
        #expect(throws: (any Error).self) { try StudyAFlags.parse(["--patch", "16"]) }
    }

    /// A config key is set in the derived config, which keeps the study's data (absolute paths).
    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func configKeyIsSetInTheDerivedConfig() throws {
        let dir = try TemporaryDirectory()
        let key = try AblationKeys.key("parameters.cohesion_kPa.mean", experiment: "model-comparison")
        let cov = try AblationKeys.key("soil_depth.max_m", experiment: "model-comparison")
        try AblationRun.writeDerivedConfig(study: TestPaths.lojaConfig, dataRoot: nil, keys: [(key, "30.0"), (cov, "2.5")],
                                           to: dir.path("study.yaml"))
        let original = try StudyConfig.load(TestPaths.lojaConfig)
        let derived = try StudyConfig.load(dir.path("study.yaml"))
        #expect(derived.parameters[.cohesion].mean == 30 && original.parameters[.cohesion].mean == 18.5)
        #expect(derived.parameters[.frictionAngle].mean == original.parameters[.frictionAngle].mean)
        func path(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path }
        #expect(path(derived.demPath) == path(original.demPath) && derived.name == original.name)
        #expect(derived.configDigest != original.configDigest)
    }
}

/// `rainfall.scale` reaches PRL-STIM: the twin's storm twice as strong wets the slopes deeper.
@Suite struct RainfallScaleTests {
    /// A small twin's config, and the config an ablation derives from it with `key` set to `value` (their
    /// files live as long as the returned directory).
    static func twinConfigs(setting key: String, to value: String) throws
        -> (base: StudyConfig, derived: StudyConfig, directory: TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions()
        o.seed = 9
        _ = try Twin.generate(o, directory: dir.path("twin"))
        try AblationRun.writeDerivedConfig(study: dir.path("twin/twin.yaml"), dataRoot: nil,
                                           keys: [(try AblationKeys.key(key, experiment: "model-comparison"), value)],
                                           to: dir.path("derived.yaml"))
        return (try StudyConfig.load(dir.path("twin/twin.yaml")), try StudyConfig.load(dir.path("derived.yaml")), dir)
    }

    @Test func scaledStormWetsDeeper() throws {
        let (base, scaled, directory) = try Self.twinConfigs(setting: "rainfall.scale", to: "2.0")
        defer { withExtendedLifetime(directory) {} }
        #expect(base.rainfallScale == 1 && scaled.rainfallScale == 2)
        let (h1, _) = try PPMRun.storm(base), (h2, _) = try PPMRun.storm(scaled)
        #expect(zip(h1.intensityMillimetersPerHour, h2.intensityMillimetersPerHour).allSatisfy { abs($1 - 2 * $0) < 1e-12 })
        // Twice the rain wets deeper: the mean wetting front grows (by less than twice: it stops at the soil depth).
        func meanFront(_ c: StudyConfig) throws -> Double {
            let fronts = try PPMRun.inputs(try StudyContext(c)).storm.wettingFrontMeters.filter(\.isFinite)
            return fronts.reduce(0) { $0 + Double($1) } / Double(fronts.count)
        }
        let front1 = try meanFront(base), front2 = try meanFront(scaled)
        #expect(front2 > front1 + 0.05, "mean wetting front \(front1) m at ×1, \(front2) m at ×2")
    }
}

/// `parameters.ks_m_per_s.scale` multiplies the config's k_s, and at a tenth of the twin's k_s the storm's
/// peak exceeds it: runoff is generated and routed, where at ×1 infiltration is supply-limited everywhere.
@Suite struct ConductivityScaleTests {
    @Test func tenthOfKsRoutesRunoff() throws {
        let (base, scaled, directory) = try RainfallScaleTests.twinConfigs(setting: "parameters.ks_m_per_s.scale", to: "0.1")
        defer { withExtendedLifetime(directory) {} }
        let ks = try #require(base.parameters[.saturatedConductivity].mean)
        #expect(abs(try #require(scaled.parameters[.saturatedConductivity].mean) - 0.1 * ks) <= 1e-15)
        let regime1 = try PPMRun.inputs(try StudyContext(base)).regime
        let regime01 = try PPMRun.inputs(try StudyContext(scaled)).regime
        #expect(regime1.peakRainMillimetersPerHour < regime1.saturatedConductivityMillimetersPerHour)
        #expect(regime1.capacityLimitedCells == 0 && regime1.routedRunoffCubicMeters == 0)
        #expect(regime01.peakRainMillimetersPerHour > regime01.saturatedConductivityMillimetersPerHour)
        #expect(regime01.capacityLimitedCells > 0 && regime01.routedRunoffCubicMeters > 0,
                "at k_s × 0.1: \(regime01.capacityLimitedCells) capacity-limited cells, \(regime01.routedRunoffCubicMeters) m³ routed")
    }
}

import Foundation
import GeoRaster
import PublishedNumbers
import Reliability
import SlopePhysics
@testable import Stages
import StudyCore
import Susceptibility
import Testing
import TestSupport
@testable import Twin

/// Issue G6: a region of one's own through config keys only — soil zones on a categorical layer, a
/// categorical factor, the models' factor lists and the samplers' settings.
@Suite struct RegionConfigTests {
    /// A small twin with `zones` geology classes and scarp polygons, and its context.
    static func zonedTwin(_ dir: TemporaryDirectory, zones: Int = 3) throws -> StudyContext {
        var o = TwinTests.smallOptions()
        o.zones = zones
        o.polygons = true
        _ = try Twin.generate(o, directory: dir.path("twin"))
        return try StudyContext(try StudyConfig.load(dir.path("twin/twin.yaml")))
    }

    /// Each zone's cells get its own parameters: a converged cell's POF on the map equals FORM solved for
    /// that cell alone (``FormCase``, what `landslide form` runs) with the zone's true means — Study A's
    /// Table 2 means times ``Twin/zoneFactors(_:)``, not read back from the config — and differs from the
    /// POF with the study-wide `parameters`.
    @Test func eachZonesCellsGetTheirOwnParameters() throws {
        let dir = try TemporaryDirectory()
        let context = try Self.zonedTwin(dir)
        let zones = try #require(try context.soilZones())
        #expect(zones.codes == [1, 2, 3] && zones.missingCodes.isEmpty && zones.codesWithoutEntry.isEmpty)
        let prepared = try PPMRun.inputs(context)
        let map = try PPMRun.reliability(prepared, config: context.config, scenario: .config, profile: .c)
        let table2 = PublishedNumbers.shipped.studyA.table2Means
        let factors = Twin.zoneFactors(3)
        var checked = [Int](repeating: 0, count: 4), differsFromDefault = 0
        for c in stride(from: 0, to: map.pof.count, by: 97) where map.status.values[c] == CellStatus.converged.rawValue {
            let zone = Int(zones.zoneOfCell[c])
            guard zone > 0, checked[zone] < 8 else { continue }
            func variables(_ f: (cohesion: Double, friction: Double, conductivity: Double)) -> [FormCase.Variable] {
                SoilParameter.allCases.map { p in
                    let scale = p == .cohesion ? f.cohesion : p == .frictionAngle ? f.friction : p == .saturatedConductivity ? f.conductivity : 1
                    let random = p == .cohesion || p == .frictionAngle
                    let mean = p == .soilDepth ? Double(prepared.soilDepth.values[c]) : table2[p.rawValue]! * scale
                    return FormCase.Variable(mean: mean, cov: random ? 0.2 : 0, distribution: .normal)
                }
            }
            func pof(_ f: (cohesion: Double, friction: Double, conductivity: Double)) throws -> Double {
                let single = FormCase(name: "cell \(c)", slopeDegrees: Double(prepared.slope.values[c]), profile: .c,
                                      variables: variables(f), wettingFrontMeters: prepared.storm.wettingFrontMeters[c],
                                      rainfall: nil, correlations: [])
                return FORM.solve(try single.problem()).probabilityOfFailure
            }
            let own = try pof(factors[zone - 1])
            #expect(abs(own - Double(map.pof.values[c])) <= 1e-5 + 1e-4 * own,
                    "cell \(c), zone \(zone): map POF \(map.pof.values[c]), FORM alone \(own)")
            if abs(try pof((1, 1, 1)) - own) > 1e-3 { differsFromDefault += 1 }
            checked[zone] += 1
        }
        #expect(checked.dropFirst().allSatisfy { $0 > 0 }, "cells checked per zone: \(checked)")
        #expect(differsFromDefault > 0, "no checked cell's POF depends on its zone")
    }

    /// PRL-STIM takes each zone's k_s: in the zone whose k_s is a tenth of Study A's (below the storm's
    /// 10.4 mm/h peak) runoff is generated; where k_s is Study A's (90 mm/h) it never is without run-on.
    @Test func prlstimTakesEachZonesConductivity() throws {
        let dir = try TemporaryDirectory()
        let context = try Self.zonedTwin(dir)
        let prepared = try PPMRun.inputs(context)
        let zones = try #require(prepared.zones)
        #expect(prepared.soils.map(\.saturatedConductivityMetersPerSecond).dropFirst().map { ($0 * 1e7).rounded() } == [25, 79, 250])
        #expect(prepared.regime.capacityLimitedCells > 0)
        let n = zones.zoneOfCell.count
        let runoffByZone = (1...3).map { z in (0..<n).filter { Int(zones.zoneOfCell[$0]) == z }.map { prepared.storm.runoffMeters[$0] }.reduce(0, +) }
        #expect(runoffByZone[0] > 0 && runoffByZone[0] > runoffByZone[2], "runoff by zone \(runoffByZone)")
    }

    /// A categorical factor enters the GLM as indicators of its classes but the first (never
    /// standardised), and the saved model maps again from the indicator names; the information-value
    /// model classes it by its codes, with I = ln((N_j/N)/(S_j/S)) per class.
    @Test func categoricalFactorIsIndicatorsInTheGLMAndClassesInTheIVModel() throws {
        let dir = try TemporaryDirectory()
        let context = try Self.zonedTwin(dir)
        let layers = try FactorLayers.load(context, names: ["slope", "geology"])
        #expect(layers.names == ["slope", "geology=2", "geology=3"])
        let geology = try context.layer("geology")
        for (k, code) in [(1, 2), (2, 3)] {
            #expect(layers.grids[k].values.indices.allSatisfy { i in
                !geology.isValid(at: i) || layers.grids[k].values[i] == (Int(geology.values[i]) == code ? 1 : 0)
            })
        }
        let moments = layers.moments()
        #expect(moments[1] == (0, 1) && moments[2] == (0, 1) && moments[0].sd > 1)

        var options = TrainRun.Options()
        options.model = .glm
        options.factors = ["slope", "geology"]
        let summary = try TrainRun.run(context, options: options, outputPath: dir.path("glm.json"), modelPath: dir.path("glm.model.json"))
        #expect(summary.factors == ["slope", "geology=2", "geology=3"])
        let model = try MapRun.readModel(dir.path("glm.model.json"))
        #expect(model.factors == ["slope", "geology=2", "geology=3"] && model.means[1...] == [0, 0] && model.sds[1...] == [1, 1])
        #expect(model.parameters.first?.count == 4)
        let scores = try MapRun.score(model, factors: try FactorLayers.load(context, names: model.factors))
        #expect(scores.contains { $0.isFinite })

        let landslides = context.inputs.landslideFootprint
        let fit = try InformationValueFit(context, names: ["slope", "geology"], landslides: landslides, method: .naturalBreaks)
        #expect(fit.categorical == ["geology"] && fit.pca.names == ["slope"])
        let f = try #require(fit.model.factorNames.firstIndex(of: "geology"))
        #expect(fit.model.values[f].count == 3)
        let valid = (0..<geology.count).filter { geology.isValid(at: $0) && (try? context.slopeDegrees().isValid(at: $0)) == true }
        let slides = Set(landslides).intersection(valid)
        for (j, code) in [1, 2, 3].enumerated() {
            let cells = Double(valid.filter { Int(geology.values[$0]) == code }.count)
            let hits = Double(slides.filter { Int(geology.values[$0]) == code }.count)
            let expected = log((max(hits, 0.5) / Double(slides.count)) / (cells / Double(valid.count)))
            #expect(abs(fit.model.values[f][j] - expected) < 1e-9, "class \(code): \(fit.model.values[f][j]) vs \(expected)")
        }
    }

    /// `zones` inherits what a class leaves out from `parameters`, and refuses a continuous layer, a
    /// code that is not a whole number and a mean out of range, naming the key.
    @Test func zonesInheritFromParametersAndRefuseBadEntries() throws {
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions()
        o.zones = 2
        _ = try Twin.generate(o, directory: dir.path("twin"))
        let yaml = try String(contentsOfFile: dir.path("twin/twin.yaml"), encoding: .utf8)
        let config = try StudyConfig.load(dir.path("twin/twin.yaml"))
        let zones = try #require(config.zones)
        #expect(zones.layer == "geology" && zones.codes == [1, 2] && config.categoricalLayers == ["geology"])
        let weak = try #require(zones.classes[1])
        #expect(weak[.cohesion].mean == 11.1 && weak[.cohesion].cov == config.parameters[.cohesion].cov)
        #expect(weak[.porosity] == config.parameters[.porosity] && weak[.soilDepth] == config.parameters[.soilDepth])

        func failure(_ edit: (String) -> String) throws -> String {
            try dir.write(edit(yaml), to: "twin/bad.yaml")
            do { _ = try StudyConfig.load(dir.path("twin/bad.yaml")); return "" } catch { return "\(error)" }
        }
        let continuous = try failure { $0.replacingOccurrences(of: "    type: categorical\n", with: "") }
        #expect(continuous.contains("zones.layer") && continuous.contains("continuous"), "\(continuous)")
        let code = try failure { $0.replacingOccurrences(of: "\n    1:\n", with: "\n    one:\n") }
        #expect(code.contains("zones.classes.one") && code.contains("whole-number"), "\(code)")
        let range = try failure { $0.replacingOccurrences(of: "mean: 11.1", with: "mean: -3") }
        #expect(range.contains("zones.classes.1.cohesion_kPa.mean") && range.contains("out of range"), "\(range)")
        let unknown = try failure { $0.replacingOccurrences(of: "layer: geology", with: "layer: lithology") }
        #expect(unknown.contains("'lithology' is not one of the study's layers"), "\(unknown)")
    }

    /// `samplers` and `factors` reach `landslide sample` and training; the samplers' defaults are the
    /// studies' published settings; a factor name the study lacks is refused when the study loads.
    @Test func samplersAndFactorsComeFromTheConfig() throws {
        let defaults = SamplerSettings()
        let published = PublishedNumbers.shipped.studyB.samplerSettings
        #expect(defaults.bufferMeters == published["buffer_m"] && defaults.slopeMaxDegrees == published["maximum_slope_deg"])
        #expect(defaults.pofThreshold == 0.5 && defaults.openKernel == 3 && defaults.closeKernel == 3)
        #expect(Twin.networkFactors == FactorLayers.studyBTerrainFactors)

        let dir = try TemporaryDirectory()
        _ = try Twin.generate(TwinTests.smallOptions(), directory: dir.path("twin"))
        var yaml = try String(contentsOfFile: dir.path("twin/twin.yaml"), encoding: .utf8)
        yaml += "samplers: {buffer_m: 120, slope_max_deg: 12.5, pof_threshold: 0.3, open_kernel: 5}\n"
            + "factors: {glm: [slope, twi], networks: [slope, tpi, twi]}\n"
        try dir.write(yaml, to: "twin/own.yaml")
        let context = try StudyContext(try StudyConfig.load(dir.path("twin/own.yaml")))
        #expect(context.factors(for: .glm) == ["slope", "twi"] && context.informationValueFactors == ["slope", "tpi", "twi"])
        #expect(context.factors(for: .patchCNN) == FactorLayers.studyAChannels)
        for (sampler, key, value) in [(SamplerKind.buffer, "buffer_m", "120.0"), (.slope, "maximum_slope_deg", "12.5"),
                                      (.pof, "threshold", "0.3"), (.pof, "kernel_open", "5"), (.pof, "kernel_close", "3")] {
            var options = SampleRun.Options()
            options.sampler = sampler
            let s = try SampleRun.run(context, options: options, outputPath: dir.path("s.csv"))
            #expect(s.settings[key] == value, "\(sampler.rawValue) \(key): \(s.settings[key] ?? "–")")
        }
        var iv = SampleRun.Options()
        iv.sampler = .informationValue
        #expect(try SampleRun.run(context, options: iv, outputPath: dir.path("iv.csv")).factors?.map(\.factor) == ["slope", "tpi", "twi"])

        try dir.write(yaml.replacingOccurrences(of: "[slope, twi]", with: "[slope, lithology]"), to: "twin/unknown.yaml")
        #expect {
            _ = try StudyContext(try StudyConfig.load(dir.path("twin/unknown.yaml")))
        } throws: { "\($0)".contains("factors.glm: unknown layer 'lithology'") }
    }
}

/// The README's "your own region" config, taken from the README as it stands, loads on a twin made with
/// `--polygons --zones 4` and gives what the README says: zones 1 and 4 configured, 2 and 3 on
/// `parameters`, one sample per scarp, no evaluation points, and its factor lists and samplers.
@Suite struct ReadmeRegionExampleTests {
    @Test func theWorkedExampleRunsAsWritten() throws {
        let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Your own region"))
        let start = try #require(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let yaml = String(readme[start.upperBound..<end.lowerBound])
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions()
        o.zones = 4
        o.polygons = true
        _ = try Twin.generate(o, directory: dir.path("myregion"))
        try dir.write(yaml, to: "myregion/myregion.yaml")
        let context = try StudyContext(try StudyConfig.load(dir.path("myregion/myregion.yaml")))
        let zones = try #require(try context.soilZones())
        #expect(zones.codes == [1, 4] && zones.codesWithoutEntry == [2, 3] && zones.missingCodes.isEmpty)
        #expect(zones.parameters[2][.cohesion].mean == 25.9 && zones.parameters[2][.saturatedConductivity].mean == 2.5e-5)
        let polygons = try #require(context.inputs.polygonInventory)
        #expect(polygons.samples.count == o.landslides && context.inputs.evaluation == nil)
        #expect(context.factors(for: .patchCNN).last == "geology" && context.config.samplers.bufferMeters == 500)
        let info = try StudyInfo.gather(context)
        #expect(info.layers.first { $0.name == "geology" }?.classes?.map(\.code) == [1, 2, 3, 4])
        #expect(info.zones?.zones.map(\.code) == [nil, 1, 4])
        let map = try PPMRun.reliability(try PPMRun.inputs(context), config: context.config, scenario: .config, profile: .c)
        #expect(map.converged > 0)
    }
}

import Foundation
import GeoRaster
import Stages
import StudyCore
import Terrain
import Testing
import TestSupport
import Twin

/// The study context: one home for every layer of a study, each derived once, the same for every consumer.
@Suite struct StudyContextTests {
    /// A small twin whose config is rewritten with `edit` (the folder lives as long as the result).
    struct Fixture { let directory: TemporaryDirectory; let config: StudyConfig }
    static func study(_ edit: (String) -> String) throws -> Fixture {
        let dir = try TemporaryDirectory()
        var o = Twin.Options()
        o.seed = 7; o.rows = 90; o.columns = 110; o.landslides = 20; o.randomPoints = 50
        _ = try Twin.generate(o, directory: dir.path("twin"))
        let path = dir.path("twin/twin.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try edit(text).write(toFile: path, atomically: false, encoding: .utf8)
        return Fixture(directory: dir, config: try StudyConfig.load(path))
    }

    /// The bug this context removed: with `soil_depth: uniform` the CNN's soil-depth channel used the
    /// Z-model's depth while the PPM used the uniform one. Now both read the context's one soil depth.
    @Test func uniformSoilDepthReachesTheCNNChannelAndThePPM() throws {
        let fixture = try Self.study { text in
            let start = text.range(of: "soil_depth:\n")!
            let end = text.range(of: "parameters:")!
            return text.replacingCharacters(in: start.lowerBound..<end.lowerBound,
                                            with: "soil_depth:\n  model: uniform\n  depth_m: 1.7\n")
        }
        defer { withExtendedLifetime(fixture) {} }
        let config = fixture.config
        #expect(config.soilDepth == .uniform(meters: 1.7))
        let context = try StudyContext(config)
        let factors = try FactorLayers.load(context, names: FactorLayers.studyAChannels)
        let channel = try #require(factors.names.firstIndex(of: "soil_depth"))
        let grid = factors.grids[channel]
        let validCells = (0..<grid.count).filter { context.dem.isValid(at: $0) }
        #expect(!validCells.isEmpty)
        #expect(validCells.allSatisfy { grid.values[$0] == Float(1.7) }, "the CNN's soil_depth channel is not the uniform depth")
        let ppm = try PPMRun.inputs(context)
        #expect(validCells.allSatisfy { ppm.soilDepth.values[$0] == Float(1.7) }, "the PPM's soil depth is not the uniform depth")
    }

    /// With the Z-model, the channel is METHODS.md A1's h = h_max − (Z − Z_min)/(Z_max − Z_min)(h_max − h_min),
    /// written out here again.
    @Test func zModelSoilDepthIsTheZModel() throws {
        let fixture = try Self.study { $0 }
        defer { withExtendedLifetime(fixture) {} }
        let config = fixture.config
        let context = try StudyContext(config)
        guard case let .zModel(lo, hi) = config.soilDepth else { Issue.record("the twin uses the Z-model"); return }
        let dem = context.dem, depth = try context.layer("soil_depth")
        let z = (0..<dem.count).filter { dem.isValid(at: $0) }.map { Double(dem.values[$0]) }
        let (zMin, zMax) = (z.min()!, z.max()!)
        for i in stride(from: 0, to: dem.count, by: 97) where dem.isValid(at: i) {
            let expected = hi - (Double(dem.values[i]) - zMin) / (zMax - zMin) * (hi - lo)
            #expect(abs(Double(depth.values[i]) - expected) < 1e-4)
        }
    }

    /// One registry of layer names: every name the context lists resolves to a grid on the DEM's grid
    /// and has a unit; an unknown name is an error that lists the known ones.
    @Test func everyListedLayerResolvesWithAUnit() throws {
        let fixture = try Self.study { $0 }
        defer { withExtendedLifetime(fixture) {} }
        let config = fixture.config
        let context = try StudyContext(config)
        #expect(context.layerNames.first == "elevation")
        #expect(Set(context.layerNames).count == context.layerNames.count, "a layer name is listed twice")
        for name in context.layerNames {
            let grid = try context.layer(name)
            #expect(grid.rows == context.dem.rows && grid.cols == context.dem.cols, "\(name)")
            let unit = context.describe(name).map(\.unit) ?? ""
            #expect(!unit.isEmpty, "\(name) has no unit")
        }
        #expect(context.describe("slope")?.unit == "degree")
        #expect(throws: StudyContextError.self) { try context.layer("no_such_layer") }
        do { _ = try context.layer("no_such_layer") } catch {
            #expect("\(error)".contains("known: elevation"))
        }
    }

    /// The slope every consumer gets is gdaldem's Horn slope of the DEM (the terrain stage's), whichever
    /// asks first, and the same grid each time.
    @Test func slopeIsDerivedOnceAndShared() throws {
        let fixture = try Self.study { $0 }
        defer { withExtendedLifetime(fixture) {} }
        let config = fixture.config
        let context = try StudyContext(config)
        let cell = context.dem.geoTransform.squareCellSize!
        let direct = context.dem.apply(HornSlope(cellWidth: cell, cellHeight: cell), edges: .extrapolate)
        let first = try context.slopeDegrees(), second = try context.layer("slope")
        #expect(first.values == direct.values)
        #expect(second.values == first.values)
        #expect(try PPMRun.inputs(context).slope.values == first.values)
    }
}

/// The stages' declared inputs are layers the study offers, with the units the registry gives them.
@Suite struct StageInterfaceTests {
    @Test func consumedLayersExistWithTheirUnits() throws {
        let fixture = try StudyContextTests.study { $0 }
        defer { withExtendedLifetime(fixture) {} }
        let context = try StudyContext(fixture.config)
        for stage in StageInterface.all {
            for field in stage.consumes where field.name != "the model's factors" {
                let description = try #require(context.describe(field.name), "\(stage.stage) consumes unknown layer \(field.name)")
                if field.unit != "layer unit" { #expect(description.unit == field.unit, "\(stage.stage): \(field.name)") }
            }
        }
        let terrain = try #require(StageInterface.all.first { $0.stage == "terrain" })
        #expect(terrain.produces.map(\.name) == TerrainProducts.catalogue.map(\.name))
    }
}

/// A config layer named like a derived one takes its place, once, in the registry (Loja's SAGA curvatures).
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct LojaLayerRegistryTests {
    @Test func configLayersShadowDerivedNamesOnce() throws {
        let context = try StudyContext(try StudyConfig.load(TestPaths.lojaConfig))
        let names = context.layerNames
        #expect(Set(names).count == names.count, "a layer name is listed twice: \(names)")
        #expect(names.filter { $0 == "plan_curvature" }.count == 1)
        #expect(context.describe("plan_curvature")?.origin.contains("cplan.tif") == true)
        let saga = try RasterIO.read(TestPaths.loja("cplan.tif"), as: Float.self)
        #expect(try context.layer("plan_curvature").values == saga.values)
    }
}

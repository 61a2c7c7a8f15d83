import Foundation
import GeoRaster
import Stages
import Susceptibility
import StudyCore
import Testing
import TestSupport
@testable import ExperimentKit

/// Loja's 175 landslides and 1,360 evaluation points lie inside its 9.58 km² study polygon; the DEM's
/// rectangle is 15.8 km². Nothing the harness samples, classes or maps may fall outside the polygon.
/// "Inside" is decided here by ray casting on the polygon's rings, independently of the rasterised mask.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct LojaStudyAreaTests {
    static let context: StudyContext? = try? StudyContext(try StudyConfig.load(TestPaths.lojaConfig))

    /// Even–odd ray casting over every ring (holes included).
    static func inside(_ x: Double, _ y: Double, rings: [[(x: Double, y: Double)]]) -> Bool {
        var crossings = 0
        for ring in rings {
            for (a, b) in zip(ring, ring.dropFirst() + [ring[0]]) where (a.y > y) != (b.y > y) {
                if x < a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x) { crossings += 1 }
            }
        }
        return crossings % 2 == 1
    }

    func cellCentre(_ dem: Grid<Float>, _ cell: Int) -> (x: Double, y: Double) {
        let p = dem.geoTransform.cellCenter(row: cell / dem.cols, col: cell % dem.cols)
        return (p.x, p.y)
    }

    @Test func everyAnalysedCellIsInsideThePolygonAndTheAreaIsThePolygons() throws {
        let context = try #require(Self.context)
        let rings = try context.areaOutline()
        let area = try #require(try context.studyArea())
        let setup = try ExperimentSetup(context, seed: 3, factors: FactorLayers.studyAChannels)
        let analysed = setup.valid.indices.filter { setup.valid[$0] }
        let dem = context.dem
        let outside = analysed.filter { let p = cellCentre(dem, $0); return !Self.inside(p.x, p.y, rings: rings) }
        #expect(outside.isEmpty, "\(outside.count) analysed cells lie outside the study polygon")
        // Class areas add up to the study area (the polygon's own area, ± the cells its boundary cuts),
        // not to the DEM's rectangle.
        let cellKm2 = abs(dem.geoTransform.pixelWidth * dem.geoTransform.pixelHeight) / 1e6
        let classedKm2 = Double(analysed.count) * cellKm2
        let polygonKm2 = area.polygons.area / 1e6
        #expect(abs(classedKm2 - polygonKm2) / polygonKm2 < 0.01, "classed \(classedKm2) km² vs polygon \(polygonKm2) km²")
        #expect(abs(polygonKm2 - 9.58) < 0.01)
        let rectangleKm2 = Double(dem.count) * cellKm2
        #expect(rectangleKm2 > 15)
        // The common test and the training landslides are inside too.
        #expect(setup.landslides.count == 175)
        for cell in setup.landslides + setup.commonNegatives {
            let p = cellCentre(dem, cell)
            #expect(Self.inside(p.x, p.y, rings: rings), "test cell \(cell) outside the polygon")
        }
    }

    @Test(arguments: [SamplerKind.random, .buffer, .slope, .informationValue, .pof])
    func samplersDrawOnlyInsideTheStudyArea(_ sampler: SamplerKind) throws {
        let context = try #require(Self.context)
        let rings = try context.areaOutline()
        let dir = try TemporaryDirectory()
        var options = SampleRun.Options()
        options.sampler = sampler
        options.maximumSlopeDegrees = 10
        options.bufferMeters = 300
        let summary = try SampleRun.run(context, options: options, outputPath: dir.path("samples.csv"))
        #expect(summary.negatives > 0)
        let rows = try String(contentsOfFile: dir.path("samples.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let points = rows.map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(points.count == summary.landslides + summary.negatives)
        let outside = points.filter { !Self.inside($0[0], $0[1], rings: rings) }
        #expect(outside.isEmpty, "\(sampler.rawValue): \(outside.count) samples outside the study polygon")
    }

    @Test func mapsAndPOFHaveNoValueOutsideTheStudyArea() throws {
        let context = try #require(Self.context)
        let mask = try #require(try context.areaMask())
        // A GLM on two factors, coefficients by hand: any model's map is confined the same way.
        let model = TrainedModel(kind: .glm, factors: ["slope", "elevation"], means: [20, 2300], sds: [10, 200],
                                 settings: ModelSettings(), patch: 1, parameters: [[0.1, 0.5, -0.2]], batchNorm: [])
        let map = try MapRun.run(context, model: model)
        let outsideWithValue = mask.indices.filter { !mask[$0] && map.isValid(at: $0) }
        #expect(outsideWithValue.isEmpty, "\(outsideWithValue.count) map values outside the study area")
        #expect(mask.indices.contains { mask[$0] && map.isValid(at: $0) })
        // FORM runs only inside: the slope it is given is nodata outside.
        let ppm = try PPMRun.inputs(context)
        #expect(!mask.indices.contains { !mask[$0] && ppm.slope.isValid(at: $0) })
    }
}

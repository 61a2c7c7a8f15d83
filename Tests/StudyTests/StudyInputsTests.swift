import Foundation
import GeoRaster
import Testing
import TestSupport
@testable import StudyCore
@testable import Stages

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct StudyInputsTests {
    /// The figures ../shared/data/README.md gives for Loja.
    @Test func lojaSummaryMatchesTheDataDescription() throws {
        let config = try StudyConfig.load(TestPaths.lojaConfig, dataRoot: TestPaths.dataRoot.path)
        let info = try StudyInfo.gather(try StudyContext(config))
        #expect(info.dem.columns == 383 && info.dem.rows == 415)
        #expect(info.dem.epsg == 32717)
        #expect(info.dem.cellSizeM == 10)
        #expect(info.dem.validCells == 158_326)
        #expect(abs(info.dem.elevationMinM - 1711) < 1 && abs(info.dem.elevationMaxM - 3164) < 1)
        #expect(info.inventory.total == 175 && info.inventory.onValidCells == 175)
        #expect(info.inventory.outsideGrid == 0 && info.inventory.onNodata == 0)
        let evaluation = try #require(info.evaluationPoints)
        #expect(evaluation.landslides == 175 && evaluation.nonLandslides == 1_360)
        #expect(abs(try #require(info.studyArea).areaKm2 - 9.58) < 0.005)
        #expect(info.layers.count == 4 && info.layers.allSatisfy { $0.validCells == 158_326 })
    }

    @Test func allNodataDEMIsRejected() throws {
        let dir = try TemporaryDirectory()
        var dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        dem.values = [Float](repeating: -9999, count: dem.count)
        let path = dir.path("blank.tif")
        try RasterIO.writeGeoTIFF(dem, to: path)
        #expect(throws: GeoRasterError.allNodata(path: path)) { try StudyInputs.readDEM(path) }
    }

    @Test func inventoryWithNoPointInsideTheGridIsRejected() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("x,y\n500000,9000000\n500010,9000010\n", to: "far.csv")
        let config = try loadEdited { $0.replacingOccurrences(of: "path: loja/landslides.csv", with: "path: \(csv)") }
        #expect {
            try StudyInputs.load(config)
        } throws: { error in
            guard case GeoRasterError.noPointsOnGrid(let source, 2, _) = error else { return false }
            return source == csv
        }
    }

    @Test func misalignedLayerIsRejectedNamingBothFiles() throws {
        let dir = try TemporaryDirectory()
        var slope = try RasterIO.read(TestPaths.loja("slope.tif"), as: Float.self)
        slope.geoTransform.originY -= 10
        let path = dir.path("slope_shifted.tif")
        try RasterIO.writeGeoTIFF(slope, to: path)
        let config = try loadEdited { $0.replacingOccurrences(of: "loja/slope.tif", with: path) }
        #expect {
            try StudyInputs.load(config)
        } throws: { "\($0)".contains(path) && "\($0)".contains("dem.tif") }
    }

    @Test func evaluationLabelsMustBeBinary() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("x,y,lslpts\n713095.7674,9559335.8328,1\n714097.726935,9560426.759956,2\n", to: "labels.csv")
        let config = try loadEdited { $0.replacingOccurrences(of: "path: loja/points_rsaga_all.csv", with: "path: \(csv)") }
        #expect {
            try StudyInputs.load(config)
        } throws: { "\($0)".contains("row 2") && "\($0)".contains("expected 0 or 1") }
    }
}

import Foundation
import GeoRaster
import Testing
import TestSupport

/// `landslide evaluate` on points that leave a metric undefined (0/0): the metric is JSON `null`, never
/// the string "nan", and `undefined` and a warning on stderr say why.
@Suite struct EvaluateCommandTests {
    @Test func undefinedMetricsAreNullWithTheReason() throws {
        let dir = try TemporaryDirectory()
        let transform = GeoTransform(originX: 0, pixelWidth: 10, originY: 40, pixelHeight: -10)
        let scores = Grid<Float>(rows: 4, cols: 4, geoTransform: transform, crs: try CRS("EPSG:32717"), nodata: -9999,
                                 values: (0..<16).map { Float($0) / 16 })
        try RasterIO.writeGeoTIFF(scores, to: dir.path("scores.tif"))
        // Landslides only, all scored below the threshold: no AUC, no precision, no F1; recall 0.
        let csv = try dir.write("x,y,lslpts\n5,35,1\n15,35,1\n25,25,1\n", to: "points.csv")
        let r = try landslide(["evaluate", "--scores", dir.path("scores.tif"), "--points", csv, "--threshold", "0.9"])
        try #require(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.stdout.contains("\"nan\""))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["auc"] is NSNull)
        let confusion = try #require(json["confusion"] as? [String: Any])
        #expect(confusion["precision"] is NSNull && confusion["f1"] is NSNull)
        #expect(confusion["recall"] as? Double == 0 && confusion["accuracy"] as? Double == 0)
        let undefined = try #require(json["undefined"] as? [String: String])
        #expect(Set(undefined.keys) == ["auc", "precision", "f1"])
        #expect(undefined["auc"]?.contains("3 landslide and 0 non-landslide points") == true)
        #expect(r.stderr.contains("warning: auc is undefined (null)"))
    }

    /// Points off the grid or on nodata are dropped — with a warning that counts them, so a CRS or
    /// column mix-up that loses most points cannot pass unnoticed.
    @Test func droppedPointsAreCountedAloud() throws {
        let dir = try TemporaryDirectory()
        let transform = GeoTransform(originX: 0, pixelWidth: 10, originY: 40, pixelHeight: -10)
        var values = (0..<16).map { Float($0) / 16 }
        values[5] = -9999  // row 1, column 1: the cell around (15, 25)
        let scores = Grid<Float>(rows: 4, cols: 4, geoTransform: transform, crs: try CRS("EPSG:32717"), nodata: -9999,
                                 values: values)
        try RasterIO.writeGeoTIFF(scores, to: dir.path("scores.tif"))
        // Two on the grid (one of each class), one on the nodata cell, two outside.
        let csv = try dir.write("x,y,lslpts\n35,5,1\n5,35,0\n15,25,1\n55,5,0\n5,-20,1\n", to: "points.csv")
        let r = try landslide(["evaluate", "--scores", dir.path("scores.tif"), "--points", csv])
        try #require(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("warning: 3 of 5 points dropped (2 outside the grid, 1 on nodata cells of"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["dropped"] as? Int == 3 && json["auc"] as? Double == 1)
    }
}

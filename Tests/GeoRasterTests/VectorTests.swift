import Foundation
import Testing
import TestSupport
@testable import GeoRaster

/// Points through OGR: CSV, GeoJSON and GeoPackage copies of the Loja inventory (made by the peer,
/// `ogr2ogr`) give the same points and cells; an EPSG:4326 copy lands on the same cells.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct VectorTests {
    static let utm = "EPSG:32717"

    /// Converts the inventory CSV with ogr2ogr into `format`, optionally reprojecting.
    static func convert(to name: String, format: String, targetSRS: String? = nil, in dir: TemporaryDirectory,
                        extra: [String] = []) throws -> String {
        let out = dir.path(name)
        var args = ["-f", format, out, TestPaths.loja("landslides.csv"),
                    "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y"]
        args += targetSRS.map { ["-s_srs", utm, "-t_srs", $0] } ?? ["-a_srs", utm]
        let result = try runProcess("ogr2ogr", args + extra)
        try #require(result.status == 0, "ogr2ogr: \(result.stderr)")
        return out
    }

    func readCSV() throws -> PointSet {
        try VectorIO.readPoints(TestPaths.loja("landslides.csv"),
                                options: PointReadOptions(assumedCRS: try CRS(Self.utm)))
    }

    @Test func csvInventoryHas175PointsInUTM() throws {
        let points = try readCSV()
        #expect(points.count == 175)
        #expect(points.crs?.epsg == 32717)
        #expect(points.attributes["lslpts"]?.allSatisfy { $0 == "1" } == true)
        #expect(abs(points.points[0].x - 713_095.7674) < 1e-9 && abs(points.points[0].y - 9_559_335.8328) < 1e-9)
    }

    @Test(arguments: [("inventory.geojson", "GeoJSON"), ("inventory.gpkg", "GPKG"), ("inventory.shp", "ESRI Shapefile")])
    func otherFormatsGiveTheSamePoints(name: String, format: String) throws {
        let dir = try TemporaryDirectory()
        let path = try Self.convert(to: name, format: format, in: dir)
        let csv = try readCSV()
        let other = try VectorIO.readPoints(path)
        #expect(other.crs?.epsg == 32717, "the CRS travels with the file")
        #expect(other.count == csv.count)
        for (a, b) in zip(csv.points, other.points) {
            #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6)
        }
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        #expect(try dem.locate(other, policy: .error).cellIndices == dem.locate(csv, policy: .error).cellIndices)
    }

    /// The same points in geographic coordinates (lon/lat, EPSG:4326) are reprojected back to UTM on
    /// reading and fall in exactly the same cells.
    @Test func geographicCopyLandsOnTheSameCells() throws {
        let dir = try TemporaryDirectory()
        let geojson = try Self.convert(to: "wgs84.geojson", format: "GeoJSON", targetSRS: "EPSG:4326", in: dir,
                                       extra: ["-lco", "COORDINATE_PRECISION=12"])
        let geographic = try VectorIO.readPoints(geojson)
        #expect(geographic.crs?.epsg == 4326)
        #expect(geographic.points.allSatisfy { (-80...(-78)).contains($0.x) && (-5...(-3)).contains($0.y) },
                "x is longitude, y latitude (traditional GIS order)")
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let utm = try dem.locate(try readCSV(), policy: .error)
        let fromGeographic = try dem.locate(geographic, policy: .error)
        #expect(fromGeographic.cellIndices == utm.cellIndices)

        // A CSV of lon/lat with the CRS given by the caller does the same.
        let csv = dir.path("wgs84.csv")
        let result = try runProcess("ogr2ogr", ["-f", "CSV", csv, geojson, "-lco", "GEOMETRY=AS_XY"])
        try #require(result.status == 0, "\(result.stderr)")
        let lonLat = try VectorIO.readPoints(csv, options: PointReadOptions(xColumn: "X", yColumn: "Y",
                                                                             assumedCRS: try CRS("EPSG:4326")))
        #expect(try dem.locate(lonLat, policy: .error).cellIndices == utm.cellIndices)
    }

    @Test func offGridPointsAreCountedOrRejected() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("""
            x,y,lslpts
            713095.7674,9559335.8328,1
            600000,9559335,1
            714097.726935,9560426.759956,0
            """, to: "mixed.csv")
        let points = try VectorIO.readPoints(csv, options: PointReadOptions(assumedCRS: try CRS(Self.utm)))
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let kept = try dem.locate(points, policy: .drop)
        #expect(kept.inside == 2 && kept.outside == 1 && kept.pointIndices == [0, 2])
        #expect(throws: GeoRasterError.pointsNotOnGrid(source: csv, outside: 1, onNodata: 0, total: 3)) {
            try dem.locate(points, policy: .error)
        }
        let away = try dir.write("x,y\n600000,9559335\n0,0\n", to: "away.csv")
        let none = try VectorIO.readPoints(away, options: PointReadOptions(assumedCRS: try CRS(Self.utm)))
        #expect(throws: GeoRasterError.noPointsOnGrid(source: away, total: 2, grid: "the grid")) {
            try dem.locate(none, policy: .drop)
        }
    }

    @Test func missingCoordinateColumnIsNamed() throws {
        #expect {
            try VectorIO.readPoints(TestPaths.loja("landslides.csv"), options: PointReadOptions(xColumn: "easting"))
        } throws: { "\($0)".contains("no column 'easting'") }
    }

    /// A CSV whose header names a column twice (`id,x,y,lslpts,x`) is refused with the column named,
    /// not a crash.
    @Test func duplicatedColumnNameIsAnError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("id,x,y,lslpts,x\n1,713000,9558000,1,713000\n", to: "dup.csv")
        #expect {
            try VectorIO.readPoints(path, options: PointReadOptions(assumedCRS: try CRS(Self.utm)))
        } throws: { "\($0)".contains("column 'x' appears twice") }
    }

    /// The study-area polygon: 9.58 km² (../shared/data/README.md), and its mask on the DEM grid equals
    /// `gdal_rasterize`'s (cell-centre rule) cell for cell.
    @Test func studyAreaRasterizesLikeGdalRasterize() throws {
        let area = try VectorIO.readPolygons(TestPaths.loja("study_area.geojson"))
        #expect(area.crs?.epsg == 32717)
        #expect(abs(area.area / 1e6 - 9.58) < 0.005)

        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let ours = try dem.rasterMask(of: area)

        let dir = try TemporaryDirectory()
        let peer = dir.path("peer.tif")
        let t = dem.geoTransform
        let xmax = t.originX + Double(dem.cols) * t.pixelWidth, ymin = t.originY + Double(dem.rows) * t.pixelHeight
        let result = try runProcess("gdal_rasterize", [
            "-burn", "1", "-ot", "Byte", "-init", "0", "-te", "\(t.originX)", "\(ymin)", "\(xmax)", "\(t.originY)",
            "-ts", "\(dem.cols)", "\(dem.rows)", TestPaths.loja("study_area.geojson"), peer,
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let theirs = try RasterIO.read(peer, as: UInt8.self)
        let differing = zip(ours.values, theirs.values).filter { $0 != $1 }.count
        #expect(ours.values.reduce(0) { $0 + Int($1) } > 90_000)
        #expect(differing == 0)
    }
}

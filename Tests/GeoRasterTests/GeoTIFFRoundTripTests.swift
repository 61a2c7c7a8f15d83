import Foundation
import Testing
import TestSupport
@testable import GeoRaster

/// GeoTIFF write → read preserves values, nodata, geotransform and CRS; `gdalinfo` (the peer) sees
/// the same georeferencing, tiling, compression and metadata.
@Suite struct GeoTIFFRoundTripTests {
    static let transform = GeoTransform(originX: 711_962.726935, pixelWidth: 10, originY: 9_561_011.759956,
                                        pixelHeight: -10)

    /// A 7 × 5 grid with a nodata cell and values that exercise the type's range.
    static func sample<T: RasterScalar>(_ make: (Int) -> T, nodata: T) throws -> Grid<T> {
        var grid = Grid(rows: 7, cols: 5, geoTransform: transform, crs: try CRS(epsg: 32717), nodata: nodata,
                        values: (0..<35).map(make))
        grid[3, 2] = nodata
        return grid
    }

    func roundTrip<T: RasterScalar>(_ grid: Grid<T>) throws -> Grid<T> {
        let dir = try TemporaryDirectory()
        let path = dir.path("grid.tif")
        try RasterIO.writeGeoTIFF(grid, to: path, metadata: ["LANDSLIDE_SEED": "7"], bandDescription: "test")
        #expect(try dir.contents() == ["grid.tif"], "no temporary file is left beside the output")
        return try RasterIO.read(path, as: T.self)
    }

    func expectSame<T: RasterScalar>(_ a: Grid<T>, _ b: Grid<T>) {
        #expect(a.rows == b.rows && a.cols == b.cols)
        #expect(a.values == b.values)
        #expect(a.nodata == b.nodata)
        #expect(a.geoTransform == b.geoTransform)
        #expect(b.crs?.epsg == 32717)
        #expect(a.validCount == b.validCount)
    }

    @Test func float32() throws {
        let g = try Self.sample({ Float($0) * 1.25 - 3.5 }, nodata: -9999)
        expectSame(g, try roundTrip(g))
    }

    @Test func float64() throws {
        let g = try Self.sample({ Double($0) / 3 + 1e-12 }, nodata: -1e30)
        expectSame(g, try roundTrip(g))
    }

    @Test func int32() throws {
        let g = try Self.sample({ Int32($0 * 1_000_003 - 17_000_000) }, nodata: Int32.min)
        expectSame(g, try roundTrip(g))
    }

    @Test func uint8() throws {
        let g = try Self.sample({ UInt8($0 * 7 % 250) }, nodata: 255)
        expectSame(g, try roundTrip(g))
    }

    @Test func nanIsNodataInFloatGrids() throws {
        var g = try Self.sample({ Float($0) }, nodata: -9999)
        g[0, 0] = .nan
        let back = try roundTrip(g)
        #expect(back.validCount == 33)
        #expect(back[0, 0].isNaN)
    }

    @Test func gdalinfoSeesWhatWasWritten() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("peer.tif")
        let grid = try Self.sample({ Float($0) }, nodata: -9999)
        try RasterIO.writeGeoTIFF(grid, to: path, metadata: ["LANDSLIDE_GIT_COMMIT": "abc123"],
                                  bandDescription: "elev_m")
        let result = try runProcess("gdalinfo", ["-json", path])
        try #require(result.status == 0, "gdalinfo failed: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["size"] as? [Int] == [5, 7])
        // gdalinfo prints 16 significant digits; the coefficients agree to far below a millimetre.
        let peerTransform = try #require(json["geoTransform"] as? [Double])
        #expect(zip(peerTransform, Self.transform.gdalCoefficients).allSatisfy { abs($0 - $1) < 1e-6 })
        let metadata = try #require(json["metadata"] as? [String: [String: String]])
        #expect(metadata[""]?["LANDSLIDE_GIT_COMMIT"] == "abc123")
        #expect(metadata["IMAGE_STRUCTURE"]?["COMPRESSION"] == "DEFLATE")
        let bands = try #require(json["bands"] as? [[String: Any]])
        #expect(bands[0]["noDataValue"] as? Double == -9999)
        #expect(bands[0]["description"] as? String == "elev_m")
        #expect(bands[0]["block"] as? [Int] == [256, 256], "tiled, 256 × 256 blocks")
        let wkt = try #require((json["coordinateSystem"] as? [String: Any])?["wkt"] as? String)
        #expect(wkt.contains("ID[\"EPSG\",32717]"))
    }

    @Test func writeIntoMissingDirectoryFailsAndLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let grid = try Self.sample({ Float($0) }, nodata: -9999)
        #expect(throws: GeoRasterError.self) {
            try RasterIO.writeGeoTIFF(grid, to: dir.path("missing/out.tif"))
        }
        #expect(try dir.contents().isEmpty)
    }

    @Test func overwriteReplacesTheWholeFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.tif")
        try RasterIO.writeGeoTIFF(try Self.sample({ Float($0) }, nodata: -9999), to: path)
        let second = try Self.sample({ Float(100 - $0) }, nodata: -9999)
        try RasterIO.writeGeoTIFF(second, to: path)
        #expect(try RasterIO.read(path, as: Float.self).values == second.values)
        #expect(try dir.contents() == ["out.tif"])
    }
}

/// A south-up file (rows stored south to north, positive pixel height) is read as the north-up grid
/// it equals: same cells at the same coordinates, whole or through a window. GDAL's own reading of
/// the south-up file (gdallocationinfo at a coordinate) is the peer.
@Suite struct SouthUpRasterTests {
    /// The north-up sample and its mirror: rows reversed, origin at the south edge, pixel height +10.
    static func pair() throws -> (northUp: Grid<Float>, southUp: Grid<Float>) {
        let north = try GeoTIFFRoundTripTests.sample({ Float($0 * $0 % 17) + 0.5 }, nodata: -9999)
        let t = north.geoTransform
        var mirrored = [Float]()
        for r in stride(from: north.rows - 1, through: 0, by: -1) {
            for c in 0..<north.cols { mirrored.append(north[r, c]) }
        }
        let south = Grid(rows: north.rows, cols: north.cols,
                         geoTransform: GeoTransform(originX: t.originX, pixelWidth: t.pixelWidth,
                                                    originY: t.originY + Double(north.rows) * t.pixelHeight,
                                                    pixelHeight: -t.pixelHeight),
                         crs: north.crs, nodata: north.nodata, values: mirrored)
        return (north, south)
    }

    @Test func readsAsTheNorthUpGrid() throws {
        let (north, south) = try Self.pair()
        let dir = try TemporaryDirectory()
        try RasterIO.writeGeoTIFF(south, to: dir.path("south.tif"))
        let info = try RasterIO.info(dir.path("south.tif"))
        #expect(info.storedSouthUp)
        #expect(info.geoTransform == north.geoTransform)
        let read = try RasterIO.read(dir.path("south.tif"), as: Float.self)
        #expect(read.values == north.values)
        #expect(read.geoTransform == north.geoTransform)
        let window = RasterWindow(row: 2, col: 1, rows: 3, cols: 4)
        let part = try RasterIO.read(dir.path("south.tif"), as: Float.self, window: window)
        let expected = try RasterIO.read(try Self.written(north, in: dir), as: Float.self, window: window)
        #expect(part.values == expected.values)
        #expect(part.geoTransform == expected.geoTransform)
    }

    @Test func gdalAgreesOnTheCellAtACoordinate() throws {
        let (north, south) = try Self.pair()
        let dir = try TemporaryDirectory()
        try RasterIO.writeGeoTIFF(south, to: dir.path("south.tif"))
        let read = try RasterIO.read(dir.path("south.tif"), as: Float.self)
        for (r, c) in [(0, 0), (1, 3), (6, 4), (4, 2)] {
            let (x, y) = north.geoTransform.cellCenter(row: r, col: c)
            let gdal = try runProcess("gdallocationinfo", ["-valonly", "-geoloc", dir.path("south.tif"), "\(x)", "\(y)"])
            #expect(Float(gdal.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == read[r, c],
                    "cell (\(r), \(c)) at (\(x), \(y))")
        }
    }

    static func written(_ grid: Grid<Float>, in dir: TemporaryDirectory) throws -> String {
        try RasterIO.writeGeoTIFF(grid, to: dir.path("north.tif"))
        return dir.path("north.tif")
    }
}

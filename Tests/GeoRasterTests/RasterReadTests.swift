import Foundation
import Testing
import TestSupport
@testable import GeoRaster

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct RasterReadTests {
    /// Loja's DEM as described in ../shared/data/README.md.
    @Test func lojaDEMHeader() throws {
        let info = try RasterIO.info(TestPaths.loja("dem.tif"))
        #expect(info.cols == 383 && info.rows == 415)
        #expect(info.crs?.epsg == 32717)
        #expect(info.geoTransform.squareCellSize == 10)
        #expect(info.nodata == -9999)
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        #expect(dem.validCount == 158_326)
        let range = try #require(dem.validRange)
        #expect(abs(range.lowerBound - 1711.204) < 1e-3 && abs(range.upperBound - 3164.165) < 1e-3)
    }

    /// A windowed read equals the same slice of a whole read, values and georeferencing, at the
    /// corners, the edges and inside.
    @Test(arguments: [
        RasterWindow(row: 0, col: 0, rows: 1, cols: 1),
        RasterWindow(row: 0, col: 0, rows: 415, cols: 383),
        RasterWindow(row: 100, col: 37, rows: 64, cols: 129),
        RasterWindow(row: 414, col: 382, rows: 1, cols: 1),
        RasterWindow(row: 350, col: 0, rows: 65, cols: 17),
        RasterWindow(row: 0, col: 300, rows: 3, cols: 83),
    ])
    func windowedReadEqualsSlice(window: RasterWindow) throws {
        let path = TestPaths.loja("dem.tif")
        let whole = try RasterIO.read(path, as: Float.self)
        let part = try RasterIO.read(path, as: Float.self, window: window)
        let slice = whole.slice(window)
        #expect(part.values == slice.values)
        #expect(part.geoTransform == slice.geoTransform)
        #expect(part.nodata == whole.nodata)
        let centre = part.geoTransform.cellCenter(row: 0, col: 0)
        #expect(whole.cell(containingX: centre.x, y: centre.y)! == (window.row, window.col))
    }

    @Test func windowOutsideTheRasterIsAnError() throws {
        #expect(throws: GeoRasterError.self) {
            try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self,
                              window: RasterWindow(row: 400, col: 0, rows: 20, cols: 10))
        }
    }

    @Test func missingFileIsFileNotFound() {
        #expect(throws: GeoRasterError.fileNotFound(path: "/nonexistent/dem.tif")) {
            try RasterIO.info("/nonexistent/dem.tif")
        }
    }

    @Test func textFileIsNotARaster() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("this is not a raster\n", to: "dem.tif")
        do {
            _ = try RasterIO.info(path)
            Issue.record("a text file was read as a raster")
        } catch let error as GeoRasterError {
            guard case .notARaster(let p, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == path)
            #expect(!error.description.contains("\n"), "one-line message")
        }
    }

    /// Each layer shipped with Loja is aligned with its DEM; a shifted copy is not, and the error
    /// names both files and the difference.
    @Test func alignmentChecks() throws {
        let dem = try RasterIO.info(TestPaths.loja("dem.tif"))
        for layer in ["slope.tif", "cplan.tif", "cprof.tif", "log10_carea.tif"] {
            try RasterAlignment.check(try RasterIO.info(TestPaths.loja(layer)), against: dem)
        }
        let dir = try TemporaryDirectory()
        var shifted = try RasterIO.read(TestPaths.loja("slope.tif"), as: Float.self)
        shifted.geoTransform.originX += 5
        let path = dir.path("shifted.tif")
        try RasterIO.writeGeoTIFF(shifted, to: path)
        #expect {
            try RasterAlignment.check(try RasterIO.info(path), against: dem)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains(dem.path) && text.contains("origin")
        }
        let stack = try RasterStack<Float>.read([("dem", TestPaths.loja("dem.tif")), ("slope", TestPaths.loja("slope.tif"))])
        #expect(stack.names == ["dem", "slope"])
        #expect(throws: GeoRasterError.self) {
            try RasterStack<Float>.read([("dem", TestPaths.loja("dem.tif")), ("shifted", path)])
        }
    }

    @Test func nonPositiveCellSizeIsRejected() throws {
        let dir = try TemporaryDirectory()
        let grid = Grid<Float>(rows: 3, cols: 3, repeating: 1,
                               geoTransform: GeoTransform(originX: 0, pixelWidth: -10, originY: 0, pixelHeight: -10),
                               crs: try CRS(epsg: 32717))
        let path = dir.path("negative.tif")
        try RasterIO.writeGeoTIFF(grid, to: path)
        #expect {
            try RasterIO.info(path).requireGeoreferenced()
        } throws: { "\($0)".contains("cell size") && "\($0)".contains(path) }
    }
}

@Suite struct GeoTransformTests {
    let t = GeoTransform(originX: 1000, pixelWidth: 10, originY: 5000, pixelHeight: -10)

    @Test func pixelIsTheInverseOfMap() {
        for (col, row) in [(0.0, 0.0), (3.5, 7.25), (-2, 11)] {
            let (x, y) = t.map(col: col, row: row)
            let p = t.pixel(x: x, y: y)!
            #expect(abs(p.col - col) < 1e-12 && abs(p.row - row) < 1e-12)
        }
    }

    @Test func cellLookupUsesTheFloorRule() {
        let grid = Grid<Float>(rows: 4, cols: 4, repeating: 0, geoTransform: t)
        #expect(grid.cell(containingX: 1000, y: 5000)! == (0, 0))
        #expect(grid.cell(containingX: 1010, y: 4990)! == (1, 1), "a shared corner belongs to the cell right/below")
        #expect(grid.cell(containingX: 1039.999, y: 4960.001)! == (3, 3))
        #expect(grid.cell(containingX: 1040, y: 4990) == nil)
        #expect(grid.cell(containingX: 999.999, y: 4990) == nil)
    }
}

/// ``MemoryGuard``: the limit a user sets wins, and a grid whose estimate exceeds what is available is
/// refused with both figures; one that fits passes.
@Suite struct MemoryGuardTests {
    @Test func userLimitIsRead() {
        #expect(MemoryGuard.availableBytes(environment: ["LANDSLIDE_MEMORY_LIMIT_MB": "64"]) == 64 << 20)
        // Without it, this Linux machine reports its MemAvailable: more than nothing.
        #expect((MemoryGuard.availableBytes(environment: [:]) ?? 0) > 0)
    }

    @Test func refusesWhatDoesNotFit() throws {
        #expect(throws: Never.self) {
            try MemoryGuard.require(rows: 100, cols: 100, bytesPerCell: 100, path: "a.tif", work: "terrain", available: 1_000_000)
        }
        do {
            try MemoryGuard.require(rows: 1000, cols: 2000, bytesPerCell: 110, path: "a.tif", work: "terrain", available: 100_000_000)
            Issue.record("220 MB needed, 100 MB available: expected a refusal")
        } catch let error as GeoRasterError {
            let text = "\(error)"
            #expect(text.contains("a.tif: 2000 × 1000 cells; terrain needs about 220 MB"), "\(text)")
            #expect(text.contains("this machine has 100 MB available"), "\(text)")
        }
        // Sizes whose product overflows are refused, not wrapped around.
        #expect(throws: GeoRasterError.self) {
            try MemoryGuard.require(rows: Int.max / 2, cols: 4, bytesPerCell: 8, path: "a.tif", work: "x", available: 1 << 40)
        }
    }
}

import Foundation
import GeoRaster
import Testing
import TestSupport

/// Issue G4: a map computed as N tiles (`--tile i/N`, bands of rows) and put together by `gdalbuildvrt`
/// equals the whole-map run cell for cell — every value bit for bit, every nodata cell where it was, the
/// same georeferencing — for terrain, the PPM's maps and a patch-CNN map, on the twin and on Loja.
/// (`make test-slurm` runs the same tiles as a Slurm array job.)
@Suite(.serialized)
struct TileTests {
    static func binary(_ name: String) -> String { TestPaths.repositoryRoot.appendingPathComponent(".build/release/\(name)").path }

    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let r = try runProcess(program, arguments, environment: environment, currentDirectory: TestPaths.repositoryRoot)
        try #require(r.status == 0, "\(program) \(arguments.joined(separator: " ")) failed: \(r.stderr.suffix(800))")
        return r
    }

    /// The raster at `mosaic` equals the one at `whole` exactly: shape, georeferencing, nodata and values.
    static func expectIdentical(_ whole: String, _ mosaic: String) throws {
        let a = try RasterIO.read(whole, as: Double.self), b = try RasterIO.read(mosaic, as: Double.self)
        try #require(a.rows == b.rows && a.cols == b.cols, "\(mosaic): \(b.cols) × \(b.rows), whole map \(a.cols) × \(a.rows)")
        #expect(a.geoTransform.isAligned(with: b.geoTransform, cellTolerance: 1e-9), "\(mosaic): \(b.geoTransform) vs \(a.geoTransform)")
        var differing = 0, firstDifference: Int?
        for i in 0..<a.count {
            let same = a.isValid(at: i) == b.isValid(at: i) && (!a.isValid(at: i) || a.values[i].bitPattern == b.values[i].bitPattern)
            if !same { differing += 1; firstDifference = firstDifference ?? i }
        }
        #expect(differing == 0, "\(mosaic): \(differing) cells differ from \(whole), the first at row \((firstDifference ?? 0) / a.cols)")
    }

    /// Runs `landslide <command> STUDY ARGS` whole and as `tiles` tiles (scripts/tiles.sh, here), and
    /// compares every layer's mosaic with the whole map.
    static func expectTilesEqualWhole(_ command: String, study: String, _ arguments: [String], layers: [String],
                                      tiles: Int = 4, in dir: TemporaryDirectory) throws {
        let whole = dir.path("\(command)-whole"), tiled = dir.path("\(command)-tiled")
        let wholeOut = command == "map" ? whole + ".tif" : whole
        try run(binary("landslide"), [command, study] + arguments + ["--out", wholeOut])
        try run("/bin/bash", ["scripts/tiles.sh", "--tiles", String(tiles), tiled, "--", binary("landslide"), command, study] + arguments)
        for layer in layers {
            try expectIdentical(command == "map" ? wholeOut : "\(whole)/\(layer).tif", "\(tiled)/\(layer).vrt")
        }
        // Each tile is a band of whole rows: tile 1 starts at the top row, and the heights add up.
        let first = command == "map" ? "\(tiled)/tiles/1.tif" : "\(tiled)/tiles/1/\(layers[0]).tif"
        let wholeInfo = try RasterIO.info(wholeOut == whole ? "\(whole)/\(layers[0]).tif" : wholeOut)
        let heights = try (1...tiles).map { i in
            try RasterIO.info(command == "map" ? "\(tiled)/tiles/\(i).tif" : "\(tiled)/tiles/\(i)/\(layers[0]).tif").rows
        }
        #expect(heights.reduce(0, +) == wholeInfo.rows && heights.max()! - heights.min()! <= 1, "tile heights \(heights)")
        #expect(try RasterIO.info(first).geoTransform.originY == wholeInfo.geoTransform.originY)
    }

    static let terrainLayers = ["slope", "aspect", "d8", "accumulation", "twi", "stream_distance", "soil_depth", "relief", "plan_curvature"]
    static let ppmLayers = ["pof", "beta", "fos", "status", "wetting_front", "runoff", "design_cohesion_kPa"]

    static func expectAllStagesTile(study: String, in dir: TemporaryDirectory) throws {
        try expectTilesEqualWhole("terrain", study: study, [], layers: terrainLayers, in: dir)
        try expectTilesEqualWhole("ppm", study: study, ["--check-cells", "0"], layers: ppmLayers, in: dir)
        // A small patch CNN (Study A's 17 × 17 patch and five channels), trained briefly: the map's
        // equality does not depend on how good the model is.
        let model = dir.path("cnn.json")
        try run(binary("landslide"), ["train", study, "--model", "patch-cnn", "--epochs", "1", "--channels", "4",
                                      "--save-model", model])
        try expectTilesEqualWhole("map", study: study, ["--model", model], layers: ["map"], in: dir)
    }

    @Test func tilesEqualTheWholeMapOnTheTwin() throws {
        let dir = try TemporaryDirectory()
        try Self.run(Self.binary("landslide"), ["twin", "--out", dir.path("twin")])
        try Self.expectAllStagesTile(study: dir.path("twin/twin.yaml"), in: dir)
    }

    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func tilesEqualTheWholeMapOnLoja() throws {
        let dir = try TemporaryDirectory()
        try Self.expectAllStagesTile(study: TestPaths.lojaConfig, in: dir)
    }

    /// Uneven bands: 7 tiles of Loja's 415 rows are 59 or 60 rows high, and still equal the whole map.
    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func unevenTilesEqualTheWholeMap() throws {
        let dir = try TemporaryDirectory()
        try Self.expectTilesEqualWhole("ppm", study: TestPaths.lojaConfig, ["--check-cells", "0"], layers: ["pof"], tiles: 7, in: dir)
    }

    @Test func badTileIsAUsageError() throws {
        for bad in ["0/4", "5/4", "2", "a/b", "1/0"] {
            let r = try runProcess(Self.binary("landslide"), ["ppm", "x.yaml", "--tile", bad, "--out", "/tmp/never"],
                                   currentDirectory: TestPaths.repositoryRoot)
            #expect(r.status != 0 && r.stderr.contains("--tile") && r.stderr.contains("i/N"), "--tile \(bad): \(r.stderr)")
        }
    }

    @Test func tileSplitCoversEveryRowOnce() throws {
        for (rows, n) in [(415, 4), (415, 7), (10, 10), (3, 1), (1000, 13)] {
            let bands = try (1...n).map { try RasterTile(index: $0, count: n).rows(of: rows) }
            #expect(bands.first?.lowerBound == 0 && bands.last?.upperBound == rows)
            #expect(zip(bands, bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(bands.map(\.count).max()! - bands.map(\.count).min()! <= 1)
        }
        #expect(throws: RasterTileError.self) { try RasterTile(parsing: "5/4") }
        #expect(try RasterTile(parsing: "2/4") == RasterTile(index: 2, count: 4))
    }
}

import Foundation
import GeoRaster
import StudyCore
import Terrain

/// What `landslide terrain` reports beside its layers (`terrain.json`).
public struct TerrainSummary: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public var stage: String
        public var seconds: Double
    }

    public var dem: String
    public var columns: Int
    public var rows: Int
    public var validCells: Int
    public var cellSizeM: Double
    public var edges: String
    public var windowCells: Int
    public var streamThresholdM2: Double
    /// Cells raised by depression filling, and the largest raise (m).
    public var cellsFilled: Int
    public var maxFillDepthM: Double
    /// D8 network checks: outlets, interior sinks (0 after filling), flat cells routed.
    public var outlets: Int
    public var sinks: Int
    public var flatCellsResolved: Int
    /// Sum of accumulation over outlets; equals `validCells` when every cell reaches an outlet.
    public var accumulationAtOutlets: Int
    public var streamCells: Int
    public var layers: [String]
    public var stages: [Stage]
    /// With `--tile i/N`: the tile and its rows (first, count) in the whole grid. The checks above are
    /// the whole basin's (hydrology runs on the whole grid in every tile).
    public var tile: String?
    public var tileRows: [Int]?
}

/// Runs the terrain pipeline on a DEM and writes every layer, all-or-nothing.
///
/// With a tile (`--tile i/N`) it writes the tile's band of rows of every layer, georeferenced where the
/// band lies, so `gdalbuildvrt` puts the N tiles together into the whole map. Depression filling, D8
/// routing, accumulation, distance to streams and the Z-model soil depth are not local — a cell's value
/// depends on the whole basin upslope or on the whole grid — so every tile runs them on the whole grid
/// (they are linear in the cells: seconds on Loja); the band is cut from that pass, and its 3 × 3 and
/// window operators see their neighbours across the band's edges. Each tile therefore equals the whole
/// map's rows exactly; what tiles divide is the per-cell work of `landslide ppm` and `landslide map`.
/// A terrain option that does not suit the DEM it is given.
public struct TerrainRunError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum TerrainRun {
    /// Peak memory a DEM cell costs `landslide terrain`, bytes: measured on Loja resampled to 2.5 m
    /// (1,532 × 1,660 cells) at 330 MB against 64 MB for the bare process, 105 bytes a cell; rounded up.
    public static let bytesPerCell = 110

    public static func run(demPath: String, options: TerrainOptions, outputPath: String, provenance: Provenance,
                           tile: RasterTile? = nil, progress: (String) -> Void) throws -> TerrainSummary {
        let dem = try StudyInputs.readDEM(demPath, bytesPerCell: bytesPerCell, work: "terrain")
        progress("terrain: \(demPath): \(dem.cols) × \(dem.rows) cells, \(dem.validCount) valid")
        let widest = max(dem.rows, dem.cols), widestOdd = widest % 2 == 1 ? widest : widest - 1
        guard options.windowCells <= widestOdd else {
            throw TerrainRunError("--window-cells \(options.windowCells) is wider than \(demPath) (\(dem.cols) × \(dem.rows) cells); "
                                  + "expected an odd side of at most \(widestOdd)")
        }
        if let tile {
            guard tile.fits(rows: dem.rows) else {
                throw RasterTileError("--tile \(tile): \(demPath) has only \(dem.rows) rows; use at most \(dem.rows) tiles")
            }
            let band = tile.rows(of: dem.rows)
            progress("terrain: tile \(tile): rows \(band.lowerBound)–\(band.upperBound - 1) (whole-grid hydrology, band written)")
        }
        let products = try TerrainProducts.compute(dem, options: options, progress: progress)
        let output = try OutputDirectory(outputPath)
        var names: [String] = []
        for (spec, layer) in products.layers {
            let (file, description) = ("\(spec.name).tif", spec.description)
            switch layer {
            case let .float(grid): try output.writeGeoTIFF(grid.slice(tile), name: file, provenance: provenance, description: description)
            case let .uint8(grid): try output.writeGeoTIFF(grid.slice(tile), name: file, provenance: provenance, description: description)
            case let .int32(grid): try output.writeGeoTIFF(grid.slice(tile), name: file, provenance: provenance, description: description)
            }
            names.append(file)
        }
        var filledCells = 0
        var maxRaise = 0.0
        for i in 0..<dem.count where dem.isValid(at: i) {
            let raise = Double(products.filled.values[i]) - Double(dem.values[i])
            if raise > 0 {
                filledCells += 1
                maxRaise = max(maxRaise, raise)
            }
        }
        let directions = products.routing.directions
        var atOutlets = 0
        for i in 0..<dem.count where directions.codes.values[i] == D8.outlet {
            atOutlets += Int(products.accumulationCells.values[i])
        }
        let summary = TerrainSummary(
            dem: demPath, columns: dem.cols, rows: dem.rows, validCells: dem.validCount,
            cellSizeM: abs(dem.geoTransform.pixelWidth), edges: options.edges.rawValue,
            windowCells: options.windowCells, streamThresholdM2: options.streamThresholdSquareMeters,
            cellsFilled: filledCells, maxFillDepthM: maxRaise, outlets: directions.outlets, sinks: directions.sinks,
            flatCellsResolved: directions.flatCellsResolved, accumulationAtOutlets: atOutlets,
            streamCells: products.streams.values.filter { $0 == 1 }.count, layers: names,
            stages: products.timings.map { TerrainSummary.Stage(stage: $0.stage, seconds: RecordedTime.recorded($0.seconds)) },
            tile: tile?.description, tileRows: tile.map { [$0.rows(of: dem.rows).lowerBound, $0.rows(of: dem.rows).count] })
        try ResultsDocument(provenance: provenance, results: summary).write(to: output.stagedPath("terrain.json"))
        try output.commit()
        return summary
    }
}

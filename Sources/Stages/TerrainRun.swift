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
}

/// Runs the terrain pipeline on a DEM and writes every layer, all-or-nothing.
public enum TerrainRun {
    public static func run(demPath: String, options: TerrainOptions, outputPath: String, provenance: Provenance,
                           progress: (String) -> Void) throws -> TerrainSummary {
        let dem = try StudyInputs.readDEM(demPath)
        progress("terrain: \(demPath): \(dem.cols) × \(dem.rows) cells, \(dem.validCount) valid")
        let products = try TerrainProducts.compute(dem, options: options, progress: progress)
        let output = try OutputDirectory(outputPath)
        var names: [String] = []
        for (spec, layer) in products.layers {
            let (file, description) = ("\(spec.name).tif", spec.description)
            switch layer {
            case let .float(grid): try output.writeGeoTIFF(grid, name: file, provenance: provenance, description: description)
            case let .uint8(grid): try output.writeGeoTIFF(grid, name: file, provenance: provenance, description: description)
            case let .int32(grid): try output.writeGeoTIFF(grid, name: file, provenance: provenance, description: description)
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
            stages: products.timings.map { TerrainSummary.Stage(stage: $0.stage, seconds: $0.seconds) })
        try ResultsDocument(provenance: provenance, results: summary).write(to: output.stagedPath("terrain.json"))
        try output.commit()
        return summary
    }
}

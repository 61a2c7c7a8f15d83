import ArgumentParser
import Foundation
import GeoRaster
import Stages
import StudyCore
import Terrain

extension EdgeMode: ExpressibleByArgument {}

struct TerrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terrain",
        abstract: "Derive terrain and hydrology layers from a DEM and write each as a GeoTIFF.",
        discussion: """
            Writes filled.tif, slope.tif (degrees), aspect.tif, d8.tif, accumulation.tif, \
            specific_catchment_area.tif, log10_catchment_area.tif, twi.tif, spi.tif, tpi.tif, roughness.tif, plan_curvature.tif, \
            profile_curvature.tif, relief.tif, incision.tif, elevation_cov.tif, streams.tif, \
            stream_distance.tif, soil_depth.tif and terrain.json (checks, timings, provenance) into --out. \
            Slope, aspect, TPI and roughness follow gdaldem's definitions; hydrology runs on the \
            depression-filled DEM. Give a study config, or --dem for a bare DEM.
            """)

    @Argument(help: "A study configuration (YAML); its DEM and soil-depth model are used.")
    var study: String?

    @Option(help: "A DEM GeoTIFF, instead of a study.")
    var dem: String?

    @Option(name: .customLong("data-root"), help: "Data root for the study's paths (see `landslide info --help`).")
    var dataRoot: String?

    @Option(help: "Output folder (created; files in it are replaced).")
    var out: String

    @Option(help: "3 × 3 operators at incomplete windows: nodata (as gdaldem) or extrapolate.")
    var edges: EdgeMode = .extrapolate

    @Option(name: .customLong("window-cells"), help: "Window side (odd, cells) for relief, incision and elevation COV.")
    var windowCells: Int = 9

    @Option(name: .customLong("stream-threshold-m2"), help: "Contributing area (m²) that makes a stream cell.")
    var streamThresholdM2: Double = 100_000

    @Option(name: .customLong("soil-min-m"), help: "Z-model minimum soil depth (m) with --dem (a study uses its own).")
    var soilMinM: Double = 0.1

    @Option(name: .customLong("soil-max-m"), help: "Z-model maximum soil depth (m) with --dem (a study uses its own).")
    var soilMaxM: Double = 3.0

    @Option(help: ArgumentHelp("""
        Write only tile i of N: a band of whole rows (rows ⌊(i−1)R/N⌋ ..< ⌊iR/N⌋), georeferenced where it lies; \
        `gdalbuildvrt` puts the N tiles together. Hydrology runs on the whole grid in every tile.
        """, valueName: "i/N"), transform: { try RasterTile(parsing: $0) })
    var tile: RasterTile?

    func validate() throws {
        guard (study == nil) != (dem == nil) else {
            throw ValidationError("give either a study configuration or --dem DEM.tif, not both or neither")
        }
        guard windowCells >= 3, windowCells % 2 == 1 else {
            throw ValidationError("--window-cells \(windowCells): expected an odd number ≥ 3")
        }
        guard streamThresholdM2 > 0 else { throw ValidationError("--stream-threshold-m2 must be > 0") }
        guard soilMinM > 0, soilMaxM > soilMinM else {
            throw ValidationError("--soil-min-m/--soil-max-m: expected 0 < min < max")
        }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            var options = TerrainOptions()
            options.edges = edges
            options.windowCells = windowCells
            options.streamThresholdSquareMeters = streamThresholdM2
            options.soilDepthMinMeters = soilMinM
            options.soilDepthMaxMeters = soilMaxM
            let demPath: String
            let provenance: Provenance
            if let study {
                let config = try StudyConfig.load(study, dataRoot: dataRoot)
                demPath = config.demPath
                options.apply(config.soilDepth)
                provenance = .current(configDigest: config.configDigest, seed: config.seed)
            } else {
                demPath = dem!
                provenance = .current()
            }
            let summary = try TerrainRun.run(demPath: demPath, options: options, outputPath: out,
                                             provenance: provenance, tile: tile) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            print("terrain: wrote \(summary.layers.count) layers\(tile.map { " (tile \($0), rows \(summary.tileRows![0])–\(summary.tileRows![0] + summary.tileRows![1] - 1))" } ?? "") and terrain.json to \(out)")
            print("terrain: \(summary.validCells) valid cells; \(summary.cellsFilled) filled (max \(String(format: "%.2f", summary.maxFillDepthM)) m); "
                + "\(summary.outlets) outlets, \(summary.sinks) sinks, \(summary.flatCellsResolved) flat cells routed; "
                + "accumulation at outlets \(summary.accumulationAtOutlets)")
        }
    }
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two aligned rasters cell by cell (JSON: max/mean/median |Δ|, RMSE, Pearson r).",
        discussion: """
            Only cells valid in both are compared; with --full-window-of DEM, only cells whose 3 × 3 \
            window in that DEM is entirely valid (where gdaldem defines its results). With --tolerance, \
            exits 1 when any compared cell differs by more.
            """)

    @Argument(help: "First raster.") var first: String
    @Argument(help: "Second raster, aligned with the first.") var second: String
    @Option(help: "Fail (exit 1) if any |Δ| exceeds this.") var tolerance: Double?
    @Flag(help: "Differences on the circle, in degrees (for aspect).") var angular = false
    @Option(name: .customLong("full-window-of"), help: "Restrict to cells whose 3 × 3 window in this DEM is valid.")
    var fullWindowOf: String?

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            try RasterAlignment.check(try RasterIO.info(second), against: try RasterIO.info(first))
            let a = try RasterIO.read(first, as: Double.self), b = try RasterIO.read(second, as: Double.self)
            var include: (Int) -> Bool = { _ in true }
            if let fullWindowOf {
                let dem = try RasterIO.read(fullWindowOf, as: Float.self)
                let interior = dem.apply(Roughness(), edges: .nodata)
                include = { interior.isValid(at: $0) }
            }
            let comparison = RasterComparison(a, b, tolerance: tolerance, angularDegrees: angular, include: include)
            try printJSON(comparison)
            if let over = comparison.cellsOverTolerance, over > 0 {
                FileHandle.standardError.write(Data("error: \(over) of \(comparison.cells) cells differ by more than \(tolerance!)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

import Charts
import Foundation
import GeoRaster
import NeuralNet
import Randomness
import Stages
import StudyCore

/// What every experiment starts from: the study's inputs, its factors, the landslides on valid cells,
/// and the common test (issue F7's protocol (b)): 30 % of the landslides held out before any sampling,
/// with the study's random non-landslide points (or 1,000 random valid cells when it has none).
///
/// It also starts the experiment's clock and its generator (seeded with the run's seed), which has drawn
/// the common test when the setup is made; models take their own streams from it (``ExperimentStream``).
package struct ExperimentSetup {
    let context: StudyContext
    let started = Date()
    /// The experiment's generator, after the common test was drawn.
    let generator: SeededGenerator
    let inputs: StudyInputs
    let factors: FactorLayers
    let moments: [(mean: Double, sd: Double)]
    /// A second set of factors (e.g. the GLM's), when asked for; cells must be valid in both.
    let secondary: FactorLayers?
    let valid: [Bool]
    let landslides: [Int]
    /// Every landslide cell (a polygon inventory's every cell inside; else the landslides' cells): no
    /// negative, buffer or test negative is drawn on one.
    let footprint: [Int]
    let heldOut: [Int]
    let trainingLandslides: [Int]
    let commonNegatives: [Int]
    /// What the common test's non-landslides are when they are not the study's evaluation points as they
    /// stand (no evaluation points; points on mapped landslide cells left out), for the results' statements.
    let commonTestStatements: [String]
    var dem: Grid<Float> { inputs.dem }
    var config: StudyConfig { context.config }
    /// The factors standardised as a raster stack, for patch networks (built on each access: read it once).
    var raster: FactorRaster { factors.raster(moments: moments) }
    /// Seconds since the setup began.
    var seconds: Double { RecordedTime.seconds(since: started) }
    var common: SampleSet {
        SampleSet.cells(heldOut + commonNegatives, labels: heldOut.map { _ in 1 } + commonNegatives.map { _ in 0 }, columns: dem.cols)
    }

    init(_ context: StudyContext, seed: UInt64, factors names: [String], secondaryFactors: [String]? = nil,
         extra: [String: Grid<Float>] = [:], heldOutFraction: Double = 0.3) throws {
        let started = Date()
        defer { StageClock.shared.add("setup", seconds: Date().timeIntervalSince(started)) }
        self.context = context
        var g = SeededGenerator(seed: seed)
        inputs = context.inputs
        factors = try FactorLayers.load(context, names: names, extra: extra)
        moments = factors.moments()
        let second = try secondaryFactors.map { try FactorLayers.load(context, names: $0) }
        secondary = second
        let factorValid = factors.valid
        let valid = second.map { zip(factorValid, $0.valid).map { $0 && $1 } } ?? factorValid
        self.valid = valid
        landslides = Array(Set(inputs.inventoryOnGrid.cellIndices)).filter { valid[$0] }.sorted()
        footprint = inputs.landslideFootprint
        let onLandslide = Set(footprint)
        let order = Trainer.permutation(landslides.count, generator: &g)
        let count = Int((Double(landslides.count) * heldOutFraction).rounded())
        heldOut = order.prefix(count).map { [landslides] in landslides[$0] }.sorted()
        let held = Set(heldOut)
        trainingLandslides = landslides.filter { !held.contains($0) }
        if let ev = inputs.evaluation {
            // A non-landslide evaluation point on a mapped landslide (inside a polygon) is not a negative.
            let zeros = zip(ev.onGrid.cellIndices, ev.labels).filter { $0.1 == 0 && valid[$0.0] }.map(\.0)
            commonNegatives = zeros.filter { !onLandslide.contains($0) }
            commonTestStatements = zeros.count == commonNegatives.count ? []
                : ["\(zeros.count - commonNegatives.count) of the study's \(zeros.count) non-landslide evaluation points lie on mapped "
                   + "landslide cells (inside an inventory polygon) and are not used as test negatives"]
        } else {
            var negatives: [Int] = []
            let n = inputs.dem.count
            while negatives.count < 1000 {
                let c = Int(g.nextUnit() * Double(n))
                if valid[c] && !onLandslide.contains(c) { negatives.append(c) }
            }
            commonNegatives = negatives
            commonTestStatements = ["the study has no evaluation points: the common test's non-landslides are \(negatives.count) random "
                                    + "analysed cells off every landslide cell, drawn anew in each replicate (the random sampler's distribution)"]
        }
        generator = g
    }

    /// The study's grid for map figures, with the study-area outline.
    var mapGrid: MapGrid {
        let outline = (try? context.areaOutline()) ?? []
        return MapGrid(columns: dem.cols, rows: dem.rows, west: dem.geoTransform.originX, north: dem.geoTransform.originY,
                       cellSize: abs(dem.geoTransform.pixelWidth), crsName: dem.crs?.epsg.map { "EPSG:\($0)" } ?? "",
                       outline: outline.map { $0.map { Point($0.x, $0.y) } })
    }

    /// The landslide points on analysed cells, as (easting, northing), for map figures.
    var mapPoints: [(Double, Double)] {
        zip(inputs.inventoryOnGrid.pointIndices, inputs.inventoryOnGrid.cellIndices).filter { valid[$0.1] }
            .map { (inputs.inventory.points[$0.0].x, inputs.inventory.points[$0.0].y) }
    }

    /// A sampled set: the training landslides and `negatives`, 1:1 when the sampler could.
    func sampledSet(_ negatives: [Int]) -> SampleSet {
        SampleSet.cells(trainingLandslides + negatives, labels: trainingLandslides.map { _ in 1 } + negatives.map { _ in 0 },
                        columns: dem.cols)
    }
}

/// Writes an experiment's figures as PNG and PDF into its output directory and remembers the files.
struct FigureWriter {
    let directory: String
    private(set) var files: [String] = []

    init(_ directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    mutating func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws {
        let path = (directory as NSString).appendingPathComponent(stem)
        files += try StageClock.shared.time("figures") { try chart.render(basePath: path, size: size) }
            .map { ($0 as NSString).lastPathComponent }
    }

    /// Writes a susceptibility map as a GeoTIFF at `maps/<stem>.tif`: Float32 on the DEM's grid and CRS,
    /// nodata −9999 off the analysed cells, the band described, provenance in the metadata (opens in QGIS).
    mutating func saveMap(_ values: [Float], on dem: Grid<Float>, valid: [Bool], stem: String, description: String,
                          config: StudyConfig, seed: UInt64) throws {
        let folder = (directory as NSString).appendingPathComponent("maps")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let nodata: Float = -9999
        let grid = Grid(like: dem, nodata: nodata, values: zip(values, valid).map { $1 && $0.isFinite ? $0 : nodata })
        let provenance = Provenance.current(configDigest: config.configDigest, seed: seed)
        try StageClock.shared.time("GeoTIFF maps") {
            try RasterIO.writeGeoTIFF(grid, to: (folder as NSString).appendingPathComponent(stem + ".tif"),
                                      metadata: provenance.geoTIFFMetadata, bandDescription: description)
        }
        files.append("maps/\(stem).tif")
    }

    /// A file stem for a model's name: "PPM-CNN(Y1)" → "ppm-cnn-y1".
    static func stem(_ name: String) -> String {
        name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            .split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }

    /// Writes `results.json` with provenance.
    func writeResults<T: Encodable>(_ results: T, config: StudyConfig, seed: UInt64) throws {
        try ResultsDocument(provenance: Provenance.current(configDigest: config.configDigest, seed: seed), results: results)
            .write(to: (directory as NSString).appendingPathComponent("results.json"))
    }
}

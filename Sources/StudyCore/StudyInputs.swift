import Foundation
import GeoRaster

/// The study's inputs read from disk and checked against each other: the DEM (georeferenced, with
/// valid cells), every layer aligned with it, and the points located on its grid.
public struct StudyInputs: Sendable {
    public let config: StudyConfig
    /// Elevation (m).
    public let dem: Grid<Float>
    /// Landslide points on valid DEM cells: the samples. From a polygon inventory, the chosen cells'
    /// centres (`inventory.polygon_cells`).
    public let inventory: PointSet
    public let inventoryOnGrid: PointsOnGrid
    /// The polygons of a polygon inventory on the grid; nil for points.
    public let polygonInventory: PolygonInventory?
    /// Every landslide cell, ascending: the polygons' cells, or the points' cells. No negative may fall here.
    public var landslideFootprint: [Int] { polygonInventory?.footprint ?? Array(Set(inventoryOnGrid.cellIndices)).sorted() }
    /// Evaluation points on valid DEM cells, with their labels (1 landslide, 0 not).
    public let evaluation: (points: PointSet, onGrid: PointsOnGrid, labels: [UInt8])?

    /// Reads the DEM and points named by `config`; checks every layer's alignment from its header.
    public static func load(_ config: StudyConfig) throws -> StudyInputs {
        let dem = try readDEM(config.demPath)
        let demInfo = try RasterIO.info(config.demPath)
        for layer in config.layers {
            try RasterAlignment.check(try RasterIO.info(layer.path), against: demInfo)
        }
        let inventory: PointSet, inventoryOnGrid: PointsOnGrid
        var polygonInventory: PolygonInventory?
        if try VectorIO.holdsPolygons(config.inventory.path) {
            let polygons = try VectorIO.readPolygons(config.inventory.path, assumedCRS: try config.inventory.readOptions().assumedCRS)
            let located = try PolygonInventory.locate(polygons, on: dem, mode: config.inventory.polygonCells,
                                                      policy: config.inventory.offGrid, gridName: config.demPath)
            inventory = located.samplePoints(on: dem)
            inventoryOnGrid = PointsOnGrid(cellIndices: located.samples, pointIndices: Array(located.samples.indices),
                                           outside: 0, onNodata: 0, total: located.samples.count)
            polygonInventory = located
        } else {
            inventory = try VectorIO.readPoints(config.inventory.path, options: try config.inventory.readOptions())
            inventoryOnGrid = try dem.locate(inventory, policy: config.inventory.offGrid, gridName: config.demPath)
        }
        // An inventory without a landslide leaves nothing to sample against, train on or evaluate.
        guard inventoryOnGrid.total > 0 else {
            throw GeoRasterError.invalidVector(path: config.inventory.path, reason: "the inventory holds no landslide; expected at least one")
        }
        var evaluation: (PointSet, PointsOnGrid, [UInt8])?
        if let source = config.evaluationPoints {
            let points = try VectorIO.readPoints(source.path, options: try source.readOptions())
            guard points.count > 0 else {
                throw GeoRasterError.invalidVector(path: source.path, reason: "the evaluation points file holds no point; expected labelled points")
            }
            let onGrid = try dem.locate(points, policy: source.offGrid, gridName: config.demPath)
            let labels = try binaryLabels(points, column: source.labelColumn!)
            evaluation = (points, onGrid, onGrid.pointIndices.map { labels[$0] })
        }
        return StudyInputs(config: config, dem: dem, inventory: inventory, inventoryOnGrid: inventoryOnGrid,
                           polygonInventory: polygonInventory, evaluation: evaluation)
    }

    /// Peak memory a cell of a study's grid costs, bytes: `landslide ppm` on Loja, the most demanding
    /// per-cell command (DEM, layers, PRL-STIM state, FORM's β, POF and design points, the maps), peaked
    /// at 122 MB against 64 MB for the bare process: 370 bytes a cell; rounded up.
    public static let studyBytesPerCell = 400

    /// Reads a DEM: it must be georeferenced with a positive cell size, have a valid cell, and hold no
    /// ±infinity (an infinite elevation is no elevation: as a valid cell it made every slope and PPM
    /// layer around it nodata while `info` reported the range "−inf – inf").
    ///
    /// Before reading, ``MemoryGuard`` checks that `bytesPerCell` times the grid's cells fits in the
    /// memory available: a grid too large for the machine is refused with the figures, not discovered
    /// by the allocator.
    public static func readDEM(_ path: String, bytesPerCell: Int = studyBytesPerCell, work: String = "a study") throws -> Grid<Float> {
        let info = try RasterIO.info(path)
        try info.requireGeoreferenced()
        try MemoryGuard.require(rows: info.rows, cols: info.cols, bytesPerCell: bytesPerCell, path: path, work: work)
        let dem = try RasterIO.read(path, as: Float.self)
        guard dem.validCount > 0 else { throw GeoRasterError.allNodata(path: path) }
        try dem.requireFinite(path: path)
        return dem
    }

    /// The label column as 0/1; anything else is an error naming the row.
    static func binaryLabels(_ points: PointSet, column: String) throws -> [UInt8] {
        try points.numericColumn(column).enumerated().map { i, v in
            guard v == 0 || v == 1 else {
                throw GeoRasterError.invalidVector(
                    path: points.source, reason: "row \(i + 1): '\(column)' = \(v); expected 0 or 1")
            }
            return UInt8(v)
        }
    }
}

/// What `landslide info` reports about a study.
public struct StudyInfo: Codable, Sendable {
    public struct DEMSummary: Codable, Sendable {
        public var path: String
        public var columns: Int
        public var rows: Int
        public var cellSizeM: Double
        public var crs: String
        public var epsg: Int?
        public var validCells: Int
        public var totalCells: Int
        public var elevationMinM: Double
        public var elevationMaxM: Double
        public var elevationMeanM: Double
        /// [min x, min y, max x, max y] in the CRS's units.
        public var extent: [Double]
    }

    public struct LayerSummary: Codable, Sendable {
        public var name: String
        public var path: String
        public var dataType: String
        public var validCells: Int
        public var min: Double?
        public var max: Double?
        /// `continuous` or `categorical`.
        public var type: String
        /// A categorical layer's classes: code and valid DEM cells holding it.
        public var classes: [ClassCount]?
    }

    public struct ClassCount: Codable, Sendable {
        public var code: Int
        public var cells: Int
    }

    /// `zones`: each zone's cells and parameters (zone code nil: `parameters`, for every other cell).
    public struct ZonesSummary: Codable, Sendable {
        public struct Zone: Codable, Sendable {
            public var code: Int?
            public var cells: Int
            public var parameters: [Parameter]
        }
        public struct Parameter: Codable, Sendable {
            public var name: String
            public var mean: Double?
            public var cov: Double
            public var distribution: String
        }
        public var layer: String
        public var zones: [Zone]
        /// Configured codes no cell holds, and codes on the grid without an entry (they use `parameters`).
        public var missingCodes: [Int]
        public var codesWithoutEntry: [Int]
    }

    public struct PointSummary: Codable, Sendable {
        public var path: String
        public var total: Int
        public var onValidCells: Int
        public var outsideGrid: Int
        public var onNodata: Int
        public var offGridPolicy: String
        /// For labelled points: how many on valid cells are landslides (1) and non-landslides (0).
        public var landslides: Int?
        public var nonLandslides: Int?
        /// A polygon inventory: its polygons, their cells, and what a sample is.
        public var polygons: PolygonSummary?
    }

    public struct PolygonSummary: Codable, Sendable {
        public var polygons: Int
        public var offGrid: Int
        /// Landslide cells (centres inside a polygon, valid).
        public var footprintCells: Int
        /// `inventory.polygon_cells`, and the samples it gives.
        public var polygonCells: String
        public var samples: Int
        public var subCell: Int
        public var centroidOutside: Int
    }

    public struct AreaSummary: Codable, Sendable {
        public var path: String
        public var polygons: Int
        public var areaKm2: Double
        public var cellsInside: Int
    }

    public var name: String
    public var title: String
    public var config: String
    public var configDigest: String
    public var dataRoot: String
    public var dataRootSource: String
    public var dem: DEMSummary
    public var layers: [LayerSummary]
    public var inventory: PointSummary
    public var evaluationPoints: PointSummary?
    public var studyArea: AreaSummary?
    /// Every layer name the study offers to `train --factors` and the experiments, with unit and origin.
    public var factors: [LayerDescription]
    public var zones: ZonesSummary?
    /// The factors each model family takes (`factors`, defaults filled in): patch_cnn, networks, glm.
    public var modelFactors: [String: [String]]?
    /// The negative samplers' settings (`samplers`, defaults filled in).
    public var samplers: SamplerSettings

    /// Reads everything the config names and summarizes it.
    public static func gather(_ context: StudyContext) throws -> StudyInfo {
        let (config, inputs) = (context.config, context.inputs)
        let dem = inputs.dem
        let range = dem.validRange!
        let t = dem.geoTransform
        let corners = [t.map(col: 0, row: 0), t.map(col: Double(dem.cols), row: Double(dem.rows))]
        let demSummary = DEMSummary(
            path: config.demPath, columns: dem.cols, rows: dem.rows, cellSizeM: abs(t.pixelWidth),
            crs: dem.crs?.description ?? "unknown", epsg: dem.crs?.epsg, validCells: dem.validCount,
            totalCells: dem.count, elevationMinM: Double(range.lowerBound), elevationMaxM: Double(range.upperBound),
            elevationMeanM: dem.validMean!,
            extent: [corners.map(\.x).min()!, corners.map(\.y).min()!, corners.map(\.x).max()!, corners.map(\.y).max()!])

        let layers = try config.layers.map { layer -> LayerSummary in
            let grid = try RasterIO.read(layer.path, as: Double.self)
            let info = try RasterIO.info(layer.path)
            let range = grid.validRange
            var classes: [ClassCount]?
            if layer.kind == .categorical {
                classes = try context.classCounts(of: layer.name).map { ClassCount(code: $0.code, cells: $0.cells) }
            }
            return LayerSummary(name: layer.name, path: layer.path, dataType: info.dataType,
                                validCells: grid.validCount, min: range?.lowerBound, max: range?.upperBound,
                                type: layer.kind.rawValue, classes: classes)
        }
        var zones: ZonesSummary?
        if let map = try context.soilZones() {
            func rows(_ p: SoilParameters) -> [ZonesSummary.Parameter] {
                SoilParameter.allCases.map { ZonesSummary.Parameter(name: $0.rawValue, mean: p[$0].mean, cov: p[$0].cov,
                                                                    distribution: p[$0].distribution.rawValue) }
            }
            zones = ZonesSummary(layer: map.layer,
                                 zones: map.parameters.indices.map { z in
                                     ZonesSummary.Zone(code: z == 0 ? nil : map.codes[z - 1], cells: map.cells[z], parameters: rows(map.parameters[z]))
                                 },
                                 missingCodes: map.missingCodes, codesWithoutEntry: map.codesWithoutEntry)
        }

        func summary(_ source: PointSource, _ points: PointSet, _ onGrid: PointsOnGrid,
                     labels: [UInt8]?) -> PointSummary {
            PointSummary(path: source.path, total: points.count, onValidCells: onGrid.inside,
                         outsideGrid: onGrid.outside, onNodata: onGrid.onNodata, offGridPolicy: source.offGrid.rawValue,
                         landslides: labels.map { $0.filter { $0 == 1 }.count },
                         nonLandslides: labels.map { $0.filter { $0 == 0 }.count })
        }

        var area: AreaSummary?
        if let studyArea = try context.studyArea() {
            area = AreaSummary(path: studyArea.path, polygons: studyArea.polygons.polygons.count,
                               areaKm2: studyArea.polygons.area / 1e6, cellsInside: studyArea.mask.values.reduce(0) { $0 + Int($1) })
        }

        var inventory = summary(config.inventory, inputs.inventory, inputs.inventoryOnGrid, labels: nil)
        if let p = inputs.polygonInventory {
            inventory.polygons = PolygonSummary(polygons: p.cells.count, offGrid: p.offGrid, footprintCells: p.footprint.count,
                                                polygonCells: config.inventory.polygonCells.rawValue, samples: p.samples.count,
                                                subCell: p.subCell, centroidOutside: p.centroidOutside)
        }
        return StudyInfo(
            name: config.name, title: config.title, config: config.configPath, configDigest: config.configDigest,
            dataRoot: config.dataRoot, dataRootSource: config.dataRootSource.rawValue, dem: demSummary,
            layers: layers,
            inventory: inventory,
            evaluationPoints: inputs.evaluation.map { summary(config.evaluationPoints!, $0.points, $0.onGrid, labels: $0.labels) },
            studyArea: area, factors: context.layerNames.compactMap(context.describe), zones: zones, samplers: config.samplers)
    }
}

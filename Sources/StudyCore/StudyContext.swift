import Foundation
import GeoRaster
import Terrain

/// One study, loaded once: its configuration, its inputs (DEM, layers, points, study area) and every
/// layer derived from them, each computed at most once, on first use.
///
/// Every stage and experiment takes a context instead of re-reading files or re-deriving terrain, so
/// that the DEM is read once, slope is computed once, and each consumer gets the same grid for the
/// same name (the soil depth of a `uniform` study is that depth for the PPM *and* the CNN's channel).
/// Layers are asked for by name (``layerNames``); ``describe(_:)`` gives a layer's unit and origin.
///
/// Thread-safe: derived layers are computed under a lock, so concurrent callers share one result.
public final class StudyContext: @unchecked Sendable {
    public let config: StudyConfig
    public let inputs: StudyInputs
    /// Elevation (m).
    public var dem: Grid<Float> { inputs.dem }

    private let lock = NSLock()
    private var products: TerrainProducts?
    private var configLayers: [String: Grid<Float>] = [:]
    private var area: StudyArea??

    /// Reads the DEM, checks every layer's alignment and locates the points (``StudyInputs/load(_:)``).
    public init(_ config: StudyConfig) throws {
        self.config = config
        self.inputs = try StudyInputs.load(config)
        let known = layerNames
        let lists = [("patch_cnn", config.factors.patchCNN), ("networks", config.factors.networks), ("glm", config.factors.glm)]
        for case let (key, names?) in lists {
            for name in names where !known.contains(name) && !known.contains(String(name.prefix { $0 != "=" })) {
                throw StudyConfigError(file: config.configPath, line: nil, key: "factors.\(key)",
                                       problem: "unknown layer '\(name)'; expected one of \(known.joined(separator: ", "))")
            }
        }
    }

    /// The terrain options the study implies (its soil-depth model).
    public var terrainOptions: TerrainOptions {
        var options = TerrainOptions()
        options.apply(config.soilDepth)
        return options
    }

    /// Every terrain product of the DEM (``TerrainProducts``), computed on first use.
    public func terrain() throws -> TerrainProducts {
        lock.lock()
        defer { lock.unlock() }
        if let products { return products }
        let computed = try TerrainProducts.compute(dem, options: terrainOptions)
        products = computed
        return computed
    }

    /// Slope (degrees, Horn), as gdaldem computes it.
    public func slopeDegrees() throws -> Grid<Float> { try terrain().slopeDegrees }
    /// Aspect (degrees clockwise from north; flat cells nodata).
    public func aspectDegrees() throws -> Grid<Float> { try terrain().aspectDegrees }
    /// Soil depth (m) by the study's model: the Z-model or one depth everywhere (METHODS.md A1).
    public func soilDepthMeters() throws -> Grid<Float> { try terrain().soilDepthMeters }

    /// The study-area polygons in the DEM's CRS and the cells whose centres lie inside, read on first
    /// use; nil when the config names no `study_area`.
    public func studyArea() throws -> StudyArea? {
        lock.lock()
        defer { lock.unlock() }
        if let area { return area }
        var loaded: StudyArea?
        if let path = config.studyAreaPath {
            let polygons = try VectorIO.readPolygons(path, assumedCRS: dem.crs)
            let local = try dem.crs.map { try polygons.reprojected(to: $0) } ?? polygons
            loaded = StudyArea(path: path, polygons: local, mask: try dem.rasterMask(of: local))
        }
        area = .some(loaded)
        return loaded
    }

    /// The analysis mask: `true` for cells whose centre lies inside the study area; nil when the study
    /// names no `study_area` (every valid cell is then in the analysis). Samples, negatives, class
    /// areas, frequency ratios, POF and susceptibility maps are confined to it; terrain and hydrology
    /// use the whole DEM (runoff comes from upslope, a patch sees its neighbours).
    public func areaMask() throws -> [Bool]? {
        try studyArea().map { $0.mask.values.map { $0 != 0 } }
    }

    /// The study-area outline as rings of (easting, northing) in the DEM's CRS; empty without a study area.
    public func areaOutline() throws -> [[(x: Double, y: Double)]] {
        guard let area = try studyArea() else { return [] }
        return area.polygons.polygons.flatMap { $0.rings.map { ring in ring.map { (x: $0.x, y: $0.y) } } }
    }

    /// Every layer name the study offers, once each: `elevation`, the config's layers, then the terrain
    /// catalogue. A config layer named like a derived one (Loja's SAGA `plan_curvature`) takes its place.
    public var layerNames: [String] {
        let configured = config.layers.map(\.name)
        return ["elevation"] + configured + TerrainProducts.catalogue.map(\.name).filter { !configured.contains($0) }
    }

    /// Where a layer comes from and its unit; nil for an unknown name.
    public func describe(_ name: String) -> LayerDescription? {
        if name == "elevation" { return LayerDescription(name: name, unit: "m", origin: "DEM \(config.demPath)") }
        if let layer = config.layers.first(where: { $0.name == name }) {
            let shadows = TerrainProducts.catalogue.contains { $0.name == name }
            return LayerDescription(name: name, unit: "as in the file",
                                    origin: "config layer \(layer.path)" + (shadows ? " (in place of the derived layer)" : ""))
        }
        if let spec = TerrainProducts.catalogue.first(where: { $0.name == name }) {
            return LayerDescription(name: name, unit: spec.unit, origin: "derived: \(spec.description)")
        }
        return nil
    }

    /// The layer `name` as a float grid on the DEM's grid (integer codes converted).
    /// - Throws: ``StudyContextError/unknownLayer(_:known:)`` naming the layers there are.
    public func layer(_ name: String) throws -> Grid<Float> {
        if name == "elevation" { return dem }
        if let entry = config.layers.first(where: { $0.name == name }) {
            lock.lock()
            defer { lock.unlock() }
            if let grid = configLayers[name] { return grid }
            let grid = try RasterIO.read(entry.path, as: Float.self)
            if entry.kind == .categorical, let bad = grid.values.indices.first(where: { grid.isValid(at: $0) && grid.values[$0] != grid.values[$0].rounded() }) {
                throw StudyContextError.notClassCodes(name, path: entry.path, value: Double(grid.values[bad]))
            }
            configLayers[name] = grid
            return grid
        }
        guard let layer = try terrain().layer(named: name) else {
            throw StudyContextError.unknownLayer(name, known: layerNames)
        }
        return layer.floatGrid
    }
}

extension StudyContext {
    /// The class codes of a categorical layer on the valid cells of the DEM, ascending, with their cells.
    public func classCounts(of name: String) throws -> [(code: Int, cells: Int)] {
        let grid = try layer(name)
        var counts: [Int: Int] = [:]
        for i in 0..<grid.count where grid.isValid(at: i) && dem.isValid(at: i) { counts[Int(grid.values[i]), default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// The class codes of a categorical layer on the valid cells of the DEM, ascending.
    public func classes(of name: String) throws -> [Int] { try classCounts(of: name).map(\.code) }

    /// The soil zone of every cell and each zone's parameters (`zones`); nil when the study has none.
    public func soilZones() throws -> ZoneMap? {
        guard let zones = config.zones else { return nil }
        let grid = try layer(zones.layer)
        // Zone k + 1 is configured code k (ascending); every other code, and nodata, is zone 0.
        let zoneOfCode = Dictionary(uniqueKeysWithValues: zones.codes.enumerated().map { ($1, UInt16($0 + 1)) })
        let zoneOfCell = (0..<grid.count).map { grid.isValid(at: $0) ? zoneOfCode[Int(grid.values[$0])] ?? 0 : 0 }
        let present = try classes(of: zones.layer)
        var cells = [Int](repeating: 0, count: zones.codes.count + 1)
        for i in 0..<grid.count where dem.isValid(at: i) { cells[Int(zoneOfCell[i])] += 1 }
        return ZoneMap(layer: zones.layer, codes: zones.codes,
                       parameters: [config.parameters] + zones.codes.map { zones.classes[$0]! },
                       zoneOfCell: zoneOfCell, cells: cells,
                       missingCodes: zones.codes.filter { !present.contains($0) },
                       codesWithoutEntry: present.filter { zones.classes[$0] == nil })
    }
}

/// The study's soil zones on its grid: zone 0 is `parameters` (cells whose class has no entry, or is
/// nodata), zone k ≥ 1 is class `codes[k − 1]`.
public struct ZoneMap: Sendable {
    public let layer: String
    public let codes: [Int]
    /// Each zone's parameters (index 0: `parameters`).
    public let parameters: [SoilParameters]
    /// The zone of every cell.
    public let zoneOfCell: [UInt16]
    /// Valid DEM cells per zone.
    public let cells: [Int]
    /// Configured class codes no cell of the layer holds (a typo, or a class outside the grid).
    public let missingCodes: [Int]
    /// Class codes on the grid without an entry: their cells use `parameters`.
    public let codesWithoutEntry: [Int]
}

/// A study-area polygon set on the study's grid.
public struct StudyArea: Sendable {
    public let path: String
    /// The polygons, in the DEM's CRS.
    public let polygons: PolygonSet
    /// 1 where a cell's centre lies inside.
    public let mask: Grid<UInt8>
}

/// A layer's name, unit and origin, as ``StudyContext/describe(_:)`` reports it.
public struct LayerDescription: Sendable, Equatable, Codable {
    public var name: String
    public var unit: String
    public var origin: String
}

public enum StudyContextError: Error, CustomStringConvertible, Equatable {
    case unknownLayer(String, known: [String])
    case notClassCodes(String, path: String, value: Double)
    public var description: String {
        switch self {
        case let .unknownLayer(name, known): "unknown factor \(name); known: \(known.joined(separator: ", "))"
        case let .notClassCodes(name, path, value):
            "\(path): layer \(name) is declared categorical but holds \(value); expected whole-number class codes"
        }
    }
}

extension TerrainOptions {
    /// Takes the soil-depth model of a study config (Z-model range or one depth).
    public mutating func apply(_ model: SoilDepthModel) {
        switch model {
        case let .zModel(lo, hi):
            soilDepthMinMeters = lo
            soilDepthMaxMeters = hi
            uniformSoilDepthMeters = nil
        case let .uniform(h):
            uniformSoilDepthMeters = h
        }
    }
}

import Foundation
import GeoRaster

/// Options of the terrain pipeline.
public struct TerrainOptions: Sendable {
    /// How 3 × 3 operators treat incomplete windows (default: every valid cell gets a value).
    public var edges: EdgeMode = .extrapolate
    /// Window side (cells, odd) for relief, incision and elevation COV.
    public var windowCells: Int = 9
    /// Contributing area (m²) from which a cell is a stream cell.
    public var streamThresholdSquareMeters: Double = 100_000
    /// Z-model soil depth range (m).
    public var soilDepthMinMeters: Double = 0.1
    public var soilDepthMaxMeters: Double = 3.0
    /// One soil depth everywhere (m) instead of the Z-model, when set.
    public var uniformSoilDepthMeters: Double?

    public init() {}
}

/// A named output layer of any pixel type.
public enum TerrainLayer: Sendable {
    case float(Grid<Float>)
    case uint8(Grid<UInt8>)
    case int32(Grid<Int32>)
}

/// Every layer the harness derives from a DEM, with the flow network itself.
///
/// Surface derivatives (slope, aspect, curvatures, TPI, roughness, window statistics) come from the
/// DEM as given, so that they equal `gdaldem`'s; hydrology (D8, accumulation, TWI, SPI, streams) comes
/// from the depression-filled DEM, on which every cell drains.
public struct TerrainProducts: Sendable {
    public let filled: Grid<Float>
    public let slopeDegrees: Grid<Float>
    public let aspectDegrees: Grid<Float>
    public let routing: FlowRouting
    public let accumulationCells: Grid<Int32>
    public let specificCatchmentArea: Grid<Float>
    public let wetnessIndex: Grid<Float>
    public let streamPowerIndex: Grid<Float>
    public let topographicPosition: Grid<Float>
    public let roughness: Grid<Float>
    public let planCurvature: Grid<Float>
    public let profileCurvature: Grid<Float>
    public let window: WindowStatistics
    public let streams: Grid<UInt8>
    public let distanceToStreamMeters: Grid<Float>
    public let soilDepthMeters: Grid<Float>
    public let options: TerrainOptions
    /// Seconds spent per stage, in order.
    public let timings: [(stage: String, seconds: Double)]

    /// Runs the pipeline; `progress` receives one line per stage.
    public static func compute(_ dem: Grid<Float>, options: TerrainOptions = TerrainOptions(),
                               progress: (String) -> Void = { _ in }) throws -> TerrainProducts {
        guard let cell = dem.geoTransform.squareCellSize else {
            throw TerrainError.invalidParameter(name: "cell shape", value: "\(dem.geoTransform)",
                                                expected: "square, axis-aligned cells")
        }
        var timings: [(String, Double)] = []
        func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            timings.append((name, seconds))
            progress("terrain: " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds))
            return value
        }
        let filled = stage("fill (priority-flood)") { PriorityFlood.fill(dem) }
        let (slope, aspect) = stage("slope and aspect (Horn)") {
            dem.hornSlopeAndAspect(cellWidth: cell, cellHeight: cell, edges: options.edges)
        }
        let directions = stage("D8 directions") { FlowDirections(filled) }
        let routing = try stage("topological order") { try FlowRouting(directions) }
        let cells = stage("accumulation") { routing.accumulationCells() }
        let sca = HydrologicIndices.specificCatchmentArea(cells)
        let twi = stage("TWI, SPI") { HydrologicIndices.wetnessIndex(specificCatchmentArea: sca, slopeDegrees: slope) }
        let spi = HydrologicIndices.streamPowerIndex(specificCatchmentArea: sca, slopeDegrees: slope)
        let tpi = stage("TPI, roughness, curvature") { dem.apply(TopographicPositionIndex(), edges: options.edges) }
        let rough = dem.apply(Roughness(), edges: options.edges)
        let plan = dem.apply(Curvature(.plan, cellSize: cell), edges: options.edges)
        let profile = dem.apply(Curvature(.profile, cellSize: cell), edges: options.edges)
        let window = try stage("window statistics") { try WindowStatistics(dem, size: options.windowCells) }
        let thresholdCells = Int((options.streamThresholdSquareMeters / (cell * cell)).rounded(.up))
        let streams = HydrologicIndices.streams(cells, thresholdCells: Swift.max(1, thresholdCells))
        let distance = stage("distance to streams") { DistanceTransform.euclidean(to: streams, mask: dem) }
        let soil = try stage(options.uniformSoilDepthMeters == nil ? "soil depth (Z-model)" : "soil depth (uniform)") {
            if let h = options.uniformSoilDepthMeters {
                return Grid(like: dem, nodata: terrainNodata, values: dem.validMask.map { $0 ? Float(h) : terrainNodata })
            }
            return try SoilDepthZModel.depth(dem, minMeters: options.soilDepthMinMeters, maxMeters: options.soilDepthMaxMeters)
        }
        return TerrainProducts(
            filled: filled, slopeDegrees: slope, aspectDegrees: aspect, routing: routing, accumulationCells: cells,
            specificCatchmentArea: sca, wetnessIndex: twi, streamPowerIndex: spi, topographicPosition: tpi,
            roughness: rough, planCurvature: plan, profileCurvature: profile, window: window, streams: streams,
            distanceToStreamMeters: distance, soilDepthMeters: soil, options: options, timings: timings)
    }

    /// Every layer the pipeline derives, in a stable order: the one list of terrain layer names, with
    /// their units (landlab-style: a consumer asks by name and knows what it gets).
    public static let catalogue: [TerrainLayerSpec] = [
        .init("filled", "m", "elevation after depression filling (m)"),
        .init("slope", "degree", "slope, Horn (degrees)"),
        .init("aspect", "degree", "aspect, Horn (degrees clockwise from north; flat = nodata)"),
        .init("d8", "code", "D8 flow direction (ESRI codes 1..128; 0 outlet)"),
        .init("accumulation", "cells", "flow accumulation (cells, itself included)"),
        .init("specific_catchment_area", "m", "specific catchment area (m)"),
        .init("log10_catchment_area", "log10 m2", "log10 of contributing area (m2), D8"),
        .init("twi", "1", "topographic wetness index ln(a / tan b)"),
        .init("spi", "m", "stream power index a tan b (m)"),
        .init("tpi", "m", "topographic position index (m)"),
        .init("roughness", "m", "roughness, max - min in 3x3 (m)"),
        .init("plan_curvature", "1/m", "plan curvature, Zevenbergen-Thorne (1/m)"),
        .init("profile_curvature", "1/m", "profile curvature, Zevenbergen-Thorne (1/m)"),
        .init("relief", "m", "relief, max - min in window (m)"),
        .init("incision", "m", "surface incision, mean - min in window (m)"),
        .init("elevation_cov", "1", "elevation coefficient of variation in window"),
        .init("streams", "flag", "stream cells (1) by accumulation threshold"),
        .init("stream_distance", "m", "Euclidean distance to the nearest stream cell (m)"),
        .init("soil_depth", "m", "soil depth, Z-model or uniform (m)"),
    ]

    /// The layer named `name` (one of ``catalogue``), or nil for an unknown name.
    public func layer(named name: String) -> TerrainLayer? {
        switch name {
        case "filled": .float(filled)
        case "slope": .float(slopeDegrees)
        case "aspect": .float(aspectDegrees)
        case "d8": .uint8(routing.directions.codes)
        case "accumulation": .int32(accumulationCells)
        case "specific_catchment_area": .float(specificCatchmentArea)
        case "log10_catchment_area": .float(HydrologicIndices.log10CatchmentArea(accumulationCells))
        case "twi": .float(wetnessIndex)
        case "spi": .float(streamPowerIndex)
        case "tpi": .float(topographicPosition)
        case "roughness": .float(roughness)
        case "plan_curvature": .float(planCurvature)
        case "profile_curvature": .float(profileCurvature)
        case "relief": .float(window.relief)
        case "incision": .float(window.incision)
        case "elevation_cov": .float(window.coefficientOfVariation)
        case "streams": .uint8(streams)
        case "stream_distance": .float(distanceToStreamMeters)
        case "soil_depth": .float(soilDepthMeters)
        default: nil
        }
    }

    /// The layers to write, in ``catalogue`` order.
    public var layers: [(spec: TerrainLayerSpec, layer: TerrainLayer)] {
        Self.catalogue.map { ($0, layer(named: $0.name)!) }
    }
}

/// A derived layer's name (the file stem and factor name), unit and band description.
public struct TerrainLayerSpec: Sendable, Equatable {
    public let name: String
    public let unit: String
    public let description: String

    init(_ name: String, _ unit: String, _ description: String) {
        self.name = name
        self.unit = unit
        self.description = description
    }
}

extension TerrainLayer {
    /// The layer as a float grid (integer codes converted; nodata as ``terrainNodata``).
    public var floatGrid: Grid<Float> {
        switch self {
        case let .float(g): return g
        case let .uint8(g):
            return Grid(like: g, nodata: terrainNodata, values: (0..<g.count).map { g.isValid(at: $0) ? Float(g.values[$0]) : terrainNodata })
        case let .int32(g):
            return Grid(like: g, nodata: terrainNodata, values: (0..<g.count).map { g.isValid(at: $0) ? Float(g.values[$0]) : terrainNodata })
        }
    }
}

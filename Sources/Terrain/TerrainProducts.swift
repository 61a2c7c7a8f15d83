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
        let soil = try stage("soil depth (Z-model)") {
            try SoilDepthZModel.depth(dem, minMeters: options.soilDepthMinMeters, maxMeters: options.soilDepthMaxMeters)
        }
        return TerrainProducts(
            filled: filled, slopeDegrees: slope, aspectDegrees: aspect, routing: routing, accumulationCells: cells,
            specificCatchmentArea: sca, wetnessIndex: twi, streamPowerIndex: spi, topographicPosition: tpi,
            roughness: rough, planCurvature: plan, profileCurvature: profile, window: window, streams: streams,
            distanceToStreamMeters: distance, soilDepthMeters: soil, options: options, timings: timings)
    }

    /// The layers to write, as (file stem, band description, layer), in a stable order.
    public var layers: [(name: String, description: String, layer: TerrainLayer)] {
        [
            ("filled", "elevation after depression filling (m)", .float(filled)),
            ("slope", "slope, Horn (degrees)", .float(slopeDegrees)),
            ("aspect", "aspect, Horn (degrees clockwise from north; flat = nodata)", .float(aspectDegrees)),
            ("d8", "D8 flow direction (ESRI codes 1..128; 0 outlet)", .uint8(routing.directions.codes)),
            ("accumulation", "flow accumulation (cells, itself included)", .int32(accumulationCells)),
            ("specific_catchment_area", "specific catchment area (m)", .float(specificCatchmentArea)),
            ("log10_catchment_area", "log10 of contributing area (m2), D8", .float(HydrologicIndices.log10CatchmentArea(accumulationCells))),
            ("twi", "topographic wetness index ln(a / tan b)", .float(wetnessIndex)),
            ("spi", "stream power index a tan b (m)", .float(streamPowerIndex)),
            ("tpi", "topographic position index (m)", .float(topographicPosition)),
            ("roughness", "roughness, max - min in 3x3 (m)", .float(roughness)),
            ("plan_curvature", "plan curvature, Zevenbergen-Thorne (1/m)", .float(planCurvature)),
            ("profile_curvature", "profile curvature, Zevenbergen-Thorne (1/m)", .float(profileCurvature)),
            ("relief", "relief, max - min in window (m)", .float(window.relief)),
            ("incision", "surface incision, mean - min in window (m)", .float(window.incision)),
            ("elevation_cov", "elevation coefficient of variation in window", .float(window.coefficientOfVariation)),
            ("streams", "stream cells (1) by accumulation threshold", .uint8(streams)),
            ("stream_distance", "Euclidean distance to the nearest stream cell (m)", .float(distanceToStreamMeters)),
            ("soil_depth", "soil depth, Z-model (m)", .float(soilDepthMeters)),
        ]
    }
}

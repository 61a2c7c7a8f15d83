import Foundation
import GeoRaster
import NeuralNet
import Susceptibility
import Terrain

/// Conditioning factors of a study as aligned grids, by name:
/// - `elevation` (the DEM) and every layer the config names (e.g. Loja's `slope_saga_deg`);
/// - any layer of `landslide terrain` (`slope`, `aspect`, `d8`, `soil_depth`, `twi`, …), computed
///   from the DEM when asked for.
public struct FactorLayers: Sendable {
    public let names: [String]
    public let grids: [Grid<Float>]
    public let template: Grid<Float>

    /// Study A's CNN channels available from a DEM (METHODS.md A5: slope, aspect, elevation, flow
    /// direction, soil depth; soil type has no public layer at Loja and is left out).
    public static let studyAChannels = ["slope", "aspect", "elevation", "d8", "soil_depth"]
    /// The `lsl` set of spDataLarge / Geocomputation with R (Lovelace et al. 2019, ch. 12).
    public static let lslFactors = ["slope_saga_deg", "plan_curvature", "profile_curvature", "elevation",
                                    "log10_catchment_area_m2"]

    public enum FactorError: Error, CustomStringConvertible {
        case unknown(String, known: [String])
        public var description: String {
            switch self {
            case let .unknown(name, known): "unknown factor \(name); known: \(known.joined(separator: ", "))"
            }
        }
    }

    /// Every name `load` accepts for a study.
    public static func known(_ config: StudyConfig) -> [String] {
        ["elevation"] + config.layers.map(\.name) + terrainNames
    }
    static let terrainNames = ["filled", "slope", "aspect", "d8", "accumulation", "specific_catchment_area",
                               "log10_catchment_area", "twi", "spi", "tpi", "roughness", "plan_curvature",
                               "profile_curvature", "relief", "incision", "elevation_cov", "streams",
                               "stream_distance", "soil_depth"]

    /// Reads or computes the named factors; extra named grids (e.g. a POF map) may be supplied.
    public static func load(_ config: StudyConfig, dem: Grid<Float>, names: [String],
                            extra: [String: Grid<Float>] = [:]) throws -> FactorLayers {
        let configLayers = Dictionary(uniqueKeysWithValues: config.layers.map { ($0.name, $0.path) })
        var products: TerrainProducts?
        var grids: [Grid<Float>] = []
        for name in names {
            if let g = extra[name] { grids.append(g); continue }
            if name == "elevation" { grids.append(dem); continue }
            if let path = configLayers[name] {
                try RasterAlignment.check(try RasterIO.info(path), against: try RasterIO.info(config.demPath))
                grids.append(try RasterIO.read(path, as: Float.self))
                continue
            }
            guard terrainNames.contains(name) else {
                throw FactorError.unknown(name, known: known(config) + extra.keys.sorted())
            }
            if products == nil {
                var options = TerrainOptions()
                if case let .zModel(lo, hi) = config.soilDepth { options.soilDepthMinMeters = lo; options.soilDepthMaxMeters = hi }
                products = try TerrainProducts.compute(dem, options: options)
            }
            let layer = products!.layers.first { $0.name == name }!.layer
            switch layer {
            case let .float(g): grids.append(g)
            case let .uint8(g): grids.append(Grid(like: g, nodata: terrainNodata,
                                                   values: (0..<g.count).map { g.isValid(at: $0) ? Float(g.values[$0]) : terrainNodata }))
            case let .int32(g): grids.append(Grid(like: g, nodata: terrainNodata,
                                                   values: (0..<g.count).map { g.isValid(at: $0) ? Float(g.values[$0]) : terrainNodata }))
            }
        }
        return FactorLayers(names: names, grids: grids, template: dem)
    }

    /// Cells where every factor (and the DEM) is valid.
    public var valid: [Bool] {
        (0..<template.count).map { i in template.isValid(at: i) && grids.allSatisfy { $0.isValid(at: i) } }
    }

    /// Mean and standard deviation of each factor over the valid cells (the normalisation).
    public func moments() -> [(mean: Double, sd: Double)] {
        let v = valid
        return grids.map { g in
            var s = 0.0, s2 = 0.0, n = 0.0
            for i in 0..<g.count where v[i] { let x = Double(g.values[i]); s += x; s2 += x * x; n += 1 }
            let m = s / max(n, 1)
            let sd = (max(0, s2 / max(n, 1) - m * m)).squareRoot()
            return (m, sd > 0 ? sd : 1)
        }
    }

    /// The factors standardised with `moments` as a raster stack for patch networks.
    public func raster(moments: [(mean: Double, sd: Double)]) -> FactorRaster {
        let n = template.count
        var values = [Float](repeating: 0, count: grids.count * n)
        let v = valid
        for (k, g) in grids.enumerated() {
            let (m, sd) = moments[k]
            for i in 0..<n where v[i] { values[k * n + i] = Float((Double(g.values[i]) - m) / sd) }
        }
        return FactorRaster(channels: grids.count, rows: template.rows, columns: template.cols, values: values, valid: v)
    }

    /// Standardised factor vectors at `cells`.
    public func vectors(at cells: [Int], moments: [(mean: Double, sd: Double)]) -> [[Double]] {
        cells.map { i in grids.indices.map { k in (Double(grids[k].values[i]) - moments[k].mean) / moments[k].sd } }
    }
}

extension FactorLayers {
    /// Each factor's values per cell, NaN where it has none.
    public var columns: [[Double]] {
        grids.map { g in (0..<g.count).map { g.isValid(at: $0) ? Double(g.values[$0]) : .nan } }
    }
}

/// Study B's information-value model (METHODS.md B1) on named factor columns: PCA weights, the factors
/// they keep classed into five, and the information value of each class from the landslide cells.
/// `landslide sample --sampler information-value` and the experiments share it.
struct InformationValueFit {
    let pca: PCAWeights
    let model: InformationValueModel

    init(names: [String], columns: [[Double]], landslides: [Int], method: ClassedFactor.Method) throws {
        pca = PCAWeights(names: names, columns: columns)
        let kept = pca.kept
        let classed = try zip(names, columns).filter { kept.contains($0.0) }.map {
            try ClassedFactor(name: $0.0, values: $0.1, classes: 5, method: method)
        }
        model = InformationValueModel(factors: classed, landslideCells: landslides)
    }
}

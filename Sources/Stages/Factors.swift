import Foundation
import GeoRaster
import NeuralNet
import Susceptibility
import StudyCore
import Terrain

/// Conditioning factors of a study as aligned grids, by name:
/// - `elevation` (the DEM) and every layer the config names (e.g. Loja's `slope_saga_deg`);
/// - any layer of `landslide terrain` (`slope`, `aspect`, `d8`, `soil_depth`, `twi`, …), computed
///   from the DEM when asked for.
public struct FactorLayers: Sendable {
    public let names: [String]
    public let grids: [Grid<Float>]
    public let template: Grid<Float>
    /// The study area (``StudyContext/areaMask()``): cells outside are not analysed; nil = every cell.
    public let area: [Bool]?

    public init(names: [String], grids: [Grid<Float>], template: Grid<Float>, area: [Bool]? = nil) {
        self.names = names; self.grids = grids; self.template = template; self.area = area
    }

    /// Study A's CNN channels available from a DEM (METHODS.md A5: slope, aspect, elevation, flow
    /// direction, soil depth; soil type has no public layer at Loja and is left out).
    public static let studyAChannels = ["slope", "aspect", "elevation", "d8", "soil_depth"]
    /// The 13 terrain factors of Study B's information-value model and networks on a DEM-only study
    /// (METHODS.md B1: Study B keeps 13 of 21 by PCA weight; these are the 13 a DEM gives).
    public static let studyBTerrainFactors = ["elevation", "slope", "aspect", "plan_curvature", "profile_curvature", "tpi",
                                              "twi", "spi", "relief", "incision", "elevation_cov", "roughness",
                                              "stream_distance"]
    /// The `lsl` set of spDataLarge / Geocomputation with R (Lovelace et al. 2019, ch. 12).
    public static let lslFactors = ["slope_saga_deg", "plan_curvature", "profile_curvature", "elevation",
                                    "log10_catchment_area_m2"]

    /// Reads or derives the named factors from the study (``StudyContext/layer(_:)``); extra named
    /// grids (e.g. a POF map) may be supplied and win over the study's layers.
    public static func load(_ context: StudyContext, names: [String], extra: [String: Grid<Float>] = [:]) throws -> FactorLayers {
        let grids = try names.map { name in
            if let g = extra[name] { return g }
            do { return try context.layer(name) } catch let StudyContextError.unknownLayer(name, known) {
                throw StudyContextError.unknownLayer(name, known: known + extra.keys.sorted())
            }
        }
        return FactorLayers(names: names, grids: grids, template: context.dem, area: try context.areaMask())
    }

    /// Cells where every factor (and the DEM) has data, inside the study area or not.
    public var dataValid: [Bool] {
        (0..<template.count).map { i in template.isValid(at: i) && grids.allSatisfy { $0.isValid(at: i) } }
    }

    /// The analysed cells: every factor valid and inside the study area.
    public var valid: [Bool] {
        guard let area else { return dataValid }
        return zip(dataValid, area).map { $0 && $1 }
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

    /// The factors standardised with `moments` as a raster stack for patch networks. Cells outside the
    /// study area keep their data, so a patch at the boundary sees its real neighbours; maps are masked
    /// to the area afterwards (``valid``).
    public func raster(moments: [(mean: Double, sd: Double)]) -> FactorRaster {
        let n = template.count
        var values = [Float](repeating: 0, count: grids.count * n)
        let v = dataValid
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
    /// Each factor's values per cell, NaN where it has none or outside the study area.
    public var columns: [[Double]] {
        let inside = area
        return grids.map { g in (0..<g.count).map { g.isValid(at: $0) && inside?[$0] != false ? Double(g.values[$0]) : .nan } }
    }
}

/// Study B's information-value model (METHODS.md B1) on named factor columns: PCA weights, the factors
/// they keep classed into five, and the information value of each class from the landslide cells.
/// `landslide sample --sampler information-value` and the experiments share it.
package struct InformationValueFit {
    package let pca: PCAWeights
    package let model: InformationValueModel
    /// The kept factors as classed (for each class's value range).
    package let classed: [ClassedFactor]

    package init(names: [String], columns: [[Double]], landslides: [Int], method: ClassedFactor.Method) throws {
        pca = PCAWeights(names: names, columns: columns)
        let kept = pca.kept
        let classed = try zip(names, columns).filter { kept.contains($0.0) }.map {
            try ClassedFactor(name: $0.0, values: $0.1, classes: 5, method: method)
        }
        self.classed = classed
        model = InformationValueModel(factors: classed, landslideCells: landslides)
    }
}

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
    /// Names of 0/1 class indicators (`geology=3`): never standardised (``moments()`` gives 0 and 1).
    public let indicators: Set<String>
    /// Names of categorical layers loaded as their codes (``CategoricalEncoding/codes``).
    public let categorical: Set<String>

    public init(names: [String], grids: [Grid<Float>], template: Grid<Float>, area: [Bool]? = nil,
                indicators: Set<String> = [], categorical: Set<String> = []) {
        self.names = names; self.grids = grids; self.template = template; self.area = area
        self.indicators = indicators; self.categorical = categorical
    }

    /// How a categorical layer (`layers.<name>: {path, type: categorical}`) enters.
    public enum CategoricalEncoding: Sendable {
        /// One 0/1 grid per class but the first (treatment coding), named `layer=code`: what the
        /// networks and the GLM take.
        case indicators
        /// The class codes as one grid: what the information-value model classes, class by class.
        case codes
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
    /// The `lsl` set's DEM equivalents, for a study without SAGA's layers.
    public static let lslFactorsFromDEM = ["slope", "plan_curvature", "profile_curvature", "elevation", "log10_catchment_area"]

    /// Reads or derives the named factors from the study (``StudyContext/layer(_:)``); extra named
    /// grids (e.g. a POF map) may be supplied and win over the study's layers.
    ///
    /// A categorical layer's name gives its class indicators (or, with `.codes`, its codes); a name
    /// `layer=code` gives that one class's indicator (how a saved model names them).
    public static func load(_ context: StudyContext, names: [String], extra: [String: Grid<Float>] = [:],
                            categorical encoding: CategoricalEncoding = .indicators) throws -> FactorLayers {
        let categoricalLayers = context.config.categoricalLayers
        func grid(_ name: String) throws -> Grid<Float> {
            if let g = extra[name] { return g }
            do { return try context.layer(name) } catch let StudyContextError.unknownLayer(name, known) {
                throw StudyContextError.unknownLayer(name, known: known + extra.keys.sorted())
            }
        }
        func indicator(_ layer: Grid<Float>, code: Int) -> Grid<Float> {
            Grid(like: layer, nodata: terrainNodata,
                 values: (0..<layer.count).map { layer.isValid(at: $0) ? (Int(layer.values[$0]) == code ? 1 : 0) : terrainNodata })
        }
        var outNames: [String] = [], grids: [Grid<Float>] = []
        var indicators: Set<String> = [], codes: Set<String> = []
        for name in names {
            if extra[name] == nil, let eq = name.firstIndex(of: "="), categoricalLayers.contains(String(name[..<eq])),
               let code = Int(name[name.index(after: eq)...]) {
                outNames.append(name); grids.append(indicator(try grid(String(name[..<eq])), code: code)); indicators.insert(name)
            } else if extra[name] == nil, categoricalLayers.contains(name) {
                let layer = try grid(name)
                switch encoding {
                case .codes:
                    outNames.append(name); grids.append(layer); codes.insert(name)
                case .indicators:
                    for code in try context.classes(of: name).dropFirst() {
                        let label = "\(name)=\(code)"
                        outNames.append(label); grids.append(indicator(layer, code: code)); indicators.insert(label)
                    }
                }
            } else {
                outNames.append(name); grids.append(try grid(name))
            }
        }
        return FactorLayers(names: outNames, grids: grids, template: context.dem, area: try context.areaMask(),
                            indicators: indicators, categorical: codes)
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
        return zip(names, grids).map { name, g in
            if indicators.contains(name) { return (0, 1) }
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

extension StudyContext {
    /// The factors a model family takes on this study: the config's `factors` list for it, else the
    /// studies' sets — Study A's channels (with `soil_type` where the study has that layer), Study B's 13
    /// terrain factors, and the `lsl` set (or its DEM equivalents where the study lacks SAGA's layers).
    public func factors(for kind: ModelKind) -> [String] {
        let chosen = config.factors
        switch kind {
        case .patchCNN:
            return chosen.patchCNN ?? FactorLayers.studyAChannels + (layerNames.contains("soil_type") ? ["soil_type"] : [])
        case .bp, .lstm, .cnn1D:
            return chosen.networks ?? FactorLayers.studyBTerrainFactors
        case .glm:
            return chosen.glm ?? (FactorLayers.lslFactors.allSatisfy(layerNames.contains) ? FactorLayers.lslFactors
                                                                                        : FactorLayers.lslFactorsFromDEM)
        }
    }

    /// The factors of Study B's information-value model: the networks' (`factors.networks`).
    public var informationValueFactors: [String] { factors(for: .bp) }
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

    /// Categorical factors (their codes in `columns`) take no part in the PCA, are always kept, and are
    /// classed by their codes; continuous ones are weighted by PCA and classed into five by `method`.
    package init(names: [String], columns: [[Double]], landslides: [Int], method: ClassedFactor.Method,
                 categorical: Set<String> = []) throws {
        let started = Date()
        defer { StageClock.shared.add("information value", seconds: Date().timeIntervalSince(started)) }
        let continuous = names.indices.filter { !categorical.contains(names[$0]) }
        pca = PCAWeights(names: continuous.map { names[$0] }, columns: continuous.map { columns[$0] })
        let kept = Set(pca.kept).union(categorical)
        let classed = try zip(names, columns).filter { kept.contains($0.0) }.map {
            try ClassedFactor(name: $0.0, values: $0.1, classes: 5, method: method, categorical: categorical.contains($0.0))
        }
        self.classed = classed
        model = InformationValueModel(factors: classed, landslideCells: landslides)
        self.categorical = categorical
    }

    /// Categorical factors (classed by code, outside the PCA).
    package let categorical: Set<String>

    /// The model on `names` of the study, its categorical layers taken by their codes.
    package init(_ context: StudyContext, names: [String], landslides: [Int], method: ClassedFactor.Method) throws {
        let layers = try FactorLayers.load(context, names: names, categorical: .codes)
        try self.init(names: layers.names, columns: layers.columns, landslides: landslides, method: method,
                      categorical: layers.categorical)
    }
}

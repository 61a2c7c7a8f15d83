import Foundation
import GeoRaster
import Randomness
import Reliability
import StudyCore
import SlopePhysics
import Susceptibility
import Terrain

/// What `landslide sample` reports beside the samples (`<out>.json`).
public struct SampleSummary: Codable, Sendable {
    public struct FactorRow: Codable, Sendable {
        public var factor: String
        /// The factor's PCA weight; null for a categorical layer (classed by code, always kept).
        public var pcaWeight: Double?
        public var kept: Bool
        public var categorical: Bool
        public var informationValues: [Double]
    }

    public var study: String
    public var sampler: String
    public var landslides: Int
    public var negatives: Int
    public var candidates: Int
    public var ratio: Double
    public var minimumSpacingM: Double
    public var exclusionBufferM: Double
    public var seed: UInt64
    /// Sampler-specific settings (buffer, slope limit, threshold and kernels, scenario).
    public var settings: [String: String]
    /// For the information-value sampler: the factors, their PCA weights and IV per class.
    public var factors: [FactorRow]?
}

/// Negative sampling on a study, by any of the samplers of ``SamplerKind``.
public enum SampleRun {
    public struct Options: Sendable {
        public var sampler: SamplerKind = .random
        public var common = SamplingOptions()
        /// The samplers' settings; nil: the study's `samplers` (``StudyConfig/samplers``).
        public var bufferMeters: Double?
        public var maximumSlopeDegrees: Double?
        public var pofThreshold: Float?
        public var kernelOpen: Int?
        public var kernelClose: Int?
        public var scenario: Scenario = .cov010
        /// How the information-value sampler classes its factors.
        public var factorClassing: ClassedFactor.Method = .naturalBreaks
        public init() {}
    }

    public static func run(_ context: StudyContext, options: Options, outputPath: String) throws -> SampleSummary {
        let (config, inputs, dem) = (context.config, context.inputs, context.dem)
        let bufferMeters = options.bufferMeters ?? config.samplers.bufferMeters
        let maximumSlopeDegrees = options.maximumSlopeDegrees ?? config.samplers.slopeMaxDegrees
        let pofThreshold = options.pofThreshold ?? Float(config.samplers.pofThreshold)
        let kernelOpen = options.kernelOpen ?? config.samplers.openKernel
        let kernelClose = options.kernelClose ?? config.samplers.closeKernel
        // Only landslides and candidates inside the study area (when the study has one) take part.
        let area = try context.areaMask()
        let inside = { (c: Int) in area?[c] != false }
        let landslides = Array(Set(inputs.inventoryOnGrid.cellIndices)).filter(inside).sorted()
        let count = Int((options.common.ratio * Double(landslides.count)).rounded())
        // Negatives keep off every landslide cell (all of a polygon's), and off its buffers.
        let footprint = inputs.landslideFootprint
        let base = zip(NegativeSampling.outsideBuffer(dem, landslides: footprint, bufferMeters: options.common.exclusionBufferMeters),
                       dem.validMask.indices).map { $0 && inside($1) }
        var candidates = base
        var settings: [String: String] = [:]
        var factorRows: [SampleSummary.FactorRow]?
        var ivMap: Grid<Float>?
        switch options.sampler {
        case .random:
            break
        case .buffer:
            let outside = NegativeSampling.outsideBuffer(dem, landslides: footprint, bufferMeters: bufferMeters)
            candidates = zip(base, outside).map { $0 && $1 }
            settings["buffer_m"] = String(bufferMeters)
        case .slope:
            let slope = try context.slopeDegrees()
            candidates = (0..<dem.count).map { base[$0] && slope.isValid(at: $0) && Double(slope.values[$0]) <= maximumSlopeDegrees }
            settings["maximum_slope_deg"] = String(maximumSlopeDegrees)
        case .informationValue:
            let names = context.informationValueFactors
            let fit = try InformationValueFit(context, names: names, landslides: landslides, method: options.factorClassing)
            let (pca, model, kept) = (fit.pca, fit.model, fit.pca.kept)
            let valid = model.total.filter { !$0.isNaN }
            let classes = try NaturalBreaks(valid, classes: 5)
            candidates = (0..<dem.count).map { base[$0] && !model.total[$0].isNaN && classes.classIndex(of: model.total[$0]) == 0 }
            factorRows = names.map { name in
                let weight = pca.names.firstIndex(of: name).map { pca.weights[$0] }
                return SampleSummary.FactorRow(factor: name, pcaWeight: weight, kept: kept.contains(name) || fit.categorical.contains(name),
                                               categorical: fit.categorical.contains(name),
                                               informationValues: model.factorNames.firstIndex(of: name).map { model.values[$0] } ?? [])
            }
            settings["very_low_upper_bound"] = String(classes.innerBreaks[0])
            settings["factor_classing"] = options.factorClassing.rawValue
            ivMap = Grid(like: dem, nodata: terrainNodata, values: model.total.map { $0.isNaN ? terrainNodata : Float($0) })
        case .pof:
            let prepared = try PPMRun.inputs(context)
            let map = try PPMRun.reliability(prepared, config: config, scenario: options.scenario, profile: .c)
            let stable = NegativeSampling.pofStableRegion(map.pof, threshold: pofThreshold,
                                                          openSize: kernelOpen, closeSize: kernelClose)
            candidates = zip(base, stable).map { $0 && $1 }
            settings = ["scenario": options.scenario.rawValue, "threshold": String(pofThreshold),
                        "kernel_open": String(kernelOpen), "kernel_close": String(kernelClose)]
        }
        var generator = SeededGenerator(seed: options.common.seed)
        let chosen = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                               cols: dem.cols, count: count, spacingMeters: options.common.minimumSpacingMeters,
                                               avoid: landslides, generator: &generator, sampler: options.sampler.rawValue)
        var csv = "x,y,lslpts\n"
        for (i, c) in zip(inputs.inventoryOnGrid.pointIndices, inputs.inventoryOnGrid.cellIndices) where inside(c) {
            let p = inputs.inventory.points[i]
            csv += "\(p.x),\(p.y),1\n"
        }
        for c in chosen {
            let p = dem.geoTransform.cellCenter(row: c / dem.cols, col: c % dem.cols)
            csv += "\(p.x),\(p.y),0\n"
        }
        let summary = SampleSummary(study: config.name, sampler: options.sampler.rawValue, landslides: landslides.count,
                                    negatives: chosen.count, candidates: candidates.filter { $0 }.count,
                                    ratio: options.common.ratio, minimumSpacingM: options.common.minimumSpacingMeters,
                                    exclusionBufferM: options.common.exclusionBufferMeters, seed: options.common.seed,
                                    settings: settings, factors: factorRows)
        let provenance = Provenance.current(configDigest: config.configDigest, seed: options.common.seed)
        try AtomicFile.write(Data(csv.utf8), to: outputPath)
        try ResultsDocument(provenance: provenance, results: summary).write(to: outputPath + ".json")
        if let ivMap {
            // The total information map, for QGIS and for checking the very-low class.
            try RasterIO.writeGeoTIFF(ivMap, to: outputPath + ".iv.tif", metadata: provenance.geoTIFFMetadata,
                                      bandDescription: "total information value")
        }
        return summary
    }
}

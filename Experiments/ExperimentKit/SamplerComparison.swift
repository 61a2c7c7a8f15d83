import Charts
import Foundation
import GeoRaster
import NeuralNet
import PublishedNumbers
import Randomness
import Stages
import StudyCore
import SummaryStatistics
import SlopePhysics
import Susceptibility
import Terrain

/// Study B's Fig. 8, with Study B's own model and settings: negatives from each of its four samplers —
/// random in the non-landslide area, outside a buffer around the landslides (1,000 m), on slopes at or
/// below a limit (3°), in the very-low class of the information-value model — feed Study B's CNN (the
/// 1-D CNN over its 13 factors, METHODS.md B2); Study A's POF sampler is added beside them. ROC and
/// AUC under (a) the study protocol and (b) the common test, with Study B's published AUC beside ours.
///
/// A setting the data cannot meet (fewer candidate cells than negatives needed: Loja's study area is
/// about 3 × 4 km and steep) is said so, and the nearest feasible value is used: the buffer shrinks by
/// 100 m steps, the slope limit rises by 1° steps. Both values are reported.
public enum SamplerComparison {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        /// Replacements for the study's `samplers.buffer_m` and `slope_max_deg` (whose defaults are
        /// Study B's, METHODS.md B1; published.yaml `sampler_settings`); nil: the study's.
        public var bufferMeters: Double?
        public var maximumSlopeDegrees: Double?
        /// The model trained on every sampler's set (Study B's CNN by default).
        public var model: ModelKind = .cnn1D
        public init() {}
    }

    /// A sampler setting as the study states it and as it was used.
    public struct Setting: Codable, Sendable, Equatable {
        public var name: String
        public var studyValue: Double
        public var usedValue: Double
        /// Candidate cells at the study's value.
        public var candidatesAtStudyValue: Int
        public var feasible: Bool { studyValue == usedValue }
    }

    public struct SamplerResult: Codable, Sendable {
        public var sampler: String
        /// Study B's key for this sampler (nil for Study A's POF sampler).
        public var studyKey: String?
        public var candidateCells: Int
        public var overlapWithRandom: CandidateOverlap
        public var negatives: Int
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
        /// (c) whole spatial blocks held out (NaN where the sampler has too few candidates outside them).
        public var aucSpatialTest: Double
        /// Study B's published AUC (Fig. 8), when it has one for this sampler.
        public var aucReportedByStudy: Double?
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var seed: UInt64
        public var quick: Bool
        public var model: ModelKind
        public var factors: [String]
        public var settings: ModelSettings
        public var samplerSettings: [Setting]
        /// Infeasible settings and samplers that degenerate to another, found by computation.
        public var statements: [String]
        /// Where this run differs from Study B, from the settings actually used.
        public var deviations: [Deviation]
        public var samplers: [SamplerResult]
        /// Every pair of samplers' models on the common test's points (difference of AUC, DeLong's test).
        public var pairedCommonTest: [PairedAUC]
        public var pairedSpatialTest: [PairedAUC]
        public var spatialTest: SpatialTestSummary
        public var figures: [String]
        public var seconds: Double
    }

    /// The largest buffer (study value, then 100 m less each step) and the smallest slope limit (study
    /// value, then 1° more each step) that leave at least `needed` candidates.
    static func feasible(_ name: String, studyValue: Double, step: Double, limit: Double, needed: Int,
                         candidates: (Double) -> [Bool]) -> (setting: Setting, mask: [Bool]) {
        let atStudy = candidates(studyValue)
        let countAtStudy = atStudy.filter { $0 }.count
        var value = studyValue, mask = atStudy, count = countAtStudy
        while count < needed && (step < 0 ? value + step > limit : value + step <= limit) {
            value += step
            mask = candidates(value)
            count = mask.filter { $0 }.count
        }
        return (Setting(name: name, studyValue: studyValue, usedValue: value, candidatesAtStudyValue: countAtStudy), mask)
    }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let names = context.informationValueFactors
        let kind = options.model
        let setup = try ExperimentSetup(context, seed: options.seed, factors: context.factors(for: kind))
        let config = context.config
        let g = setup.generator
        let (dem, factors, moments, valid) = (setup.dem, setup.factors, setup.moments, setup.valid)
        let raster = kind.usesPatches ? setup.raster : nil
        let (landslides, trainingLandslides, common) = (setup.landslides, setup.trainingLandslides, setup.common)
        let needed = trainingLandslides.count
        // Candidate regions: analysed cells, never a landslide cell; the information-value model sees only
        // the training landslides.
        let base = zip(NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: 0), valid).map { $0 && $1 }
        let slope = try context.slopeDegrees()
        let buffer = feasible("buffer (m)", studyValue: options.bufferMeters ?? config.samplers.bufferMeters, step: -100, limit: 0, needed: needed) { b in
            zip(base, NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: b)).map { $0 && $1 }
        }
        let slopeLimit = feasible("maximum slope (°)", studyValue: options.maximumSlopeDegrees ?? config.samplers.slopeMaxDegrees, step: 1, limit: 90, needed: needed) { s in
            (0..<dem.count).map { base[$0] && slope.isValid(at: $0) && Double(slope.values[$0]) <= s }
        }
        var statements: [String] = setup.commonTestStatements
        for s in [buffer.setting, slopeLimit.setting] where !s.feasible {
            statements.append("Study B's \(s.name) of \(Deviations.number(s.studyValue)) leaves \(formatCount(s.candidatesAtStudyValue)) candidate cells "
                              + "for \(needed) negatives on \(config.name); the nearest feasible value, \(Deviations.number(s.usedValue)), is used")
        }
        progress("information-value model on \(names.count) factors (training landslides only)")
        let ivLayers = try FactorLayers.load(context, names: names, categorical: .codes)
        let iv = try InformationValueFit(names: ivLayers.names, columns: ivLayers.columns, landslides: trainingLandslides,
                                         method: .naturalBreaks, categorical: ivLayers.categorical).model
        let ivBreaks = try NaturalBreaks(ClassBreaks.sampled(iv.total.filter { !$0.isNaN }), classes: 5)
        progress("PPM for Study A's POF sampler (config scenario)")
        let prepared = try PPMRun.inputs(context)
        let ppm = try PPMRun.reliability(prepared, config: config, scenario: .config, profile: .c)
        let samplers = config.samplers
        let pofStable = NegativeSampling.pofStableRegion(ppm.pof, threshold: Float(samplers.pofThreshold),
                                                         openSize: samplers.openKernel, closeSize: samplers.closeKernel)
        let reported = PublishedNumbers.shipped.studyB.samplerAuc
        let regions: [(name: String, key: String?, candidates: [Bool])] = [
            ("random", "random", base),
            ("buffer \(Deviations.number(buffer.setting.usedValue)) m", "buffer", buffer.mask),
            ("slope ≤ \(Deviations.number(slopeLimit.setting.usedValue))°", "slope", slopeLimit.mask),
            ("information value (very low)", "information_value", (0..<dem.count).map {
                base[$0] && !iv.total[$0].isNaN && ivBreaks.classIndex(of: iv.total[$0]) == 0 }),
            ("POF < \(Deviations.number(samplers.pofThreshold)), opened and closed (Study A)", nil, zip(base, pofStable).map { $0 && $1 }),
        ]
        var settings = ModelSettings()
        if options.quick {
            if kind.usesPatches { settings.channels = 8; settings.epochs = 4; settings.patience = 2; settings.batchSize = 32 }
            else { settings.epochs = 40; settings.patience = 10 }
        }
        settings = settings.resolved(kind)
        var results: [SamplerResult] = []
        var curvesA: [ROCCurve] = [], curvesB: [ROCCurve] = []
        var maps: [(name: String, scores: [Float])] = []
        var commonScores: [[Double]] = [], spatialScores: [[Double]?] = []
        // Protocol (c): k-means blocks held out; the information-value model refitted without their landslides.
        var spatialGenerator = g.split(.spatialTest)
        let spatial = SpatialTest(landslides: landslides, negatives: setup.commonNegatives, valid: valid, rows: dem.rows, cols: dem.cols,
                                  bufferCells: 17 / 2, generator: &spatialGenerator)
        let ivVeryLowC = try spatial.informationValueVeryLow(names: ivLayers.names, columns: ivLayers.columns,
                                                         categorical: ivLayers.categorical, base: base)
        for (k, region) in regions.enumerated() {
            var samplerGenerator = g.split(.model(k))
            let candidates = region.candidates
            let overlap = CandidateOverlap(candidates, random: base)
            if k > 0, let d = overlap.degeneracy(of: "the \(region.name) sampler") { statements.append(d) }
            progress("\(region.name): \(formatCount(overlap.candidateCells)) candidate cells; training \(kind.rawValue)")
            var negativeGenerator = g.split(.negatives(k))
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                                      cols: dem.cols, count: needed, spacingMeters: 0,
                                                      avoid: landslides, generator: &negativeGenerator, sampler: region.name)
            let set = setup.sampledSet(negatives)
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &samplerGenerator)
            let train = set.subset(split.train), testA = set.subset(split.test)
            let both = SampleSet.cells(testA.cells + common.cells, labels: testA.labels + common.labels, columns: dem.cols)
            let (scores, model) = try TrainRun.fitAndScore(kind, train: train, test: both, factors: factors, raster: raster,
                                                           moments: moments, settings: settings, patch: 17,
                                                           generator: &samplerGenerator)
            progress("\(region.name): susceptibility map")
            maps.append((region.name, try MapRun.score(model, factors: factors)))
            let a = ROC(labels: testA.labels.map(UInt8.init), scores: Array(scores.prefix(testA.cells.count)))
            commonScores.append(Array(scores.dropFirst(testA.cells.count)))
            let b = ROC(labels: common.labels.map(UInt8.init), scores: commonScores[k])
            var modelC = g.split(.spatialModel(k)), negativesC = g.split(.spatialNegatives(k))
            var aucC = Double.nan
            do {
                let (scoresC, _) = try spatial.trainAndScore(kind, candidates: region.key == "information_value" ? ivVeryLowC : candidates,
                                                             sampler: region.name, grid: dem, avoid: landslides, factors: factors,
                                                             raster: raster, moments: moments, settings: settings, patch: 17,
                                                             model: &modelC, negatives: &negativesC)
                aucC = ROC(labels: spatial.test.labels.map(UInt8.init), scores: scoresC).auc
                spatialScores.append(scoresC)
            } catch let error as SamplingError {
                spatialScores.append(nil)
                statements.append("protocol (c): the \(region.name) sampler has \(formatCount(error.candidates)) candidate cells outside the test blocks "
                                  + "for \(error.requested) negatives; it has no (c) score in this replicate")
            }
            results.append(SamplerResult(sampler: region.name, studyKey: region.key, candidateCells: overlap.candidateCells,
                                         overlapWithRandom: overlap, negatives: negatives.count, aucStudyProtocol: a.auc,
                                         aucCommonTest: b.auc, aucSpatialTest: aucC, aucReportedByStudy: region.key.flatMap { reported[$0] }))
            curvesA.append(ROCCurve(label: region.name, falsePositiveRate: a.falsePositiveRate, truePositiveRate: a.truePositiveRate, auc: a.auc))
            curvesB.append(ROCCurve(label: region.name, falsePositiveRate: b.falsePositiveRate, truePositiveRate: b.truePositiveRate, auc: b.auc))
        }
        for line in statements { progress("note: \(line)") }
        var writer = try FigureWriter(outputDirectory)
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        for (name, map) in maps {
            try writer.saveMap(map, on: dem, valid: valid, stem: FigureWriter.stem("\(kind.rawValue) \(name)"),
                               description: "\(kind.rawValue) trained on the \(name) sampler's negatives: susceptibility (score in [0, 1])",
                               config: config, seed: options.seed)
        }
        try save(PanelFigure([ROCChart(curves: curvesA, title: "(a) study protocol"), ROCChart(curves: curvesB, title: "(b) common test")],
                             columns: 2, letters: false), "roc-panels")
        let modelName = kind == .cnn1D ? "Study B's CNN" : kind.rawValue
        try save(BarChart(categories: results.map { $0.studyKey.map { $0.replacingOccurrences(of: "_", with: " ") } ?? "POF (Study A)" },
                          series: [.init(label: "Study B (reported)", values: results.map { $0.aucReportedByStudy ?? .nan }),
                                   .init(label: "Ours: study protocol", values: results.map(\.aucStudyProtocol)),
                                   .init(label: "Ours: common test", values: results.map(\.aucCommonTest))],
                          valueLabel: "AUC", categoryLabel: "Negative sampler", title: "\(config.name): AUC by sampler (\(modelName))",
                          showValues: true, valueDecimals: 2, baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance")),
                 "auc-bars", size: Size(width: 600, height: 320))
        let r = Results(study: config.name, seed: options.seed, quick: options.quick, model: kind, factors: factors.names,
                        settings: settings, samplerSettings: [buffer.setting, slopeLimit.setting], statements: statements,
                        deviations: Deviations.studyBFactors("sampler-comparison", names)
                            + [buffer.setting, slopeLimit.setting].filter { !$0.feasible }.map {
                                Deviation(experiment: "sampler-comparison", item: "sampler \($0.name)", paper: Deviations.number($0.studyValue),
                                          ours: Deviations.number($0.usedValue),
                                          why: "the study's value leaves \(formatCount($0.candidatesAtStudyValue)) candidate cells for \(needed) negatives; the nearest feasible value is used")
                            }
                            + (kind == .cnn1D ? Deviations.studyBEpochs("sampler-comparison", model: "CNN", paper: ModelSettings().resolved(.cnn1D).epochs!, ours: settings.epochs)
                               : [Deviation(experiment: "sampler-comparison", item: "model", paper: "Study B's CNN (1-D, 13 factors)",
                                            ours: "Study A's patch CNN", why: "--model patch-cnn")]),
                        samplers: results,
                        pairedCommonTest: PairedAUC.all(names: results.map(\.sampler), labels: common.labels, scores: commonScores),
                        pairedSpatialTest: PairedAUC.all(names: results.map(\.sampler), labels: spatial.test.labels, scores: spatialScores),
                        spatialTest: spatial.summary,
                        figures: writer.files.sorted(), seconds: setup.seconds)
        try writer.writeResults(r, config: config, seed: options.seed)
        return r
    }
}

extension SamplerComparison {
    /// The AUC bars of a replicated run: each sampler's mean AUC under (a) and (b) with its 95 % interval.
    public static func summaryFigures(_ summary: ReplicateSummary) throws -> [String] {
        let runs = try summary.replicates(as: Results.self)
        guard let first = runs.first else { return [] }
        let n = runs.count
        let a = first.samplers.indices.map { k in Replicated(runs.map { $0.samplers[k].aucStudyProtocol }) }
        let b = first.samplers.indices.map { k in Replicated(runs.map { $0.samplers[k].aucCommonTest }) }
        let c = first.samplers.indices.map { k in Replicated(runs.map { $0.samplers[k].aucSpatialTest }.filter(\.isFinite)) }
        var writer = try FigureWriter(summary.out)
        let modelName = first.model == .cnn1D ? "Study B's CNN" : first.model.rawValue
        try writer.save(BarChart(categories: first.samplers.map { $0.studyKey.map { $0.replacingOccurrences(of: "_", with: " ") } ?? "POF (Study A)" },
                                 series: [.init(label: "Study B (reported)", values: first.samplers.map { $0.aucReportedByStudy ?? .nan }),
                                          .init(label: "(a) study protocol", values: a.map(\.mean), intervals: a.map(\.ci95)),
                                          .init(label: "(b) common test", values: b.map(\.mean), intervals: b.map(\.ci95)),
                                          .init(label: "(c) spatial blocks", values: c.map { $0.n > 0 ? $0.mean : .nan },
                                                intervals: c.map(\.ci95))],
                                 valueLabel: "AUC", categoryLabel: "Negative sampler",
                                 title: "\(first.study): AUC by sampler (\(modelName)), mean and 95 % interval of \(n)",
                                 showValues: true, valueDecimals: 2, baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance")),
                        "auc-bars", size: Size(width: 640, height: 320))
        return writer.files
    }
}

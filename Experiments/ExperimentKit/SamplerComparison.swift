import Charts
import Foundation
import GeoRaster
import NeuralNet
import PublishedNumbers
import Randomness
import Stages
import StudyCore
import SlopePhysics
import Susceptibility
import Terrain

/// Study B's Fig. 8 with Study A's sampler added: negatives from each of the four samplers of Study B
/// (random, buffer, slope, information value) and from Study A's POF sampler feed the same patch CNN;
/// ROC curves and AUC under (a) the study protocol and (b) the common test.
public enum SamplerComparison {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        public var bufferMeters = 500.0
        public var maximumSlopeDegrees = 10.0
        public init() {}
    }

    public struct SamplerResult: Codable, Sendable {
        public var sampler: String
        public var candidateCells: Int
        public var negatives: Int
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var seed: UInt64
        public var quick: Bool
        public var samplers: [SamplerResult]
        public var figures: [String]
        public var seconds: Double
    }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let setup = try ExperimentSetup(context, seed: options.seed, factors: FactorLayers.studyAChannels)
        let config = context.config
        let g = setup.generator
        let (dem, factors, moments, valid) = (setup.dem, setup.factors, setup.moments, setup.valid)
        let raster = setup.raster
        let (landslides, trainingLandslides, common) = (setup.landslides, setup.trainingLandslides, setup.common)
        // Candidate regions (never a landslide cell; the information-value model sees only the training landslides).
        let base = NegativeSampling.outsideBuffer(dem, landslides: landslides, bufferMeters: 0)
        let buffer = NegativeSampling.outsideBuffer(dem, landslides: landslides, bufferMeters: options.bufferMeters)
        let slope = try context.slopeDegrees()
        progress("information-value model on the 13 terrain factors")
        let ivLayers = try FactorLayers.load(context, names: FactorLayers.studyBTerrainFactors)
        let columns = ivLayers.columns
        let iv = try InformationValueFit(names: FactorLayers.studyBTerrainFactors, columns: columns, landslides: trainingLandslides, method: .naturalBreaks).model
        let ivBreaks = try NaturalBreaks(ClassBreaks.sampled(iv.total.filter { !$0.isNaN }), classes: 5)
        progress("PPM for the POF sampler (config scenario)")
        let prepared = try PPMRun.inputs(context)
        let ppm = try ReliabilityMap.compute(slopeDegrees: prepared.slope, soilDepthMeters: prepared.soilDepth, storm: prepared.storm,
                                             uncertainty: try Scenario.config.uncertainty(config), profile: .c)
        let pofStable = NegativeSampling.pofStableRegion(ppm.pof, threshold: 0.5, openSize: 3, closeSize: 3)
        let regions: [(String, [Bool])] = [
            ("random", base),
            ("buffer \(Int(options.bufferMeters)) m", zip(base, buffer).map { $0 && $1 }),
            ("slope ≤ \(Int(options.maximumSlopeDegrees))°", (0..<dem.count).map {
                base[$0] && slope.isValid(at: $0) && Double(slope.values[$0]) <= options.maximumSlopeDegrees }),
            ("information value (very low)", (0..<dem.count).map {
                base[$0] && !iv.total[$0].isNaN && ivBreaks.classIndex(of: iv.total[$0]) == 0 }),
            ("POF < 0.5, opened and closed", zip(base, pofStable).map { $0 && $1 }),
        ]
        var settings = ModelSettings()
        if options.quick { settings.channels = 8; settings.epochs = 4; settings.patience = 2; settings.batchSize = 32 }
        settings = settings.resolved(.patchCNN)
        var results: [SamplerResult] = []
        var curvesA: [ROCCurve] = [], curvesB: [ROCCurve] = []
        for (k, (name, region)) in regions.enumerated() {
            var samplerGenerator = g.split(.model(k))
            let candidates = zip(region, valid).map { $0 && $1 }
            progress("\(name): \(candidates.filter { $0 }.count) candidate cells; training")
            var negativeGenerator = g.split(.negatives(k))
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                                      cols: dem.cols, count: trainingLandslides.count, spacingMeters: 0,
                                                      avoid: landslides, generator: &negativeGenerator, sampler: name)
            let set = setup.sampledSet(negatives)
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &samplerGenerator)
            let train = set.subset(split.train), testA = set.subset(split.test)
            let both = SampleSet.cells(testA.cells + common.cells, labels: testA.labels + common.labels, columns: dem.cols)
            let (scores, _) = try TrainRun.fitAndScore(.patchCNN, train: train, test: both, factors: factors, raster: raster,
                                                       moments: moments, settings: settings, patch: 17,
                                                       generator: &samplerGenerator)
            let a = ROC(labels: testA.labels.map(UInt8.init), scores: Array(scores.prefix(testA.cells.count)))
            let b = ROC(labels: common.labels.map(UInt8.init), scores: Array(scores.dropFirst(testA.cells.count)))
            results.append(SamplerResult(sampler: name, candidateCells: candidates.filter { $0 }.count, negatives: negatives.count,
                                         aucStudyProtocol: a.auc, aucCommonTest: b.auc))
            curvesA.append(ROCCurve(label: name, falsePositiveRate: a.falsePositiveRate, truePositiveRate: a.truePositiveRate, auc: a.auc))
            curvesB.append(ROCCurve(label: name, falsePositiveRate: b.falsePositiveRate, truePositiveRate: b.truePositiveRate, auc: b.auc))
        }
        var writer = try FigureWriter(outputDirectory)
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        try save(PanelFigure([ROCChart(curves: curvesA, title: "(a) study protocol"), ROCChart(curves: curvesB, title: "(b) common test")],
                             columns: 2, letters: false), "roc-panels")
        try save(BarChart(categories: results.map(\.sampler),
                          series: [.init(label: "Study protocol", values: results.map(\.aucStudyProtocol)),
                                   .init(label: "Common test", values: results.map(\.aucCommonTest))],
                          valueLabel: "AUC", categoryLabel: "Negative sampler", title: "\(config.name): AUC by sampler (patch CNN)",
                          showValues: true, valueDecimals: 2), "auc-bars", size: Size(width: 560, height: 320))
        let r = Results(study: config.name, seed: options.seed, quick: options.quick, samplers: results, figures: writer.files.sorted(),
                        seconds: setup.seconds)
        try writer.writeResults(r, config: config, seed: options.seed)
        return r
    }
}

import Foundation
import GeoRaster
import NeuralNet
import Randomness
import StudyCore
import SummaryStatistics
import Susceptibility

/// Scores of one evaluation (a split, a fold, or an external test).
public struct FoldMetrics: Codable, Sendable, Equatable {
    public var repeat_: Int
    public var fold: Int
    public var trainSamples: Int
    public var testSamples: Int
    public var auc: Double
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double
    enum CodingKeys: String, CodingKey {
        case repeat_ = "repeat", fold, trainSamples, testSamples, auc, accuracy, precision, recall, f1
    }
}

public struct TrainSummary: Codable, Sendable {
    public struct Statistic: Codable, Sendable, Equatable { public var mean: Double; public var sd: Double }
    public var study: String
    public var model: String
    public var protocolName: String
    public var factors: [String]
    public var samples: String
    public var landslides: Int
    public var nonLandslides: Int
    public var settings: ModelSettings
    public var seed: UInt64
    public var evaluations: [FoldMetrics]
    /// Folds (or splits) the protocol made, and those left out because their test or training part held
    /// one class only (no AUC): `evaluations` has one entry per fold scored.
    public var foldsPlanned: Int
    public var foldsDropped: Int
    /// Mean and SD over evaluations (for cross-validation: over all folds of all repetitions, as
    /// Brenning 2012 and sperrorest report).
    public var auc: Statistic
    public var accuracy: Statistic
    public var f1: Statistic
    public var seconds: Double
}

public enum TrainRun {
    public struct Options: Sendable {
        public var model: ModelKind = .glm
        public var factors: [String]?
        public var protocolKind: ValidationProtocol = .split
        public var samplesPath: String?
        public var testPath: String?
        public var negatives: Int?
        public var folds = 5
        public var repeats = 1
        public var trainFraction = 0.7
        public var settings = ModelSettings()
        public var seed: UInt64 = 1
        public var patch = 17
        public init() {}
    }

    /// Builds the model's network (nil for the GLM).
    public static func network(_ kind: ModelKind, inputs: Int, settings s: ModelSettings, patch: Int,
                        generator: inout SeededGenerator) -> (float: Network<Float>?, double: Network<Double>?) {
        switch kind {
        case .glm: return (nil, nil)
        case .bp: return (nil, Models.bp(inputs: inputs, hidden: 6, generator: &generator))
        case .lstm: return (Models.lstm(inputs: inputs, hidden: 6, generator: &generator), nil)
        case .cnn1D: return (Models.cnn1D(inputs: inputs, channels: s.channels!, kernel: s.kernel!, generator: &generator), nil)
        case .patchCNN:
            return (Models.patchCNN(inputChannels: inputs, patch: patch, kernel: s.kernel!, channels: s.channels!,
                                    dropout: s.dropout!, generator: &generator), nil)
        }
    }

    /// Input tensor for samples: factor vectors shaped for the model, or patches.
    public static func inputs(_ kind: ModelKind, cells: [Int], factors: FactorLayers, raster: FactorRaster?,
                       moments: [(mean: Double, sd: Double)], patch: Int) -> Tensor<Float> {
        if kind.usesPatches { return raster!.patches(at: cells, size: patch) }
        let v = factors.vectors(at: cells, moments: moments)
        let f = factors.names.count
        let shape = kind == .lstm ? [cells.count, f, 1] : kind == .cnn1D ? [cells.count, 1, f, 1] : [cells.count, f]
        return Tensor(shape: shape, data: v.flatMap { row in row.map { Float($0) } })
    }

    /// Fits on `train` and returns P(landslide) for `test`, and the fitted model.
    /// Timed as the stage "training" (``StageClock``).
    public static func fitAndScore(_ kind: ModelKind, train: SampleSet, test: SampleSet, factors: FactorLayers, raster: FactorRaster?,
                            moments: [(mean: Double, sd: Double)], settings: ModelSettings, patch: Int,
                            generator: inout SeededGenerator) throws -> (scores: [Double], model: TrainedModel) {
        try StageClock.shared.time("training") {
            try fitAndScoreUntimed(kind, train: train, test: test, factors: factors, raster: raster, moments: moments,
                                   settings: settings, patch: patch, generator: &generator)
        }
    }

    static func fitAndScoreUntimed(_ kind: ModelKind, train: SampleSet, test: SampleSet, factors: FactorLayers, raster: FactorRaster?,
                                   moments: [(mean: Double, sd: Double)], settings: ModelSettings, patch: Int,
                                   generator: inout SeededGenerator) throws -> (scores: [Double], model: TrainedModel) {
        var model = TrainedModel(kind: kind, factors: factors.names, means: moments.map(\.mean), sds: moments.map(\.sd),
                                 settings: settings, patch: patch, parameters: [], batchNorm: [])
        if kind == .glm {
            let glm = try LogisticRegression(features: factors.vectors(at: train.cells, moments: moments), labels: train.labels)
            model.parameters = [glm.coefficients]
            return (factors.vectors(at: test.cells, moments: moments).map(glm.probability), model)
        }
        // Early stopping watches 15 % of the training samples; the test samples are never seen.
        let inner = Validation.stratifiedSplit(labels: train.labels, trainFraction: 0.85, generator: &generator)
        let fitSet = train.subset(inner.train), watchSet = train.subset(inner.test)
        let nets = network(kind, inputs: factors.names.count, settings: settings, patch: patch, generator: &generator)
        let xFit = inputs(kind, cells: fitSet.cells, factors: factors, raster: raster, moments: moments, patch: patch)
        let xWatch = inputs(kind, cells: watchSet.cells, factors: factors, raster: raster, moments: moments, patch: patch)
        let xTest = inputs(kind, cells: test.cells, factors: factors, raster: raster, moments: moments, patch: patch)
        if let net = nets.double {
            LevenbergMarquardt(epochs: settings.epochs!).train(
                net, on: LabelledSet(inputs: xFit.converted(), labels: fitSet.labels),
                validation: LabelledSet(inputs: xWatch.converted(), labels: watchSet.labels))
            model.parameters = net.parameters.map(\.value)
            return (net.probabilities(xTest.converted()).map { $0[1] }, model)
        }
        let net = nets.float!
        let options = TrainingOptions(epochs: settings.epochs!, batchSize: settings.batchSize!, patience: settings.patience)
        if kind == .patchCNN {
            Trainer.train(net, on: LabelledSet(inputs: xFit, labels: fitSet.labels),
                          validation: LabelledSet(inputs: xWatch, labels: watchSet.labels),
                          optimizer: SGD<Float>(learningRate: settings.learningRate!, momentum: 0.9, weightDecay: settings.l2!),
                          options: options, generator: &generator)
        } else {
            Trainer.train(net, on: LabelledSet(inputs: xFit, labels: fitSet.labels),
                          validation: LabelledSet(inputs: xWatch, labels: watchSet.labels),
                          optimizer: Adam<Float>(learningRate: settings.learningRate!, weightDecay: settings.l2!),
                          options: options, generator: &generator)
        }
        model.parameters = net.parameters.map { $0.value.map(Double.init) }
        model.batchNorm = net.batchNormState().map { $0.map(Double.init) }
        return (net.probabilities(xTest).map { $0[1] }, model)
    }

    public static func metrics(_ labels: [Int], _ scores: [Double], repeat_: Int, fold: Int, train: Int) -> FoldMetrics {
        let l = labels.map { UInt8($0) }
        let roc = ROC(labels: l, scores: scores)
        let c = ConfusionMetrics(labels: l, scores: scores, threshold: 0.5)
        return FoldMetrics(repeat_: repeat_, fold: fold, trainSamples: train, testSamples: labels.count, auc: roc.auc,
                           accuracy: c.accuracy, precision: c.precision, recall: c.recall, f1: c.f1)
    }

    static func statistic(_ v: [Double]) -> TrainSummary.Statistic {
        .init(mean: v.isEmpty ? 0 : Summary.mean(v), sd: v.count > 1 ? Summary.standardDeviation(v) : 0)
    }

    /// Trains and evaluates a model on a study; writes the metrics JSON to `outputPath` and, when
    /// `modelPath` is given, the model fitted on all samples.
    public static func run(_ context: StudyContext, options: Options, outputPath: String?, modelPath: String? = nil,
                           progress: (String) -> Void = { _ in }) throws -> TrainSummary {
        let start = Date()
        let config = context.config
        let settings = options.settings.resolved(options.model)
        let names = options.factors ?? context.factors(for: options.model)
        let factors = try FactorLayers.load(context, names: names)
        progress("factors: \(factors.names.joined(separator: ", "))"
                 + (factors.indicators.isEmpty ? "" : " (categorical layers as 0/1 indicators of their classes but the first)"))
        let moments = factors.moments()
        let valid = factors.valid
        let raster = options.model.usesPatches ? factors.raster(moments: moments) : nil
        var generator = SeededGenerator(seed: options.seed)
        var samples = try SampleSet.load(context, path: options.samplesPath, valid: valid)
        if let n = options.negatives { samples = samples.balanced(negatives: n, generator: &generator) }
        guard samples.landslides > 0, samples.nonLandslides > 0 else {
            throw SampleError.oneClass(file: samples.source, landslides: samples.landslides, nonLandslides: samples.nonLandslides)
        }
        progress("samples: \(samples.landslides) landslides, \(samples.nonLandslides) non-landslides from \(samples.source)")
        var evaluations: [FoldMetrics] = []
        var planned = 0, dropped = 0
        func evaluate(_ train: SampleSet, _ test: SampleSet, repeat_: Int, fold: Int) throws {
            let (scores, _) = try fitAndScore(options.model, train: train, test: test, factors: factors, raster: raster,
                                              moments: moments, settings: settings, patch: options.patch, generator: &generator)
            let m = metrics(test.labels, scores, repeat_: repeat_, fold: fold, train: train.labels.count)
            planned += 1
            evaluations.append(m)
            progress(String(format: "repeat %d fold %d: AUC %.4f (train %d, test %d)", repeat_ + 1, fold + 1, m.auc,
                            m.trainSamples, m.testSamples))
        }
        switch options.protocolKind {
        case .split:
            for r in 0..<options.repeats {
                let s = Validation.stratifiedSplit(labels: samples.labels, trainFraction: options.trainFraction, generator: &generator)
                try evaluate(samples.subset(s.train), samples.subset(s.test), repeat_: r, fold: 0)
            }
        case .external:
            let test = try SampleSet.load(context, path: options.testPath, valid: valid)
            try evaluate(samples, test, repeat_: 0, fold: 0)
        case .cv, .spatialCV:
            guard options.folds <= min(samples.landslides, samples.nonLandslides) else {
                throw SampleError.tooManyFolds(file: samples.source, folds: options.folds, landslides: samples.landslides,
                                               nonLandslides: samples.nonLandslides)
            }
            for r in 0..<options.repeats {
                let folds = options.protocolKind == .cv
                    ? Validation.randomFolds(count: samples.cells.count, k: options.folds, generator: &generator)
                    : Validation.spatialFolds(x: samples.x, y: samples.y, k: options.folds, generator: &generator)
                for (f, testIdx) in folds.enumerated() {
                    let testSet = Set(testIdx)
                    let test = samples.subset(testIdx), train = samples.subset(samples.cells.indices.filter { !testSet.contains($0) })
                    // A fold holding one class only has no AUC; it is skipped and counted (foldsDropped).
                    guard Set(test.labels).count == 2, Set(train.labels).count == 2 else {
                        planned += 1
                        dropped += 1
                        progress("repeat \(r + 1) fold \(f + 1): dropped (its \(Set(test.labels).count < 2 ? "test" : "training") part holds one class only)")
                        continue
                    }
                    try evaluate(train, test, repeat_: r, fold: f)
                }
            }
        }
        if evaluations.isEmpty { throw SampleError.noFoldEvaluated(file: samples.source, folds: options.folds) }
        if let modelPath {
            progress("fitting on all \(samples.cells.count) samples for \(modelPath)")
            let (_, model) = try fitAndScore(options.model, train: samples, test: samples.subset([0]), factors: factors,
                                             raster: raster, moments: moments, settings: settings, patch: options.patch,
                                             generator: &generator)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try AtomicFile.write(try encoder.encode(model), to: modelPath)
        }
        let summary = TrainSummary(study: config.name, model: options.model.rawValue, protocolName: options.protocolKind.rawValue,
                                   factors: factors.names, samples: samples.source, landslides: samples.landslides,
                                   nonLandslides: samples.nonLandslides, settings: settings, seed: options.seed,
                                   evaluations: evaluations, foldsPlanned: planned, foldsDropped: dropped,
                                   auc: statistic(evaluations.map(\.auc)),
                                   accuracy: statistic(evaluations.map(\.accuracy)), f1: statistic(evaluations.map(\.f1)),
                                   seconds: RecordedTime.seconds(since: start))
        if let outputPath {
            try ResultsDocument(provenance: Provenance.current(configDigest: config.configDigest, seed: options.seed),
                                results: summary).write(to: outputPath)
        }
        return summary
    }
}


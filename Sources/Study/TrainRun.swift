import Foundation
import GeoRaster
import NeuralNet
import Randomness
import Susceptibility

/// The models `landslide train` fits.
public enum ModelKind: String, CaseIterable, Sendable, Codable {
    /// Logistic regression (binomial GLM), the field's baseline.
    case glm
    /// Study B's 13–6–2 back-propagation network, Levenberg–Marquardt.
    case bp
    /// Study B's LSTM over the factor vector.
    case lstm
    /// Study B's 1-D CNN over the factor vector.
    case cnn1D = "cnn-1d"
    /// Study A's 17 × 17 patch CNN.
    case patchCNN = "patch-cnn"

    public var usesPatches: Bool { self == .patchCNN }
    /// The factors a model uses unless told otherwise.
    public var defaultFactors: [String] {
        switch self {
        case .glm: FactorLayers.lslFactors
        case .bp, .lstm, .cnn1D: SampleRun.terrainFactors
        case .patchCNN: FactorLayers.studyAChannels
        }
    }
}

/// How a model is evaluated (F5, F7: the studies' own protocol and the alternatives).
public enum ValidationProtocol: String, CaseIterable, Sendable, Codable {
    /// The studies' random 70/30 split (stratified by class).
    case split
    /// Train on the samples, test on a fixed external set (`--test`).
    case external
    /// Conventional k-fold cross-validation, repeated.
    case cv
    /// Spatial k-fold cross-validation (k-means on coordinates), repeated.
    case spatialCV = "spatial-cv"
}

/// Hyperparameters; nil means the model's published default (METHODS.md A5 Table 1 "best", B2).
public struct ModelSettings: Sendable, Codable, Equatable {
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var l2: Double?
    public var dropout: Double?
    public var kernel: Int?
    public var channels: Int?
    public var patience: Int?
    public init() {}

    public func resolved(_ kind: ModelKind) -> ModelSettings {
        var s = self
        switch kind {
        case .glm: break
        case .bp: s.epochs = epochs ?? 1000
        case .lstm:
            s.epochs = epochs ?? 1000; s.batchSize = batchSize ?? 100; s.learningRate = learningRate ?? 1e-4
            s.l2 = l2 ?? 0; s.patience = patience ?? 50
        case .cnn1D:
            s.epochs = epochs ?? 500; s.batchSize = batchSize ?? 128; s.learningRate = learningRate ?? 5e-4
            s.l2 = l2 ?? 1e-4; s.channels = channels ?? 16; s.kernel = kernel ?? 3; s.patience = patience ?? 50
        case .patchCNN:
            // Table 1's best values, but L2 at its range's top (the printed best, 0.1, lies outside it).
            s.epochs = epochs ?? 40; s.batchSize = batchSize ?? 64; s.learningRate = learningRate ?? 5.6e-3
            s.l2 = l2 ?? 1e-2; s.dropout = dropout ?? 0; s.kernel = kernel ?? 3; s.channels = channels ?? 64
            s.patience = patience ?? 10
        }
        return s
    }
}

public enum SampleError: Error, CustomStringConvertible, Equatable {
    case noSamples(config: String)
    case badLabel(file: String, column: String, value: Double)
    case oneClass(file: String, landslides: Int, nonLandslides: Int)
    public var description: String {
        switch self {
        case let .noSamples(config):
            "\(config): no evaluation_points to train on; give --samples FILE (a CSV with x, y, lslpts, e.g. from `landslide sample`)"
        case let .badLabel(file, column, value): "\(file): column \(column) holds \(value); expected 0 or 1"
        case let .oneClass(file, l, n):
            "\(file): \(l) landslides and \(n) non-landslides on valid cells; both classes are needed to train"
        }
    }
}

/// Labelled sample cells of a study, with their map coordinates.
public struct SampleSet: Sendable {
    public var cells: [Int]
    public var labels: [Int]
    public var x: [Double]
    public var y: [Double]
    public var source: String

    public var landslides: Int { labels.filter { $0 == 1 }.count }
    public var nonLandslides: Int { labels.count - landslides }

    public func subset(_ idx: [Int]) -> SampleSet {
        SampleSet(cells: idx.map { cells[$0] }, labels: idx.map { labels[$0] }, x: idx.map { x[$0] }, y: idx.map { y[$0] },
                  source: source)
    }

    /// Points from a CSV with x, y and a 0/1 label column (e.g. `landslide sample` output) or the
    /// study's evaluation points; located on the DEM, points off the grid dropped, cells where a
    /// factor is missing dropped.
    public static func load(_ config: StudyConfig, dem: Grid<Float>, path: String?, labelColumn: String = "lslpts",
                            valid: [Bool]) throws -> SampleSet {
        let points: PointSet, column: String, source: String
        if let path {
            points = try VectorIO.readPoints(path, options: PointReadOptions(assumedCRS: dem.crs))
            column = labelColumn; source = path
        } else if let ev = config.evaluationPoints {
            points = try VectorIO.readPoints(ev.path, options: try ev.readOptions())
            column = ev.labelColumn!; source = ev.path
        } else {
            throw SampleError.noSamples(config: config.configPath)
        }
        let onGrid = try dem.locate(points, policy: .drop, gridName: config.demPath)
        let labels = try points.numericColumn(column)
        var set = SampleSet(cells: [], labels: [], x: [], y: [], source: source)
        for (k, i) in onGrid.pointIndices.enumerated() where valid[onGrid.cellIndices[k]] {
            guard labels[i] == 0 || labels[i] == 1 else {
                throw SampleError.badLabel(file: source, column: column, value: labels[i])
            }
            set.cells.append(onGrid.cellIndices[k]); set.labels.append(Int(labels[i]))
            set.x.append(points.points[i].x); set.y.append(points.points[i].y)
        }
        return set
    }

    /// Keeps every landslide and `count` non-landslides chosen at random (e.g. 175 + 175, the lsl set).
    public func balanced(negatives count: Int, generator: inout SeededGenerator) -> SampleSet {
        let neg = labels.indices.filter { labels[$0] == 0 }
        let order = Trainer.permutation(neg.count, generator: &generator)
        let keep = Set(order.prefix(count).map { neg[$0] })
        return subset(labels.indices.filter { labels[$0] == 1 || keep.contains($0) })
    }
}

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
    /// Mean and SD over evaluations (for cross-validation: over all folds of all repetitions, as
    /// Brenning 2012 and sperrorest report).
    public var auc: Statistic
    public var accuracy: Statistic
    public var f1: Statistic
    public var seconds: Double
}

/// A fitted model: what `landslide map` needs to score every cell.
public struct TrainedModel: Codable, Sendable {
    public var kind: ModelKind
    public var factors: [String]
    public var means: [Double]
    public var sds: [Double]
    public var settings: ModelSettings
    public var patch: Int
    /// Network parameters (in `Network.parameters` order) or the GLM's coefficients as one array.
    public var parameters: [[Double]]
    /// Batch-norm running means and variances, alternating.
    public var batchNorm: [[Double]]
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
    public static func fitAndScore(_ kind: ModelKind, train: SampleSet, test: SampleSet, factors: FactorLayers, raster: FactorRaster?,
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
        let m = v.reduce(0, +) / Double(max(1, v.count))
        let sd = v.count > 1 ? (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot() : 0
        return .init(mean: m, sd: sd)
    }

    /// Trains and evaluates a model on a study; writes the metrics JSON to `outputPath` and, when
    /// `modelPath` is given, the model fitted on all samples.
    public static func run(_ config: StudyConfig, options: Options, outputPath: String?, modelPath: String? = nil,
                           progress: (String) -> Void = { _ in }) throws -> TrainSummary {
        let start = Date()
        let inputs = try StudyInputs.load(config)
        let settings = options.settings.resolved(options.model)
        let names = options.factors ?? options.model.defaultFactors
        progress("factors: \(names.joined(separator: ", "))")
        let factors = try FactorLayers.load(config, dem: inputs.dem, names: names)
        let moments = factors.moments()
        let valid = factors.valid
        let raster = options.model.usesPatches ? factors.raster(moments: moments) : nil
        var generator = SeededGenerator(seed: options.seed)
        var samples = try SampleSet.load(config, dem: inputs.dem, path: options.samplesPath, valid: valid)
        if let n = options.negatives { samples = samples.balanced(negatives: n, generator: &generator) }
        guard samples.landslides > 0, samples.nonLandslides > 0 else {
            throw SampleError.oneClass(file: samples.source, landslides: samples.landslides, nonLandslides: samples.nonLandslides)
        }
        progress("samples: \(samples.landslides) landslides, \(samples.nonLandslides) non-landslides from \(samples.source)")
        var evaluations: [FoldMetrics] = []
        func evaluate(_ train: SampleSet, _ test: SampleSet, repeat_: Int, fold: Int) throws {
            let (scores, _) = try fitAndScore(options.model, train: train, test: test, factors: factors, raster: raster,
                                              moments: moments, settings: settings, patch: options.patch, generator: &generator)
            let m = metrics(test.labels, scores, repeat_: repeat_, fold: fold, train: train.labels.count)
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
            let test = try SampleSet.load(config, dem: inputs.dem, path: options.testPath, valid: valid)
            try evaluate(samples, test, repeat_: 0, fold: 0)
        case .cv, .spatialCV:
            for r in 0..<options.repeats {
                let folds = options.protocolKind == .cv
                    ? Validation.randomFolds(count: samples.cells.count, k: options.folds, generator: &generator)
                    : Validation.spatialFolds(x: samples.x, y: samples.y, k: options.folds, generator: &generator)
                for (f, testIdx) in folds.enumerated() {
                    let testSet = Set(testIdx)
                    let test = samples.subset(testIdx), train = samples.subset(samples.cells.indices.filter { !testSet.contains($0) })
                    // A fold holding one class only has no AUC; it is skipped and counted out.
                    guard Set(test.labels).count == 2, Set(train.labels).count == 2 else { continue }
                    try evaluate(train, test, repeat_: r, fold: f)
                }
            }
        }
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
                                   factors: names, samples: samples.source, landslides: samples.landslides,
                                   nonLandslides: samples.nonLandslides, settings: settings, seed: options.seed,
                                   evaluations: evaluations, auc: statistic(evaluations.map(\.auc)),
                                   accuracy: statistic(evaluations.map(\.accuracy)), f1: statistic(evaluations.map(\.f1)),
                                   seconds: Date().timeIntervalSince(start))
        if let outputPath {
            try ResultsDocument(provenance: Provenance.current(configDigest: config.configDigest, seed: options.seed),
                                results: summary).write(to: outputPath)
        }
        return summary
    }
}

/// Scoring every cell of a study with a trained model (`landslide map`).
public enum MapRun {
    public enum MapError: Error, CustomStringConvertible {
        case modelMismatch(String)
        public var description: String { switch self { case let .modelMismatch(s): "model file: \(s)" } }
    }

    /// Reads a model written by `landslide train --save-model`.
    public static func readModel(_ path: String) throws -> TrainedModel {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(TrainedModel.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw MapError.modelMismatch("\(path) is not a model written by `landslide train --save-model` (\(error))")
        }
    }

    /// P(landslide) per cell (NaN where a factor is missing), as a grid like the DEM.
    public static func run(_ config: StudyConfig, model: TrainedModel, progress: (String) -> Void = { _ in }) throws -> Grid<Float> {
        let inputs = try StudyInputs.load(config)
        let factors = try FactorLayers.load(config, dem: inputs.dem, names: model.factors)
        let scores = try score(model, factors: factors, progress: progress)
        let nodata: Float = -9999
        return Grid(like: inputs.dem, nodata: nodata, values: scores.map { $0.isNaN ? nodata : $0 })
    }

    /// P(landslide) for every cell of `factors` (NaN where a factor is missing).
    public static func score(_ model: TrainedModel, factors: FactorLayers, progress: (String) -> Void = { _ in }) throws -> [Float] {
        let moments = zip(model.means, model.sds).map { (mean: $0, sd: $1) }
        let valid = factors.valid
        let cells = valid.indices.filter { valid[$0] }
        var scores = [Float](repeating: .nan, count: valid.count)
        var g = SeededGenerator(seed: 0)
        switch model.kind {
        case .glm:
            guard let beta = model.parameters.first, beta.count == model.factors.count + 1 else {
                throw MapError.modelMismatch("GLM needs \(model.factors.count + 1) coefficients")
            }
            for (c, v) in zip(cells, factors.vectors(at: cells, moments: moments)) {
                var eta = beta[0]
                for k in v.indices { eta += beta[k + 1] * v[k] }
                scores[c] = Float(1 / (1 + exp(-eta)))
            }
        case .bp:
            let net = TrainRun.network(.bp, inputs: model.factors.count, settings: model.settings, patch: model.patch, generator: &g).double!
            try load(net.parameters, model)
            let x = TrainRun.inputs(.bp, cells: cells, factors: factors, raster: nil, moments: moments, patch: model.patch)
            for (c, p) in zip(cells, net.probabilities(x.converted())) { scores[c] = Float(p[1]) }
        case .lstm, .cnn1D, .patchCNN:
            let net = TrainRun.network(model.kind, inputs: model.factors.count, settings: model.settings, patch: model.patch,
                                       generator: &g).float!
            try load(net.parameters, model)
            net.restoreBatchNormState(model.batchNorm.map { $0.map { Float($0) } })
            if model.kind == .patchCNN {
                progress("dense map over \(cells.count) cells")
                scores = try DenseMap.probabilities(net, factors: factors.raster(moments: moments))
            } else {
                let x = TrainRun.inputs(model.kind, cells: cells, factors: factors, raster: nil, moments: moments, patch: model.patch)
                for (c, p) in zip(cells, net.probabilities(x)) { scores[c] = Float(p[1]) }
            }
        }
        return scores
    }

    static func load<S: NetScalar>(_ params: [Parameter<S>], _ model: TrainedModel) throws {
        guard params.count == model.parameters.count,
              zip(params, model.parameters).allSatisfy({ $0.value.count == $1.count }) else {
            throw MapError.modelMismatch("parameter shapes do not match a \(model.kind.rawValue) on \(model.factors.count) factors")
        }
        for (p, v) in zip(params, model.parameters) { p.value = v.map { S($0) } }
    }
}

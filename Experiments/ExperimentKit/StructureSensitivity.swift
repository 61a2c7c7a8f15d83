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

/// Study A's structure sensitivity (Fig. 8) and hyperparameter search (Fig. 4, Table 1): a Latin-
/// hypercube design of runs over (POF threshold, opening kernel, closing kernel), each a PPM-CNN
/// whose negatives come from that cleaned stable region; AUC per run, the Pearson correlation of AUC
/// with each parameter (beside Study A's, from the published numbers), Shapley values of a GP surrogate of AUC
/// (beeswarm); and Bayesian optimisation of the CNN's hyperparameters over Table 1's space.
///
/// The design runs use a reduced network (``designNetwork``), said in the results. Bayesian optimisation
/// tunes on a validation split of the training part (70/30 of the 70 %), never on a test set; its best
/// setting then trains a final model on the whole training part, whose AUC on the held-back 30 % and on
/// the common test is reported.
public enum StructureSensitivity {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        public var runs = 30
        public var optimizationEvaluations = 15
        /// The seed of the design (the Latin hypercube and its surrogate); nil: the run's seed. Replicates
        /// share the run's design, so that run i is the same setting in every replicate.
        public var designSeed: UInt64?
        public init() {}
    }

    public struct Run: Codable, Sendable {
        public var threshold: Double
        public var kernelOpen: Int
        public var kernelClose: Int
        /// The run's sampler against the random sampler (a threshold and kernels that erase every unstable
        /// patch leave the random sampler's candidates).
        public var overlapWithRandom: CandidateOverlap
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
    }

    /// The model trained with the optimiser's best setting, and its test AUCs.
    public struct FinalModel: Codable, Sendable {
        public var settings: ModelSettings
        public var trainingSamples: Int
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var seed: UInt64
        public var quick: Bool
        /// The network of the design runs (reduced from Table 1's best), and what the paper should say about it.
        public var designNetwork: ModelSettings
        public var statements: [String]
        /// Where this run differs from Study A, from the settings actually used.
        public var deviations: [Deviation]
        public var runs: [Run]
        /// Pearson r of AUC (common test) with threshold, kernel open, kernel close; Study A's beside.
        public var pearson: [String: Double]
        public var pearsonReportedByStudy: [String: Double]
        public var meanAbsoluteShapley: [String: Double]
        public var optimization: [[String: Double]]
        public var optimizationBestSoFar: [Double]
        public var bestHyperparameters: [String: Double]
        /// Samples the optimiser trained on and validated on (both from the training part).
        public var optimisationTrainingSamples: Int
        public var optimisationValidationSamples: Int
        public var finalModel: FinalModel
        public var table1Best: [String: Double]
        public var figures: [String]
        public var seconds: Double
    }

    static let kernels = [1, 3, 5, 7, 9]

    static func pearson(_ x: [Double], _ y: [Double]) -> Double { Summary.pearson(x, y) }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let setup = try ExperimentSetup(context, seed: options.seed, factors: context.factors(for: .patchCNN))
        let config = context.config
        let published = PublishedNumbers.shipped.studyA
        let g = setup.generator
        let (dem, factors, moments, valid) = (setup.dem, setup.factors, setup.moments, setup.valid)
        let raster = setup.raster
        let (landslides, trainingLandslides, common) = (setup.landslides, setup.trainingLandslides, setup.common)
        progress("PPM (config scenario)")
        let prepared = try PPMRun.inputs(context)
        let ppm = try PPMRun.reliability(prepared, config: config, scenario: .config, profile: .c)
        let base = NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: 0)
        // The design runs use a reduced network (16 channels, 15 epochs; quick: 8, 3), said in the results.
        var designSettings = ModelSettings()
        designSettings.channels = options.quick ? 8 : 16
        designSettings.epochs = options.quick ? 3 : 15
        designSettings.patience = options.quick ? 2 : 5
        designSettings.batchSize = 32
        designSettings = designSettings.resolved(.patchCNN)

        let randomCandidates = (0..<dem.count).map { base[$0] && valid[$0] }
        func sampledSet(threshold: Double, open: Int, close: Int, stream: ExperimentStream) throws -> (SampleSet, CandidateOverlap) {
            var negativeGenerator = g.split(stream)
            let stable = NegativeSampling.pofStableRegion(ppm.pof, threshold: Float(threshold), openSize: open, closeSize: close)
            let candidates = (0..<dem.count).map { base[$0] && stable[$0] && valid[$0] }
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows, cols: dem.cols,
                                                      count: trainingLandslides.count, spacingMeters: 0, avoid: landslides, generator: &negativeGenerator,
                                                      sampler: "pof")
            return (setup.sampledSet(negatives), CandidateOverlap(candidates, random: randomCandidates))
        }
        func evaluate(_ set: SampleSet, settings: ModelSettings, generator g: inout SeededGenerator) throws -> (a: Double, b: Double) {
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &g)
            let train = set.subset(split.train), testA = set.subset(split.test)
            let both = SampleSet.cells(testA.cells + common.cells, labels: testA.labels + common.labels, columns: dem.cols)
            let (scores, _) = try TrainRun.fitAndScore(.patchCNN, train: train, test: both, factors: factors, raster: raster,
                                                       moments: moments, settings: settings, patch: 17, generator: &g)
            return (ROC(labels: testA.labels.map(UInt8.init), scores: Array(scores.prefix(testA.cells.count))).auc,
                    ROC(labels: common.labels.map(UInt8.init), scores: Array(scores.dropFirst(testA.cells.count))).auc)
        }
        // Latin hypercube over (threshold ∈ [0.3, 0.9], open ∈ kernels, close ∈ kernels).
        let n = options.quick ? min(options.runs, 8) : options.runs
        // The design (strata, jitter, surrogate, optimiser) draws from one stream; run i trains on its own.
        var design = options.designSeed.map { SeededGenerator(seed: $0).split(.design) } ?? g.split(.design)
        let strata = (0..<3).map { _ in Trainer.permutation(n, generator: &design) }
        var runs: [Run] = []
        for i in 0..<n {
            let u = (0..<3).map { (Double(strata[$0][i]) + design.nextUnit()) / Double(n) }
            let threshold = 0.3 + 0.6 * u[0]
            let open = kernels[min(kernels.count - 1, Int(u[1] * Double(kernels.count)))]
            let close = kernels[min(kernels.count - 1, Int(u[2] * Double(kernels.count)))]
            let (set, overlap) = try sampledSet(threshold: threshold, open: open, close: close, stream: .negatives(i))
            var runGenerator = g.split(.model(i))
            let auc = try evaluate(set, settings: designSettings, generator: &runGenerator)
            runs.append(Run(threshold: threshold, kernelOpen: open, kernelClose: close, overlapWithRandom: overlap, aucStudyProtocol: auc.a, aucCommonTest: auc.b))
            progress(String(format: "run %d/%d: threshold %.2f, open %d, close %d → AUC %.3f (a), %.3f (b)", i + 1, n, threshold,
                            open, close, auc.a, auc.b))
        }
        let names = ["threshold", "kernel_open", "kernel_close"]
        let x = runs.map { [$0.threshold, Double($0.kernelOpen), Double($0.kernelClose)] }
        let auc = runs.map(\.aucCommonTest)
        var r: [String: Double] = [:]
        for (k, name) in names.enumerated() { r[name] = pearson(x.map { $0[k] }, auc) }
        // Shapley values of a GP surrogate of AUC over the unit-scaled parameters.
        let unit = x.map { [($0[0] - 0.3) / 0.6, ($0[1] - 1) / 8, ($0[2] - 1) / 8] }
        let gp = GaussianProcess(inputs: unit, targets: auc, generator: &design)
        let surrogate: Shapley.Model = { $0.map { gp.predict($0).mean } }
        let shap = unit.map { Shapley.exact($0, background: unit, model: surrogate).values }
        var meanAbs: [String: Double] = [:]
        for (k, name) in names.enumerated() { meanAbs[name] = shap.map { abs($0[k]) }.reduce(0, +) / Double(shap.count) }
        // Bayesian optimisation of the CNN's hyperparameters over Table 1's space, on the Y1 sampled set:
        // 70/30 into training and test parts; the optimiser sees the training part only, split again
        // 70/30 into fitting and validation (objective 1 − validation AUC).
        let y1 = try sampledSet(threshold: 0.5, open: 3, close: 3, stream: .optimisationNegatives).0
        var og = g.split(.optimisation)
        let outer = Validation.stratifiedSplit(labels: y1.labels, trainFraction: 0.7, generator: &og)
        let trainingPart = y1.subset(outer.train), testPart = y1.subset(outer.test)
        let inner = Validation.stratifiedSplit(labels: trainingPart.labels, trainFraction: 0.7, generator: &og)
        let fitting = trainingPart.subset(inner.train), validation = trainingPart.subset(inner.test)
        func validationAUC(_ settings: ModelSettings, generator g: inout SeededGenerator) throws -> Double {
            let (scores, _) = try TrainRun.fitAndScore(.patchCNN, train: fitting, test: validation, factors: factors, raster: raster,
                                                       moments: moments, settings: settings, patch: 17, generator: &g)
            return ROC(labels: validation.labels.map(UInt8.init), scores: scores).auc
        }
        let dims: [SearchDimension] = [.choice("kernel_size", [2, 3, 4, 5]), .logReal("initial_learning_rate", 1e-5...1e-1),
                                       .logReal("l2_factor", 1e-6...1e-2), .real("dropout", 0...0.5),
                                       .choice("channels", options.quick ? [8, 16] : [32, 64, 128])]
        let bo = BayesianOptimizer(dimensions: dims, initialPoints: options.quick ? 2 : 5)
        var boError: Error?
        let trace = bo.minimize(evaluations: options.quick ? 3 : options.optimizationEvaluations, generator: &design, objective: { p in
            var s = ModelSettings()
            s.kernel = Int(p[0]); s.learningRate = p[1]; s.l2 = p[2]; s.dropout = p[3]; s.channels = Int(p[4])
            s.epochs = options.quick ? 2 : 10; s.patience = 3; s.batchSize = 32
            do { return 1 - (try validationAUC(s.resolved(.patchCNN), generator: &og)) } catch { boError = error; return 1 }
        }, progress: { i, p, v in
            progress(String(format: "optimisation %d: kernel %.0f, lr %.2e, L2 %.2e, dropout %.2f, channels %.0f → AUC %.3f",
                            i, p[0], p[1], p[2], p[3], p[4], 1 - v))
        })
        if let boError { throw boError }
        let best = trace.best!.point
        // The final model: the best setting, trained on the whole training part, tested on the held-back
        // 30 % (study protocol) and on the common test.
        var finalSettings = ModelSettings()
        finalSettings.kernel = Int(best[0]); finalSettings.learningRate = best[1]; finalSettings.l2 = best[2]
        finalSettings.dropout = best[3]; finalSettings.channels = Int(best[4])
        if options.quick { finalSettings.epochs = 2; finalSettings.patience = 2; finalSettings.batchSize = 32 }
        finalSettings = finalSettings.resolved(.patchCNN)
        progress("final model with the best setting on the whole training part")
        let finalBoth = SampleSet.cells(testPart.cells + common.cells, labels: testPart.labels + common.labels, columns: dem.cols)
        var finalGenerator = g.split(.model(n))
        let (finalScores, _) = try TrainRun.fitAndScore(.patchCNN, train: trainingPart, test: finalBoth, factors: factors, raster: raster,
                                                        moments: moments, settings: finalSettings, patch: 17, generator: &finalGenerator)
        let finalModel = FinalModel(
            settings: finalSettings, trainingSamples: trainingPart.cells.count,
            aucStudyProtocol: ROC(labels: testPart.labels.map(UInt8.init), scores: Array(finalScores.prefix(testPart.cells.count))).auc,
            aucCommonTest: ROC(labels: common.labels.map(UInt8.init), scores: Array(finalScores.dropFirst(testPart.cells.count))).auc)
        let full = ModelSettings().resolved(.patchCNN)
        var statements = setup.commonTestStatements + [
            "the \(n) design runs use a reduced network (\(designSettings.channels!) channels, \(designSettings.epochs!) epochs, batch "
                + "\(designSettings.batchSize!)) instead of Table 1's best (\(full.channels!) channels, \(full.epochs!) epochs, batch "
                + "\(full.batchSize!)): the design asks how the sampler's settings move AUC, and \(n) full trainings would dominate the run",
            "Bayesian optimisation tunes on a validation split of the training part (\(fitting.cells.count) fitting, "
                + "\(validation.cells.count) validation samples), never on a test set; its best setting trains the final model on all "
                + "\(trainingPart.cells.count) training samples",
        ]
        let degenerate = runs.filter(\.overlapWithRandom.equalsRandom)
        if !degenerate.isEmpty {
            statements.append("\(degenerate.count) of the \(n) design runs (thresholds "
                              + degenerate.map { String(format: "%.2f", $0.threshold) }.joined(separator: ", ")
                              + ") have the random sampler's candidates: opening erased every unstable patch")
        }
        for line in statements { progress("note: \(line)") }
        // Figures.
        var writer = try FigureWriter(outputDirectory)
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        let columns = x.indices.map { i in x[i] + [auc[i]] }
        let labels = ["Threshold", "Kernel (open)", "Kernel (close)", "AUC"]
        let matrix = (0..<4).map { a in (0..<4).map { b in pearson(columns.map { $0[a] }, columns.map { $0[b] }) } }
        try save(HeatmapChart(labels: labels, matrix: matrix, title: "\(config.name): Pearson r over \(n) runs"), "pearson-heatmap")
        try save(BeeswarmChart(features: names.indices.map { k in
            BeeswarmChart.Feature(name: labels[k], shapValues: shap.map { $0[k] }, featureValues: x.map { $0[k] }) },
                               valueLabel: "SHAP value (impact on AUC)", title: "\(config.name): what drives AUC (GP surrogate)"),
                 "shap-beeswarm")
        try save(LineChart(series: [.init(label: "Evaluated", x: trace.values.indices.map { Double($0 + 1) }, y: trace.values.map { 1 - $0 }),
                                    .init(label: "Best so far", x: trace.values.indices.map { Double($0 + 1) },
                                          y: trace.bestSoFar.map { 1 - $0 }, markers: false, step: true)],
                           xLabel: "Evaluation", yLabel: "AUC (validation split of training)", title: "\(config.name): Bayesian optimisation",
                           legendPlacement: .lowerRight, integerX: true), "optimization-convergence")
        let results = Results(study: config.name, seed: options.seed, quick: options.quick, designNetwork: designSettings,
                              statements: statements,
                              deviations: Deviations.studyAData("structure-sensitivity", context: context,
                                                                analysedCells: valid.filter { $0 }.count, landslides: landslides.count)
                                  + Deviations.storm("structure-sensitivity", context: context)
                                  + Deviations.channels("structure-sensitivity", factors.names, settings: StudyASettings())
                                  + Deviations.network("structure-sensitivity", designSettings, quick: options.quick, what: "design-run CNN"),
                              runs: runs, pearson: r,
                              pearsonReportedByStudy: published.structureSensitivityPearson,
                              meanAbsoluteShapley: meanAbs,
                              optimization: trace.points.enumerated().map { i, p in
                                  Dictionary(uniqueKeysWithValues: zip(dims.map(\.name), p)).merging(["auc": 1 - trace.values[i]]) { a, _ in a } },
                              optimizationBestSoFar: trace.bestSoFar.map { 1 - $0 },
                              bestHyperparameters: Dictionary(uniqueKeysWithValues: zip(dims.map(\.name), best)),
                              optimisationTrainingSamples: fitting.cells.count, optimisationValidationSamples: validation.cells.count,
                              finalModel: finalModel,
                              table1Best: published.table1Best,
                              figures: writer.files.sorted(), seconds: setup.seconds)
        try writer.writeResults(results, config: config, seed: options.seed)
        return results
    }
}

import Charts
import Foundation
import GeoRaster
import NeuralNet
import PublishedNumbers
import Randomness
import SlopePhysics
import Stages
import StudyCore
import SummaryStatistics
import Susceptibility
import Terrain

/// Study A's model comparison (METHODS.md A6; Figs. 9–10): the patch CNN trained with negatives from
/// four samplers — random (CNN), POF < 0.5 without image processing (PPM-CNN(N)), POF thresholded at
/// 0.5 and cleaned by opening and closing (PPM-CNN(Y1)), the same at 0.9 (PPM-CNN(Y2)) — beside the
/// PPM itself (POF as the score) and the GLM baseline (logistic regression on terrain factors, random
/// negatives).
///
/// Two evaluations of every model:
/// (a) the study's protocol: each sampled set (training landslides + their negatives, 1:1) split
///     70/30; AUC on the 30 %;
/// (b) a common, sampler-independent test: 30 % of the landslides held out before any sampling, with
///     the study's random non-landslide points (Loja: the 1,360 of points_rsaga_all.csv) — the same
///     test for every model.
public enum ModelComparison {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        public var scenario: Scenario = .config
        public var heldOutFraction = 0.3
        /// Study A's profile, POF channel, Step 6, soil-type channel, sampler threshold and kernels.
        public var studyA = StudyASettings()
        public init() {}

        /// Network settings: Table 1's best values, or a reduced network for `--quick`.
        var cnnSettings: ModelSettings {
            var s = ModelSettings()
            if quick { s.channels = 8; s.epochs = 4; s.patience = 2; s.batchSize = 32 }
            return studyA.network(s).resolved(.patchCNN)
        }
    }

    /// One model's results.
    public struct ModelResult: Codable, Sendable {
        public var model: String
        public var sampler: String
        public var negatives: Int
        public var candidateCells: Int
        /// The sampler's candidates against the random sampler's (nil for models without a sampler).
        public var overlapWithRandom: CandidateOverlap?
        /// (a) the study's protocol; (b) the common test; (c) the spatially separated test (``SpatialTest``).
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
        public var aucSpatialTest: Double
        /// On a study with a known truth (the twin's `truth_unstable` layer): the map's AUC against it over
        /// every analysed cell, and the share of truly unstable cells in each of the five classes (percent).
        public var aucTruth: Double?
        public var truthUnstablePercentByClass: [Double]?
        /// The ROC curve of (b) and of (c) as true-positive rates at false-positive rates 0, 0.01, …, 1
        /// (``ROC/averagingGrid``), for curves averaged over replicates.
        public var rocCommonTestTpr: [Double]
        public var rocSpatialTestTpr: [Double]
        /// The value Study A reported (METHODS.md A6), if it reported one.
        public var aucReportedByStudy: Double?
        public var testSamplesStudyProtocol: Int
        public var highAndVeryHighPercent: Double
        /// Share of the analysed area in each of the five classes, very low to very high (percent).
        public var percentAreaByClass: [Double]
    }


    /// One soil parameter as run, beside Study A's Table 2 mean.
    public struct Parameter: Codable, Sendable {
        public var name: String
        public var mean: Double?
        public var cov: Double
        public var distribution: String
        public var studyAMean: Double?
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var scenario: Scenario
        /// The soil parameters (Study A's Table 2 layout) and the storm (Fig. 7), as run.
        public var parameters: [Parameter]
        public var stormEndHours: [Double]
        public var stormMillimetersPerHour: [Double]
        public var seed: UInt64
        public var quick: Bool
        public var landslides: Int
        public var heldOutLandslides: Int
        public var commonTestNonLandslides: Int
        public var cnnSettings: ModelSettings
        public var studyA: StudyASettings
        /// The CNN's channels on this study (Study A's six where the study has a soil layer).
        public var channels: [String]
        /// The GLM's factors (`factors.glm`; categorical layers as class indicators).
        public var glmFactors: [String]
        /// Supply- vs capacity-limited infiltration and the routed runoff inside the study area.
        public var infiltration: InfiltrationRegime
        public var sharePofAboveHalf: Double
        /// Degeneracies found by computation (a sampler equal to another, no runoff, nearly all stable).
        public var statements: [String]
        /// Where this run differs from Study A, from the settings actually used.
        public var deviations: [Deviation]
        public var models: [ModelResult]
        /// Every pair of models compared on the same test points, (b) and (c), by DeLong's test.
        public var pairedCommonTest: [PairedAUC]
        public var pairedSpatialTest: [PairedAUC]
        public var spatialTest: SpatialTestSummary
        /// Truly unstable cells among the analysed ones, on a study with a known truth.
        public var truthUnstableCells: Int?
        public var figures: [String]
        public var seconds: Double
    }

    /// Study A's reported AUCs (METHODS.md A6; Figs. 9–10), by model name.
    public static var reported: [String: Double] { PublishedNumbers.shipped.studyA.auc }

    struct Scored {
        var name: String
        var a: ROC
        var b: ROC
        var c: ROC
        var scoresB: [Double]
        var scoresC: [Double]
        var map: [Float]
        var result: ModelResult
    }

    /// A model's result before classes are drawn: AUCs of (a), (b), (c) and the curves.
    static func result(_ name: String, sampler: String, negatives: Int, candidates: [Bool]?, random: [Bool],
                       a: ROC, b: ROC, c: ROC, testA: Int) -> ModelResult {
        ModelResult(model: name, sampler: sampler, negatives: negatives, candidateCells: candidates?.filter { $0 }.count ?? 0,
                    overlapWithRandom: candidates.map { CandidateOverlap($0, random: random) },
                    aucStudyProtocol: a.auc, aucCommonTest: b.auc, aucSpatialTest: c.auc, aucTruth: nil,
                    truthUnstablePercentByClass: nil,
                    rocCommonTestTpr: b.truePositiveRate(atFalsePositiveRates: ROC.averagingGrid),
                    rocSpatialTestTpr: c.truePositiveRate(atFalsePositiveRates: ROC.averagingGrid),
                    aucReportedByStudy: reported[name], testSamplesStudyProtocol: testA, highAndVeryHighPercent: 0,
                    percentAreaByClass: [])
    }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let config = context.config
        let studyA = options.studyA.resolved(context.config)
        progress("PPM: scenario \(options.scenario.rawValue), profile \(studyA.profile.rawValue)")
        let prepared = try PPMRun.inputs(context)
        let ppm = try PPMRun.reliability(prepared, config: config, scenario: options.scenario, profile: studyA.profile)
        let channels = studyA.channels(context)
        let setup = try ExperimentSetup(context, seed: options.seed, factors: channels, secondaryFactors: context.factors(for: .glm),
                                        extra: studyA.pofChannel ? ["pof": ppm.pof] : [:])
        let g = setup.generator
        let (dem, factors, moments, valid) = (setup.dem, setup.factors, setup.moments, setup.valid)
        let raster = setup.raster
        let glmLayers = setup.secondary!, glmMoments = glmLayers.moments()
        let (usable, heldOut, trainingLandslides) = (setup.landslides, setup.heldOut, setup.trainingLandslides)
        let commonNegatives = setup.commonNegatives
        let common = setup.common
        func cellSet(_ cells: [Int], _ labels: [Int]) -> SampleSet { SampleSet.cells(cells, labels: labels, columns: dem.cols) }
        // Candidate regions: analysed cells, never a landslide cell (held out or not; every cell of a polygon).
        let base = zip(NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: 0), valid).map { $0 && $1 }
        let pof = ppm.pof
        let (t, ko, kc) = (studyA.pofThreshold, studyA.kernelOpen, studyA.kernelClose)
        func pofRegion(_ threshold: Float, _ open: Int, _ close: Int) -> [Bool] {
            zip(base, NegativeSampling.pofStableRegion(pof, threshold: threshold, openSize: open, closeSize: close)).map { $0 && $1 }
        }
        let regions: [(name: String, sampler: String, candidates: [Bool])] = [
            ("CNN", "random", base),
            ("PPM-CNN(N)", "POF < \(t), no image processing", pofRegion(t, 1, 1)),
            ("PPM-CNN(Y1)", "POF < \(t), opening and closing \(ko)/\(kc)", pofRegion(t, ko, kc)),
            ("PPM-CNN(Y2)", "POF < 0.9, opening and closing \(ko)/\(kc)", pofRegion(0.9, ko, kc)),
        ]
        var statements: [String] = setup.commonTestStatements
        let pofValues = valid.indices.filter { valid[$0] && pof.isValid(at: $0) }.map { pof.values[$0] }
        let shareAboveHalf = Double(pofValues.filter { $0 > 0.5 }.count) / Double(max(1, pofValues.count))
        statements += PPMRun.stabilityWarnings(sharePofAboveHalf: shareAboveHalf)
        if prepared.regime.capacityLimitedCells == 0 { statements.append(PPMRun.noRunoffStatement(prepared.regime)) }
        for region in regions.dropFirst() {
            if let d = CandidateOverlap(region.candidates, random: base).degeneracy(of: region.name) { statements.append(d) }
        }
        for line in statements { progress("note: \(line)") }
        let settings = options.cnnSettings
        let patch = studyA.patch
        // Protocol (c): whole k-means blocks of landslides and common-test points held out; nothing within
        // a patch radius of their region trains.
        var spatialGenerator = g.split(.spatialTest)
        let spatial = SpatialTest(landslides: usable, negatives: commonNegatives, valid: valid, rows: dem.rows, cols: dem.cols,
                                  heldOutFraction: options.heldOutFraction, bufferCells: patch / 2, generator: &spatialGenerator)
        let testC = spatial.test
        progress("protocol (c): \(spatial.heldOut.count) landslides and \(spatial.negatives.count) points in \(spatial.heldOutClusters) of \(spatial.clusters) blocks; \(spatial.trainingLandslides.count) landslides train")
        var scored: [Scored] = []
        var randomSplitTest: SampleSet?
        var randomNegatives: [Int] = [], randomNegativesC: [Int] = []
        func labels(_ set: SampleSet) -> [UInt8] { set.labels.map(UInt8.init) }
        // Study A: one negative per training landslide; `negatives.ratio` in an ablation changes it.
        let negativeCount = max(1, Int((Double(trainingLandslides.count) * studyA.negativesPerLandslide).rounded()))
        for (k, region) in regions.enumerated() {
            // Each model splits and trains on its own stream (seed, position): no model's draws depend on
            // another's, so adding, dropping or changing one leaves the others as they were.
            var modelGenerator = g.split(.model(k))
            let candidates = region.candidates
            var negativeGenerator = g.split(.negatives(k))
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                                      cols: dem.cols, count: negativeCount, spacingMeters: 0,
                                                      avoid: setup.footprint, generator: &negativeGenerator, sampler: region.sampler)
            let set = cellSet(trainingLandslides + negatives, trainingLandslides.map { _ in 1 } + negatives.map { _ in 0 })
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &modelGenerator)
            let train = set.subset(split.train), testA = set.subset(split.test)
            if k == 0 { (randomSplitTest, randomNegatives) = (testA, negatives) }
            progress("\(region.name): \(negatives.count) negatives from \(candidates.filter { $0 }.count) candidate cells; training")
            let both = cellSet(testA.cells + common.cells, testA.labels + common.labels)
            let (scores, model) = try TrainRun.fitAndScore(.patchCNN, train: train, test: both, factors: factors, raster: raster,
                                                           moments: moments, settings: settings, patch: patch,
                                                           generator: &modelGenerator)
            // (c): the same sampler outside the test blocks and their buffer, the same 70 % share, its own streams.
            var generatorC = g.split(.spatialModel(k)), negativeGeneratorC = g.split(.spatialNegatives(k))
            progress("\(region.name): protocol (c) training")
            let (scoresC, negativesC) = try spatial.trainAndScore(.patchCNN, candidates: candidates, sampler: region.sampler, grid: dem,
                                                                  avoid: setup.footprint, factors: factors, raster: raster, moments: moments,
                                                                  settings: settings, patch: patch, model: &generatorC,
                                                                  negatives: &negativeGeneratorC,
                                                                  negativesPerLandslide: studyA.negativesPerLandslide)
            if k == 0 { randomNegativesC = negativesC }
            progress("\(region.name): dense map")
            let map = studyA.cleaned(try MapRun.score(model, factors: factors), valid: valid, grid: dem)
            let scoresB = Array(scores.dropFirst(testA.cells.count))
            let rocA = ROC(labels: labels(testA), scores: Array(scores.prefix(testA.cells.count)))
            let rocB = ROC(labels: labels(common), scores: scoresB), rocC = ROC(labels: labels(testC), scores: scoresC)
            scored.append(Scored(name: region.name, a: rocA, b: rocB, c: rocC, scoresB: scoresB, scoresC: scoresC, map: map,
                                 result: result(region.name, sampler: region.sampler, negatives: negatives.count, candidates: candidates,
                                                random: base, a: rocA, b: rocB, c: rocC, testA: testA.cells.count)))
        }
        // The PPM: POF is the score; (a) on the random sampler's 30 % (the CNN's test set).
        let testA = randomSplitTest!
        let pofScores = { (cells: [Int]) in cells.map { ppm.pof.isValid(at: $0) ? Double(ppm.pof.values[$0]) : 0 } }
        let (ppmScoresB, ppmScoresC) = (pofScores(common.cells), pofScores(testC.cells))
        let ppmA = ROC(labels: labels(testA), scores: pofScores(testA.cells))
        let ppmB = ROC(labels: labels(common), scores: ppmScoresB), ppmC = ROC(labels: labels(testC), scores: ppmScoresC)
        scored.insert(Scored(name: "PPM", a: ppmA, b: ppmB, c: ppmC, scoresB: ppmScoresB, scoresC: ppmScoresC,
                             map: (0..<dem.count).map { ppm.pof.isValid(at: $0) ? ppm.pof.values[$0] : .nan },
                             result: result("PPM", sampler: "none (POF is the score)", negatives: 0, candidates: nil, random: base,
                                            a: ppmA, b: ppmB, c: ppmC, testA: testA.cells.count)), at: 1)
        // GLM baseline on the random sampler's set: the random CNN's negatives, shared (not drawn again).
        progress("GLM baseline")
        func glmFit(_ landslides: [Int], _ negatives: [Int], _ stream: ExperimentStream) throws -> (LogisticRegression, SampleSet) {
            let set = cellSet(landslides + negatives, landslides.map { _ in 1 } + negatives.map { _ in 0 })
            var generator = g.split(stream)
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &generator)
            let train = set.subset(split.train)
            return (try LogisticRegression(features: glmLayers.vectors(at: train.cells, moments: glmMoments), labels: train.labels),
                    set.subset(split.test))
        }
        func glmScores(_ glm: LogisticRegression, _ cells: [Int]) -> [Double] {
            glmLayers.vectors(at: cells, moments: glmMoments).map(glm.probability)
        }
        let (glm, glmTest) = try glmFit(trainingLandslides, randomNegatives, .model(regions.count))
        let (glmC, _) = try glmFit(spatial.trainingLandslides, randomNegativesC, .spatialModel(regions.count))
        let glmScoresB = glmScores(glm, common.cells), glmScoresC = glmScores(glmC, testC.cells)
        let glmA = ROC(labels: labels(glmTest), scores: glmScores(glm, glmTest.cells))
        let glmB = ROC(labels: labels(common), scores: glmScoresB), glmRocC = ROC(labels: labels(testC), scores: glmScoresC)
        var glmMap = [Float](repeating: .nan, count: dem.count)
        let validCells = valid.indices.filter { valid[$0] }
        for (c, v) in zip(validCells, glmScores(glm, validCells)) { glmMap[c] = Float(v) }
        var glmResult = result("GLM", sampler: "random", negatives: randomNegatives.count, candidates: base, random: base,
                               a: glmA, b: glmB, c: glmRocC, testA: glmTest.cells.count)
        glmResult.aucReportedByStudy = nil
        scored.append(Scored(name: "GLM", a: glmA, b: glmB, c: glmRocC, scoresB: glmScoresB, scoresC: glmScoresC, map: glmMap,
                             result: glmResult))
        // Every pair on the same test points: DeLong's test of two correlated AUCs.
        let pairedB = PairedAUC.all(names: scored.map(\.name), labels: common.labels, scores: scored.map(\.scoresB))
        let pairedC = PairedAUC.all(names: scored.map(\.name), labels: testC.labels, scores: scored.map(\.scoresC))
        // The known truth, where the study has one (the twin).
        let truth: [Bool?]? = context.layerNames.contains("truth_unstable")
            ? try context.layer("truth_unstable").values.enumerated().map { valid[$0.offset] && $0.element.isFinite && $0.element != 255 ? $0.element >= 0.5 : nil }
            : nil
        // Classes and figures.
        var writer = try FigureWriter(outputDirectory)
        var classedMaps: [ClassedMapChart] = []
        let grid = setup.mapGrid
        let points = setup.mapPoints
        for k in scored.indices {
            try writer.saveMap(scored[k].map, on: dem, valid: valid, stem: FigureWriter.stem(scored[k].name),
                               description: "\(scored[k].name): susceptibility (\(scored[k].name == "PPM" ? "probability of failure" : "score in [0, 1]"))",
                               config: config, seed: options.seed)
            let values = scored[k].map.enumerated().filter { valid[$0.offset] && $0.element.isFinite }.map { Double($0.element) }
            let breaks = try NaturalBreaks(ClassBreaks.sampled(values), classes: 5)
            var classes = [UInt8](repeating: 255, count: dem.count)
            var perClass = [Int](repeating: 0, count: 5), unstablePerClass = [Int](repeating: 0, count: 5)
            var truthLabels: [UInt8] = [], truthScores: [Double] = []
            for i in 0..<dem.count where valid[i] && scored[k].map[i].isFinite {
                let c = breaks.classIndex(of: Double(scored[k].map[i]))
                classes[i] = UInt8(c)
                perClass[c] += 1
                if let t = truth?[i] {
                    truthLabels.append(t ? 1 : 0)
                    truthScores.append(Double(scored[k].map[i]))
                    if t { unstablePerClass[c] += 1 }
                }
            }
            let total = Double(max(1, perClass.reduce(0, +)))
            scored[k].result.percentAreaByClass = perClass.map { 100 * Double($0) / total }
            scored[k].result.highAndVeryHighPercent = 100 * Double(perClass[3] + perClass[4]) / total
            if truth != nil {
                scored[k].result.aucTruth = ROC(labels: truthLabels, scores: truthScores).auc
                scored[k].result.truthUnstablePercentByClass = zip(unstablePerClass, perClass).map { $1 > 0 ? 100 * Double($0) / Double($1) : .nan }
            }
            classedMaps.append(ClassedMapChart(grid: grid, classes: classes, points: points, title: scored[k].name))
        }
        func curves(_ pick: (Scored) -> ROC) -> [ROCCurve] {
            scored.map { s in
                let r = pick(s)
                return ROCCurve(label: s.name, falsePositiveRate: r.falsePositiveRate, truePositiveRate: r.truePositiveRate, auc: r.auc)
            }
        }
        let name = config.name
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        try save(ROCChart(curves: curves(\.a), title: "\(name): study protocol (70/30)"), "roc-study-protocol")
        try save(ROCChart(curves: curves(\.b), title: "\(name): common test"), "roc-common-test")
        try save(PanelFigure([ROCChart(curves: curves(\.a), title: "(a) study protocol"),
                              ROCChart(curves: curves(\.b), title: "(b) common test")], columns: 2, letters: false), "roc-panels")
        try save(BarChart(categories: scored.map(\.name),
                          series: [.init(label: "Study A (reported)", values: scored.map { $0.result.aucReportedByStudy ?? .nan }),
                                   .init(label: "Ours: study protocol", values: scored.map(\.result.aucStudyProtocol)),
                                   .init(label: "Ours: common test", values: scored.map(\.result.aucCommonTest))],
                          valueLabel: "AUC", categoryLabel: "Model", title: "\(name): AUC by model (GLM: not in Study A)",
                          showValues: true, valueDecimals: 2, baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance")),
                 "auc-bars", size: Size(width: 560, height: 300))
        let panelSize = classedMaps[0].preferredSize
        try save(PanelFigure(classedMaps, columns: 3, panelSize: panelSize), "susceptibility-maps")
        // The storm (Study A's Fig. 7) with k_s: above the line, rain would run off.
        let (hyetograph, hoursLimit) = try PPMRun.storm(config)
        let shown = hyetograph.endHours.indices.filter { hoursLimit == nil || hyetograph.endHours[$0] <= hoursLimit! + 1e-9 }
        try save(BarChart(categories: shown.map { Deviations.number(hyetograph.endHours[$0]) },
                          series: [.init(label: "", values: shown.map { hyetograph.intensityMillimetersPerHour[$0] })],
                          valueLabel: "Rain (mm/h)", categoryLabel: "Step ending at hour",
                          title: String(format: "%@: storm, %.1f mm; k_s = %.0f mm/h", name, prepared.rainMillimeters,
                                        prepared.regime.saturatedConductivityMillimetersPerHour),
                          reference: (prepared.regime.saturatedConductivityMillimetersPerHour, "k_s")),
                 "storm", size: Size(width: 520, height: 280))
        let table2 = PublishedNumbers.shipped.studyA.table2Means
        let parameters = SoilParameter.allCases.map { q in
            Parameter(name: q.rawValue, mean: config.parameters[q].mean, cov: config.parameters[q].cov,
                      distribution: "\(config.parameters[q].distribution)", studyAMean: table2[q.rawValue])
        }
        let results = Results(study: config.name, scenario: options.scenario, parameters: parameters,
                              stormEndHours: shown.map { hyetograph.endHours[$0] },
                              stormMillimetersPerHour: shown.map { hyetograph.intensityMillimetersPerHour[$0] }, seed: options.seed, quick: options.quick,
                              landslides: usable.count, heldOutLandslides: heldOut.count, commonTestNonLandslides: commonNegatives.count,
                              cnnSettings: settings, studyA: studyA, channels: channels, glmFactors: glmLayers.names,
                              infiltration: prepared.regime,
                              sharePofAboveHalf: shareAboveHalf, statements: statements,
                              deviations: Deviations.studyAData("model-comparison", context: context, analysedCells: valid.filter { $0 }.count,
                                                                landslides: usable.count)
                                  + Deviations.storm("model-comparison", context: context)
                                  + Deviations.channels("model-comparison", channels, settings: studyA)
                                  + Deviations.network("model-comparison", settings, quick: options.quick),
                              models: scored.map(\.result), pairedCommonTest: pairedB, pairedSpatialTest: pairedC,
                              spatialTest: spatial.summary,
                              truthUnstableCells: truth.map { $0.filter { $0 == true }.count },
                              figures: writer.files.sorted(),
                              seconds: setup.seconds)
        try writer.writeResults(results, config: config, seed: options.seed)
        return results
    }
}

extension ModelComparison {
    /// The figures of a replicated run that carry the replicates' spread: AUC bars with 95 % intervals
    /// for (a), (b) and (c); ROC curves of (b) and (c) averaged over replicates (vertically, at fixed
    /// false-positive rates) with the band the replicate curves span; and, on a study with a known truth,
    /// each model's AUC against the truth beside its AUC on the inventory's common test.
    public static func summaryFigures(_ summary: ReplicateSummary) throws -> [String] {
        let runs = try summary.replicates(as: Results.self)
        guard let first = runs.first else { return [] }
        let names = first.models.map(\.model), n = runs.count
        func metric(_ k: Int, _ pick: (ModelResult) -> Double) -> Replicated { Replicated(runs.map { pick($0.models[k]) }) }
        let a = names.indices.map { metric($0, \.aucStudyProtocol) }
        let b = names.indices.map { metric($0, \.aucCommonTest) }
        let c = names.indices.map { metric($0, \.aucSpatialTest) }
        var writer = try FigureWriter(summary.out)
        let title = "\(first.study): AUC by model, mean and 95 % interval of \(n) replicate\(n == 1 ? "" : "s")"
        try writer.save(BarChart(categories: names,
                                 series: [.init(label: "Study A (reported)", values: first.models.map { $0.aucReportedByStudy ?? .nan }),
                                          .init(label: "(a) study protocol", values: a.map(\.mean), intervals: a.map(\.ci95)),
                                          .init(label: "(b) common test", values: b.map(\.mean), intervals: b.map(\.ci95)),
                                          .init(label: "(c) spatial blocks", values: c.map(\.mean), intervals: c.map(\.ci95))],
                                 valueLabel: "AUC", categoryLabel: "Model", title: title, showValues: true, valueDecimals: 2,
                                 baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance")),
                        "auc-bars", size: Size(width: 640, height: 320))
        func curves(_ tpr: (ModelResult) -> [Double], _ auc: [Replicated]) -> [ROCCurve] {
            names.indices.map { k in
                let rows = runs.map { tpr($0.models[k]) }
                let grid = ROC.averagingGrid
                let mean = grid.indices.map { i in rows.map { $0[i] }.reduce(0, +) / Double(rows.count) }
                let lower = grid.indices.map { i in rows.map { $0[i] }.min() ?? 0 }
                let upper = grid.indices.map { i in rows.map { $0[i] }.max() ?? 0 }
                return ROCCurve(label: names[k], falsePositiveRate: grid, truePositiveRate: [0] + mean.dropFirst(),
                                auc: auc[k].mean, band: n > 1 ? (lower, upper) : nil, aucInterval: n > 1 ? auc[k].ci95 : nil)
            }
        }
        let note = n > 1 ? " (mean of \(n); band: their range)" : ""
        try writer.save(ROCChart(curves: curves(\.rocCommonTestTpr, b), title: "\(first.study): (b) common test\(note)"), "roc-common-test")
        try writer.save(PanelFigure([ROCChart(curves: curves(\.rocCommonTestTpr, b), title: "(b) common test\(note)"),
                                     ROCChart(curves: curves(\.rocSpatialTestTpr, c), title: "(c) spatial blocks\(note)")],
                                    columns: 2, letters: false), "roc-panels")
        if first.models.allSatisfy({ $0.aucTruth != nil }) {
            let truth = names.indices.map { k in Replicated(runs.map { $0.models[k].aucTruth ?? .nan }) }
            try writer.save(BarChart(categories: names,
                                     series: [.init(label: "against the truth (every cell)", values: truth.map(\.mean), intervals: truth.map(\.ci95)),
                                              .init(label: "(b) inventory's common test", values: b.map(\.mean), intervals: b.map(\.ci95))],
                                     valueLabel: "AUC", categoryLabel: "Model",
                                     title: "\(first.study): the truth against the inventory (\(n) replicate\(n == 1 ? "" : "s"))",
                                     showValues: true, valueDecimals: 2, baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance")),
                            "truth-auc", size: Size(width: 600, height: 300))
        }
        return writer.files
    }
}

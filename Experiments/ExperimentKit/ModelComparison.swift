import Charts
import Foundation
import GeoRaster
import NeuralNet
import PublishedNumbers
import Randomness
import SlopePhysics
import Stages
import StudyCore
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
            return s.resolved(.patchCNN)
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
        /// (a) the study's protocol; (b) the common test.
        public var aucStudyProtocol: Double
        public var aucCommonTest: Double
        /// The value Study A reported (METHODS.md A6), if it reported one.
        public var aucReportedByStudy: Double?
        public var testSamplesStudyProtocol: Int
        public var highAndVeryHighPercent: Double
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
        /// Supply- vs capacity-limited infiltration and the routed runoff inside the study area.
        public var infiltration: InfiltrationRegime
        public var sharePOFAboveHalf: Double
        /// Degeneracies found by computation (a sampler equal to another, no runoff, nearly all stable).
        public var statements: [String]
        /// Where this run differs from Study A, from the settings actually used.
        public var deviations: [Deviation]
        public var models: [ModelResult]
        public var figures: [String]
        public var seconds: Double
    }

    /// Study A's reported AUCs (METHODS.md A6; Figs. 9–10), by model name.
    public static var reported: [String: Double] { PublishedNumbers.shipped.studyA.auc }
    static let glmFactors = ["slope", "plan_curvature", "profile_curvature", "elevation", "log10_catchment_area"]

    struct Scored { var name: String; var a: ROC; var b: ROC; var map: [Float]; var result: ModelResult }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let config = context.config
        let studyA = options.studyA
        progress("PPM: scenario \(options.scenario.rawValue), profile \(studyA.profile.rawValue)")
        let prepared = try PPMRun.inputs(context)
        let uncertainty = try options.scenario.uncertainty(config)
        let ppm = try ReliabilityMap.compute(slopeDegrees: prepared.slope, soilDepthMeters: prepared.soilDepth,
                                             storm: prepared.storm, uncertainty: uncertainty, profile: studyA.profile)
        let channels = studyA.channels(context)
        let setup = try ExperimentSetup(context, seed: options.seed, factors: channels, secondaryFactors: glmFactors,
                                        extra: studyA.pofChannel ? ["pof": ppm.pof] : [:])
        let g = setup.generator
        let (inputs, dem, factors, moments, valid) = (setup.inputs, setup.dem, setup.factors, setup.moments, setup.valid)
        let raster = setup.raster
        let glmLayers = setup.secondary!, glmMoments = glmLayers.moments()
        let landslides = Array(Set(inputs.inventoryOnGrid.cellIndices)).sorted()
        let (usable, heldOut, trainingLandslides) = (setup.landslides, setup.heldOut, setup.trainingLandslides)
        let commonNegatives = setup.commonNegatives
        let common = setup.common
        func cellSet(_ cells: [Int], _ labels: [Int]) -> SampleSet { SampleSet.cells(cells, labels: labels, columns: dem.cols) }
        // Candidate regions: analysed cells, never a landslide cell (held out or not).
        let base = zip(NegativeSampling.outsideBuffer(dem, landslides: landslides, bufferMeters: 0), valid).map { $0 && $1 }
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
        var statements: [String] = []
        let pofValues = valid.indices.filter { valid[$0] && pof.isValid(at: $0) }.map { pof.values[$0] }
        let shareAboveHalf = Double(pofValues.filter { $0 > 0.5 }.count) / Double(max(1, pofValues.count))
        statements += PPMRun.stabilityWarnings(sharePOFAboveHalf: shareAboveHalf)
        if prepared.regime.capacityLimitedCells == 0 { statements.append(PPMRun.noRunoffStatement(prepared.regime)) }
        for region in regions.dropFirst() {
            if let d = CandidateOverlap(region.candidates, random: base).degeneracy(of: region.name) { statements.append(d) }
        }
        for line in statements { progress("note: \(line)") }
        let settings = options.cnnSettings
        var scored: [Scored] = []
        var randomSplitTest: SampleSet?
        var randomNegatives: [Int] = []
        for (k, region) in regions.enumerated() {
            // Each model splits and trains on its own stream (seed, position): no model's draws depend on
            // another's, so adding, dropping or changing one leaves the others as they were.
            var modelGenerator = g.split(.model(k))
            let candidates = region.candidates
            var negativeGenerator = g.split(.negatives(k))
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                                      cols: dem.cols, count: trainingLandslides.count, spacingMeters: 0,
                                                      avoid: landslides, generator: &negativeGenerator, sampler: region.sampler)
            let set = cellSet(trainingLandslides + negatives, trainingLandslides.map { _ in 1 } + negatives.map { _ in 0 })
            let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &modelGenerator)
            let train = set.subset(split.train), testA = set.subset(split.test)
            if k == 0 { (randomSplitTest, randomNegatives) = (testA, negatives) }
            progress("\(region.name): \(negatives.count) negatives from \(candidates.filter { $0 }.count) candidate cells; training")
            let both = cellSet(testA.cells + common.cells, testA.labels + common.labels)
            let (scores, model) = try TrainRun.fitAndScore(.patchCNN, train: train, test: both, factors: factors, raster: raster,
                                                           moments: moments, settings: settings, patch: 17,
                                                           generator: &modelGenerator)
            progress("\(region.name): dense map")
            let map = studyA.cleaned(try MapRun.score(model, factors: factors), valid: valid, grid: dem)
            let rocA = ROC(labels: testA.labels.map(UInt8.init), scores: Array(scores.prefix(testA.cells.count)))
            let rocB = ROC(labels: common.labels.map(UInt8.init), scores: Array(scores.dropFirst(testA.cells.count)))
            scored.append(Scored(name: region.name, a: rocA, b: rocB, map: map, result: ModelResult(
                model: region.name, sampler: region.sampler, negatives: negatives.count,
                candidateCells: candidates.filter { $0 }.count, overlapWithRandom: CandidateOverlap(candidates, random: base),
                aucStudyProtocol: rocA.auc, aucCommonTest: rocB.auc,
                aucReportedByStudy: reported[region.name], testSamplesStudyProtocol: testA.cells.count, highAndVeryHighPercent: 0)))
        }
        // The PPM: POF is the score; (a) on the random sampler's 30 % (the CNN's test set).
        let testA = randomSplitTest!
        let pofScores = { (cells: [Int]) in cells.map { ppm.pof.isValid(at: $0) ? Double(ppm.pof.values[$0]) : 0 } }
        let ppmA = ROC(labels: testA.labels.map(UInt8.init), scores: pofScores(testA.cells))
        let ppmB = ROC(labels: common.labels.map(UInt8.init), scores: pofScores(common.cells))
        scored.insert(Scored(name: "PPM", a: ppmA, b: ppmB, map: (0..<dem.count).map { ppm.pof.isValid(at: $0) ? ppm.pof.values[$0] : .nan },
                             result: ModelResult(model: "PPM", sampler: "none (POF is the score)", negatives: 0, candidateCells: 0,
                                                 overlapWithRandom: nil, aucStudyProtocol: ppmA.auc, aucCommonTest: ppmB.auc, aucReportedByStudy: reported["PPM"],
                                                 testSamplesStudyProtocol: testA.cells.count, highAndVeryHighPercent: 0)), at: 1)
        // GLM baseline on the random sampler's set: the random CNN's negatives, shared (not drawn again).
        progress("GLM baseline")
        let glmSet = cellSet(trainingLandslides + randomNegatives, trainingLandslides.map { _ in 1 } + randomNegatives.map { _ in 0 })
        var glmGenerator = g.split(.model(regions.count))
        let glmSplit = Validation.stratifiedSplit(labels: glmSet.labels, trainFraction: 0.7, generator: &glmGenerator)
        let glmTrain = glmSet.subset(glmSplit.train), glmTest = glmSet.subset(glmSplit.test)
        let glm = try LogisticRegression(features: glmLayers.vectors(at: glmTrain.cells, moments: glmMoments), labels: glmTrain.labels)
        let glmA = ROC(labels: glmTest.labels.map(UInt8.init), scores: glmLayers.vectors(at: glmTest.cells, moments: glmMoments).map(glm.probability))
        let glmB = ROC(labels: common.labels.map(UInt8.init), scores: glmLayers.vectors(at: common.cells, moments: glmMoments).map(glm.probability))
        var glmMap = [Float](repeating: .nan, count: dem.count)
        let validCells = valid.indices.filter { valid[$0] }
        for (c, v) in zip(validCells, glmLayers.vectors(at: validCells, moments: glmMoments)) { glmMap[c] = Float(glm.probability(v)) }
        scored.append(Scored(name: "GLM", a: glmA, b: glmB, map: glmMap, result: ModelResult(
            model: "GLM", sampler: "random", negatives: randomNegatives.count, candidateCells: base.filter { $0 }.count,
            overlapWithRandom: CandidateOverlap(base, random: base), aucStudyProtocol: glmA.auc, aucCommonTest: glmB.auc, aucReportedByStudy: nil,
            testSamplesStudyProtocol: glmTest.cells.count, highAndVeryHighPercent: 0)))
        // Classes and figures.
        var writer = try FigureWriter(outputDirectory)
        var classedMaps: [ClassedMapChart] = []
        let grid = setup.mapGrid
        let points = setup.mapPoints
        for k in scored.indices {
            let values = scored[k].map.enumerated().filter { valid[$0.offset] && $0.element.isFinite }.map { Double($0.element) }
            let breaks = try NaturalBreaks(ClassBreaks.sampled(values), classes: 5)
            var classes = [UInt8](repeating: 255, count: dem.count)
            var high = 0, total = 0
            for i in 0..<dem.count where valid[i] && scored[k].map[i].isFinite {
                let c = breaks.classIndex(of: Double(scored[k].map[i]))
                classes[i] = UInt8(c); total += 1
                if c >= 3 { high += 1 }
            }
            scored[k].result.highAndVeryHighPercent = 100 * Double(high) / Double(max(1, total))
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
                              cnnSettings: settings, studyA: studyA, channels: channels, infiltration: prepared.regime,
                              sharePOFAboveHalf: shareAboveHalf, statements: statements,
                              deviations: Deviations.studyAData("model-comparison", context: context, analysedCells: valid.filter { $0 }.count,
                                                                landslides: usable.count)
                                  + Deviations.storm("model-comparison", context: context)
                                  + Deviations.channels("model-comparison", channels, settings: studyA)
                                  + Deviations.network("model-comparison", settings, quick: options.quick),
                              models: scored.map(\.result), figures: writer.files.sorted(),
                              seconds: setup.seconds)
        try writer.writeResults(results, config: config, seed: options.seed)
        return results
    }
}

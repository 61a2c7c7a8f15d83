import Charts
import Foundation
import GeoRaster
import NeuralNet
import PublishedNumbers
import Randomness
import Stages
import StudyCore
import SummaryStatistics
import Susceptibility

/// Study B's network comparison (Tables 2–3, Figs. 6–7): BP (13–6–2, Levenberg–Marquardt), LSTM and
/// 1-D CNN on the 13 terrain factors, negatives from the information-value sampler (very-low class),
/// scored by accuracy, precision, recall, F1 and AUC under (a) the 70/30 split and (b) the common test;
/// each model's map in five natural-breaks classes with area and landslides per class.
public enum NetworkComparison {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        public init() {}
    }

    public struct NetworkResult: Codable, Sendable {
        public var model: String
        public var studyProtocol: FoldMetrics
        public var commonTest: FoldMetrics
        /// AUC under (c), whole spatial blocks held out (NaN where the sampler had too few candidates outside them).
        public var aucSpatialTest: Double
        /// Study B's printed accuracy, precision, recall, F1, AUC.
        public var reportedByStudy: [String: Double]
        public var classAreaKm2: [Double]
        public var classAreaPercent: [Double]
        public var classLandslides: [Int]
        public var reportedClassAreaPercent: [Double]
        public var reportedClassLandslidePercent: [Double]
    }

    /// Study B's Fig. 3: a factor's PCA weight and whether it is kept (weight ≥ the threshold).
    public struct FactorWeight: Codable, Sendable {
        public var factor: String
        public var weight: Double
        public var kept: Bool
    }

    /// Study B's Table 1: one class of one factor, its value range, cells, landslides and information value.
    public struct InformationValueRow: Codable, Sendable {
        public var factor: String
        public var classIndex: Int
        public var lower: Double
        public var upper: Double
        public var cells: Int
        public var landslides: Int
        public var informationValue: Double
    }

    /// Study B's Fig. 4 and Table 2 layout: area and landslides per class of a zoning map.
    public struct Zoning: Codable, Sendable {
        public var map: String
        public var classAreaKm2: [Double]
        public var classLandslides: [Int]
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var seed: UInt64
        public var quick: Bool
        public var factors: [String]
        public var factorWeights: [FactorWeight]
        public var pcaThreshold: Double
        public var informationValueTable: [InformationValueRow]
        public var informationValueZoning: Zoning
        /// How the information-value model was fitted, and other things a reader must know.
        public var statements: [String]
        /// Where this run differs from Study B, from the settings actually used.
        public var deviations: [Deviation]
        public var networks: [NetworkResult]
        /// Every pair of networks on the common test's points (difference of AUC, DeLong's test).
        public var pairedCommonTest: [PairedAUC]
        public var pairedSpatialTest: [PairedAUC]
        public var spatialTest: SpatialTestSummary
        public var figures: [String]
        public var seconds: Double
    }

    /// Study B's Table 3 metrics and Table 2 class areas, by network.
    static var reported: [String: [String: Double]] { PublishedNumbers.shipped.studyB.metrics }
    static var reportedAreas: [String: [Double]] { PublishedNumbers.shipped.studyB.classAreasKm2 }
    static var reportedLandslides: [String: [Double]] { PublishedNumbers.shipped.studyB.classLandslides }
    static func percentages(_ v: [Double]) -> [Double] {
        let total = v.reduce(0, +)
        return total > 0 ? v.map { 100 * $0 / total } : v
    }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let names = context.informationValueFactors
        let setup = try ExperimentSetup(context, seed: options.seed, factors: names)
        let config = context.config
        var g = setup.generator
        let (dem, factors, moments, valid) = (setup.dem, setup.factors, setup.moments, setup.valid)
        let (landslides, trainingLandslides, common) = (setup.landslides, setup.trainingLandslides, setup.common)
        progress("information-value sampler (very-low class, training landslides only)")
        // The IV model takes categorical layers by their codes (the networks by their class indicators).
        let ivLayers = factors.indicators.isEmpty ? factors : try FactorLayers.load(context, names: names, categorical: .codes)
        let (ivNames, columns) = (ivLayers.names, ivLayers.columns)
        let fit = try InformationValueFit(names: ivNames, columns: columns, landslides: trainingLandslides, method: .naturalBreaks,
                                          categorical: ivLayers.categorical)
        let iv = fit.model
        let categorical = ivLayers.categorical.sorted().map { name in
            "\(name) is categorical: the networks take it as indicators of its classes but the first ("
                + factors.names.filter { $0.hasPrefix(name + "=") }.joined(separator: ", ")
                + "), the information-value model classes it by its codes, outside the PCA"
        }
        let statements = setup.commonTestStatements + categorical + ["the information-value model (factor classes, IV, very-low zone) is fitted on the \(trainingLandslides.count) "
                          + "training landslides only; the \(setup.heldOut.count) held-out landslides of the common test are never seen by it"]
        for line in statements { progress("note: \(line)") }
        var ivTable: [InformationValueRow] = []
        for (f, classed) in fit.classed.enumerated() {
            let column = columns[ivNames.firstIndex(of: classed.name)!]
            for j in 0..<classed.classCount {
                let values = (0..<column.count).filter { classed.classes[$0] == j && valid[$0] }.map { column[$0] }
                ivTable.append(InformationValueRow(factor: classed.name, classIndex: j + 1, lower: values.min() ?? .nan,
                                                   upper: values.max() ?? .nan, cells: iv.cellCounts[f][j],
                                                   landslides: iv.landslideCounts[f][j], informationValue: iv.values[f][j]))
            }
        }
        let ivBreaks = try NaturalBreaks(ClassBreaks.sampled(iv.total.filter { !$0.isNaN }), classes: 5)
        let base = NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: 0)
        let candidates = (0..<dem.count).map { base[$0] && valid[$0] && !iv.total[$0].isNaN && ivBreaks.classIndex(of: iv.total[$0]) == 0 }
        var negativeGenerator = g.split(.negatives(0))
        let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows, cols: dem.cols,
                                                  count: trainingLandslides.count, spacingMeters: 0, avoid: landslides,
                                                  generator: &negativeGenerator, sampler: "information-value")
        let set = setup.sampledSet(negatives)
        let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &g)
        let train = set.subset(split.train), testA = set.subset(split.test)
        let both = SampleSet.cells(testA.cells + common.cells, labels: testA.labels + common.labels, columns: dem.cols)
        let cellArea = abs(dem.geoTransform.pixelWidth * dem.geoTransform.pixelHeight) / 1e6
        let grid = setup.mapGrid, points = setup.mapPoints
        var zoningMaps: [ClassedMapChart] = []
        var susceptibility: [(label: String, map: [Float])] = []
        // The information-value zoning (Study B's Fig. 4): the total information in five natural-breaks classes.
        var ivClasses = [UInt8](repeating: 255, count: dem.count)
        var ivArea = [Double](repeating: 0, count: 5), ivSlides = [Int](repeating: 0, count: 5)
        for c in 0..<dem.count where valid[c] && !iv.total[c].isNaN {
            let k = ivBreaks.classIndex(of: iv.total[c]); ivClasses[c] = UInt8(k); ivArea[k] += cellArea
        }
        for c in landslides where ivClasses[c] != 255 { ivSlides[Int(ivClasses[c])] += 1 }
        let ivZoning = Zoning(map: "information value", classAreaKm2: ivArea, classLandslides: ivSlides)
        var results: [NetworkResult] = []
        var deviations = Deviations.studyBFactors("network-comparison", names)
        var curves: [ROCCurve] = [], curvesA: [ROCCurve] = []
        var commonScores: [[Double]] = [], spatialScores: [[Double]?] = []
        // Protocol (c): k-means blocks held out; the information-value model refitted without their landslides;
        // one set of negatives and one split for the three networks, as under (a) and (b).
        var spatialGenerator = g.split(.spatialTest)
        let spatial = SpatialTest(landslides: landslides, negatives: setup.commonNegatives, valid: valid, rows: dem.rows, cols: dem.cols,
                                  bufferCells: 17 / 2, generator: &spatialGenerator)
        let ivVeryLowC = try spatial.informationValueVeryLow(names: ivNames, columns: columns, categorical: ivLayers.categorical, base: zip(base, valid).map { $0 && $1 })
        var notesC: [String] = []
        for (k, (label, kind)) in [("BP", ModelKind.bp), ("LSTM", .lstm), ("CNN", .cnn1D)].enumerated() {
            progress("\(label): training")
            var networkGenerator = g.split(.model(k))  // one stream per network, same split
            var s = ModelSettings()
            if options.quick { s.epochs = kind == .bp ? 30 : 40; s.patience = 10 }
            s = s.resolved(kind)
            deviations += Deviations.studyBEpochs("network-comparison", model: label, paper: ModelSettings().resolved(kind).epochs!, ours: s.epochs)
            let (scores, model) = try TrainRun.fitAndScore(kind, train: train, test: both, factors: factors, raster: nil, moments: moments,
                                                           settings: s, patch: 17, generator: &networkGenerator)
            let a = TrainRun.metrics(testA.labels, Array(scores.prefix(testA.cells.count)), repeat_: 0, fold: 0, train: train.cells.count)
            let b = TrainRun.metrics(common.labels, Array(scores.dropFirst(testA.cells.count)), repeat_: 0, fold: 0, train: train.cells.count)
            let rocA = ROC(labels: testA.labels.map(UInt8.init), scores: Array(scores.prefix(testA.cells.count)))
            curvesA.append(ROCCurve(label: label, falsePositiveRate: rocA.falsePositiveRate, truePositiveRate: rocA.truePositiveRate, auc: rocA.auc))
            commonScores.append(Array(scores.dropFirst(testA.cells.count)))
            let roc = ROC(labels: common.labels.map(UInt8.init), scores: Array(scores.dropFirst(testA.cells.count)))
            curves.append(ROCCurve(label: label, falsePositiveRate: roc.falsePositiveRate, truePositiveRate: roc.truePositiveRate, auc: roc.auc))
            var modelC = g.split(.spatialModel(0)), negativesC = g.split(.spatialNegatives(0))
            var aucC = Double.nan
            do {
                let (scoresC, _) = try spatial.trainAndScore(kind, candidates: ivVeryLowC, sampler: "information value (c)", grid: dem,
                                                             avoid: landslides, factors: factors, raster: nil, moments: moments,
                                                             settings: s, patch: 17, model: &modelC, negatives: &negativesC)
                aucC = ROC(labels: spatial.test.labels.map(UInt8.init), scores: scoresC).auc
                spatialScores.append(scoresC)
            } catch let error as SamplingError {
                spatialScores.append(nil)
                if notesC.isEmpty {
                    notesC.append("protocol (c): the information-value sampler has \(formatCount(error.candidates)) candidate cells outside "
                                  + "the test blocks for \(error.requested) negatives; no (c) scores in this replicate")
                }
            }
            progress("\(label): map")
            let map = try MapRun.score(model, factors: factors)
            let cells = (0..<dem.count).filter { valid[$0] && map[$0].isFinite }
            let breaks = try NaturalBreaks(ClassBreaks.sampled(cells.map { Double(map[$0]) }), classes: 5)
            var area = [Double](repeating: 0, count: 5), slides = [Int](repeating: 0, count: 5)
            var classes = [UInt8](repeating: 255, count: dem.count)
            for c in cells {
                let k = breaks.classIndex(of: Double(map[c])); area[k] += cellArea; classes[c] = UInt8(k)
            }
            zoningMaps.append(ClassedMapChart(grid: grid, classes: classes, points: points, title: label))
            susceptibility.append((label, map))
            for c in landslides where map[c].isFinite { slides[breaks.classIndex(of: Double(map[c]))] += 1 }
            let total = area.reduce(0, +), rep = reportedAreas[label]!, repTotal = rep.reduce(0, +)
            results.append(NetworkResult(model: label, studyProtocol: a, commonTest: b, aucSpatialTest: aucC, reportedByStudy: reported[label]!,
                                         classAreaKm2: area, classAreaPercent: area.map { 100 * $0 / total }, classLandslides: slides,
                                         reportedClassAreaPercent: rep.map { 100 * $0 / repTotal },
                                         reportedClassLandslidePercent: percentages(reportedLandslides[label] ?? [])))
        }
        var writer = try FigureWriter(outputDirectory)
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        for (label, map) in susceptibility {
            try writer.saveMap(map, on: dem, valid: valid, stem: FigureWriter.stem(label), description: "\(label): susceptibility (score in [0, 1])",
                               config: config, seed: options.seed)
        }
        try save(ROCChart(curves: curves, title: "\(config.name): common test"), "roc-common-test")
        try save(PanelFigure([ROCChart(curves: curvesA, title: "(a) study protocol (70/30)"),
                              ROCChart(curves: curves, title: "(b) common test")], columns: 2, letters: false), "roc-panels")
        try save(BarChart(categories: fit.pca.names, series: [.init(label: "", values: fit.pca.weights)],
                          valueLabel: "PCA weight", categoryLabel: "Factor",
                          title: "\(config.name): factor weights (kept at ≥ \(fit.pca.threshold))",
                          showValues: true, valueDecimals: 3, reference: (fit.pca.threshold, "threshold \(fit.pca.threshold)")),
                 "factor-weights", size: Size(width: 620, height: 320))
        try save(ClassedMapChart(grid: grid, classes: ivClasses, points: points, title: "Information-value zoning"), "iv-zoning-map")
        try save(PanelFigure(zoningMaps, columns: 3, panelSize: zoningMaps[0].preferredSize), "zoning-maps")
        let metricNames = ["accuracy", "precision", "recall", "f1", "auc"]
        // A metric with no defined value (precision when nothing is predicted positive) is a gap marked n/a.
        func value(_ m: FoldMetrics, _ k: String) -> Double {
            let v: Double = switch k {
            case "accuracy": m.accuracy
            case "precision": m.precision
            case "recall": m.recall
            case "f1": m.f1
            default: m.auc
            }
            return v.isFinite ? v : .nan
        }
        try save(BarChart(categories: metricNames.map { $0 == "f1" ? "F1" : $0 == "auc" ? "AUC" : $0.capitalized },
                          series: results.map { r in .init(label: "\(r.model) (ours, 70/30)", values: metricNames.map { value(r.studyProtocol, $0) }) }
                              + results.map { r in .init(label: "\(r.model) (Study B)", values: metricNames.map { r.reportedByStudy[$0]! }) },
                          valueLabel: "Score", categoryLabel: "Metric", title: "\(config.name): networks, ours vs Study B",
                          // Each network one hue: ours solid, Study B's the same hue, light.
                          colors: (0..<3).map { Theme.standard.color($0) } + (0..<3).map { Theme.standard.color($0).withAlpha(0.4) },
                          valueCeiling: 1),
                 "metrics-bars", size: Size(width: 600, height: 320))
        try save(BarChart(categories: results.map(\.model), series: Theme.susceptibilityClassNames.indices.map { c in
            .init(label: Theme.susceptibilityClassNames[c], values: results.map { $0.classAreaPercent[c] }) },
                          mode: .stacked, valueLabel: "Share of area (%)", categoryLabel: "Network",
                          title: "\(config.name): area per class", showValues: true, colors: Theme.standard.susceptibility), "class-area")
        let r = Results(study: config.name, seed: options.seed, quick: options.quick, factors: factors.names,
                        factorWeights: zip(fit.pca.names, fit.pca.weights).map { FactorWeight(factor: $0, weight: $1, kept: $1 >= fit.pca.threshold) },
                        pcaThreshold: fit.pca.threshold, informationValueTable: ivTable, informationValueZoning: ivZoning,
                        statements: statements + notesC, deviations: deviations, networks: results,
                        pairedCommonTest: PairedAUC.all(names: results.map(\.model), labels: common.labels, scores: commonScores),
                        pairedSpatialTest: PairedAUC.all(names: results.map(\.model), labels: spatial.test.labels, scores: spatialScores),
                        spatialTest: spatial.summary,
                        figures: writer.files.sorted(), seconds: setup.seconds)
        try writer.writeResults(r, config: config, seed: options.seed)
        return r
    }
}

extension NetworkComparison {
    /// The metric bars of a replicated run: each network's mean score under (a) with its 95 % interval,
    /// beside Study B's (Table 3).
    public static func summaryFigures(_ summary: ReplicateSummary) throws -> [String] {
        let runs = try summary.replicates(as: Results.self)
        guard let first = runs.first else { return [] }
        let metricNames = ["accuracy", "precision", "recall", "f1", "auc"]
        func value(_ m: FoldMetrics, _ k: String) -> Double {
            switch k {
            case "accuracy": m.accuracy
            case "precision": m.precision
            case "recall": m.recall
            case "f1": m.f1
            default: m.auc
            }
        }
        // A metric without a value in some replicate (precision with nothing predicted positive) averages the others.
        func replicated(_ k: Int, _ metric: String) -> Replicated {
            Replicated(runs.map { value($0.networks[k].studyProtocol, metric) }.filter(\.isFinite))
        }
        let ours = first.networks.indices.map { k in metricNames.map { replicated(k, $0) } }
        var writer = try FigureWriter(summary.out)
        try writer.save(BarChart(categories: metricNames.map { $0 == "f1" ? "F1" : $0 == "auc" ? "AUC" : $0.capitalized },
                                 series: first.networks.indices.map { k in
                                     .init(label: "\(first.networks[k].model) (ours, 70/30)", values: ours[k].map { $0.n > 0 ? $0.mean : .nan },
                                           intervals: ours[k].map(\.ci95)) }
                                     + first.networks.map { r in .init(label: "\(r.model) (Study B)", values: metricNames.map { r.reportedByStudy[$0]! }) },
                                 valueLabel: "Score", categoryLabel: "Metric",
                                 title: "\(first.study): networks, ours (mean, 95 % interval of \(runs.count)) vs Study B",
                                 colors: (0..<3).map { Theme.standard.color($0) } + (0..<3).map { Theme.standard.color($0).withAlpha(0.4) },
                                 valueCeiling: 1),
                        "metrics-bars", size: Size(width: 640, height: 320))
        return writer.files
    }
}

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

/// Study A's scenario experiments: the COV sweep (0.01, 0.10, 0.20, 0.30; Figs. 11–14, Table 3) and
/// the correlation/distribution grid (UN, CN, UL, CL; Figs. 15–18, Table 4). For each scenario: the
/// PPM (POF map) and the PPM-CNN (the patch CNN trained with negatives from that scenario's POF < 0.5
/// region after opening and closing, as PPM-CNN(Y1)); five natural-breaks classes of each; the
/// share of landslides and of area per class and their frequency ratio, in Table 3's layout; NSV
/// histograms with normal fits; the very-high class's slope and aspect (box plot, dumbbell with
/// 95 % CI, radar over eight aspect sectors, ternary of slope bands); landslides vs 1,000 random
/// points per class.
public enum ScenarioSweep {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var quick = false
        public var scenarios: [Scenario] = Scenario.covSweep
        public var experiment = "cov-sweep"
        /// Study A's profile, POF channel, Step 6, soil-type channel, sampler threshold and kernels.
        public var studyA = StudyASettings()
        public init() {}
    }

    public struct ClassTable: Codable, Sendable {
        public var model: String
        public var scenario: Scenario
        public var percentLandslides: [Double]
        public var percentArea: [Double]
        public var frequencyRatio: [Double]
        public var percentRandomPoints: [Double]
        /// Study A's printed values for this model and scenario (METHODS.md A6), if any.
        public var studyPercentLandslides: [Double]?
        public var studyPercentArea: [Double]?
        public var highAndVeryHighPercentArea: Double
        public var nsvMean: Double
        public var nsvSD: Double
        public var veryHighMeanSlopeDeg: Double
        public var aucCommonTest: Double
    }

    /// What the scenario does to the POF sampler: its candidates at the study's threshold and, to show
    /// what would make the scenarios matter, the cells with POF below other thresholds.
    public struct SamplerCandidates: Codable, Sendable {
        public var scenario: Scenario
        public var candidateCells: Int
        /// Analysed cells with POF below each threshold (keys "0.1" … "0.9"), before cleaning.
        public var cellsBelowThreshold: [String: Int]
        public var sharePofAboveHalf: Double
    }

    public struct Results: Codable, Sendable {
        public var study: String
        public var experiment: String
        public var seed: UInt64
        public var quick: Bool
        public var scenarios: [Scenario]
        public var studyA: StudyASettings
        public var channels: [String]
        public var infiltration: InfiltrationRegime
        public var samplerCandidates: [SamplerCandidates]
        /// Degeneracies found by computation (the same sampler in every scenario, no runoff, nearly all stable).
        public var statements: [String]
        /// Where this run differs from Study A, from the settings actually used.
        public var deviations: [Deviation]
        public var tables: [ClassTable]
        public var figures: [String]
        public var seconds: Double
    }

    /// Study A's printed class shares for a model and scenario (METHODS.md A6): Table 3 for the COV
    /// sweep, Table 4's PPM-CNN block for the grid. Table 4's PPM block repeats Table 3's (the audit
    /// reports it), so it is not compared.
    static func studyValues(model: String, scenario: Scenario) -> (landslides: [Double], area: [Double])? {
        let studyA = PublishedNumbers.shipped.studyA
        if Scenario.covSweep.contains(scenario) {
            return studyA.classShares(table: 3, model: model, scenario: scenario.tableColumn)
        }
        guard model != "PPM" else { return nil }
        return studyA.classShares(table: 4, model: model, scenario: scenario.tableColumn)
    }

    public static func run(_ context: StudyContext, options: Options, outputDirectory: String,
                           progress: (String) -> Void = { _ in }) throws -> Results {
        let studyA = options.studyA.resolved(context.config)
        let channels = studyA.channels(context)
        let prepared = try PPMRun.inputs(context)
        // The POF channel (when on) changes with the scenario; the setup's own stack has the DEM channels.
        let setup = try ExperimentSetup(context, seed: options.seed, factors: channels.filter { $0 != "pof" })
        let config = context.config
        let g = setup.generator
        let (dem, valid) = (setup.dem, setup.valid)
        let slope = prepared.slope
        let aspect = try context.aspectDegrees()
        let (landslides, trainingLandslides) = (setup.landslides, setup.trainingLandslides)
        let base = zip(NegativeSampling.outsideBuffer(dem, landslides: setup.footprint, bufferMeters: 0), valid).map { $0 && $1 }
        var samplerCandidates: [SamplerCandidates] = []
        var candidateGroups: [(mask: [Bool], scenarios: [Scenario])] = []
        // 1,000 random points (not landslides), the same for every scenario.
        var randomPoints: [Int] = []
        let landslideSet = Set(landslides)
        var pg = g.split(.randomPoints)
        while randomPoints.count < 1000 {
            let c = Int(pg.nextUnit() * Double(dem.count))
            if valid[c] && !landslideSet.contains(c) { randomPoints.append(c) }
        }
        // The common test (ExperimentSetup): held-out landslides with the study's random points.
        let testCells = setup.common.cells, testLabels = setup.common.labels
        let setupRaster = setup.raster
        var settings = ModelSettings()
        if options.quick { settings.channels = 8; settings.epochs = 4; settings.patience = 2; settings.batchSize = 32 }
        settings = studyA.network(settings).resolved(.patchCNN)

        var tables: [ClassTable] = []
        var nsvHistograms: [any Chart] = []
        var veryHighSlopes: [(String, [Double])] = []
        var allSlopes: [Double] = []
        var radarSeries: [RadarChart.Series] = []
        var ternarySeries: [TernaryChart.Series] = []
        var classedMaps: [ClassedMapChart] = []
        let grid = setup.mapGrid
        let points = setup.mapPoints
        for i in 0..<dem.count where valid[i] && slope.isValid(at: i) { allSlopes.append(Double(slope.values[i])) }

        for (k, scenario) in options.scenarios.enumerated() {
            progress("\(scenario.rawValue): PPM")
            var scenarioGenerator = g.split(.model(k))  // one stream per scenario's CNN
            let ppm = try PPMRun.reliability(prepared, config: config, scenario: scenario, profile: studyA.profile, slope: slope)
            let pofMap = (0..<dem.count).map { ppm.pof.isValid(at: $0) && valid[$0] ? ppm.pof.values[$0] : Float.nan }
            let factors = studyA.pofChannel
                ? try FactorLayers.load(context, names: channels, extra: ["pof": ppm.pof]) : setup.factors
            let moments = studyA.pofChannel ? factors.moments() : setup.moments
            let raster = studyA.pofChannel ? factors.raster(moments: moments) : setupRaster
            progress("\(scenario.rawValue): PPM-CNN (negatives from POF < \(studyA.pofThreshold) after opening and closing)")
            let candidates = zip(base, NegativeSampling.pofStableRegion(ppm.pof, threshold: studyA.pofThreshold,
                                                                         openSize: studyA.kernelOpen, closeSize: studyA.kernelClose))
                .map { $0 && $1 }
            if let k = candidateGroups.firstIndex(where: { $0.mask == candidates }) {
                candidateGroups[k].scenarios.append(scenario)
            } else {
                candidateGroups.append((candidates, [scenario]))
            }
            let finite = pofMap.filter(\.isFinite)
            samplerCandidates.append(SamplerCandidates(
                scenario: scenario, candidateCells: candidates.filter { $0 }.count,
                cellsBelowThreshold: Dictionary(uniqueKeysWithValues: [0.1, 0.3, 0.5, 0.7, 0.9].map { t in
                    (String(t), finite.filter { $0 < Float(t) }.count) }),
                sharePofAboveHalf: Double(finite.filter { $0 > 0.5 }.count) / Double(max(1, finite.count))))
            // The same negative stream in every scenario: scenarios differ in their candidates only.
            var negativeGenerator = g.split(.negatives(0))
            let negatives = try NegativeSampling.draw(candidates: candidates, geoTransform: dem.geoTransform, rows: dem.rows,
                                                      cols: dem.cols, count: trainingLandslides.count, spacingMeters: 0,
                                                      avoid: landslides, generator: &negativeGenerator, sampler: "pof")
            let cells = trainingLandslides + negatives
            let set = SampleSet.cells(cells, labels: trainingLandslides.map { _ in 1 } + negatives.map { _ in 0 }, columns: dem.cols)
            let test = SampleSet.cells(testCells, labels: testLabels, columns: dem.cols)
            let (testScores, model) = try TrainRun.fitAndScore(.patchCNN, train: set, test: test, factors: factors, raster: raster,
                                                               moments: moments, settings: settings, patch: studyA.patch,
                                                               generator: &scenarioGenerator)
            let cnnMap = studyA.cleaned(try MapRun.score(model, factors: factors), valid: valid, grid: dem)
            let label = scenario.label
            for (modelName, map) in [("PPM", pofMap), ("PPM-CNN", cnnMap)] {
                let values = (0..<dem.count).filter { valid[$0] && map[$0].isFinite }
                let scores = values.map { Double(map[$0]) }
                let breaks = try NaturalBreaks(ClassBreaks.sampled(scores), classes: 5)
                var classOf = [Int](repeating: -1, count: dem.count)
                for (k, c) in values.enumerated() { classOf[c] = breaks.classIndex(of: scores[k]) }
                let fr = FrequencyRatio(cellClasses: values.map { classOf[$0] }, landslideClasses: landslides.compactMap {
                    classOf[$0] >= 0 ? classOf[$0] : nil }, classes: 5)
                var randomShare = [Double](repeating: 0, count: 5)
                for p in randomPoints where classOf[p] >= 0 { randomShare[classOf[p]] += 100 / Double(randomPoints.count) }
                let nsv = NormalisedSusceptibility(scores)
                let veryHigh = values.filter { classOf[$0] == 4 && slope.isValid(at: $0) }
                let vhSlopes = veryHigh.map { Double(slope.values[$0]) }
                let auc = modelName == "PPM"
                    ? ROC(labels: testLabels.map(UInt8.init), scores: testCells.map { pofMap[$0].isFinite ? Double(pofMap[$0]) : 0 }).auc
                    : ROC(labels: testLabels.map(UInt8.init), scores: testScores).auc
                let study = studyValues(model: modelName, scenario: scenario)
                tables.append(ClassTable(model: modelName, scenario: scenario, percentLandslides: fr.percentLandslides,
                                         percentArea: fr.percentArea, frequencyRatio: fr.ratio, percentRandomPoints: randomShare,
                                         studyPercentLandslides: study?.landslides, studyPercentArea: study?.area,
                                         highAndVeryHighPercentArea: fr.percentArea[3] + fr.percentArea[4],
                                         nsvMean: nsv.mean, nsvSD: nsv.standardDeviation,
                                         veryHighMeanSlopeDeg: vhSlopes.reduce(0, +) / Double(max(1, vhSlopes.count)),
                                         aucCommonTest: auc))
                if modelName == "PPM-CNN" {
                    nsvHistograms.append(HistogramChart(values: nsv.values, bins: 20, range: 0...1, xLabel: "NSV",
                                                        yLabel: "Number of cells", title: "PPM-CNN, \(label)"))
                    veryHighSlopes.append((label, vhSlopes))
                    radarSeries.append(.init(label: label, values: aspectShares(veryHigh, aspect)))
                    ternarySeries.append(.init(label: label, points: slopeBandsPerTile(veryHigh, slope: slope, columns: dem.cols)))
                    classedMaps.append(ClassedMapChart(grid: grid, classes: (0..<dem.count).map { classOf[$0] >= 0 ? UInt8(classOf[$0]) : 255 },
                                                       points: points, title: "PPM-CNN, \(label)"))
                }
            }
        }
        // Degeneracies, from the computation.
        var statements: [String] = setup.commonTestStatements
        for group in candidateGroups where group.scenarios.count > 1 {
            let names = group.scenarios.map(\.tableColumn).joined(separator: ", ")
            statements.append("the POF < \(studyA.pofThreshold) sampler's candidates are the same \(formatCount(group.mask.filter { $0 }.count)) "
                              + "cells in scenarios \(names)"
                              + (studyA.pofThreshold == 0.5 ? " (with normal marginals POF < 0.5 exactly where FOS at the means > 1, "
                                 + "whatever the COV or correlation)" : "")
                              + ", so the PPM-CNN rows of these scenarios differ by training noise only")
        }
        if prepared.regime.capacityLimitedCells == 0 { statements.append(PPMRun.noRunoffStatement(prepared.regime)) }
        if let worst = samplerCandidates.min(by: { $0.sharePofAboveHalf < $1.sharePofAboveHalf }) {
            statements += PPMRun.stabilityWarnings(sharePofAboveHalf: worst.sharePofAboveHalf).map { "\(worst.scenario.tableColumn): \($0)" }
        }
        for line in statements { progress("note: \(line)") }
        // Figures.
        var writer = try FigureWriter(outputDirectory)
        func save(_ chart: any Chart, _ stem: String, size: Size? = nil) throws { try writer.save(chart, stem, size: size) }
        let labels = options.scenarios.map(\.tableColumn)
        let name = config.name
        try save(PanelFigure(nsvHistograms, columns: 2, panelSize: Size(width: 300, height: 230)), "nsv-histograms")
        try save(PanelFigure(classedMaps, columns: 2, panelSize: classedMaps[0].preferredSize), "susceptibility-maps")
        for modelName in ["PPM", "PPM-CNN"] {
            let rows = tables.filter { $0.model == modelName }
            try save(BarChart(categories: labels, series: Theme.susceptibilityClassNames.indices.map { c in
                .init(label: Theme.susceptibilityClassNames[c], values: rows.map { $0.percentArea[c] }) },
                mode: .stacked, valueLabel: "Share of area (%)", categoryLabel: "Scenario",
                title: "\(name): area per class, \(modelName)", showValues: true, colors: Theme.standard.susceptibility),
                "class-area-\(modelName.lowercased())")
            try save(BarChart(categories: Theme.susceptibilityClassNames,
                              series: rows.flatMap { r in
                                  [BarChart.Series(label: "Landslides, \(r.scenario.rawValue)", values: r.percentLandslides)] },
                              valueLabel: "Share of landslides (%)", categoryLabel: "Susceptibility class",
                              title: "\(name): landslides per class, \(modelName)"),
                     "landslides-per-class-\(modelName.lowercased())", size: Size(width: 520, height: 300))
        }
        let cnnRows = tables.filter { $0.model == "PPM-CNN" }
        try save(BarChart(categories: Theme.susceptibilityClassNames,
                          series: [.init(label: "Inventory (\(labels.first ?? ""))", values: cnnRows.first?.percentLandslides ?? []),
                                   .init(label: "1,000 random points (\(labels.first ?? ""))", values: cnnRows.first?.percentRandomPoints ?? [])],
                          valueLabel: "Share of points (%)", categoryLabel: "Susceptibility class (PPM-CNN)",
                          title: "\(name): inventory vs random points"), "inventory-vs-random")
        try save(BoxPlotChart(groups: veryHighSlopes.map { .init(label: $0.0, values: $0.1) }, valueLabel: "Slope (°)",
                              groupLabel: "Scenario", title: "\(name): slope of very-high cells (PPM-CNN)", valueFloor: 0), "very-high-slope-box")
        try save(DumbbellChart(rows: veryHighSlopes.map { .init(label: $0.0, first: .meanWithCI95($0.1), second: .meanWithCI95(allSlopes)) },
                               seriesLabels: ("Very-high cells", "All cells"), valueLabel: "Mean slope (°)",
                               title: "\(name): mean slope, 95 % CI"), "very-high-slope-dumbbell")
        radarSeries.append(.init(label: "All cells", values: aspectShares(valid.indices.filter { valid[$0] }, aspect)))
        try save(RadarChart(series: radarSeries, valueLabel: "Share of very-high cells (%)",
                            title: "\(name): aspect of very-high cells"), "very-high-aspect-radar")
        try save(TernaryChart(series: ternarySeries, axisLabels: ("Slope > 35°", "Slope < 20°", "Slope 20–35°"),
                              title: "\(name): very-high cells' slope bands per \(tileCells * Int(abs(dem.geoTransform.pixelWidth))) m tile"),
                 "very-high-slope-ternary")
        let results = Results(study: config.name, experiment: options.experiment, seed: options.seed, quick: options.quick,
                              scenarios: options.scenarios, studyA: studyA, channels: channels, infiltration: prepared.regime,
                              samplerCandidates: samplerCandidates, statements: statements,
                              deviations: Deviations.studyAData(options.experiment, context: context, analysedCells: valid.filter { $0 }.count,
                                                                landslides: landslides.count)
                                  + Deviations.storm(options.experiment, context: context)
                                  + Deviations.channels(options.experiment, channels, settings: studyA)
                                  + Deviations.network(options.experiment, settings, quick: options.quick),
                              tables: tables, figures: writer.files.sorted(),
                              seconds: setup.seconds)
        try writer.writeResults(results, config: config, seed: options.seed)
        return results
    }
}

extension ScenarioSweep {
    /// Tiles (cells per side) over which the ternary shows the very-high cells' slope-band mix.
    static let tileCells = 20

    /// Share (%) of `cells` per aspect sector N, NE, … NW (sectors centred on the compass points).
    static func aspectShares(_ cells: [Int], _ aspect: Grid<Float>) -> [Double] {
        var sectors = [Double](repeating: 0, count: 8)
        for c in cells where aspect.isValid(at: c) {
            sectors[Int(((Double(aspect.values[c]) + 22.5).truncatingRemainder(dividingBy: 360)) / 45) % 8] += 1
        }
        let total = max(1, sectors.reduce(0, +))
        return sectors.map { 100 * $0 / total }
    }

    /// The slope-band mix (> 35°, < 20°, 20–35°) of the cells in each tile of ``tileCells`` × ``tileCells``
    /// cells holding at least 10 of them: the spread of points shows how the mix varies over the map.
    static func slopeBandsPerTile(_ cells: [Int], slope: Grid<Float>, columns: Int) -> [(Double, Double, Double)] {
        var tiles: [Int: (Double, Double, Double)] = [:]
        for c in cells where slope.isValid(at: c) {
            let key = (c / columns / tileCells) * 1_000_000 + (c % columns) / tileCells
            let s = Double(slope.values[c])
            var t = tiles[key] ?? (0, 0, 0)
            if s > 35 { t.0 += 1 } else if s < 20 { t.1 += 1 } else { t.2 += 1 }
            tiles[key] = t
        }
        let points = tiles.keys.sorted().compactMap { k -> (Double, Double, Double)? in
            let t = tiles[k]!
            return t.0 + t.1 + t.2 >= 10 ? t : nil
        }
        return points.isEmpty ? [(1, 1, 1)] : points
    }

    /// The table an experiment prints: per model and scenario, % landslides and % area per class,
    /// with Study A's printed values beneath where it printed them.
    public static func summary(_ r: Results) -> String {
        var lines = ["\(r.experiment): \(r.study), seed \(r.seed)\(r.quick ? ", quick" : "")",
                     "  model    scenario   quantity        I       II      III      IV       V     (AUC common test)"]
        func row(_ v: [Double]) -> String { v.map { String(format: "%7.2f", $0) }.joined(separator: " ") }
        for t in r.tables {
            let head = "  \(t.model.padding(toLength: 8, withPad: " ", startingAt: 0)) \(t.scenario.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))"
            lines.append("\(head) %landslides  \(row(t.percentLandslides))     \(String(format: "%.3f", t.aucCommonTest))")
            if let s = t.studyPercentLandslides { lines.append("\(String(repeating: " ", count: 22))  Study A     \(row(s))") }
            lines.append("\(String(repeating: " ", count: 22))%area       \(row(t.percentArea))")
            if let s = t.studyPercentArea { lines.append("\(String(repeating: " ", count: 22))  Study A     \(row(s))") }
        }
        lines.append("  POF sampler candidates per scenario: "
                     + r.samplerCandidates.map { "\($0.scenario.tableColumn) \(formatCount($0.candidateCells))" }.joined(separator: ", "))
        for s in r.statements { lines.append("  note: \(s)") }
        lines.append(String(format: "%@: %d figures and results.json (%.1f s)", r.experiment, r.figures.count, r.seconds))
        return lines.joined(separator: "\n")
    }
}

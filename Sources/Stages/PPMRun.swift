import Foundation
import GeoRaster
import Randomness
import Reliability
import SlopePhysics
import StudyCore
import SummaryStatistics
import Terrain

/// What `landslide ppm` reports beside its maps (`ppm.json`).
public struct PPMSummary: Codable, Sendable {
    public struct FormCheck: Codable, Sendable {
        /// Random converged cells checked by importance sampling (those whose IS estimate is ≥ 1e-10).
        public var cells: Int
        public var samplesPerCell: Int
        /// |POF_FORM − POF_IS| / POF_IS: median, 90th percentile, maximum.
        public var relativeDifferenceMedian: Double
        public var relativeDifferenceP90: Double
        public var relativeDifferenceMax: Double
        /// Cells whose FORM and IS estimates differ by more than 3 standard errors and 25 %.
        public var disagreeing: Int
        /// Of those, cells whose design point lies on the soil-depth cap (z_w within 1 % of h_s there):
        /// failure needs the front at the cap *and* weak soil, an intersection FORM's single plane overstates.
        public var disagreeingAtSoilDepthCap: Int
        /// Of those, cells where the supply came within 50 % of k_s during the storm (the min(supply, k_s) kink).
        public var disagreeingAtConductivityKink: Int
        /// FORM / IS: median over the checked cells (> 1: FORM overestimates).
        public var formOverISMedian: Double
    }

    public var study: String
    public var scenario: String
    public var profile: String
    public var rainMillimeters: Double
    public var hours: Double
    public var waterBalanceRelativeError: Double
    public var validCells: Int
    public var converged: Int
    public var notConverged: Int
    public var stableByDefinition: Int
    public var lineSearchCells: Int
    /// Converged cells whose β settled to 1e-4 in a limit cycle (see FORM's active-set solver).
    public var settledCells: Int
    /// Share of cells with FOS(mean) < 1 and with POF > 0.5, among cells with a POF.
    public var shareFOSBelowOne: Double
    public var sharePofAboveHalf: Double
    public var pofMean: Double
    /// Counts of POF in [0, 0.1), [0.1, 0.2), … [0.9, 1].
    public var pofHistogram: [Int]
    public var formCheck: FormCheck?
    /// With `--reliability importance-sampling|monte-carlo`: the chosen method against FORM over the map.
    public var reliability: MethodComparison?

    /// `pof` by a sampling method against FORM's, over the cells both have (issue G9).
    public struct MethodComparison: Codable, Sendable {
        public var method: String
        public var covTarget: Double
        public var maxSamples: Int
        public var cells: Int
        public var samplesPerCellMean: Double
        public var samplesPerCellMedian: Int
        /// Cells that reached the cap before the target COV.
        public var cappedCells: Int
        /// Cells on either side of POF 0.5 under one method and not the other (the POF sampler's cut).
        public var shareAcrossHalfChanged: Double
        /// |POF_FORM − POF| / POF over cells with POF > 0: median and 90th percentile.
        public var relativeDifferenceMedian: Double
        public var relativeDifferenceP90: Double
        /// POF_FORM / POF, median.
        public var formOverMethodMedian: Double
    }
    /// Supply- vs capacity-limited infiltration and the routed runoff (the storm against k_s).
    public var infiltration: InfiltrationRegime
    /// Said when almost every cell is stable, so the POF sampler is close to the random one.
    public var warnings: [String]
    public var layers: [String]
    /// With a tile (`--tile i/N`): the tile and its rows (first, count) in the whole grid; the counts,
    /// shares, histogram and FORM check above are then the band's.
    public var tile: String?
    public var tileRows: [Int]?
}

/// The physically-based probabilistic model on a study: terrain → PRL-STIM at the means → FORM per cell.
public enum PPMRun {
    public struct Options: Sendable {
        public var scenario: Scenario = .config
        /// Overrides the config's correlation convention.
        public var correlationConvention: CorrelationConvention?
        public var profile: PressureProfile = .c
        public var checkCells = 100
        public var checkSamples = 4000
        public var seed: UInt64?
        /// Iteration cap of the active-set FORM solver (kinked cells; ``FORMOptions/maxActiveSetIterations``).
        public var maxIterations = 10_000
        /// Run FORM on one band of rows only and write that band (see ``run(_:options:outputPath:progress:)``).
        public var tile: RasterTile?
        /// How `pof` is computed: FORM (the study's), or a sampling method to `stop` (issue G9).
        public var reliability: ReliabilityMethod = .form
        public var samplingStop = SamplingStop(covTarget: 0.05, maxSamples: 100_000)
        public init() {}
    }

    /// The study's storm, with every intensity multiplied by the config's `rainfall.scale`.
    public static func storm(_ config: StudyConfig) throws -> (hyetograph: Hyetograph, hours: Double?) {
        let (hyetograph, hours): (Hyetograph, Double?)
        switch config.rainfall {
        case let .constant(intensity, duration):
            (hyetograph, hours) = (try Hyetograph.constant(millimetersPerHour: intensity, durationHours: duration), nil)
        case let .hyetograph(path, evaluateAt):
            (hyetograph, hours) = (try Hyetograph.read(csv: path), evaluateAt)
            // A time after the storm's last step would silently be evaluated at its end.
            if let evaluateAt, let end = hyetograph.endHours.last, evaluateAt > end {
                throw StudyConfigError(file: config.configPath, line: nil, key: "rainfall.evaluate_at_h",
                                       problem: "\(evaluateAt) h is after the end of the storm in \(path) (\(end) h); expected a time from 0 to \(end) h")
            }
        }
        guard config.rainfallScale != 1 else { return (hyetograph, hours) }
        return (try Hyetograph(endHours: hyetograph.endHours,
                               intensityMillimetersPerHour: hyetograph.intensityMillimetersPerHour.map { $0 * config.rainfallScale }),
                hours)
    }

    /// Everything FORM needs per cell: the DEM, slope, soil depth, soil means and the storm at the means.
    public struct Inputs: Sendable {
        public var dem: Grid<Float>
        /// Slope (degrees) inside the study area, nodata outside: FORM runs only where this is valid.
        public var slope: Grid<Float>
        public var soilDepth: Grid<Float>
        public var soil: SoilHydraulics
        /// The study's soil zones (`zones`), nil without; zone z's hydraulics at the means are `soils[z]`
        /// (`soils[0]` = `soil`, the config's `parameters`).
        public var zones: ZoneMap?
        public var soils: [SoilHydraulics]
        public var storm: PRLSTIMResult
        public var rainMillimeters: Double
        /// Supply- vs capacity-limited infiltration inside the study area, and the routed runoff.
        public var regime: InfiltrationRegime
    }

    /// The study's terrain (slope, routing, soil depth from its context) → PRL-STIM at the mean parameters.
    /// Timed as the stage "terrain + PRL-STIM" (``StageClock``).
    public static func inputs(_ context: StudyContext) throws -> Inputs {
        try StageClock.shared.time("terrain + PRL-STIM") { try inputsUntimed(context) }
    }

    static func inputsUntimed(_ context: StudyContext) throws -> Inputs {
        let config = context.config
        let (hyetograph, hours) = try storm(config)
        let steps = hyetograph.steps(until: hours)
        let dem = context.dem
        let terrain = try context.terrain()
        let (routing, slope, soilDepth) = (terrain.routing, terrain.slopeDegrees, terrain.soilDepthMeters)
        let zones = try context.soilZones()
        let soils = (zones?.parameters ?? [config.parameters]).map { p in
            SoilHydraulics(porosity: p[.porosity].mean!, finalSaturation: p[.finalSaturation].mean!,
                           initialSaturation: p[.initialSaturation].mean!,
                           saturatedConductivityMetersPerSecond: p[.saturatedConductivity].mean!)
        }
        let soil = soils[0]
        // Routing uses the whole DEM (runoff arrives from upslope, inside the area or not).
        let storm = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: soilDepth, soils: soils,
                                zoneOfCell: zones?.zoneOfCell, steps: steps)
        var areaSlope = slope
        if let area = try context.areaMask() {
            for i in area.indices where !area[i] { areaSlope.values[i] = areaSlope.nodata ?? .nan }
        }
        let regime = storm.regime(saturatedConductivityMetersPerSecond: soil.saturatedConductivityMetersPerSecond,
                                  rainMetersPerSecond: steps.map(\.metersPerSecond), valid: areaSlope.validMask,
                                  cellAreaSquareMeters: abs(dem.geoTransform.pixelWidth * dem.geoTransform.pixelHeight),
                                  zones: zones.map { ($0.zoneOfCell, soils.map(\.saturatedConductivityMetersPerSecond)) })
        return Inputs(dem: dem, slope: areaSlope, soilDepth: soilDepth, soil: soil, zones: zones, soils: soils, storm: storm,
                      rainMillimeters: hyetograph.totalMillimeters(until: hours), regime: regime)
    }

    /// Each zone's random parameters under `scenario` (one entry without zones): the scenario's COVs,
    /// distributions and correlations on the zone's means (``Scenario/uncertainty(_:convention:parameters:)``).
    public static func uncertainties(_ config: StudyConfig, zones: ZoneMap?, scenario: Scenario,
                                     convention: CorrelationConvention? = nil) throws -> [CellUncertainty] {
        try (zones?.parameters ?? [config.parameters]).map {
            try scenario.uncertainty(config, convention: convention, parameters: $0)
        }
    }

    /// FORM on every cell of `slope` (default: the inputs' slope) under `scenario`, each cell with its
    /// zone's parameters: the one way every stage and experiment gets the POF map.
    public static func reliability(_ prepared: Inputs, config: StudyConfig, scenario: Scenario, profile: PressureProfile,
                                   convention: CorrelationConvention? = nil, slope: Grid<Float>? = nil,
                                   options: FORMOptions = FORMOptions()) throws -> ReliabilityMap {
        try StageClock.shared.time("FORM") { try ReliabilityMap.compute(
            slopeDegrees: slope ?? prepared.slope, soilDepthMeters: prepared.soilDepth, storm: prepared.storm,
            uncertainties: try uncertainties(config, zones: prepared.zones, scenario: scenario, convention: convention),
            zoneOfCell: prepared.zones?.zoneOfCell, profile: profile, options: options) }
    }

    /// Runs the PPM and writes its maps and `ppm.json`, all-or-nothing.
    ///
    /// With a tile, PRL-STIM still routes the storm over the whole grid (a cell's run-on comes from the
    /// whole basin upslope), and FORM — the per-cell work, nearly all of the time — runs on the band's
    /// cells only; FORM needs no halo (each cell is solved on its own), and slope's one-cell halo is
    /// read from the rows around the band. Every map is written as the band, so the tiles' mosaic
    /// (`gdalbuildvrt`) equals the whole map cell for cell.
    public static func run(_ context: StudyContext, options: Options, outputPath: String,
                           progress: (String) -> Void) throws -> PPMSummary {
        let config = context.config
        func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
            let t0 = Date()
            let value = try body()
            progress("ppm: " + label.padding(toLength: 34, withPad: " ", startingAt: 0)
                     + String(format: "%8.2f s", Date().timeIntervalSince(t0)))
            return value
        }
        let prepared = try timed("terrain + PRL-STIM (means)") { try inputs(context) }
        let (dem, soilDepth, storm) = (prepared.dem, prepared.soilDepth, prepared.storm)
        let uncertainties = try uncertainties(config, zones: prepared.zones, scenario: options.scenario,
                                              convention: options.correlationConvention)
        var slope = prepared.slope
        let tile = options.tile
        if let tile {
            guard tile.fits(rows: dem.rows) else {
                throw RasterTileError("--tile \(tile): the study's grid has only \(dem.rows) rows; use at most \(dem.rows) tiles")
            }
            // FORM runs where slope is valid: outside the band, nowhere.
            let band = tile.rows(of: dem.rows)
            for r in 0..<dem.rows where !band.contains(r) {
                for c in 0..<dem.cols { slope.values[r * dem.cols + c] = slope.nodata ?? .nan }
            }
            progress("ppm: tile \(tile): FORM on rows \(band.lowerBound)–\(band.upperBound - 1)")
        }
        progress("ppm: \(config.name), scenario \(options.scenario.rawValue), profile \(options.profile.rawValue), "
                 + "\(String(format: "%.1f", prepared.rainMillimeters)) mm in \(storm.stepSeconds.count) steps")
        let map = try timed("FORM per cell") {
            var formOptions = FORMOptions()
            formOptions.maxActiveSetIterations = options.maxIterations
            let sampling = options.reliability == .form ? nil
                : ReliabilityMap.MapSampling(method: options.reliability, stop: options.samplingStop,
                                             seed: options.seed ?? config.seed)
            return try ReliabilityMap.compute(slopeDegrees: slope, soilDepthMeters: soilDepth, storm: storm,
                                              uncertainties: uncertainties, zoneOfCell: prepared.zones?.zoneOfCell,
                                              profile: options.profile, options: formOptions, sampling: sampling)
        }
        // FORM's own map, for the check against importance sampling below.
        var formMap = map
        if let f = map.pofForm { formMap.pof = f }
        progress("ppm: \(map.converged) converged, \(map.notConverged) not converged, "
                 + "\(map.stableByDefinition) stable by definition, \(map.lineSearchCells) by iHLRF, "
                 + "\(map.settledCells) with β settled to 1e-4 in a cycle")
        let check = try timed("FORM vs importance sampling") {
            try formCheck(map: formMap, slope: slope, soilDepth: soilDepth, storm: storm, uncertainties: uncertainties,
                          zoneOfCell: prepared.zones?.zoneOfCell, profile: options.profile, soils: prepared.soils,
                          options: options, seed: options.seed ?? config.seed)
        }

        // Outputs.
        let provenance = Provenance.current(configDigest: config.configDigest, seed: options.seed ?? config.seed)
        let output = try OutputDirectory(outputPath)
        func float(_ values: [Double]) -> Grid<Float> {
            Grid(like: dem, nodata: terrainNodata, values: zip(values, dem.validMask).map { $1 ? Float($0) : terrainNodata })
        }
        var layers: [(String, String, Grid<Float>)] = [
            ("wetting_front", "wetting-front depth at the means (m)", float(storm.wettingFrontMeters)),
            ("infiltration", "infiltrated water (m)", float(storm.infiltrationMeters)),
            ("runoff", "water passed downslope (m)", float(storm.runoffMeters)),
            ("fos", "factor of safety at the means", map.fos),
            ("beta", "FORM reliability index (signed)", map.beta),
            ("pof", options.reliability == .form ? "probability of failure, Phi(-beta)"
                : "probability of failure by \(options.reliability.rawValue) to COV \(options.samplingStop.covTarget)", map.pof),
        ]
        if let f = map.pofForm, let se = map.pofStandardError {
            layers.append(("pof_form", "probability of failure by FORM, Phi(-beta)", f))
            layers.append(("pof_se", "standard error of pof (\(options.reliability.rawValue))", se))
        }
        for (i, name) in InfiniteSlopeLimitState.parameterNames.enumerated() {
            layers.append(("design_\(name)", "FORM design point: \(name)", map.designPoint[i]))
        }
        for (name, description, grid) in layers {
            try output.writeGeoTIFF(grid.slice(tile), name: "\(name).tif", provenance: provenance, description: description)
        }
        try output.writeGeoTIFF(map.iterations.slice(tile), name: "iterations.tif", provenance: provenance, description: "FORM iterations")
        try output.writeGeoTIFF(map.status.slice(tile), name: "status.tif", provenance: provenance,
                                description: "0 not converged, 1 converged, 2 stable by definition (dry or flat)")

        let bandCells = tile.map { t -> Range<Int> in let b = t.rows(of: dem.rows); return (b.lowerBound * dem.cols)..<(b.upperBound * dem.cols) }
            ?? 0..<dem.count
        let pofs = bandCells.compactMap { i -> Float? in
            map.status.values[i] == CellStatus.converged.rawValue || map.status.values[i] == CellStatus.stableByDefinition.rawValue
                ? map.pof.values[i] : nil
        }
        let shareAboveHalf = Double(pofs.filter { $0 > 0.5 }.count) / Double(max(1, pofs.count))
        var warnings = stabilityWarnings(sharePofAboveHalf: shareAboveHalf)
        if prepared.regime.capacityLimitedCells == 0 {
            warnings.append(noRunoffStatement(prepared.regime))
        }
        for w in warnings { progress("ppm: warning: \(w)") }
        var histogram = [Int](repeating: 0, count: 10)
        for v in pofs { histogram[min(9, Int(v * 10))] += 1 }
        let fosValues = bandCells.filter { map.fos.isValid(at: $0) }.map { map.fos.values[$0] }
        let summary = PPMSummary(
            study: config.name, scenario: options.scenario.rawValue, profile: options.profile.rawValue,
            rainMillimeters: prepared.rainMillimeters, hours: storm.stepSeconds.reduce(0, +) / 3600,
            waterBalanceRelativeError: storm.balanceError, validCells: bandCells.filter { dem.isValid(at: $0) }.count, converged: map.converged,
            notConverged: map.notConverged, stableByDefinition: map.stableByDefinition,
            lineSearchCells: map.lineSearchCells, settledCells: map.settledCells,
            shareFOSBelowOne: Double(fosValues.filter { $0 < 1 }.count) / Double(max(1, fosValues.count)),
            sharePofAboveHalf: shareAboveHalf,
            pofMean: pofs.reduce(0) { $0 + Double($1) } / Double(max(1, pofs.count)), pofHistogram: histogram,
            formCheck: check, reliability: methodComparison(map, cells: bandCells, options: options), infiltration: prepared.regime, warnings: warnings, layers: layers.map { "\($0.0).tif" } + ["iterations.tif", "status.tif"],
            tile: tile?.description, tileRows: tile.map { [$0.rows(of: dem.rows).lowerBound, $0.rows(of: dem.rows).count] })
        try ResultsDocument(provenance: provenance, results: summary).write(to: output.stagedPath("ppm.json"))
        try output.commit()
        return summary
    }

    /// The sampled POF against FORM's over `cells` (nil with FORM).
    static func methodComparison(_ map: ReliabilityMap, cells: Range<Int>, options: Options) -> PPMSummary.MethodComparison? {
        guard let form = map.pofForm, let samples = map.samples else { return nil }
        let both = cells.filter { map.status.values[$0] == CellStatus.converged.rawValue && samples[$0] > 0 }
        let counts = both.map { Int(samples[$0]) }.sorted()
        let relative = both.filter { map.pof.values[$0] > 0 }
            .map { Double(abs(form.values[$0] - map.pof.values[$0]) / map.pof.values[$0]) }.sorted()
        let ratio = both.filter { map.pof.values[$0] > 0 }.map { Double(form.values[$0] / map.pof.values[$0]) }.sorted()
        let across = both.filter { (form.values[$0] < 0.5) != (map.pof.values[$0] < 0.5) }.count
        func quantile(_ v: [Double], _ q: Double) -> Double { v.isEmpty ? .nan : v[min(v.count - 1, Int(q * Double(v.count)))] }
        return PPMSummary.MethodComparison(
            method: options.reliability.rawValue, covTarget: options.samplingStop.covTarget,
            maxSamples: options.samplingStop.maxSamples, cells: both.count,
            samplesPerCellMean: Double(counts.reduce(0, +)) / Double(max(1, counts.count)),
            samplesPerCellMedian: counts.isEmpty ? 0 : counts[counts.count / 2],
            cappedCells: counts.filter { $0 >= options.samplingStop.maxSamples }.count,
            shareAcrossHalfChanged: Double(across) / Double(max(1, both.count)),
            relativeDifferenceMedian: quantile(relative, 0.5), relativeDifferenceP90: quantile(relative, 0.9),
            formOverMethodMedian: quantile(ratio, 0.5))
    }

    /// Below this share of cells with POF > 0.5 the POF sampler excludes almost nothing (≈ the random one).
    public static let nearlyAllStableShare = 0.02

    /// A warning when almost every cell is stable (POF > 0.5 on under ``nearlyAllStableShare`` of the cells).
    public static func stabilityWarnings(sharePofAboveHalf share: Double) -> [String] {
        guard share < nearlyAllStableShare else { return [] }
        return [String(format: "only %.2f %% of the cells have POF > 0.5: the POF sampler excludes almost nothing "
                       + "and is close to the random sampler", 100 * share)]
    }

    /// What follows when no cell's supply exceeds k_s: no runoff is generated or routed, so the POF
    /// depends on slope and soil depth only (PRL-STIM's routing plays no part).
    public static func noRunoffStatement(_ r: InfiltrationRegime) -> String {
        String(format: "k_s (%.0f mm/h) exceeds the storm's peak (%.1f mm/h): infiltration is supply-limited on every cell, "
               + "no runoff is routed, and POF depends on slope and soil depth only",
               r.saturatedConductivityMillimetersPerHour, r.peakRainMillimetersPerHour)
    }

    /// FORM against importance sampling at the design point on random converged cells (seeded).
    static func formCheck(map: ReliabilityMap, slope: Grid<Float>, soilDepth: Grid<Float>, storm: PRLSTIMResult,
                          uncertainties: [CellUncertainty], zoneOfCell: [UInt16]?, profile: PressureProfile,
                          soils: [SoilHydraulics], options: Options, seed: UInt64) throws -> PPMSummary.FormCheck? {
        let candidates = (0..<map.status.count).filter { map.status.values[$0] == CellStatus.converged.rawValue }
        guard options.checkCells > 0, !candidates.isEmpty else { return nil }
        var rng = SeededGenerator(seed: seed).split(0x1517)
        var chosen = Set<Int>()
        while chosen.count < min(options.checkCells, candidates.count) {
            chosen.insert(candidates[Int(rng.next() % UInt64(candidates.count))])
        }
        let n = slope.count, steps = storm.stepSeconds.count
        var differences: [Double] = [], ratios: [Double] = []
        var disagreeing = 0, atKink = 0, atCap = 0
        for c in chosen.sorted() {
            let zone = zoneOfCell.map { Int($0[c]) } ?? 0
            let (uncertainty, ks) = (uncertainties[zone], soils[zone].saturatedConductivityMetersPerSecond)
            let rates = (0..<steps).map { Double(storm.supplyMetersPerSecond[$0 * n + c]) }
            let limitState = InfiniteSlopeLimitState(slopeRadians: Double(slope.values[c]) * .pi / 180, profile: profile,
                                                     wettingFront: .supply(metersPerSecond: rates, seconds: storm.stepSeconds))
            let problem = try uncertainty.problem(soilDepthMeters: Double(soilDepth.values[c]), limitState: limitState)
            let form = FORM.solve(problem)
            var cellRng = rng.split(UInt64(c))
            let estimate = Sampling.importanceSampling(problem, designPointU: form.designPointU, samples: options.checkSamples,
                                                       generator: &cellRng)
            // Relative differences of probabilities below 1e-10 say nothing useful (and can be astronomically
            // large); such cells are left out of the comparison.
            guard estimate.probability >= 1e-10 else { continue }
            let difference = abs(form.probabilityOfFailure - estimate.probability)
            differences.append(difference / estimate.probability)
            ratios.append(form.probabilityOfFailure / estimate.probability)
            if difference > 3 * estimate.standardError && difference > 0.25 * estimate.probability {
                disagreeing += 1
                let front = limitState.wettingFrontDepth(form.designPoint)
                if front >= 0.99 * form.designPoint[7] { atCap += 1 }
                if rates.contains(where: { abs($0 - ks) < 0.5 * ks }) {
                    atKink += 1
                }
            }
        }
        guard !differences.isEmpty else { return nil }
        let sorted = differences.sorted()
        func quantile(_ q: Double) -> Double { Summary.lowerQuantile(sorted: sorted, q) }
        return PPMSummary.FormCheck(cells: sorted.count, samplesPerCell: options.checkSamples,
                                    relativeDifferenceMedian: quantile(0.5), relativeDifferenceP90: quantile(0.9),
                                    relativeDifferenceMax: sorted.last ?? .nan, disagreeing: disagreeing,
                                    disagreeingAtSoilDepthCap: atCap, disagreeingAtConductivityKink: atKink,
                                    formOverISMedian: Summary.lowerQuantile(sorted: ratios.sorted(), 0.5))
    }
}

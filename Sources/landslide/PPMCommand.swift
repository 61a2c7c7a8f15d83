import ArgumentParser
import Foundation
import GeoRaster
import SlopePhysics
import Reliability
import Stages
import StudyCore

extension PressureProfile: ExpressibleByArgument {}
extension CorrelationConvention: ExpressibleByArgument {}

struct PPMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppm",
        abstract: "The physically-based probabilistic model: PRL-STIM + FORM per cell → FOS, β and POF maps.",
        discussion: """
            Fills the DEM, routes the study's storm by PRL-STIM at the mean parameters, and runs FORM \
            (HLRF-x, iHLRF fallback) on every cell with the scenario's uncertainty. Scenarios: \
            \(Scenario.names.joined(separator: ", ")) (see Experiments/studies/README.md). Writes \
            wetting_front, infiltration, runoff, fos, beta, pof, design_<parameter>, iterations and status \
            GeoTIFFs and ppm.json (POF histogram, share of POF > 0.5, convergence counts, FORM vs \
            importance sampling on random cells) into --out.
            """)

    @OptionGroup var options: StudyOptions
    @Option(help: "Uncertainty scenario (default: config).", transform: Scenario.named) var scenario: Scenario = .config
    @Option(name: .customLong("correlation-convention"),
            help: "What correlations mean: equivalent-normal (as published) or nataf-corrected (physical). Default: the config's.")
    var correlationConvention: CorrelationConvention?
    @Option(help: "Pore-pressure profile at the wetting front: a (suction), b (zero), c (saturated).")
    var profile: PressureProfile = .c
    @Option(name: .customLong("check-cells"), help: "Random cells on which FORM is checked by importance sampling (0: none).")
    var checkCells = 100
    @Option(help: "Seed of the check (default: the study's).") var seed: UInt64?
    @Option(name: .customLong("max-iterations"),
            help: "Iteration cap of the active-set FORM solver at kinked cells (a few far-tail cells creep for thousands).")
    var maxIterations = 10_000
    @Option(help: ArgumentHelp("How each cell's pof is computed: form (Φ(−β), Study A's), importance-sampling (a defensive mixture around the cell's design point) or monte-carlo (crude; small areas), the last two to --cov-target; then pof_form.tif keeps FORM's and pof_se.tif the standard error.", valueName: "method"))
    var reliability: ReliabilityMethod = .form
    @Option(name: .customLong("cov-target"), help: "Coefficient of variation at which a cell's sampling stops.") var covTarget = 0.05
    @Option(name: .customLong("max-samples"), help: "Sample cap per cell of the sampling methods.") var maxSamples = 100_000
    @Option(help: "Output folder.") var out: String
    @Option(help: ArgumentHelp("""
        Run FORM on tile i of N only (a band of whole rows) and write that band of every map, georeferenced \
        where it lies; PRL-STIM still routes the storm over the whole grid. `gdalbuildvrt` puts the N tiles together.
        """, valueName: "i/N"), transform: { try RasterTile(parsing: $0) })
    var tile: RasterTile?

    func validate() throws {
        guard covTarget > 0, covTarget < 1 else { throw ValidationError("--cov-target must be in (0, 1), got \(covTarget)") }
        guard (1_000...100_000_000).contains(maxSamples) else {
            throw ValidationError("--max-samples must be in 1,000…100,000,000, got \(maxSamples)")
        }
        guard checkCells >= 0 else { throw ValidationError("--check-cells must be ≥ 0") }
        guard maxIterations >= 1 else { throw ValidationError("--max-iterations must be ≥ 1") }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            var runOptions = PPMRun.Options()
            runOptions.scenario = scenario
            runOptions.correlationConvention = correlationConvention
            runOptions.profile = profile
            runOptions.checkCells = checkCells
            runOptions.seed = seed
            runOptions.maxIterations = maxIterations
            runOptions.tile = tile
            runOptions.reliability = reliability
            runOptions.samplingStop = SamplingStop(covTarget: covTarget, maxSamples: maxSamples)
            let summary = try PPMRun.run(try StudyContext(try options.load()), options: runOptions, outputPath: out) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            print(String(format: "ppm: %@ %@: POF > 0.5 on %.2f %% of cells, FOS < 1 on %.2f %%, mean POF %.4f; %d not converged; water balance error %.1e",
                         summary.study, summary.scenario, 100 * summary.sharePofAboveHalf, 100 * summary.shareFOSBelowOne,
                         summary.pofMean, summary.notConverged, summary.waterBalanceRelativeError))
            print("ppm: POF histogram (tenths): \(summary.pofHistogram)")
            if let c = summary.formCheck {
                print(String(format: "ppm: FORM vs IS on %d cells: |Δ|/POF median %.3f, p90 %.3f, max %.3f; FORM/IS median %.2f; %d disagree (%d with the design point on the soil-depth cap, %d near the k_s kink)",
                             c.cells, c.relativeDifferenceMedian, c.relativeDifferenceP90, c.relativeDifferenceMax,
                             c.formOverISMedian, c.disagreeing, c.disagreeingAtSoilDepthCap, c.disagreeingAtConductivityKink))
            }
            if let m = summary.reliability {
                print(String(format: "ppm: %@ vs FORM on %d cells (COV target %.3f): %.0f samples a cell (median %d, %d capped); |Δ|/POF median %.3f, p90 %.3f; FORM/%@ median %.2f; %.2f %% of cells change side of POF 0.5",
                             m.method, m.cells, m.covTarget, m.samplesPerCellMean, m.samplesPerCellMedian, m.cappedCells,
                             m.relativeDifferenceMedian, m.relativeDifferenceP90, m.method, m.formOverMethodMedian,
                             100 * m.shareAcrossHalfChanged))
            }
            print("ppm: wrote \(summary.layers.count) layers and ppm.json to \(out)")
        }
    }
}

import ArgumentParser
import Foundation
import Stages
import Reliability
import StudyCore

extension ReliabilityMethod: ExpressibleByArgument {}

struct FormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Probability of failure of single-cell PRL-STIM cases by FORM (HLRF-x), as JSON.",
        discussion: """
            CASES is a JSON file in the format of ../shared/reference/reference_values.json \
            (→ infinite_slope_form.cases), or a bare array of such cases. Prints a JSON array, one object \
            per case: name, fos_at_mean, wetting_front_at_mean_m, beta (signed), pof = Φ(−β), iterations, \
            converged, method, design_point, and importance_sampling when --importance-samples is given.
            """)

    @Argument(help: "The cases (JSON).") var cases: String
    @Option(name: .customLong("importance-samples"), help: "Also estimate POF by importance sampling at the design point with this many samples.")
    var importanceSamples: Int?
    @Option(help: "Seed of the importance sampler.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("How pof is computed: form (Φ(−β), Study A's), importance-sampling (a defensive mixture around the design point) or monte-carlo (crude), the last two to --cov-target; FORM's values stay in pof_form and beta_form.", valueName: "method"))
    var reliability: ReliabilityMethod = .form
    @Option(name: .customLong("cov-target"), help: "Coefficient of variation at which sampling stops.") var covTarget = 0.05
    @Option(name: .customLong("max-samples"), help: "Sample cap of the sampling methods.") var maxSamples = 10_000_000

    func validate() throws {
        if let n = importanceSamples, !(1...100_000_000).contains(n) {
            throw ValidationError("--importance-samples must be in 1…100,000,000, got \(n)")
        }
        guard covTarget > 0, covTarget < 1 else { throw ValidationError("--cov-target must be in (0, 1), got \(covTarget)") }
        guard (1_000...1_000_000_000).contains(maxSamples) else {
            throw ValidationError("--max-samples must be in 1,000…1,000,000,000, got \(maxSamples)")
        }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let stop = SamplingStop(covTarget: covTarget, maxSamples: maxSamples)
            let results = try FormCase.read(cases).map {
                try FormCaseResult.run($0, method: reliability, stop: stop, importanceSamples: importanceSamples, seed: seed)
            }
            try printJSON(results)
        }
    }
}

import ArgumentParser
import Foundation
import Stages
import StudyCore

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

    func validate() throws {
        if let n = importanceSamples, !(1...100_000_000).contains(n) {
            throw ValidationError("--importance-samples must be in 1…100,000,000, got \(n)")
        }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let results = try FormCase.read(cases).map {
                try FormCaseResult.run($0, importanceSamples: importanceSamples, seed: seed)
            }
            try printJSON(results)
        }
    }
}

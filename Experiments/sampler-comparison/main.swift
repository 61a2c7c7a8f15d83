// sampler-comparison: Study B's Fig. 8 with Study A's POF sampler — random, buffer, slope, information
// value and POF negatives feeding the same patch CNN. A thin command over ExperimentKit.SamplerComparison.
import ArgumentParser
import Foundation
import ExperimentKit

@main
struct SamplerComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sampler-comparison",
        abstract: "Five negative samplers feeding the same CNN: ROC curves and AUC (study protocol and common test).")
    @OptionGroup var common: ExperimentOptions

    func run() {
        common.run("sampler-comparison") { context, seed, progress in
            let o = common.options(SamplerComparison.Options.self, seed: seed)
            let r = try SamplerComparison.run(context, options: o, outputDirectory: common.out, progress: progress)
            print("sampler-comparison: \(r.study), seed \(r.seed)\(r.quick ? ", quick" : "")")
            for s in r.samplers {
                print(String(format: "  %@ AUC (a) %.3f  (b) %.3f  from %d candidate cells", s.sampler.padding(toLength: 30, withPad: " ", startingAt: 0),
                             s.aucStudyProtocol, s.aucCommonTest, s.candidateCells))
            }
            print(String(format: "sampler-comparison: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

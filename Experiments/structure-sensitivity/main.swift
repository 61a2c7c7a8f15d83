// structure-sensitivity: Study A's Fig. 8 (AUC over threshold and kernel sizes: Pearson r, SHAP) and
// Fig. 4 / Table 1 (Bayesian optimisation of the CNN). A thin command over ExperimentKit.StructureSensitivity.
import ArgumentParser
import Foundation
import ExperimentKit

@main
struct StructureSensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structure-sensitivity",
        abstract: "AUC over (threshold, kernel open, kernel close): Pearson heatmap, SHAP beeswarm; Bayesian optimisation of the CNN.")
    @OptionGroup var common: ExperimentOptions
    @Option(help: "Runs in the design (≥ 30 for the study's analysis).") var runs = 30
    @Option(name: .customLong("optimization-evaluations"), help: "Evaluations of the Bayesian optimisation.") var evaluations = 15

    func run() {
        common.run("structure-sensitivity") { context, seed, progress in
            var o = common.options(StructureSensitivity.Options.self, seed: seed)
            o.runs = runs
            o.optimizationEvaluations = evaluations
            o.designSeed = common.seed ?? context.config.seed  // the same design in every replicate
            let r = try StructureSensitivity.run(context, options: o, outputDirectory: common.out, progress: progress)
            print("structure-sensitivity: \(r.study), seed \(r.seed), \(r.runs.count) runs\(r.quick ? ", quick" : "")")
            for k in ["threshold", "kernel_open", "kernel_close"] {
                print(String(format: "  Pearson r(AUC, %@) = %+.4f (Study A %+.4f); mean |SHAP| %.4f", k as NSString, r.pearson[k]!,
                             r.pearsonReportedByStudy[k]!, r.meanAbsoluteShapley[k]!))
            }
            print("  best hyperparameters: " + r.bestHyperparameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print(String(format: "  final model (best setting, %d training samples): AUC (a) %.3f, (b) %.3f", r.finalModel.trainingSamples,
                         r.finalModel.aucStudyProtocol, r.finalModel.aucCommonTest))
            for line in r.statements { print("  note: \(line)") }
            print(String(format: "structure-sensitivity: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

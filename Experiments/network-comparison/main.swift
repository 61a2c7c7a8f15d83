// network-comparison: Study B's Tables 2–3 and Figs. 6–7 — BP, LSTM and 1-D CNN on the 13 terrain
// factors with information-value negatives. A thin command over ExperimentKit.NetworkComparison.
import ArgumentParser
import Foundation
import ExperimentKit

@main
struct NetworkComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network-comparison",
        abstract: "Study B's BP, LSTM and 1-D CNN: accuracy, precision, recall, F1, AUC; area and landslides per class.")
    @OptionGroup var common: ExperimentOptions

    func run() {
        common.run("network-comparison") { context, seed, progress in
            let o = common.options(NetworkComparison.Options.self, seed: seed)
            let r = try NetworkComparison.run(context, options: o, outputDirectory: common.out, progress: progress)
            print("network-comparison: \(r.study), seed \(r.seed)\(r.quick ? ", quick" : "")")
            print("  model  accuracy precision recall  F1     AUC   | common-test AUC | Study B: accuracy precision recall F1 AUC")
            for n in r.networks {
                let m = n.studyProtocol, s = n.reportedByStudy
                print(String(format: "  %@ %.3f    %.3f     %.3f  %.3f  %.3f |      %.3f      | %.3f %.3f %.3f %.3f %.3f",
                             n.model.padding(toLength: 6, withPad: " ", startingAt: 0), m.accuracy, m.precision, m.recall, m.f1, m.auc,
                             n.commonTest.auc, s["accuracy"]!, s["precision"]!, s["recall"]!, s["f1"]!, s["auc"]!))
            }
            print(String(format: "network-comparison: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

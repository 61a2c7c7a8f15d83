// model-comparison: Study A's Figs. 9–10 — CNN, PPM, PPM-CNN(N), PPM-CNN(Y1), PPM-CNN(Y2) and the GLM
// baseline, each evaluated by the study's protocol and on a common test; ROC curves, AUC table,
// classed susceptibility maps and results.json. A thin command over ExperimentKit.ModelComparison.
import ArgumentParser
import Foundation
import ExperimentKit
import StudyCore

@main
struct ModelComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-comparison",
        abstract: "Study A's model comparison: CNN, PPM, PPM-CNN(N/Y1/Y2) and a GLM baseline (ROC, AUC, maps).",
        discussion: """
            Every model is evaluated three ways: (a) the study's protocol — a 70/30 split of its own sampled set \
            (training landslides + 1:1 negatives from its sampler); (b) a common test — 30 % of the landslides \
            held out at random before sampling, with the study's random non-landslide points (the random \
            sampler's distribution) — the same for every model; (c) a spatially separated test — whole k-means \
            blocks of landslides and points held out, nothing within a patch radius of them used in training. \
            Every pair of models is compared on the shared points of (b) and (c) by DeLong's test. On a study \
            with a known truth (the twin's truth_unstable layer) every map is also scored against the truth. \
            Writes OUT/replicates/<k>/ per replicate and OUT/results.json (each metric as mean, sd, ci95, n and \
            values, beside Study A's reported value), OUT/roc-*.png|pdf, OUT/auc-bars.png|pdf (95 % intervals), \
            OUT/susceptibility-maps.png|pdf (replicate 0) and, with a truth, OUT/truth-auc.png|pdf.
            """)

    @OptionGroup var common: ExperimentOptions
    @OptionGroup(title: "Study A's settings") var studyA: StudyAFlags
    @Option(help: "Uncertainty scenario of the PPM (default: config): \(Scenario.names.joined(separator: ", ")).", transform: Scenario.named)
    var scenario: Scenario = .config

    func run() {
        common.run("model-comparison", summary: ModelComparison.summaryFigures) { context, seed, progress in
            var o = common.options(ModelComparison.Options.self, seed: seed)
            o.scenario = scenario
            o.studyA = studyA.settings
            let r = try ModelComparison.run(context, options: o, outputDirectory: common.out, progress: progress)
            print("model-comparison: \(r.study), seed \(r.seed)\(r.quick ? ", quick" : ""): \(r.landslides) landslides (\(r.heldOutLandslides) held out), \(r.commonTestNonLandslides) common-test non-landslides")
            print("  model         AUC (a) study protocol   AUC (b) common test   Study A   high+very high %")
            for m in r.models {
                let name = m.model.padding(toLength: 13, withPad: " ", startingAt: 0)
                print(String(format: "  %@ %8.3f                 %8.3f             %@     %6.1f", name as NSString, m.aucStudyProtocol,
                             m.aucCommonTest, (m.aucReportedByStudy.map { String(format: "%.2f", $0) } ?? "  – ") as NSString,
                             m.highAndVeryHighPercent))
            }
            for line in r.statements { print("  note: \(line)") }
            print(String(format: "model-comparison: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

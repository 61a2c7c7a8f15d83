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
        common.run("network-comparison", summary: NetworkComparison.summaryFigures) { context, seed, progress in
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
            // Study B's Table 2 layout: area and landslides per class, with Study B's shares beneath.
            print("  Table 2 analogue   class:     I (very low)    II      III       IV    V (very high)")
            func shares(_ v: [Double]) -> String {
                let total = max(v.reduce(0, +), 1e-12)
                return v.map { String(format: "%7.1f %%", 100 * $0 / total) }.joined(separator: " ")
            }
            let zonings = [(r.informationValueZoning.map, r.informationValueZoning.classAreaKm2, r.informationValueZoning.classLandslides.map(Double.init), [Double]?.none, [Double]?.none)]
                + r.networks.map { ($0.model, $0.classAreaKm2, $0.classLandslides.map(Double.init), Optional($0.reportedClassAreaPercent), Optional($0.reportedClassLandslidePercent)) }
            for (name, area, slides, studyArea, studySlides) in zonings {
                let head = name.padding(toLength: 18, withPad: " ", startingAt: 0)
                print("  \(head) area       \(shares(area))")
                if let a = studyArea { print("  \(String(repeating: " ", count: 18))   Study B  \(shares(a))") }
                print("  \(String(repeating: " ", count: 18)) landslides \(shares(slides))")
                if let l = studySlides { print("  \(String(repeating: " ", count: 18))   Study B  \(shares(l))") }
            }
            for line in r.statements { print("  note: \(line)") }
            print(String(format: "network-comparison: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

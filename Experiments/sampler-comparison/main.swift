// sampler-comparison: Study B's Fig. 8 with Study A's POF sampler — random, buffer, slope, information
// value and POF negatives feeding the same patch CNN. A thin command over ExperimentKit.SamplerComparison.
import ArgumentParser
import Foundation
import ExperimentKit
import Stages

@main
struct SamplerComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sampler-comparison",
        abstract: "Study B's four negative samplers and Study A's POF sampler feeding Study B's CNN: ROC and AUC beside Study B's.",
        discussion: """
            Study B's settings by default: its 1-D CNN on its 13 factors, a 1000 m buffer, slope ≤ 3°. A setting the \
            study area cannot meet (fewer candidate cells than negatives needed) is reported and replaced by the \
            nearest feasible value (buffer −100 m steps, slope limit +1° steps). Writes OUT/results.json, \
            OUT/roc-panels.png|pdf, OUT/auc-bars.png|pdf.
            """)
    @OptionGroup var common: ExperimentOptions
    @Option(name: .customLong("buffer-m"), help: "Buffer sampler: exclusion distance around landslides, m (default: Study B's).")
    var bufferMeters: Double?
    @Option(name: .customLong("max-slope-deg"), help: "Slope sampler: highest slope, degrees (default: Study B's).")
    var maximumSlopeDegrees: Double?
    @Option(help: "Model trained on every sampler's set: cnn-1d (Study B's CNN, default) or patch-cnn (Study A's).")
    var model: String = "cnn-1d"

    func run() {
        common.run("sampler-comparison", summary: SamplerComparison.summaryFigures) { context, seed, progress in
            var o = common.options(SamplerComparison.Options.self, seed: seed)
            if let b = bufferMeters { o.bufferMeters = b }
            if let s = maximumSlopeDegrees { o.maximumSlopeDegrees = s }
            guard let kind = ModelKind(rawValue: model), kind == .cnn1D || kind == .patchCNN else {
                throw ValidationError("--model \(model): expected cnn-1d or patch-cnn")
            }
            o.model = kind
            let r = try SamplerComparison.run(context, options: o, outputDirectory: common.out, progress: progress)
            print("sampler-comparison: \(r.study), seed \(r.seed)\(r.quick ? ", quick" : ""), model \(r.model.rawValue) on \(r.factors.count) factors")
            for s in r.samplers {
                print(String(format: "  %@ AUC (a) %.3f  (b) %.3f  Study B %@  from %d candidate cells",
                             s.sampler.padding(toLength: 38, withPad: " ", startingAt: 0), s.aucStudyProtocol, s.aucCommonTest,
                             (s.aucReportedByStudy.map { String(format: "%.3f", $0) } ?? "  –  ") as NSString, s.candidateCells))
            }
            for line in r.statements { print("  note: \(line)") }
            print(String(format: "sampler-comparison: %d figures and results.json in %@ (%.1f s)", r.figures.count, common.out, r.seconds))
        }
    }
}

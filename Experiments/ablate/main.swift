// ablate: vary any setting of an experiment over a grid, each point over replicates, into a report
// (issue G5). A thin command over ExperimentKit's AblationKeys, AblationDesign, AblationRun and
// AblationReport.
import ArgumentParser
import ExperimentKit
import Foundation
import Ink
import StudyCore

enum Design: String, ExpressibleByArgument, CaseIterable { case factorial, oneAtATime = "one-at-a-time", lhs }

@main
struct AblateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Vary settings of an experiment over a grid, each point over replicates; write a report with intervals.",
        discussion: """
            Each grid point runs the experiment (its own executable, beside this one) with --replicates N into \
            DIR/points/pNNN/run/; a point's finished replicates are kept when it runs again. Config keys are set \
            in a derived study config (DIR/points/pNNN/study.yaml); experiment settings are passed as the \
            experiment's options. Writes DIR/report.md, DIR/report.html, DIR/results.json, a main-effect figure per key and a \
            heatmap per pair of keys (PNG and PDF). Keys are checked, values against their ranges, before anything runs.

            \(AblationKeys.helpText())
            """)

    @Option(help: "Study config (YAML).") var study: String
    @Option(help: "Experiment to vary: \(AblationKeys.experiments.joined(separator: ", ")).") var experiment = "model-comparison"
    @Option(help: ArgumentHelp("A key and its levels, KEY=V1,V2,… (or KEY=lo:hi with --design lhs); repeat for more keys.",
                               valueName: "KEY=values"))
    var vary: [String] = []
    @Option(help: ArgumentHelp("""
        factorial (every combination; default), one-at-a-time (a baseline — each key's default where it is \
        among the levels, else its first level — and each key's other levels with the rest at the baseline) \
        or lhs (a Latin hypercube of --points points).
        """, valueName: "design"))
    var design: Design = .factorial
    @Option(help: "Points of a Latin hypercube.") var points = 10
    @Option(help: ArgumentHelp("Replicates per point.", valueName: "n")) var replicates = 2
    @Flag(help: "Reduced networks (the experiment's --quick).") var quick = false
    @Flag(name: .customLong("report-only"),
          help: "Run nothing: write the report from the points' results as they stand (e.g. after a change to the report's figures).")
    var reportOnly = false
    @Option(help: "Seed (default: the study's); replicate k of every point draws from the same seed.") var seed: UInt64?
    @Option(help: ArgumentHelp("Replicates run at once within a point (the experiment's --jobs).", valueName: "n")) var jobs: Int?
    @Option(help: ArgumentHelp("Worker threads, 1…1024, of the experiments it runs (default: every core). Results do not depend on it.", valueName: "n"))
    var threads: Int?
    @Option(name: .customLong("data-root"), help: "Data root (overrides the config's and $LANDSLIDE_DATA_ROOT).") var dataRoot: String?
    @Option(help: ArgumentHelp("Where replicates run: local or slurm (passed to the experiment with the sbatch flags below).",
                               valueName: "local|slurm"))
    var executor = "local"
    @Option(help: "Slurm partition (with --executor slurm).") var partition: String?
    @Option(help: "Slurm account (with --executor slurm).") var account: String?
    @Option(help: "Slurm time limit per task (with --executor slurm).") var time: String?
    @Option(help: "Slurm memory per task (with --executor slurm).") var mem: String?
    @Option(help: "Output folder.") var out: String

    func validate() throws {
        guard !vary.isEmpty else { throw ValidationError("give at least one --vary KEY=V1,V2,…") }
        guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1…1024 (got \(threads))") }
        guard ["local", "slurm"].contains(executor) else { throw ValidationError("--executor \(executor): expected local or slurm") }
        do {
            let factors = try vary.map { try AblationFactor(parsing: $0, experiment: experiment) }
            guard Set(factors.map(\.key.name)).count == factors.count else { throw ValidationError("a key is given twice") }
            switch design {
            case .factorial: _ = try AblationDesign.factorial(factors)
            case .oneAtATime: _ = try AblationDesign.oneAtATime(factors)
            case .lhs: break
            }
        } catch let e as AblationError {
            throw ValidationError(e.description)
        }
    }

    func run() {
        // The experiments run as child processes and inherit it (``WorkerThreads``).
        if let threads { setenv("LANDSLIDE_THREADS", String(threads), 1) }
        let progress: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("ablate: \($0)\n".utf8)) }
        do {
            let factors = try vary.map { try AblationFactor(parsing: $0, experiment: experiment) }
            var options = AblationRun.Options()
            options.experiment = experiment; options.study = study; options.dataRoot = dataRoot
            options.replicates = replicates; options.quick = quick; options.seed = seed; options.jobs = jobs
            options.out = out
            options.reportOnly = reportOnly
            if executor == "slurm" {
                options.passThrough = ["--executor", "slurm", "--wait"]
                    + [("--partition", partition), ("--account", account), ("--time", time), ("--mem", mem)]
                        .compactMap { flag, value in value.map { "\(flag)=\($0)" } }
            }
            let grid: [AblationPoint]
            let designText: String
            var baseline: [String: String]?
            switch design {
            case .factorial:
                grid = try AblationDesign.factorial(factors)
                designText = "full factorial"
            case .oneAtATime:
                let oat = try AblationDesign.oneAtATime(factors)
                grid = oat.points
                baseline = oat.baseline
                designText = "one key at a time around the baseline " + factors.map { "\($0.key.name)=\(baseline![$0.key.name]!)" }.joined(separator: ", ")
            case .lhs:
                grid = try AblationDesign.latinHypercube(factors, count: points, seed: seed ?? 1)
                designText = "Latin hypercube of \(grid.count) points"
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            progress("\(grid.count) points (\(designText)) × \(replicates) replicates of \(experiment)")
            let runs = try AblationRun.run(grid, factors: factors, options: options, progress: progress)
            let md = try AblationReport.write(runs, factors: factors, options: options, design: designText, baseline: baseline)
            // report.html beside report.md, its figures by relative path (open it from DIR).
            let body = MarkdownParser().html(from: md)
            let html = """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Ablation: \(experiment)</title>
                <style>body{font-family:"DejaVu Sans",sans-serif;max-width:1100px;margin:2em auto;line-height:1.45}
                table{border-collapse:collapse;font-size:0.9em}th,td{border:1px solid #bbb;padding:3px 7px}th{background:#eee}
                img{max-width:100%}code{background:#f3f3f3}</style></head>
                <body>
                \(body)
                </body></html>

                """
            try AtomicFile.write(Data(html.utf8), to: (out as NSString).appendingPathComponent("report.html"))
            print(md, terminator: "")
            print("ablate: report.md, report.html, results.json and figures in \(out)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }
}

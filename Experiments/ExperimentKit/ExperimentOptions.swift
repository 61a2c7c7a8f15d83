import ArgumentParser
import Foundation
import StudyCore
import NeuralNet

/// The options every experiment takes (`@OptionGroup`): --study, --seed, --out, --quick, --data-root,
/// and the replicates (--replicates, --jobs; issue G3).
public struct ExperimentOptions: ParsableArguments {
    @Option(help: "Study config (YAML).") public var study: String
    @Option(help: "Seed (default: the study's). Replicate k draws from its own seed derived from this one and k.")
    public var seed: UInt64?
    @Option(help: "Output directory.") public var out: String
    @Flag(help: "Reduced sizes (for tests): a small network and few epochs.") public var quick = false
    @Option(name: .customLong("data-root"), help: "Data root (overrides the config's and $LANDSLIDE_DATA_ROOT).")
    public var dataRoot: String?
    @Option(help: ArgumentHelp("""
        Replicates: independent redraws of everything random (the common test's held-out landslides, each model's \
        70/30 split, its negatives, initialisation and batch order). Each is kept in OUT/replicates/<k>/; \
        OUT/results.json gives every metric as mean, SD, 95 % interval, n and the values.
        """, valueName: "n"))
    public var replicates = 1
    @Option(help: ArgumentHelp("Replicates run at once, each in its own process (default: --threads).", valueName: "n"))
    public var jobs: Int?
    @Option(help: ArgumentHelp("Worker threads, 1…1024, of this process and the replicates' (default: every core). Results do not depend on it.", valueName: "n"))
    public var threads: Int?
    /// Set by the experiment itself when it runs one replicate in a process of its own.
    @Option(help: .hidden) public var replicate: Int?
    @OptionGroup(title: "Cluster (--executor slurm)") public var cluster: SlurmOptions

    public init() {}

    public func validate() throws {
        guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1 (got \(replicates))") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1…1024 (got \(threads))") }
        if let replicate, replicate < 0 { throw ValidationError("--replicate must be at least 0") }
    }

    /// Loads the study and runs the experiment over the replicates; any error ends the process with one
    /// `error:` line and exit status 1.
    ///
    /// `body` is one replicate: it runs on the study with the replicate's seed and writes into `out`. Run
    /// with `--replicate k` (as the replicates' processes are), this process is that replicate; otherwise
    /// it starts the replicates, merges their results into OUT/results.json (``Replication``), lets
    /// `summary` draw the figures that have an interval form, and prints the merged metrics.
    public func run(_ experiment: String,
                    summary: ((ReplicateSummary) throws -> [String])? = nil,
                    _ body: (_ context: StudyContext, _ seed: UInt64, _ progress: @escaping (String) -> Void) throws -> Void) {
        // Before any parallel loop reads it (``WorkerThreads``); the replicates' processes inherit it.
        if let threads { setenv("LANDSLIDE_THREADS", String(threads), 1) }
        BLASCore.adoptBestCore()
        Allocation.keepFreedMemory()
        do {
            let config = try StudyConfig.load(study, dataRoot: dataRoot)
            let name = config.name
            let baseSeed = seed ?? config.seed
            let progress: @Sendable (String) -> Void = { line in
                FileHandle.standardError.write(Data("\(experiment) [\(name)]: \(line)\n".utf8))
            }
            if let k = replicate {
                let context = try StageClock.shared.time("study") { try StudyContext(config) }
                try body(context, Replication.seed(baseSeed, replicate: k), progress)
                let stages = StageClock.shared.recorded
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(stages), to: (out as NSString).appendingPathComponent("stages.json"))
                print(StageClock.line(stages))
                try Replication.stampFinished(out: out, baseSeed: baseSeed, replicate: k, configDigest: config.configDigest)
                return
            }
            if cluster.executor == .slurm {
                try SlurmExecutor.submit(experiment: experiment, out: out, count: replicates, baseSeed: baseSeed,
                                         configDigest: config.configDigest, settings: cluster, progress: progress)
                return
            }
            let started = Date()
            let jobs = jobs ?? threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            if replicates > 1 { progress("\(replicates) replicates, \(min(jobs, replicates)) at once") }
            let seconds = try Replication.runWorkers(experiment: experiment, out: out, count: replicates, jobs: jobs,
                                                     baseSeed: baseSeed, configDigest: config.configDigest, progress: progress)
            var merged = try Replication.aggregate(out: out, count: replicates, baseSeed: baseSeed, jobs: jobs,
                                                   replicateSeconds: seconds, seconds: RecordedTime.seconds(since: started))
            // Each replicate's stages, as a mean per replicate.
            let perReplicate = try (0..<replicates).compactMap { k -> [StageClock.Stage]? in
                let path = Replication.directory(out, replicate: k) + "/stages.json"
                guard let data = FileManager.default.contents(atPath: path) else { return nil }
                return try JSONDecoder().decode([StageClock.Stage].self, from: data)
            }
            var stages = StageClock.total(perReplicate).map { s in
                StageClock.Stage(name: s.name, count: s.count / max(perReplicate.count, 1), seconds: s.seconds / Double(max(perReplicate.count, 1)))
            }
            if let summary {
                let s = ReplicateSummary(experiment: experiment, out: out, count: replicates, merged: merged)
                let drawStart = Date()
                defer { stages.append(StageClock.Stage(name: "summary figures", count: 1, seconds: RecordedTime.seconds(since: drawStart))) }
                let drawn = try summary(s)
                merged["figures"] = Array(Set((merged["figures"] as? [String] ?? []) + drawn)).sorted()
                merged["seconds"] = RecordedTime.seconds(since: started)
                try Replication.rewrite(out: out, results: merged)
            }
            merged["stages"] = stages.map { ["name": $0.name, "count": $0.count, "seconds": $0.seconds] as [String: Any] }
            try Replication.rewrite(out: out, results: merged)
            if replicates == 1 {
                print(try String(contentsOfFile: Replication.directory(out, replicate: 0) + "/stdout.txt", encoding: .utf8), terminator: "")
            } else {
                print(ReplicateTable.text(experiment: experiment, study: name, merged), terminator: "")
            }
            if replicates > 1 { print(StageClock.line(stages, prefix: "stages per replicate (mean of \(perReplicate.count))")) }
            let figures = (merged["figures"] as? [String] ?? []).count
            print(String(format: "%@: %d replicate%@, %d figures and results.json in %@ (%.1f s)", experiment, replicates,
                         replicates == 1 ? "" : "s", figures, out, Date().timeIntervalSince(started)))
        } catch {
            Self.fail(error)
        }
    }

    /// An experiment's options with this run's seed and `--quick`, the rest at their defaults.
    public func options<O: ExperimentRunOptions>(_ type: O.Type, seed: UInt64) -> O {
        var o = O()
        o.seed = seed
        o.quick = quick
        return o
    }

    public static func fail(_ error: Error) -> Never {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        Foundation.exit(1)
    }

    /// Runs a scenario sweep (cov-sweep, correlation-grid) and prints its table.
    public func runSweep(experiment: String, scenarios: [Scenario], studyA: StudyASettings = StudyASettings()) {
        run(experiment) { context, seed, progress in
            var o = options(ScenarioSweep.Options.self, seed: seed)
            o.scenarios = scenarios
            o.studyA = studyA
            o.experiment = experiment
            print(ScenarioSweep.summary(try ScenarioSweep.run(context, options: o, outputDirectory: out, progress: progress)))
        }
    }
}

/// What every experiment's options hold: the seed (everything random derives from it) and whether to
/// run reduced networks (`--quick`).
public protocol ExperimentRunOptions: Sendable {
    init()
    var seed: UInt64 { get set }
    var quick: Bool { get set }
}

extension ModelComparison.Options: ExperimentRunOptions {}
extension ScenarioSweep.Options: ExperimentRunOptions {}
extension SamplerComparison.Options: ExperimentRunOptions {}
extension NetworkComparison.Options: ExperimentRunOptions {}
extension StructureSensitivity.Options: ExperimentRunOptions {}


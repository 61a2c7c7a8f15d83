import ArgumentParser
import Foundation
import StudyCore

/// The options every experiment takes (`@OptionGroup`): --study, --seed, --out, --quick, --data-root.
public struct ExperimentOptions: ParsableArguments {
    @Option(help: "Study config (YAML).") public var study: String
    @Option(help: "Seed (default: the study's).") public var seed: UInt64?
    @Option(help: "Output directory.") public var out: String
    @Flag(help: "Reduced sizes (for tests): a small network and few epochs.") public var quick = false
    @Option(name: .customLong("data-root"), help: "Data root (overrides the config's and $LANDSLIDE_DATA_ROOT).")
    public var dataRoot: String?

    public init() {}

    /// Loads the study and runs `body` on it with the seed to use; any error ends the process with
    /// one `error:` line and exit status 1.
    public func run(_ experiment: String,
                    _ body: (_ context: StudyContext, _ seed: UInt64, _ progress: @escaping (String) -> Void) throws -> Void) {
        do {
            let context = try StudyContext(try StudyConfig.load(study, dataRoot: dataRoot))
            let name = context.config.name
            try body(context, seed ?? context.config.seed) { line in
                FileHandle.standardError.write(Data("\(experiment) [\(name)]: \(line)\n".utf8))
            }
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


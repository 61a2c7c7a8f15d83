import ArgumentParser
import Foundation
import Study

/// The options every experiment takes: --study, --seed, --out, --quick, --data-root.
public struct ExperimentOptions: ParsableArguments {
    @Option(help: "Study config (YAML).") public var study: String
    @Option(help: "Seed (default: the study's).") public var seed: UInt64?
    @Option(help: "Output directory.") public var out: String
    @Flag(help: "Reduced sizes (for tests): a small network and few epochs.") public var quick = false
    @Option(name: .customLong("data-root"), help: "Data root (overrides the config's and $LANDSLIDE_DATA_ROOT).")
    public var dataRoot: String?

    public init() {}

    /// Loads the study, reporting a bad config as one `error:` line.
    public func load() throws -> StudyConfig {
        do { return try StudyConfig.load(study, dataRoot: dataRoot) } catch {
            Self.fail(error)
        }
    }

    public static func fail(_ error: Error) -> Never {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        Foundation.exit(1)
    }

    public func progress(_ experiment: String, _ study: String) -> (String) -> Void {
        { line in FileHandle.standardError.write(Data("\(experiment) [\(study)]: \(line)\n".utf8)) }
    }

    /// Runs a scenario sweep (cov-sweep, correlation-grid) and prints its table.
    public func runSweep(experiment: String, scenarios: [String]) throws {
        let config = try load()
        var o = ScenarioSweep.Options()
        o.seed = seed ?? config.seed
        o.quick = quick
        o.scenarios = scenarios
        o.experiment = experiment
        do {
            let r = try ScenarioSweep.run(config, options: o, outputDirectory: out, progress: progress(experiment, config.name))
            print(ScenarioSweep.summary(r))
        } catch {
            Self.fail(error)
        }
    }
}

import Foundation
import StudyCore
import Yams

/// Running an ablation's grid points (issue G5): each point is the experiment itself, run as its own
/// process over the replicates (``Replication``; on the local cores or on Slurm, `--executor`), with the
/// point's experiment settings as options and its config keys in a derived study config. A point's
/// replicates are kept when the same point is run again (their stamps name the executable, the derived
/// config's digest and the arguments), so a rerun only aggregates what is finished.
public enum AblationRun {
    public struct Options: Sendable {
        public var experiment = "model-comparison"
        public var study = ""
        public var dataRoot: String?
        public var replicates = 2
        public var quick = false
        public var seed: UInt64?
        public var jobs: Int?
        /// Options passed to every run as they are (the executor and its sbatch flags).
        public var passThrough: [String] = []
        public var out = ""
        /// Run nothing: report the points' results as they stand (each point must have its results.json).
        public var reportOnly = false
        public init() {}
    }

    /// A grid point and where its run is.
    public struct PointRun: Sendable {
        public let point: AblationPoint
        public let folder: String
        /// The experiment's OUT (holding results.json and replicates/).
        public var results: String { (folder as NSString).appendingPathComponent("run") }
    }

    /// The study config with `values` set at their dotted keys, `data_root` made absolute and a
    /// hyetograph path made absolute, written to `path` (the config's own keys and checks apply: the
    /// derived file is loaded before anything runs).
    public static func writeDerivedConfig(study: String, dataRoot: String?, keys: [(AblationKey, String)], to path: String) throws {
        let config = try StudyConfig.load(study, dataRoot: dataRoot)
        let text = try String(contentsOfFile: study, encoding: .utf8)
        guard var root = try Yams.load(yaml: text) as? [String: Any] else {
            throw AblationError("\(study): not a YAML mapping")
        }
        root["data_root"] = URL(fileURLWithPath: config.dataRoot).standardizedFileURL.path   // absolute: the derived file lives elsewhere
        if var rainfall = root["rainfall"] as? [String: Any], let relative = rainfall["hyetograph"] as? String, !relative.hasPrefix("/") {
            let directory = URL(fileURLWithPath: study).deletingLastPathComponent()
            rainfall["hyetograph"] = directory.appendingPathComponent(relative).standardizedFileURL.path
            root["rainfall"] = rainfall
        }
        for (key, value) in keys {
            switch key.kind {
            case let .config(path):
                root = try set(root, path: path, value: Double(value).map { $0 as Any } ?? value, key: key.name)
            case let .configScale(path):
                guard let current = number(in: root, at: path), let factor = Double(value) else {
                    throw AblationError("\(key.name): \(study) has no number at \(path.joined(separator: ".")) to scale")
                }
                root = try set(root, path: path, value: current * factor, key: key.name)
            case .option, .flag: continue
            }
        }
        try AtomicFile.write(Data(try Yams.dump(object: root, sortKeys: true).utf8), to: path)
        _ = try StudyConfig.load(path)   // the derived config must be a valid study
    }

    /// The number at `path` of a YAML mapping, if there is one.
    static func number(in mapping: [String: Any], at path: [String]) -> Double? {
        var node: Any = mapping
        for p in path {
            guard let m = node as? [String: Any], let next = m[p] else { return nil }
            node = next
        }
        switch node {
        case let x as Double: return x
        case let x as Int: return Double(x)
        case let x as String: return Double(x)
        default: return nil
        }
    }

    static func set(_ mapping: [String: Any], path: [String], value: Any, key: String) throws -> [String: Any] {
        var m = mapping
        guard let head = path.first else { return m }
        if path.count == 1 {
            m[head] = value
            return m
        }
        guard let child = m[head] as? [String: Any] else {
            throw AblationError("\(key): the study config has no '\(head)' mapping to set it in")
        }
        m[head] = try set(child, path: Array(path.dropFirst()), value: value, key: key)
        return m
    }

    /// The command-line arguments of a point's run.
    static func arguments(_ point: AblationPoint, factors: [AblationFactor], study: String, options: Options, out: String) -> [String] {
        var a = ["--study", study, "--replicates", String(options.replicates), "--out", out]
        if options.quick { a.append("--quick") }
        if let seed = options.seed { a += ["--seed", String(seed)] }
        if let jobs = options.jobs { a += ["--jobs", String(jobs)] }
        if let dataRoot = options.dataRoot, study == options.study { a += ["--data-root", dataRoot] }
        for f in factors { a += f.key.arguments(point.values[f.key.name]!) }
        return a + options.passThrough
    }

    /// Runs every point (one after another; each runs its replicates `--jobs` at a time, or on Slurm).
    public static func run(_ points: [AblationPoint], factors: [AblationFactor], options: Options,
                           progress: @escaping @Sendable (String) -> Void) throws -> [PointRun] {
        let fm = FileManager.default
        let executable = ((Replication.currentExecutable as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent(options.experiment)
        guard fm.isExecutableFile(atPath: executable) else {
            throw AblationError("\(executable) not found: build it (swift build -c release) beside ablate")
        }
        var runs: [PointRun] = []
        for (i, point) in points.enumerated() {
            let folder = (options.out as NSString).appendingPathComponent(String(format: "points/p%03d", i + 1))
            if options.reportOnly {
                let run = PointRun(point: point, folder: folder)
                let recorded = (folder as NSString).appendingPathComponent("point.json")
                guard let data = fm.contents(atPath: recorded), (try? JSONDecoder().decode(AblationPoint.self, from: data)) == point,
                      fm.fileExists(atPath: (run.results as NSString).appendingPathComponent("results.json")) else {
                    throw AblationError("--report-only: point \(i + 1) (\(point.label)) has no results in \(folder); run without --report-only")
                }
                runs.append(run)
                continue
            }
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(point), to: (folder as NSString).appendingPathComponent("point.json"))
            let configKeys = factors.filter { $0.key.isConfig }
            var study = options.study
            if !configKeys.isEmpty {
                study = (folder as NSString).appendingPathComponent("study.yaml")
                try writeDerivedConfig(study: options.study, dataRoot: options.dataRoot,
                                       keys: configKeys.map { ($0.key, point.values[$0.key.name]!) }, to: study)
            }
            let run = PointRun(point: point, folder: folder)
            let arguments = arguments(point, factors: factors, study: study, options: options, out: run.results)
            progress("point \(i + 1) of \(points.count): \(point.label)")
            let started = Date()
            let status = try Replication.spawn(executable, arguments, directory: folder, echo: nil)
            guard status == 0 else {
                let log = (folder as NSString).appendingPathComponent("log.txt")
                let tail = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").last.map(String.init) ?? ""
                throw AblationError("point \(i + 1) (\(point.label)) failed (exit status \(status)); its log is \(log): \(tail)")
            }
            progress(String(format: "point %d done (%.0f s)", i + 1, Date().timeIntervalSince(started)))
            runs.append(run)
        }
        return runs
    }
}

import Foundation
import Randomness
import StudyCore
import SummaryStatistics

/// Replicates of an experiment (issue G3): replicate k redraws everything random — the common test's
/// held-out landslides (and random test negatives), each model's 70/30 split, its negatives, the
/// network's initialisation and batch order — from its own seed, ``seed(_:replicate:)``, which depends on
/// the run's seed and k alone. Replicate 0 uses the run's seed itself, so one replicate is the single
/// run of before.
///
/// Each replicate runs as its own process (the experiment's executable with `--replicate k`), writing
/// `OUT/replicates/<k>/`: its results.json, figures, `stdout.txt`, `log.txt` and, once it succeeded,
/// `replicate.json` (``Stamp``): a rerun of the same executable with the same arguments keeps it. With
/// `--executor slurm` the same replicates run as the tasks of a Slurm array job (``SlurmExecutor``). Up to `jobs` run at
/// once. A replicate's results do not depend on how many replicates run, nor on how many at once, nor
/// on the number of threads (the networks split their batches in a fixed way), which a test checks.
/// The experiment's `OUT/results.json` is then the merge of the replicates'
/// (``ReplicateAggregation``), with a `replicates` record of the seeds.
public enum Replication {
    /// Replicate k's seed: the run's seed for k = 0, else a stream split off it by k.
    public static func seed(_ base: UInt64, replicate k: Int) -> UInt64 {
        k == 0 ? base : SeededGenerator(seed: base).split(0x1_0000 + UInt64(k)).seed
    }

    /// The folder of replicate k under an experiment's output folder.
    public static func directory(_ out: String, replicate k: Int) -> String {
        (out as NSString).appendingPathComponent("replicates/\(k)")
    }

    /// The experiment's own arguments without `--out`, `--replicates`, `--jobs`, `--threads`, `--replicate` and the
    /// executor's options (`--executor`, the Slurm flags), to hand to a replicate's process: what a
    /// replicate computes, and so what its ``Stamp`` names, wherever it runs.
    static func workerArguments(_ arguments: [String]) -> [String] {
        dropping(arguments, values: ["--out", "--replicates", "--jobs", "--threads", "--replicate"] + SlurmOptions.valueOptions,
                 flags: SlurmOptions.flags)
    }

    /// `arguments` without the options `values` (as `--name value` or `--name=value`) and the flags `flags`.
    static func dropping(_ arguments: [String], values: [String], flags: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if values.contains(a) { i += 2; continue }
            if flags.contains(a) || values.contains(where: { a.hasPrefix($0 + "=") }) { i += 1; continue }
            out.append(a)
            i += 1
        }
        return out
    }

    /// The running executable's path.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Removes the folders of replicates beyond this run's count (an older run's).
    static func pruneReplicates(out: String, count: Int) throws {
        let fm = FileManager.default
        let root = (out as NSString).appendingPathComponent("replicates")
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where Int(name).map({ $0 >= count }) ?? true {
            try fm.removeItem(atPath: (root as NSString).appendingPathComponent(name))
        }
    }

    /// Written by a replicate's own process as its last act, once it succeeded: `replicate.json` in its
    /// folder, so a finished replicate is recognised wherever it ran (here or as a Slurm task).
    static func stampFinished(out dir: String, baseSeed: UInt64, replicate k: Int, configDigest: String) throws {
        let stamp = Stamp(arguments: workerArguments(Array(CommandLine.arguments.dropFirst())), seed: seed(baseSeed, replicate: k),
                          executableSHA256: digest(of: currentExecutable), configSHA256: configDigest)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(stamp), to: (dir as NSString).appendingPathComponent("replicate.json"))
    }

    struct Failure: Error, CustomStringConvertible {
        let replicate: Int
        let status: Int32
        let log: String
        let tail: String
        var description: String {
            "replicate \(replicate) failed (exit status \(status)); its log is \(log)" + (tail.isEmpty ? "" : ": \(tail)")
        }
    }

    /// The replicates still to run, their times and failures, shared by the worker threads.
    final class WorkList: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        let count: Int
        private(set) var seconds: [Double]
        private(set) var failures: [Failure] = []
        init(count: Int) { self.count = count; seconds = Array(repeating: 0, count: count) }
        /// The next replicate to run, or nil when all have started or one has failed.
        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < count, failures.isEmpty else { return nil }
            next += 1
            return next - 1
        }
        func finished(_ k: Int, seconds s: Double, failure: Failure?) {
            lock.lock(); defer { lock.unlock() }
            seconds[k] = s
            if let failure { failures.append(failure) }
        }
    }

    /// Runs replicates 0..<count of the running executable into `OUT/replicates/<k>`, `jobs` at a time.
    /// One replicate's progress lines are passed through; with several, a line as each starts and ends.
    /// Returns each replicate's seconds.
    /// What a finished replicate was run with (`replicate.json`, written when it succeeded): a later run
    /// with the same stamp keeps its results instead of computing them again, so a rerun resumes. The
    /// code is named by the SHA-256 of the executable itself, so a commit that changes only documents
    /// keeps the replicates, and an uncommitted change to the code does not.
    /// The study config is named by its digest too (the data it points to are taken as unchanged).
    struct Stamp: Codable, Equatable {
        var arguments: [String]
        var seed: UInt64
        var executableSHA256: String
        var configSHA256: String
    }

    /// The SHA-256 of a file's bytes ("unknown" when it cannot be read: nothing is then kept).
    static func digest(of path: String) -> String {
        FileManager.default.contents(atPath: path).map { ConfigDigest.sha256Hex($0) } ?? "unknown"
    }

    /// Whether replicate k's folder holds finished results of the same run.
    static func finished(_ dir: String, _ stamp: Stamp) -> Bool {
        guard stamp.executableSHA256 != "unknown",
              let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent("replicate.json")),
              let old = try? JSONDecoder().decode(Stamp.self, from: data) else { return false }
        return old == stamp && FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("results.json"))
    }

    static func runWorkers(experiment: String, out: String, count: Int, jobs: Int, baseSeed: UInt64, configDigest: String,
                           progress: @escaping @Sendable (String) -> Void) throws -> [Double] {
        try pruneReplicates(out: out, count: count)
        let executable = currentExecutable
        let base = workerArguments(Array(CommandLine.arguments.dropFirst()))
        let work = WorkList(count: count)
        let executableDigest = digest(of: executable)
        let passThrough: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let echo: (@Sendable (String) -> Void)? = count == 1 ? passThrough : nil
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
            while let k = work.take() {
                let dir = directory(out, replicate: k)
                let stamp = Stamp(arguments: base, seed: seed(baseSeed, replicate: k), executableSHA256: executableDigest,
                                  configSHA256: configDigest)
                if finished(dir, stamp) {
                    progress("replicate \(k): kept from an earlier run of the same executable and arguments (\(dir))")
                    let earlier = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent("results.json"))
                        .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                    work.finished(k, seconds: ((earlier?["results"] as? [String: Any])?["seconds"] as? Double) ?? 0, failure: nil)
                    continue
                }
                try? FileManager.default.removeItem(atPath: dir)
                let started = Date()
                if echo == nil { progress("replicate \(k) of 0–\(count - 1) started") }
                let log = (dir as NSString).appendingPathComponent("log.txt")
                var failure: Failure?
                do {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    // The replicate's process writes its replicate.json (``stampFinished``) when it succeeded.
                    let status = try spawn(executable, base + ["--out", dir, "--replicate", String(k)], directory: dir, echo: echo)
                    if status != 0 {
                        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                        failure = Failure(replicate: k, status: status, log: log,
                                          tail: text.split(separator: "\n").last.map(String.init) ?? "")
                    }
                } catch {
                    failure = Failure(replicate: k, status: -1, log: log, tail: "\(error)")
                }
                let elapsed = Date().timeIntervalSince(started)
                work.finished(k, seconds: RecordedTime.recorded(elapsed), failure: failure)
                if failure == nil && echo == nil { progress(String(format: "replicate %d done (%.0f s)", k, elapsed)) }
            }
        }
        if let f = work.failures.min(by: { $0.replicate < $1.replicate }) { throw f }
        return work.seconds
    }

    /// Runs `executable` with `arguments`; stdout to `directory/stdout.txt`, stderr to `directory/log.txt`
    /// (and, line by line, to `echo`). Returns the exit status.
    static func spawn(_ executable: String, _ arguments: [String], directory: String,
                      echo: (@Sendable (String) -> Void)?) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let stdoutPath = (directory as NSString).appendingPathComponent("stdout.txt")
        let logPath = (directory as NSString).appendingPathComponent("log.txt")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? stdout.close(); try? log.close() }
        p.standardOutput = stdout
        let pipe = Pipe()
        p.standardError = pipe
        let reader = pipe.fileHandleForReading
        try p.run()
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            log.write(chunk)
            if let echo {
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    echo(String(decoding: pending[pending.startIndex..<nl], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...nl)
                }
            }
        }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Reads the replicates' results files and writes the merged `OUT/results.json`; copies replicate 0's
    /// figures to OUT (the maps of one draw; the experiment's summary figures then replace the charts that
    /// have an interval form). Returns the merged results object.
    @discardableResult
    static func aggregate(out: String, count: Int, baseSeed: UInt64, jobs: Int, replicateSeconds: [Double],
                          seconds: Double) throws -> [String: Any] {
        let fm = FileManager.default
        var trees: [Any] = []
        var provenance: Any = NSNull()
        for k in 0..<count {
            let path = (directory(out, replicate: k) as NSString).appendingPathComponent("results.json")
            guard let data = fm.contents(atPath: path),
                  let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let results = doc["results"] else {
                throw ReplicationError(path: path, reason: "replicate \(k) wrote no readable results.json")
            }
            if k == 0 { provenance = doc["provenance"] ?? NSNull() }
            trees.append(results)
        }
        guard var merged = ReplicateAggregation.merge(trees) as? [String: Any] else {
            throw ReplicationError(path: out, reason: "the replicates' results are not JSON objects")
        }
        if var p = provenance as? [String: Any] { p["seed"] = baseSeed; provenance = p }
        merged["seed"] = baseSeed
        merged["seconds"] = seconds
        var replicates: [String: Any] = [
            "n": count, "jobs": jobs,
            "seeds": (0..<count).map { seed(baseSeed, replicate: $0) },
            "seconds": replicateSeconds,
            "folders": (0..<count).map { "replicates/\($0)" },
            "redrawn": "the common test's held-out landslides (and random test negatives where the study has no evaluation points), "
                + "each model's 70/30 split, its negatives, the network's initialisation and batch order",
        ]
        // How the run was spread over processes is, like its wall times, not part of a reproducible result.
        if RecordedTime.reproducible { replicates["jobs"] = nil }
        merged["replicates"] = replicates
        // Replicate 0's figures, as one draw.
        for name in (trees.first as? [String: Any])?["figures"] as? [String] ?? [] {
            let from = (directory(out, replicate: 0) as NSString).appendingPathComponent(name)
            let to = (out as NSString).appendingPathComponent(name)
            if fm.fileExists(atPath: to) { try fm.removeItem(atPath: to) }
            try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: from, toPath: to)
        }
        try write(["provenance": provenance, "results": merged], to: (out as NSString).appendingPathComponent("results.json"))
        return merged
    }

    /// Replaces the `results` of OUT/results.json, keeping its provenance.
    static func rewrite(out: String, results: [String: Any]) throws {
        let path = (out as NSString).appendingPathComponent("results.json")
        guard let data = FileManager.default.contents(atPath: path),
              var doc = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReplicationError(path: path, reason: "cannot read it back")
        }
        doc["results"] = results
        try write(doc, to: path)
    }

    /// Writes a JSON object as every results file is written: pretty, keys sorted, atomically.
    static func write(_ object: [String: Any], to path: String) throws {
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }
}

struct ReplicateDocument<R: Decodable>: Decodable { let results: R }

/// A replicated run's files could not be read or written.
struct ReplicationError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}

/// What an experiment's summary figures are drawn from: the merged results and each replicate's own.
public struct ReplicateSummary {
    public let experiment: String
    public let out: String
    public let count: Int
    public let merged: [String: Any]

    /// Replicate k's results, decoded as the experiment's own results type.
    public func replicate<R: Decodable>(_ k: Int, as type: R.Type) throws -> R {
        let path = (Replication.directory(out, replicate: k) as NSString).appendingPathComponent("results.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(ReplicateDocument<R>.self, from: Data(contentsOf: URL(fileURLWithPath: path))).results
        } catch {
            throw ReplicationError(path: path, reason: "cannot read replicate \(k)'s results (\(error))")
        }
    }

    /// Every replicate's results.
    public func replicates<R: Decodable>(as type: R.Type) throws -> [R] { try (0..<count).map { try replicate($0, as: type) } }
}

/// The merged metrics of a replicated run as a console table: for each row of the experiment's main
/// list (models, samplers, networks, scenario tables, design runs), each replicated metric as
/// mean ± SD [95 % interval].
enum ReplicateTable {
    static let rowKeys = ["models", "samplers", "networks", "tables", "runs"]
    static let nameKeys = ["model", "sampler", "scenario", "name"]

    static func text(experiment: String, study: String, _ merged: [String: Any]) -> String {
        let n = (merged["replicates"] as? [String: Any])?["n"] as? Int ?? 1
        var out = "\(experiment): \(study), seed \(merged["seed"] ?? "–"), \(n) replicates (mean ± SD [95 % interval of the mean])\n"
        func entry(_ v: Any?) -> String? {
            guard let d = v as? [String: Any], d["values"] != nil, let r = ReplicateAggregation.decode(d) else { return nil }
            return String(format: "%.3f ± %.3f [%.3f, %.3f]", r.mean, r.sd, r.ci95[0], r.ci95[1])
        }
        func lines(_ object: [String: Any], prefix: String) -> [String] {
            object.keys.sorted().flatMap { key -> [String] in
                if let e = entry(object[key]) { return ["\(prefix)\(key) \(e)"] }
                if let sub = object[key] as? [String: Any], sub["values"] == nil { return lines(sub, prefix: "\(prefix)\(key).") }
                return []
            }
        }
        for key in rowKeys {
            guard let rows = merged[key] as? [[String: Any]] else { continue }
            for (i, row) in rows.enumerated() {
                let name = nameKeys.compactMap { row[$0] as? String }.first ?? "\(key) \(i)"
                let scenario = (row["model"] as? String).flatMap { _ in row["scenario"] as? String }.map { " (\($0))" } ?? ""
                out += "  \(name)\(scenario)\n"
                for l in lines(row, prefix: "") { out += "    \(l)\n" }
            }
        }
        for l in lines(merged.filter { !rowKeys.contains($0.key) && $0.key != "replicates" }, prefix: "") { out += "  \(l)\n" }
        return out
    }
}

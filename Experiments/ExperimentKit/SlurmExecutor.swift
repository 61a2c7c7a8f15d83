import ArgumentParser
import Foundation
import StudyCore

/// Where an experiment's replicates run (issue G4): on this machine's cores, or as the tasks of a Slurm
/// array job.
public enum Executor: String, ExpressibleByArgument, CaseIterable, Sendable {
    case local
    case slurm
}

/// How replicates go to Slurm: `sbatch` flags passed through, and whether to wait.
///
/// Anything not given here is read by `sbatch` itself from its input environment (`SBATCH_PARTITION`,
/// `SBATCH_ACCOUNT`, `SBATCH_TIMELIMIT`, `SBATCH_MEM_PER_NODE`, …), as on any Slurm cluster; the
/// cluster is the one `SLURM_CONF` (or the system's slurm.conf) names.
public struct SlurmOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Where replicates run: local (this machine's cores, --jobs at once) or slurm "
                               + "(one sbatch array task per replicate and an aggregation job after them).",
                               valueName: "local|slurm"))
    public var executor: Executor = .local
    @Option(help: ArgumentHelp("Slurm partition (sbatch --partition; default: $SBATCH_PARTITION or the cluster's).", valueName: "name"))
    public var partition: String?
    @Option(help: ArgumentHelp("Slurm account (sbatch --account; default: $SBATCH_ACCOUNT).", valueName: "name"))
    public var account: String?
    @Option(help: ArgumentHelp("Time limit of each task (sbatch --time, e.g. 2:00:00; default: $SBATCH_TIMELIMIT).", valueName: "limit"))
    public var time: String?
    @Option(help: ArgumentHelp("Memory of each task (sbatch --mem, e.g. 8G; default: $SBATCH_MEM_PER_NODE).", valueName: "size"))
    public var mem: String?
    @Option(name: .customLong("max-tasks"),
            help: ArgumentHelp("Array tasks that run at once (sbatch --array=…%n; default: as many as Slurm allows).", valueName: "n"))
    public var maxTasks: Int?
    @Flag(help: "With --executor slurm: wait for the aggregation job and report how the run ended (default: submit and return).")
    public var wait = false

    public init() {}

    public func validate() throws {
        if let maxTasks, maxTasks < 1 { throw ValidationError("--max-tasks must be at least 1 (got \(maxTasks))") }
    }

    /// The flags passed through to every `sbatch`.
    var sbatchFlags: [String] {
        [("--partition", partition), ("--account", account), ("--time", time), ("--mem", mem)]
            .compactMap { flag, value in value.map { "\(flag)=\($0)" } }
    }

    /// Options of the executor, dropped from the arguments a replicate or the aggregation job runs with.
    static let valueOptions = ["--executor", "--partition", "--account", "--time", "--mem", "--max-tasks"]
    static let flags = ["--wait"]
}

/// A replicated experiment as Slurm jobs: the replicates still to run (those without a finished
/// folder, see ``Replication/Stamp``) as one `sbatch --array` job whose task k runs replicate k, and the
/// aggregation (the experiment again, locally: it keeps every finished replicate and only merges and
/// draws) as a job that starts after all of them succeeded (`--dependency=afterok`, cancelled if one
/// fails). A rerun submits only what is missing, so a killed or failed run resumes.
///
/// Files, all under OUT/slurm/: `replicate.sh`, `aggregate.sh` and `failures.sh` (the job scripts),
/// `replicate-<k>.out`, `aggregate.out` and `failures.out` (Slurm's logs), `aggregate.status` (the
/// aggregation's exit status), `failed.txt` (the failed replicates, when a task failed), `jobs.json`.
enum SlurmExecutor {
    struct Submission: Codable {
        var arrayJob: String?
        var aggregateJob: String
        var failureJob: String?
        var replicates: [Int]
        var kept: [Int]
    }

    struct SlurmError: Error, CustomStringConvertible {
        let description: String
    }

    /// Quotes a word for bash.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// "0-3,5,7-9": the array indices as Slurm writes them.
    static func arraySpec(_ indices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let s = indices.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count, s[j + 1] == s[j] + 1 { j += 1 }
            parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Runs a Slurm client command; its standard output, or an error with its message.
    static func slurm(_ command: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [command] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            throw SlurmError(description: "cannot run \(command) (\(error)); is Slurm installed and on PATH?")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SlurmError(description: "\(command) \(arguments.joined(separator: " ")) failed (exit \(p.terminationStatus)): "
                             + (message.isEmpty ? "no message" : message))
        }
        return String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `sbatch --parsable …`: the job id.
    static func sbatch(_ arguments: [String]) throws -> String {
        let out = try slurm("sbatch", ["--parsable"] + arguments)
        guard let id = out.split(separator: ";").first.map(String.init), !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError(description: "sbatch printed '\(out)' where a job id was expected")
        }
        return id
    }

    static func writeScript(_ text: String, to path: String) throws {
        try AtomicFile.write(Data(text.utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// Submits the missing replicates and the aggregation; with `settings.wait`, waits for them and
    /// throws, naming each failed replicate's array index and logs, if the aggregation did not succeed.
    static func submit(experiment: String, out: String, count: Int, baseSeed: UInt64, configDigest: String,
                       settings: SlurmOptions, progress: @escaping @Sendable (String) -> Void) throws {
        let fm = FileManager.default
        let cwd = fm.currentDirectoryPath
        let outPath = out.hasPrefix("/") ? out : (cwd as NSString).appendingPathComponent(out)
        let slurmDir = (outPath as NSString).appendingPathComponent("slurm")
        try fm.createDirectory(atPath: slurmDir, withIntermediateDirectories: true)
        try Replication.pruneReplicates(out: outPath, count: count)
        let executable = Replication.currentExecutable
        let arguments = Array(CommandLine.arguments.dropFirst())
        let base = Replication.workerArguments(arguments)
        let executableDigest = Replication.digest(of: executable)
        let kept = (0..<count).filter { k in
            Replication.finished(Replication.directory(outPath, replicate: k),
                                 Replication.Stamp(arguments: base, seed: Replication.seed(baseSeed, replicate: k),
                                                   executableSHA256: executableDigest, configSHA256: configDigest))
        }
        let missing = (0..<count).filter { !kept.contains($0) }
        for name in ["aggregate.status", "jobs.json", "failed.txt"] { try? fm.removeItem(atPath: (slurmDir as NSString).appendingPathComponent(name)) }

        let workerCommand = ([executable] + base).map(quoted).joined(separator: " ")
        let replicateScript = """
            #!/usr/bin/env bash
            # Written by `\(experiment) --executor slurm`: array task k runs replicate k of \(outPath)
            # (its results, figures, stdout.txt and log.txt in replicates/<k>/; replicate.json once it succeeded).
            set -u
            k=${SLURM_ARRAY_TASK_ID:?this script runs as a task of a Slurm array job}
            # One thread per task (LANDSLIDE_THREADS=1) unless the task was given several CPUs; results do not depend on it.
            export LANDSLIDE_THREADS=${LANDSLIDE_THREADS:-${SLURM_CPUS_PER_TASK:-1}}
            dir=\(quoted(outPath))/replicates/$k
            rm -rf "$dir" && mkdir -p "$dir" || exit 1
            \(workerCommand) --out "$dir" --replicate "$k" > "$dir/stdout.txt" 2> "$dir/log.txt"
            status=$?
            [ $status -eq 0 ] || { echo "replicate $k failed (exit status $status); its log: $dir/log.txt" >&2; tail -3 "$dir/log.txt" >&2; }
            exit $status

            """
        let replicatePath = (slurmDir as NSString).appendingPathComponent("replicate.sh")
        try writeScript(replicateScript, to: replicatePath)
        let aggregateArguments = Replication.dropping(arguments, values: SlurmOptions.valueOptions, flags: SlurmOptions.flags)
        let statusPath = (slurmDir as NSString).appendingPathComponent("aggregate.status")
        let aggregateScript = """
            #!/usr/bin/env bash
            # Written by `\(experiment) --executor slurm`: merges the replicates of \(outPath) once every array task
            # succeeded (the experiment again, on this node: it keeps each finished replicate and only aggregates).
            set -u
            \(([executable] + aggregateArguments).map(quoted).joined(separator: " "))
            status=$?
            echo $status > \(quoted(statusPath))
            exit $status

            """
        let aggregatePath = (slurmDir as NSString).appendingPathComponent("aggregate.sh")
        try writeScript(aggregateScript, to: aggregatePath)

        let common = ["--chdir=\(cwd)"] + settings.sbatchFlags
        var arrayJob: String?
        if !missing.isEmpty {
            let spec = arraySpec(missing) + (settings.maxTasks.map { "%\($0)" } ?? "")
            arrayJob = try sbatch(["--job-name=\(experiment)-replicates", "--array=\(spec)",
                                   "--output=\(slurmDir)/replicate-%a.out"] + common + [replicatePath])
        }
        let aggregateJob = try sbatch(["--job-name=\(experiment)-aggregate", "--output=\(slurmDir)/aggregate.out",
                                       "--kill-on-invalid-dep=yes"]
                                      + (arrayJob.map { ["--dependency=afterok:\($0)"] } ?? []) + common + [aggregatePath])
        // If a task fails (or is killed), a job after it (afternotok) lists the unfinished replicates with
        // their array indices and logs in OUT/slurm/failed.txt; it is cancelled when every task succeeded.
        var failureJob: String?
        if let arrayJob {
            let failedPath = (slurmDir as NSString).appendingPathComponent("failed.txt")
            let report = """
                #!/usr/bin/env bash
                # Written by `\(experiment) --executor slurm`: runs only if a task of array job \(arrayJob) failed.
                for k in \(missing.map(String.init).joined(separator: " ")); do
                  [ -f \(quoted(outPath))/replicates/$k/replicate.json ] ||
                    echo "replicate $k (array job \(arrayJob), index $k) failed: see \(slurmDir)/replicate-$k.out and \(outPath)/replicates/$k/log.txt"
                done | tee \(quoted(failedPath))
                echo "rerun the same command to resume: finished replicates are kept"

                """
            let reportPath = (slurmDir as NSString).appendingPathComponent("failures.sh")
            try writeScript(report, to: reportPath)
            failureJob = try sbatch(["--job-name=\(experiment)-failures", "--output=\(slurmDir)/failures.out",
                                     "--kill-on-invalid-dep=yes", "--dependency=afternotok:\(arrayJob)"] + common + [reportPath])
        }
        let submission = Submission(arrayJob: arrayJob, aggregateJob: aggregateJob, failureJob: failureJob, replicates: missing, kept: kept)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(submission), to: (slurmDir as NSString).appendingPathComponent("jobs.json"))
        if !kept.isEmpty { progress("replicates \(arraySpec(kept)) kept from an earlier run (finished with the same executable and arguments)") }
        if let arrayJob {
            print("\(experiment): replicates \(arraySpec(missing)) submitted as Slurm array job \(arrayJob) "
                  + "(task k: \(slurmDir)/replicate-<k>.out, \(outPath)/replicates/<k>/log.txt)")
        }
        print("\(experiment): aggregation job \(aggregateJob)" + (arrayJob.map { " after array job \($0) (afterok)" } ?? "")
              + " → \(outPath)/results.json (log \(slurmDir)/aggregate.out)"
              + (failureJob.map { "; if a task fails, job \($0) lists it in \(slurmDir)/failed.txt" } ?? ""))
        fflush(nil)  // the job ids before any waiting
        guard settings.wait else { return }

        // Wait until both jobs have left the queue, reporting replicates as they finish.
        let jobs = [arrayJob, aggregateJob, failureJob].compactMap { $0 }
        var done = kept.count, failures = 0
        while true {
            let queue: String
            do {
                queue = try slurm("squeue", ["-h", "-j", jobs.joined(separator: ","), "-o", "%i %T"])
                failures = 0
            } catch let error as SlurmError where error.description.contains("Invalid job id") {
                queue = ""
            } catch {
                failures += 1
                if failures >= 30 { throw error }
                queue = "?"
            }
            let finished = (0..<count).filter { fm.fileExists(atPath: Replication.directory(outPath, replicate: $0) + "/replicate.json") }.count
            if finished != done {
                done = finished
                progress("\(done) of \(count) replicates finished")
            }
            if queue.isEmpty { break }
            Thread.sleep(forTimeInterval: 2)
        }
        let status = (try? String(contentsOfFile: statusPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == "0" {
            if let text = try? String(contentsOfFile: (slurmDir as NSString).appendingPathComponent("aggregate.out"), encoding: .utf8) {
                print(text, terminator: "")
            }
            return
        }
        let failed = missing.filter { !fm.fileExists(atPath: Replication.directory(outPath, replicate: $0) + "/replicate.json") }
        var lines = failed.map { k in
            "replicate \(k) (array job \(arrayJob ?? "–"), index \(k)) did not finish: see \(slurmDir)/replicate-\(k).out and "
                + "\(Replication.directory(outPath, replicate: k))/log.txt"
        }
        if failed.isEmpty {
            lines.append("the aggregation job \(aggregateJob) " + (status.map { "exited with status \($0)" } ?? "did not run")
                         + ": see \(slurmDir)/aggregate.out")
        }
        throw SlurmError(description: lines.joined(separator: "\n") + "\nrerun the same command to resume: finished replicates are kept")
    }
}

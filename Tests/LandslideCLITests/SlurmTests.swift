import Foundation
import Testing
import TestSupport

/// Whether `make test-slurm` started a cluster for this run.
enum TestCluster {
    static var available: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["LANDSLIDE_SLURM_TESTS"] == "1" && env["SLURM_CONF"] != nil
    }
}

/// Issue G4 on a real Slurm cluster: `make test-slurm` starts one on this machine
/// (scripts/slurm-cluster.sh: munged, slurmctld, slurmd), exports its SLURM_CONF and
/// LANDSLIDE_SLURM_TESTS=1, runs this suite and stops the daemons. Under plain `make test` the suite
/// is skipped (there is no cluster).
@Suite(.serialized, .enabled(if: TestCluster.available, "runs under `make test-slurm`, which starts a Slurm cluster"))
struct SlurmTests {
    static func binary(_ name: String) -> String { TileTests.binary(name) }

    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> ProcessResult { try TileTests.run(program, arguments) }

    /// results.json's `results` without what differs from run to run whatever the executor: times (and
    /// the stage times) and the number of local jobs (provenance is outside `results`).
    static func results(_ path: String) throws -> NSDictionary {
        func strip(_ v: Any) -> Any {
            if let d = v as? [String: Any] {
                return d.filter { $0.key != "seconds" && $0.key != "jobs" && $0.key != "stages" }.mapValues(strip)
            }
            if let a = v as? [Any] { return a.map(strip) }
            return v
        }
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let results = try #require(doc?["results"], "\(path) has no results")
        return try #require(strip(results) as? NSDictionary)
    }

    static func jobs(_ out: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/slurm/jobs.json"))) as? [String: Any])
    }

    /// A quick model comparison on the twin with two replicates through Slurm (one array task per
    /// replicate, the aggregation after them) equals the same run on the local cores.
    @Test func replicatesThroughSlurmEqualTheLocalRun() throws {
        let dir = try TemporaryDirectory()
        try Self.run(Self.binary("landslide"), ["twin", "--out", dir.path("twin")])
        let base = ["--study", dir.path("twin/twin.yaml"), "--quick", "--replicates", "2"]
        try Self.run(Self.binary("model-comparison"), base + ["--out", dir.path("local")])
        let slurm = try Self.run(Self.binary("model-comparison"), base + ["--out", dir.path("slurm"), "--executor", "slurm", "--wait"])
        #expect(slurm.stdout.contains("submitted as Slurm array job") && slurm.stdout.contains("aggregation job"))
        let jobs = try Self.jobs(dir.path("slurm"))
        #expect(jobs["replicates"] as? [Int] == [0, 1] && jobs["array_job"] is String)
        for k in 0..<2 {
            #expect(FileManager.default.fileExists(atPath: dir.path("slurm/slurm/replicate-\(k).out")), "Slurm's log of task \(k)")
            #expect(FileManager.default.fileExists(atPath: dir.path("slurm/replicates/\(k)/replicate.json")))
        }
        #expect(try Self.results(dir.path("slurm/results.json")) == (try Self.results(dir.path("local/results.json"))),
                "the Slurm run's results differ from the local run's")
    }

    /// A task killed while it runs (scancel) fails the run with its array index and log path named;
    /// the same command, resubmitted, runs only that replicate — the finished one is kept, untouched —
    /// and completes the run.
    @Test func killedTaskResubmittedCompletesWithoutRedoingFinishedReplicates() throws {
        let dir = try TemporaryDirectory()
        try Self.run(Self.binary("landslide"), ["twin", "--out", dir.path("twin")])
        let out = dir.path("mc")
        // One task at a time (--max-tasks 1), so replicate 0 finishes before replicate 1 starts.
        let arguments = ["--study", dir.path("twin/twin.yaml"), "--quick", "--replicates", "2", "--out", out,
                         "--executor", "slurm", "--max-tasks", "1", "--wait"]
        let submitter = Process()
        submitter.executableURL = URL(fileURLWithPath: Self.binary("model-comparison"))
        submitter.arguments = arguments
        submitter.currentDirectoryURL = TestPaths.repositoryRoot
        let stdoutPipe = Pipe(), stderrPipe = Pipe()
        submitter.standardOutput = stdoutPipe
        submitter.standardError = stderrPipe
        try submitter.run()
        let stamp0 = "\(out)/replicates/0/replicate.json"
        let deadline = Date().addingTimeInterval(600)
        while !(FileManager.default.fileExists(atPath: stamp0) && FileManager.default.fileExists(atPath: "\(out)/replicates/1/log.txt")) {
            try #require(Date() < deadline && submitter.isRunning, "replicate 0 did not finish, or replicate 1 did not start, in 10 minutes")
            Thread.sleep(forTimeInterval: 0.5)
        }
        let arrayJob = try #require(try Self.jobs(out)["array_job"] as? String)
        try Self.run("/usr/bin/env", ["scancel", "\(arrayJob)_1"])
        let stderr = String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        submitter.waitUntilExit()
        #expect(submitter.terminationStatus != 0, "the run with a killed task reported success")
        #expect(stderr.contains("replicate 1 (array job \(arrayJob), index 1) did not finish"), "\(stderr)")
        #expect(stderr.contains("\(out)/slurm/replicate-1.out") && stderr.contains("\(out)/replicates/1/log.txt"))
        // The afternotok job wrote the same report for whoever did not wait.
        let failed = (try? String(contentsOfFile: "\(out)/slurm/failed.txt", encoding: .utf8)) ?? ""
        #expect(failed.contains("replicate 1 (array job \(arrayJob), index 1) failed") && !failed.contains("replicate 0"), "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/results.json"), "no results from a run that failed")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/replicates/1/replicate.json"))

        let before = try FileManager.default.attributesOfItem(atPath: stamp0)[.modificationDate] as? Date
        let again = try Self.run(Self.binary("model-comparison"), arguments)
        let jobs = try Self.jobs(out)
        #expect(jobs["replicates"] as? [Int] == [1] && jobs["kept"] as? [Int] == [0], "resubmitted: \(jobs)")
        #expect(again.stdout.contains("replicates 1 submitted"), "\(again.stdout)")
        #expect(try FileManager.default.attributesOfItem(atPath: stamp0)[.modificationDate] as? Date == before,
                "replicate 0 was run again")
        let merged = try Self.results("\(out)/results.json")
        #expect(((merged["replicates"] as? [String: Any])?["n"] as? Int) == 2)
        // The resumed run equals an uninterrupted local one.
        try Self.run(Self.binary("model-comparison"), ["--study", dir.path("twin/twin.yaml"), "--quick", "--replicates", "2",
                                                       "--out", dir.path("local")])
        #expect(merged == (try Self.results(dir.path("local/results.json"))))
    }

    /// A 4-tile PPM and a 4-tile CNN map as Slurm array jobs (the mosaic a job after them) equal the
    /// whole-map runs cell for cell.
    @Test func tilesThroughSlurmEqualTheWholeMap() throws {
        let dir = try TemporaryDirectory()
        try Self.run(Self.binary("landslide"), ["twin", "--out", dir.path("twin")])
        let study = dir.path("twin/twin.yaml")
        let landslide = Self.binary("landslide")
        try Self.run(landslide, ["ppm", study, "--check-cells", "0", "--out", dir.path("ppm-whole")])
        let ppm = try Self.run("/bin/bash", ["scripts/tiles.sh", "--executor", "slurm", "--tiles", "4", "--wait", dir.path("ppm-tiled"),
                                             "--", landslide, "ppm", study, "--check-cells", "0"])
        #expect(ppm.stdout.contains("submitted as Slurm array job") && ppm.stdout.contains("mosaic of 4 tiles"))
        for layer in TileTests.ppmLayers {
            try TileTests.expectIdentical(dir.path("ppm-whole/\(layer).tif"), dir.path("ppm-tiled/\(layer).vrt"))
        }
        try Self.run(landslide, ["train", study, "--model", "patch-cnn", "--epochs", "1", "--channels", "4",
                                 "--save-model", dir.path("cnn.json")])
        try Self.run(landslide, ["map", study, "--model", dir.path("cnn.json"), "--out", dir.path("map-whole.tif")])
        try Self.run("/bin/bash", ["scripts/tiles.sh", "--executor", "slurm", "--tiles", "4", "--wait", dir.path("map-tiled"),
                                   "--", landslide, "map", study, "--model", dir.path("cnn.json")])
        try TileTests.expectIdentical(dir.path("map-whole.tif"), dir.path("map-tiled/map.vrt"))
        for i in 1...4 { #expect(FileManager.default.fileExists(atPath: dir.path("map-tiled/slurm/tile-\(i).out"))) }
    }
}

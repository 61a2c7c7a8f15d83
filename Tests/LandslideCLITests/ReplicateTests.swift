import Foundation
import Testing
import TestSupport

/// Issue G3's replicates, end to end through the release binaries (`make test` builds them).
@Suite(.serialized)
struct ReplicateTests {
    static func binary(_ name: String) -> String { TestPaths.repositoryRoot.appendingPathComponent(".build/release/\(name)").path }

    static func run(_ program: String, _ arguments: [String], threads: Int? = nil) throws {
        let bin = binary(program)
        try #require(FileManager.default.isExecutableFile(atPath: bin), "\(bin) missing: `make test` builds it")
        var environment = ProcessInfo.processInfo.environment
        if let threads { environment["LANDSLIDE_THREADS"] = String(threads) }
        let r = try runProcess(bin, arguments, environment: environment, currentDirectory: TestPaths.repositoryRoot)
        try #require(r.status == 0, "\(program) \(arguments.joined(separator: " ")) failed: \(r.stderr.suffix(800))")
    }

    static func results(_ path: String) throws -> [String: Any] {
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try #require(doc?["results"] as? [String: Any], "\(path) has no results")
    }

    /// A replicate's results without what is allowed to differ between runs (its run time).
    static func replicate(_ out: String, _ k: Int) throws -> NSDictionary {
        var r = try results("\(out)/replicates/\(k)/results.json")
        r["seconds"] = nil
        return r as NSDictionary
    }

    /// Replicate k's results depend on the seed and k alone: not on how many replicates run, nor on how many
    /// run at once, nor on the number of threads inside one (LANDSLIDE_THREADS=1 runs every loop on one).
    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func replicateDependsOnSeedAndIndexAlone() throws {
        let dir = try TemporaryDirectory()
        let base = ["--study", "Experiments/studies/loja.yaml", "--seed", "7", "--quick"]
        try Self.run("model-comparison", base + ["--replicates", "2", "--jobs", "2", "--out", dir.path("two")])
        try Self.run("model-comparison", base + ["--replicates", "2", "--jobs", "1", "--out", dir.path("serial")], threads: 1)
        try Self.run("model-comparison", base + ["--replicates", "1", "--out", dir.path("one")])
        let two0 = try Self.replicate(dir.path("two"), 0), two1 = try Self.replicate(dir.path("two"), 1)
        #expect(two0 == (try Self.replicate(dir.path("serial"), 0)), "replicate 0 differs between 2 jobs and 1 job on one thread")
        #expect(two1 == (try Self.replicate(dir.path("serial"), 1)), "replicate 1 differs between 2 jobs and 1 job on one thread")
        #expect(two0 == (try Self.replicate(dir.path("one"), 0)), "replicate 0 differs between 2 replicates and 1")
        #expect(two0 != two1, "two replicates gave identical results: they did not redraw")
        // The merged file: replicate k's value is values[k].
        let merged = try Self.results(dir.path("two/results.json"))
        let cnn = try #require((merged["models"] as? [[String: Any]])?.first { $0["model"] as? String == "CNN" })
        let auc = try #require(cnn["auc_common_test"] as? [String: Any])
        let k1 = try #require((two1["models"] as? [[String: Any]])?.first { $0["model"] as? String == "CNN" })
        #expect((auc["values"] as? [Double])?.last == k1["auc_common_test"] as? Double)
    }

    /// The issue's acceptance: a quick model comparison on a mis-specified twin with three replicates writes
    /// three replicate folders, AUCs as mean, SD, 95 % interval, n and values, a truth-scored AUC per model,
    /// and paired differences with DeLong's test.
    @Test func modelComparisonOnATwinWithThreeReplicates() throws {
        let dir = try TemporaryDirectory()
        try Self.run("landslide", ["twin", "--out", dir.path("twin"), "--misspecify", "inventory-bias"])
        try Self.run("model-comparison", ["--study", dir.path("twin/twin.yaml"), "--quick", "--replicates", "3",
                                          "--out", dir.path("mc")])
        for k in 0..<3 {
            #expect(FileManager.default.fileExists(atPath: dir.path("mc/replicates/\(k)/results.json")))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("mc/replicates/3")))
        let r = try Self.results(dir.path("mc/results.json"))
        let models = try #require(r["models"] as? [[String: Any]])
        #expect(models.count == 6)
        for m in models {
            for key in ["auc_study_protocol", "auc_common_test", "auc_spatial_test", "auc_truth"] {
                let e = try #require(m[key] as? [String: Any], "\(m["model"] ?? "?") \(key) is not a replicated entry")
                let values = try #require(e["values"] as? [Double])
                let ci = try #require(e["ci95"] as? [Double])
                let mean = try #require(e["mean"] as? Double)
                #expect(values.count == 3 && e["n"] as? Int == 3 && e["sd"] is Double)
                #expect(abs(mean - values.reduce(0, +) / 3) < 1e-12 && ci[0] <= mean && mean <= ci[1])
                // Every AUC is one; on average over the replicates each model ranks better than chance (a single
                // replicate of a quick network on a held-out spatial block may fall to chance).
                #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 } && mean > 0.5, "\(m["model"] ?? "?") \(key): \(values)")
            }
            #expect((m["truth_unstable_percent_by_class"] as? [Any])?.count == 5)
        }
        // The PPM's map does not change between replicates: its truth AUC is one number three times.
        let ppm = try #require(models.first { $0["model"] as? String == "PPM" }?["auc_truth"] as? [String: Any])
        #expect(Set(ppm["values"] as? [Double] ?? []).count == 1)
        let pairs = try #require(r["paired_common_test"] as? [[String: Any]])
        #expect(pairs.count == 15)
        let p = try #require(pairs.first)
        #expect((p["difference"] as? [String: Any])?["n"] as? Int == 3 && (p["delong_p_value"] as? [String: Any])?["n"] as? Int == 3)
        #expect((r["replicates"] as? [String: Any])?["n"] as? Int == 3)
        for f in ["auc-bars.png", "roc-panels.png", "truth-auc.png", "susceptibility-maps.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("mc/\(f)")), "\(f) missing")
        }
    }
}

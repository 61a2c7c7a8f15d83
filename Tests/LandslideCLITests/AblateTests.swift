import Foundation
import Testing
import TestSupport

/// Issue G5's acceptance: `ablate` on a twin, varying the POF threshold, with two replicates.
@Suite(.serialized)
struct AblateTests {
    static func results(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func pofThresholdAblationOnTheTwin() throws {
        let dir = try TemporaryDirectory()
        try TileTests.run(TileTests.binary("landslide"), ["twin", "--out", dir.path("twin")])
        let arguments = ["--study", dir.path("twin/twin.yaml"), "--experiment", "model-comparison",
                         "--vary", "sampler.pof_threshold=0.3,0.7", "--replicates", "2", "--quick", "--out", dir.path("ab")]
        let first = try TileTests.run(TileTests.binary("ablate"), arguments)
        // report.md: a row per threshold and model, each with intervals; a main-effect figure.
        let report = try String(contentsOfFile: dir.path("ab/report.md"), encoding: .utf8)
        #expect(first.stdout.contains("| 0.3 | PPM-CNN(Y1) |") && first.stdout.contains("| 0.7 | PPM-CNN(Y1) |"))
        for threshold in ["0.3", "0.7"] { for model in ["CNN", "PPM", "PPM-CNN(N)", "PPM-CNN(Y1)", "PPM-CNN(Y2)", "GLM"] {
            let row = report.split(separator: "\n").first { $0.hasPrefix("| \(threshold) | \(model) |") }
            #expect(row?.contains("[") == true, "no row with an interval for \(model) at \(threshold)")
        } }
        #expect(report.contains("What moves the result"))
        let html = try String(contentsOfFile: dir.path("ab/report.html"), encoding: .utf8)
        #expect(html.contains("<table") && html.contains("effect-sampler-pof_threshold.png"), "report.html lacks the table or the figure")
        for ext in ["png", "pdf"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("ab/effect-sampler-pof_threshold.\(ext)")))
        }
        // The threshold reaches the sampler: PPM-CNN(Y1)'s candidate cells differ between the points.
        func candidates(_ point: String) throws -> Int? {
            let r = try Self.results(dir.path("ab/points/\(point)/run/results.json"))["results"] as? [String: Any]
            return (r?["models"] as? [[String: Any]])?.first { $0["model"] as? String == "PPM-CNN(Y1)" }?["candidate_cells"] as? Int
        }
        let low = try #require(try candidates("p001")), high = try #require(try candidates("p002"))
        #expect(low < high, "candidates at POF < 0.3: \(low), at POF < 0.7: \(high)")
        // The claim at each level, in one chart.
        #expect(FileManager.default.fileExists(atPath: dir.path("ab/claim-by-level.png")))
        // The paper's ablation section takes its numbers from results.json: the paired difference
        // PPM-CNN(Y1) − CNN at each threshold, with its interval and verdict, as the row says.
        let doc = try Self.results(dir.path("ab/results.json"))
        let effect = try #require((doc["effects"] as? [[String: Any]])?.first)
        let claims = try #require((effect["claim"] as? [String: Any])?["by_level"] as? [[String: Any]])
        try FileManager.default.createDirectory(atPath: dir.path("figures/ablations/twin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path("figures/ablations/twin/settings"), withDestinationPath: dir.path("ab"))
        try TileTests.run(TileTests.binary("paper-build"), ["--figures", dir.path("figures"), "--out", dir.path("paper")])
        let paper = try String(contentsOfFile: dir.path("paper/paper.md"), encoding: .utf8)
        for claim in claims {
            let d = try #require(claim["difference"] as? [String: Any])
            let mean = try #require(d["mean"] as? Double), ci = try #require(d["ci95"] as? [Double])
            let cell = [mean, ci[0], ci[1]].map { String(format: "%.3f", $0).replacingOccurrences(of: "-", with: "−") }
            let row = paper.split(separator: "\n").first { $0.hasPrefix("| sampler | `sampler.pof_threshold` | \(claim["level"]!) ") }
            #expect(row?.contains("\(cell[0]) [\(cell[1]), \(cell[2])] | \(claim["verdict"]!) |") == true,
                    "paper row \(row ?? "missing") lacks \(cell) \(claim["verdict"]!)")
        }
        // The same command again gives the same results.json (its replicates are kept).
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.path("ab/results.json")))
        try TileTests.run(TileTests.binary("ablate"), arguments)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("ab/results.json"))) == before)
    }

    /// `negatives.ratio` (`--negatives-per-landslide`) reaches the sampler: every CNN draws twice as many
    /// negatives as it has training landslides.
    @Test func negativesRatioReachesTheSampler() throws {
        let dir = try TemporaryDirectory()
        try TileTests.run(TileTests.binary("landslide"), ["twin", "--out", dir.path("twin")])
        try TileTests.run(TileTests.binary("model-comparison"), ["--study", dir.path("twin/twin.yaml"), "--quick",
                                                                  "--negatives-per-landslide", "2", "--out", dir.path("mc")])
        let r = try #require(try Self.results(dir.path("mc/results.json"))["results"] as? [String: Any])
        let training = try #require(r["landslides"] as? Int) - (try #require(r["held_out_landslides"] as? Int))
        let cnns = (r["models"] as? [[String: Any]] ?? []).filter { ($0["model"] as? String)?.contains("CNN") == true }
        #expect(cnns.count == 4 && cnns.allSatisfy { $0["negatives"] as? Int == 2 * training }, "\(cnns.map { $0["negatives"] ?? "?" })")
    }

    @Test func unknownKeyIsRefusedBeforeAnythingRuns() throws {
        let dir = try TemporaryDirectory()
        let r = try runProcess(TileTests.binary("ablate"), ["--study", "Experiments/studies/loja.yaml", "--vary", "cnn.colour=red",
                                                            "--out", dir.path("ab")], currentDirectory: TestPaths.repositoryRoot)
        #expect(r.status != 0 && r.stderr.contains("unknown key 'cnn.colour'"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("ab")))
    }
}

import Foundation
import PublishedNumbers
import Testing
import TestSupport

/// Every experiment end to end in --quick mode on Loja (release builds: `make test` builds them),
/// with its key metrics held to references recorded over five seeds by
/// scripts/measure-quick-spread.py (Tests/StudyTests/Fixtures/quick_references.json): a fresh run
/// (seed 11, not among the five) must lie in the 99.8 % prediction interval of a new seed, mean ±
/// t(0.999, n − 1) · s · √(1 + 1/n) (normal theory; with n = 5 that is ± 7.9 s), or ± 0.02 where the
/// seeds barely differ (the PPM's class shares do not depend on the seed at all). A broken sampler,
/// network or metric moves these by far more.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"), .serialized)
struct ExperimentQuickTests {
    struct Reference: Decodable { let values: [Double]; let mean: Double; let sd: Double }
    struct File: Decodable { let experiments: [String: [String: Reference]] }
    static let references: File = {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/StudyTests/Fixtures/quick_references.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    /// Student's t, one-sided 0.999 quantile, by degrees of freedom.
    static let t999: [Int: Double] = [4: 7.173, 5: 5.893, 6: 5.208, 7: 4.785, 8: 4.501, 9: 4.297, 10: 4.144]

    static func binary(_ name: String) -> String { TestPaths.repositoryRoot.appendingPathComponent(".build/release/\(name)").path }

    static func run(_ experiment: String, seed: Int = 11, in dir: TemporaryDirectory,
                    extra: [String] = []) throws -> [String: Any] {
        let bin = binary(experiment)
        try #require(FileManager.default.isExecutableFile(atPath: bin), "\(bin) missing: `make test` builds it (swift build -c release)")
        let out = dir.path(experiment)
        let r = try runProcess(bin, ["--study", "Experiments/studies/loja.yaml", "--seed", String(seed), "--quick", "--out", out]
                                   + extra, currentDirectory: TestPaths.repositoryRoot)
        try #require(r.status == 0, "\(experiment) failed: \(r.stderr.suffix(600))")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as! [String: Any]
        return doc["results"] as! [String: Any]
    }

    /// A number, or the mean of a replicated entry ({"mean", "sd", "ci95", "n", "values"}).
    static func value(_ x: Any?) -> Double {
        if let d = x as? [String: Any] { return value(d["mean"]) }
        return (x as? Double) ?? (x as? NSNumber)?.doubleValue ?? .nan
    }

    /// The same metrics as scripts/measure-quick-spread.py extracts.
    static func metrics(_ experiment: String, _ r: [String: Any]) -> [String: Double] {
        func rows(_ key: String) -> [[String: Any]] { r[key] as? [[String: Any]] ?? [] }
        func by(_ key: String, _ field: String) -> [String: [String: Any]] {
            Dictionary(rows(key).map { (($0[field] as? String) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        }
        switch experiment {
        case "model-comparison":
            let m = by("models", "model")
            return ["ppm_auc_common": value(m["PPM"]?["auc_common_test"]), "glm_auc_common": value(m["GLM"]?["auc_common_test"]),
                    "cnn_auc_common": value(m["CNN"]?["auc_common_test"]), "y1_auc_common": value(m["PPM-CNN(Y1)"]?["auc_common_test"])]
        case "cov-sweep", "correlation-grid":
            let ppm = rows("tables").filter { $0["model"] as? String == "PPM" }
            let cnn = rows("tables").filter { $0["model"] as? String == "PPM-CNN" }
            let area = { (row: [String: Any]) in value((row["percent_area"] as? [Any])?[4]) }
            return ["ppm_very_high_area_first": area(ppm.first!), "ppm_very_high_area_last": area(ppm.last!),
                    "ppm_cnn_auc_common_mean": cnn.map { value($0["auc_common_test"]) }.reduce(0, +) / Double(cnn.count)]
        case "sampler-comparison":
            let s = Dictionary(rows("samplers").map { (String(($0["sampler"] as? String ?? "").split(separator: " ")[0]), $0) },
                               uniquingKeysWith: { a, _ in a })
            return ["random_auc_common": value(s["random"]?["auc_common_test"]),
                    "iv_auc_protocol": value(s["information"]?["auc_study_protocol"])]
        case "network-comparison":
            let n = by("networks", "model")
            return ["cnn_auc_protocol": value((n["CNN"]?["study_protocol"] as? [String: Any])?["auc"]),
                    "bp_auc_common": value((n["BP"]?["common_test"] as? [String: Any])?["auc"])]
        default:
            let runs = rows("runs")
            return ["mean_auc_common": runs.map { value($0["auc_common_test"]) }.reduce(0, +) / Double(runs.count)]
        }
    }

    @Test(arguments: ["model-comparison", "cov-sweep", "correlation-grid", "sampler-comparison", "network-comparison",
                      "structure-sensitivity"])
    func quickRunMatchesTheRecordedSpread(experiment: String) throws {
        let dir = try TemporaryDirectory()
        let got = try Self.metrics(experiment, Self.run(experiment, in: dir))
        let refs = try #require(Self.references.experiments[experiment])
        for (name, ref) in refs {
            let v = try #require(got[name], "\(experiment): no \(name)")
            let n = Double(ref.values.count)
            let tolerance = max(Self.t999[ref.values.count - 1, default: 4.0] * ref.sd * (1 + 1 / n).squareRoot(), 0.02)
            #expect(abs(v - ref.mean) <= tolerance,
                    "\(experiment) \(name) = \(v); five seeds gave \(ref.values) (mean \(ref.mean), SD \(ref.sd), tolerance \(tolerance))")
        }
        #expect(FileManager.default.fileExists(atPath: dir.path("\(experiment)/results.json")))
        // The susceptibility maps as GeoTIFF, as GDAL reads them: the DEM's grid and CRS, nodata off the analysed cells.
        if let models = ["model-comparison": 6, "network-comparison": 3, "sampler-comparison": 5][experiment] {
            func gdalinfo(_ path: String) throws -> [String: Any] {
                let r = try runProcess("gdalinfo", ["-json", path])
                try #require(r.status == 0, "gdalinfo \(path): \(r.stderr)")
                return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            }
            let dem = try gdalinfo(TestPaths.loja("dem.tif"))
            let maps = try FileManager.default.contentsOfDirectory(atPath: dir.path("\(experiment)/maps")).filter { $0.hasSuffix(".tif") }
            #expect(maps.count == models, "\(experiment) wrote \(maps.sorted())")
            for map in maps {
                let info = try gdalinfo(dir.path("\(experiment)/maps/\(map)"))
                #expect(info["size"] as? [Int] == dem["size"] as? [Int] && info["geoTransform"] as? [Double] == dem["geoTransform"] as? [Double])
                let wkt = ((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String) ?? ""
                #expect(wkt.contains("ID[\"EPSG\",32717]"), "\(map): CRS \(wkt.prefix(80))")
                let band = try #require((info["bands"] as? [[String: Any]])?.first)
                #expect(band["noDataValue"] as? Double == -9999 && band["type"] as? String == "Float32")
            }
        }
        // Every output the coverage file credits to this experiment is one it writes.
        let coverage = try Coverage.load(TestPaths.repositoryRoot.appendingPathComponent("Experiments/published/coverage.yaml").path)
        for (paper, entries) in [("Study A", coverage.studyA), ("Study B", coverage.studyB)] {
            for entry in entries where entry.experiment == experiment {
                for output in entry.outputs ?? [] {
                    #expect(FileManager.default.fileExists(atPath: dir.path("\(experiment)/\(output)")),
                            "\(paper) \(entry.item): coverage names \(experiment)/\(output), which the run did not write")
                }
            }
        }
    }

    /// Same seed ⇒ identical results JSON apart from provenance time and run time, for every experiment.
    @Test(arguments: ["model-comparison", "cov-sweep", "correlation-grid", "sampler-comparison", "network-comparison",
                      "structure-sensitivity"])
    func sameSeedSameResults(experiment: String) throws {
        func stripped() throws -> NSDictionary {
            var r = try Self.run(experiment, seed: 4, in: TemporaryDirectory())
            r["seconds"] = nil
            r["stages"] = nil  // where the run time went
            r["replicates"] = nil  // the replicates' run times
            return r as NSDictionary
        }
        #expect(try stripped() == stripped(), "\(experiment): two runs with seed 4 differ")
    }

    /// Loja's POF ≥ 0.9 patches do not survive a 3 × 3 opening, so PPM-CNN(Y2)'s candidates are the random
    /// sampler's: the run must report the overlap and say it, in results.json and on the console.
    @Test func y2ReportsThatItIsTheRandomSampler() throws {
        let r = try Self.run("model-comparison", seed: 4, in: TemporaryDirectory())
        let models = Dictionary((r["models"] as? [[String: Any]] ?? []).map { (($0["model"] as? String) ?? "", $0) },
                                uniquingKeysWith: { a, _ in a })
        let y2 = try #require(models["PPM-CNN(Y2)"]?["overlap_with_random"] as? [String: Any])
        let cnn = try #require(models["CNN"]?["overlap_with_random"] as? [String: Any])
        #expect(y2["equals_random"] as? Bool == true && Self.value(y2["random_cells_excluded"]) == 0)
        #expect(Self.value(y2["candidate_cells"]) == Self.value(cnn["candidate_cells"]))
        let y1 = try #require(models["PPM-CNN(Y1)"]?["overlap_with_random"] as? [String: Any])
        #expect(y1["equals_random"] as? Bool == false && Self.value(y1["random_cells_excluded"]) > 0)
        let statements = r["statements"] as? [String] ?? []
        #expect(statements.contains { $0.hasPrefix("PPM-CNN(Y2)'s candidate set equals the random sampler's") })
    }

    /// Study A's fixed choices are settings: the POF as a 7th channel reaches the CNN, the profile the PPM,
    /// and the results say which were used.
    @Test func studyASettingsReachTheRun() throws {
        let r = try Self.run("model-comparison", seed: 4, in: TemporaryDirectory(),
                             extra: ["--pof-channel", "--profile", "b", "--no-clean-map"])
        let channels = r["channels"] as? [String] ?? []
        #expect(channels == ["slope", "aspect", "elevation", "d8", "soil_depth", "pof"])
        let settings = r["study_a"] as? [String: Any] ?? [:]
        #expect(settings["profile"] as? String == "b" && settings["pof_channel"] as? Bool == true
                && settings["clean_output_map"] as? Bool == false)
        let deviations = (r["deviations"] as? [[String: Any]] ?? []).map { $0["item"] as? String ?? "" }
        #expect(deviations.contains("CNN input channels"))
    }

    /// Each model draws from its own stream: changing the PPM (scenario UL: lognormal strengths) changes the
    /// PPM and the PPM-CNNs but leaves the CNN with random negatives and the GLM exactly as they were.
    @Test func modelsDoNotShareRandomness() throws {
        func models(_ extra: [String]) throws -> [String: [String: Any]] {
            let r = try Self.run("model-comparison", seed: 4, in: TemporaryDirectory(), extra: extra)
            let rows = r["models"] as? [[String: Any]] ?? []
            return Dictionary(rows.map { (($0["model"] as? String) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        }
        let base = try models([]), other = try models(["--scenario", "UL"])
        for name in ["CNN", "GLM"] {
            for field in ["auc_study_protocol", "auc_common_test"] {
                #expect(Self.value(base[name]?[field]) == Self.value(other[name]?[field]), "\(name) \(field)")
            }
        }
        #expect(Self.value(base["PPM"]?["auc_common_test"]) != Self.value(other["PPM"]?["auc_common_test"]))
    }
}

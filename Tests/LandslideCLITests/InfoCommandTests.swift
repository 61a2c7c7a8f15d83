import Foundation
import GeoRaster
import Testing
import TestSupport

/// The built `landslide` executable, beside the test bundle (or `$LANDSLIDE_BIN`).
let landslideBinary: String = {
    if let bin = ProcessInfo.processInfo.environment["LANDSLIDE_BIN"], !bin.isEmpty { return bin }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("landslide").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return TestPaths.repositoryRoot.appendingPathComponent(".build/debug/landslide").path
}()

func landslide(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(landslideBinary, arguments, currentDirectory: TestPaths.repositoryRoot)
}

/// `landslide info` on the real Loja data, as the issue's acceptance criteria state it.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct InfoCommandTests {
    @Test func reportsLojaAsDescribed() throws {
        let result = try landslide(["info", "Experiments/studies/loja.yaml"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let out = result.stdout
        #expect(out.contains("383 × 415 cells (columns × rows), 10 m cells"))
        #expect(out.contains("EPSG:32717"))
        #expect(out.contains("158,326 of 158,945"))
        #expect(out.contains("175: 175 inside the grid on valid cells, 0 outside the grid"))
        #expect(out.contains("175 landslides, 1,360 non-landslides"))
        #expect(out.contains("9.58 km²"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonReportCarriesProvenance() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("info.json")
        let result = try landslide(["info", "Experiments/studies/loja.yaml", "--json", "--out", out])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let printed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let results = try #require(written?["results"] as? [String: Any])
        let dem = try #require(results["dem"] as? [String: Any])
        #expect(dem["valid_cells"] as? Int == 158_326)
        #expect(dem["epsg"] as? Int == 32717)
        let evaluation = try #require(results["evaluation_points"] as? [String: Any])
        #expect(evaluation["non_landslides"] as? Int == 1_360)
        let provenance = try #require(written?["provenance"] as? [String: Any])
        let digest = try runProcess("sha256sum", [TestPaths.lojaConfig]).stdout.prefix(64)
        #expect(provenance["config_digest"] as? String == String(digest))
        #expect(provenance["seed"] as? Int == 20_240_805)
        #expect((provenance["git_commit"] as? String).map { $0 == "unknown" || $0.count == 40 } == true)
        #expect(printed?["results"] != nil)
    }

    @Test(arguments: [["--help"], ["info", "--help"], ["help", "info"]])
    func helpIsAvailable(arguments: [String]) throws {
        let result = try landslide(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE:"))
    }
}

/// Bad input: each case gives one line `error: …` naming the file or key and what is expected,
/// a non-zero exit, and leaves no output file.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct BadInputTests {
    /// Writes loja.yaml edited by `edit` into `dir` and runs `info` on it with `--out`.
    func runInfo(_ dir: TemporaryDirectory, config: String? = nil,
                 _ edit: (String) -> String = { $0 }) throws -> (ProcessResult, String) {
        let text = edit(try TestPaths.lojaConfigText())
        let path = try config ?? dir.write(text, to: "study.yaml")
        let out = dir.path("report.json")
        let result = try landslide(["info", path, "--data-root", TestPaths.dataRoot.path, "--out", out])
        return (result, out)
    }

    func expectFailure(_ result: ProcessResult, out: String, mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        for fragment in mentions {
            #expect(result.stderr.contains(fragment), "'\(result.stderr)' should mention '\(fragment)'",
                    sourceLocation: sourceLocation)
        }
        #expect(!FileManager.default.fileExists(atPath: out), "no output left behind", sourceLocation: sourceLocation)
    }

    @Test func missingConfigFile() throws {
        let dir = try TemporaryDirectory()
        let (result, out) = try runInfo(dir, config: dir.path("absent.yaml"))
        expectFailure(result, out: out, mentions: ["absent.yaml", "file not found"])
    }

    @Test func missingDEMFile() throws {
        let dir = try TemporaryDirectory()
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "loja/dem.tif", with: "loja/gone.tif") }
        expectFailure(result, out: out, mentions: ["study.yaml:", "dem:", "gone.tif", "not found"])
    }

    @Test func demThatIsNotARaster() throws {
        let dir = try TemporaryDirectory()
        let fake = try dir.write("elevation,1,2,3\n", to: "fake_dem.tif")
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "loja/dem.tif", with: fake) }
        expectFailure(result, out: out, mentions: [fake, "not a raster"])
    }

    @Test func misalignedLayer() throws {
        let dir = try TemporaryDirectory()
        var cplan = try RasterIO.read(TestPaths.loja("cplan.tif"), as: Float.self)
        cplan.geoTransform.originX += 12.5
        let shifted = dir.path("cplan_shifted.tif")
        try RasterIO.writeGeoTIFF(cplan, to: shifted)
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "loja/cplan.tif", with: shifted) }
        expectFailure(result, out: out, mentions: [shifted, "dem.tif", "not aligned", "origin"])
    }

    @Test func unknownYAMLKey() throws {
        let dir = try TemporaryDirectory()
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "\nseed:", with: "\nsead: 1\nseed:") }
        expectFailure(result, out: out, mentions: ["study.yaml:", "sead", "unknown key", "allowed here"])
    }

    @Test func outOfRangeParameter() throws {
        let dir = try TemporaryDirectory()
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "{mean: 0.12,", with: "{mean: -0.3,") }
        expectFailure(result, out: out, mentions: ["parameters.porosity.mean", "-0.3", "0 < n < 1"])
    }

    @Test func inventoryWithNoPointInsideTheGrid() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("x,y,lslpts\n700000,9500000,1\n", to: "elsewhere.csv")
        let (result, out) = try runInfo(dir) {
            $0.replacingOccurrences(of: "path: loja/landslides.csv", with: "path: \(csv)")
        }
        expectFailure(result, out: out, mentions: [csv, "none of its 1 points"])
    }

    @Test func demThatIsAllNodata() throws {
        let dir = try TemporaryDirectory()
        var dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        dem.values = [Float](repeating: -9999, count: dem.count)
        let blank = dir.path("blank_dem.tif")
        try RasterIO.writeGeoTIFF(dem, to: blank)
        // Layers are aligned with the real DEM, hence with this one too.
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "loja/dem.tif", with: blank) }
        expectFailure(result, out: out, mentions: [blank, "every cell is nodata"])
    }

    /// An inventory with a header and no row leaves nothing to sample, train or evaluate on.
    @Test func emptyInventory() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("x,y,lslpts\n", to: "empty.csv")
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "path: loja/landslides.csv", with: "path: \(csv)") }
        expectFailure(result, out: out, mentions: [csv, "holds no landslide"])
    }

    /// `info` refuses what `ppm` would: a time after the storm's end (it was evaluated at the end) ...
    @Test func evaluationTimeAfterTheStorm() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: TestPaths.repositoryRoot.appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path,
                                         toPath: dir.path("storm_2013-07-21_reconstructed.csv"))
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "evaluate_at_h: 9", with: "evaluate_at_h: 900") }
        expectFailure(result, out: out, mentions: ["study.yaml", "rainfall.evaluate_at_h", "900.0 h is after the end of the storm",
                                                   "(18.0 h)"])
    }

    /// ... and correlations that no joint distribution has, naming the key and the pair to look at.
    @Test func inconsistentCorrelations() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: TestPaths.repositoryRoot.appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path,
                                         toPath: dir.path("storm_2013-07-21_reconstructed.csv"))
        let (result, out) = try runInfo(dir) {
            $0.replacingOccurrences(of: "correlations: []", with: """
                correlations:
                  - {a: cohesion_kPa, b: friction_angle_deg, rho: -0.9}
                  - {a: cohesion_kPa, b: porosity, rho: 0.9}
                  - {a: friction_angle_deg, b: porosity, rho: 0.9}
                """)
        }
        expectFailure(result, out: out, mentions: ["study.yaml", "correlations", "not positive definite",
                                                   "check cohesion_kPa–friction_angle_deg (ρ = -0.90)"])
    }

    /// `--out` on a device (or a folder) is refused: the write-and-rename used to replace /dev/full by a file.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")),
          arguments: [["info", "Experiments/studies/loja.yaml"],
                      ["train", "Experiments/studies/loja.yaml", "--negatives", "50", "--quiet"],
                      ["sample", "Experiments/studies/loja.yaml", "--sampler", "random"]])
    func outputOnADeviceIsRefused(command: [String]) throws {
        for target in ["/dev/full", FileManager.default.temporaryDirectory.path] {
            let r = try landslide(command + ["--out", target])
            #expect(r.status != 0)
            #expect(r.stderr.hasPrefix("error: \(target): could not write (it is a \(target == "/dev/full" ? "device" : "folder")"),
                    "stderr: \(r.stderr)")
        }
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/full")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial, "/dev/full is no longer a device")
    }

    /// YAML errors name their line: a duplicated key the line of its second occurrence (and the first),
    /// a syntax error where the parser stopped.
    @Test func yamlErrorsNameTheLine() throws {
        let dir = try TemporaryDirectory()
        let text = try TestPaths.lojaConfigText()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let seedLine = try #require(lines.firstIndex { $0.hasPrefix("seed:") }) + 1
        let porosityLine = try #require(lines.firstIndex { $0.hasPrefix("  porosity:") }) + 1
        let (twice, out1) = try runInfo(dir) { $0.replacingOccurrences(of: "\nseed:", with: "\nseed: 5\nseed:") }
        expectFailure(twice, out: out1, mentions: ["study.yaml:\(seedLine + 1): seed: appears twice in the same mapping (first on line \(seedLine))"])
        let (nested, out2) = try runInfo(dir) {
            $0.replacingOccurrences(of: "\n  porosity:", with: "\n  porosity: {mean: 0.2, cov: 0.1, distribution: normal}\n  porosity:")
        }
        expectFailure(nested, out: out2, mentions: ["study.yaml:\(porosityLine + 1): porosity: appears twice (first on line \(porosityLine))"
                                                     .replacingOccurrences(of: "twice (", with: "twice in the same mapping (")])
        let (syntax, out3) = try runInfo(dir) { $0.replacingOccurrences(of: "\nseed: ", with: "\nseed: [") }
        expectFailure(syntax, out: out3, mentions: ["study.yaml:\(seedLine + 1): not valid YAML: did not find expected ',' or ']'"])
    }

    /// ±infinity is no elevation: refused with the count and the first cell (it was counted as valid).
    @Test func demWithInfiniteCells() throws {
        let dir = try TemporaryDirectory()
        var dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let valid = (0..<dem.count).filter { dem.isValid(at: $0) }
        dem.values[valid[1000]] = .infinity
        dem.values[valid[2000]] = -.infinity
        let bad = dir.path("inf_dem.tif")
        try RasterIO.writeGeoTIFF(dem, to: bad)
        let (result, out) = try runInfo(dir) { $0.replacingOccurrences(of: "loja/dem.tif", with: bad) }
        expectFailure(result, out: out, mentions: [bad, "2 cells hold ±infinity",
                                                   "the first at row \(valid[1000] / dem.cols + 1), column \(valid[1000] % dem.cols + 1)",
                                                   "set those cells to the nodata value"])
    }
}

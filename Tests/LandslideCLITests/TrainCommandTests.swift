import Foundation
import GeoRaster
import Testing
import TestSupport

/// `landslide train` and `landslide map` end to end on Loja.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct TrainCommandTests {
    static func json(_ path: String) throws -> [String: Any] {
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return doc["results"] as! [String: Any]
    }

    /// The lsl-style set (175 landslides + 175 random non-landslides; SAGA slope, curvatures, elevation,
    /// log10 catchment area), GLM, 5-fold spatial CV repeated 10 times: 50 evaluations, and the same
    /// seed gives the same numbers.
    @Test func glmSpatialCrossValidationIsComplete() throws {
        let dir = try TemporaryDirectory()
        let args = ["train", "Experiments/studies/loja.yaml", "--model", "glm", "--negatives", "175", "--protocol", "spatial-cv",
                    "--repeats", "10", "--seed", "7"]
        let a = try landslide(args + ["--out", dir.path("a.json")])
        try #require(a.status == 0, "stderr: \(a.stderr)")
        #expect(a.stdout.contains("glm on loja, spatial-cv: AUC"))
        let b = try landslide(args + ["--out", dir.path("b.json")])
        try #require(b.status == 0)
        let ra = try Self.json(dir.path("a.json")), rb = try Self.json(dir.path("b.json"))
        let evaluations = ra["evaluations"] as! [[String: Any]]
        #expect(evaluations.count == 50)
        #expect(ra["landslides"] as? Int == 175 && ra["non_landslides"] as? Int == 175)
        #expect((ra["evaluations"] as! NSArray) == (rb["evaluations"] as! NSArray), "same seed, different folds or scores")
        #expect(ra["factors"] as? [String] == ["slope_saga_deg", "plan_curvature", "profile_curvature", "elevation",
                                               "log10_catchment_area_m2"])
    }

    /// Spatial CV with many small folds: folds holding one class only are dropped, and the summary says how
    /// many (the JSON's folds_planned and folds_dropped account for every fold); `--quiet` prints no line per fold.
    @Test func droppedFoldsAreCountedAndQuietPrintsOneLine() throws {
        let dir = try TemporaryDirectory()
        let r = try landslide(["train", "Experiments/studies/loja.yaml", "--model", "glm", "--negatives", "175", "--protocol",
                               "spatial-cv", "--folds", "40", "--seed", "3", "--quiet", "--out", dir.path("cv.json")])
        try #require(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("fold"), "--quiet printed: \(r.stderr.prefix(300))")
        let json = try Self.json(dir.path("cv.json"))
        let planned = try #require(json["folds_planned"] as? Int), dropped = try #require(json["folds_dropped"] as? Int)
        let evaluations = try #require(json["evaluations"] as? [[String: Any]])
        #expect(planned == 40 && evaluations.count + dropped == planned)
        #expect(dropped > 0, "40 spatial folds of 350 points: expected some with one class only")
        #expect(r.stdout.contains("\(dropped) of 40 folds dropped: one class only"), "stdout: \(r.stdout)")
    }

    /// A saved GLM maps every valid cell of the study area (Loja's polygon: 9.58 km², about 95,800 cells of
    /// 10 m, of the DEM's 158,000) and nothing outside it; at a cell the map holds the model's probability.
    @Test func savedModelMapsTheStudy() throws {
        let dir = try TemporaryDirectory()
        let t = try landslide(["train", "Experiments/studies/loja.yaml", "--model", "glm", "--negatives", "175",
                               "--save-model", dir.path("glm.json")])
        try #require(t.status == 0, "stderr: \(t.stderr)")
        let m = try landslide(["map", "Experiments/studies/loja.yaml", "--model", dir.path("glm.json"), "--out", dir.path("glm.tif")])
        try #require(m.status == 0, "stderr: \(m.stderr)")
        let grid = try RasterIO.read(dir.path("glm.tif"), as: Float.self)
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        #expect(grid.rows == dem.rows && grid.cols == dem.cols && grid.geoTransform == dem.geoTransform)
        let values = (0..<grid.count).filter { grid.isValid(at: $0) }.map { grid.values[$0] }
        #expect(abs(Double(values.count) - 95_800) / 95_800 < 0.01, "\(values.count) mapped cells")
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Independent check at one cell: recompute β·x from the model file and the layers themselves.
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("glm.json")))) as! [String: Any]
        let beta = (model["parameters"] as! [[Double]])[0], means = model["means"] as! [Double], sds = model["sds"] as! [Double]
        let layers = try ["slope.tif", "cplan.tif", "cprof.tif", "dem.tif", "log10_carea.tif"].map {
            try RasterIO.read(TestPaths.loja($0), as: Float.self)
        }
        let mapped = (0..<grid.count).filter { grid.isValid(at: $0) }
        for cell in [mapped[mapped.count / 5], mapped[mapped.count / 2], mapped[4 * mapped.count / 5]] {
            var eta = beta[0]
            for k in 0..<5 { eta += beta[k + 1] * (Double(layers[k].values[cell]) - means[k]) / sds[k] }
            #expect(abs(Double(grid.values[cell]) - 1 / (1 + exp(-eta))) < 1e-6)
        }
    }

    @Test func badInputIsReportedPlainly() throws {
        let dir = try TemporaryDirectory()
        let unknown = try landslide(["train", "Experiments/studies/loja.yaml", "--factors", "slope,soil_type", "--out", dir.path("x.json")])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown factor soil_type; known: elevation, slope_saga_deg"))
        let external = try landslide(["train", "Experiments/studies/loja.yaml", "--protocol", "external"])
        #expect(external.status != 0 && external.stderr.contains("--protocol external needs --test CSV"))
        let notAModel = try dir.write("{\"kind\": \"glm\"}", to: "bad.json")
        let map = try landslide(["map", "Experiments/studies/loja.yaml", "--model", notAModel, "--out", dir.path("m.tif")])
        #expect(map.status != 0 && map.stderr.contains("is not a model written by `landslide train --save-model`"))
        #expect(try dir.contents().sorted() == ["bad.json"])
    }

    /// A model file that decodes but cannot be scored (a mean or SD short, a zero SD, a kernel that
    /// leaves nothing of the patch) is refused, naming the file and what is
    /// wrong, before any map is written.
    @Test(arguments: [
        ("\"means\": [1.0], \"sds\": [1.0, 2.0]", "2 factors but 1 means and 2 SDs"),
        ("\"means\": [1.0, 2.0], \"sds\": [1.0, 0.0]", "factor elevation has mean 2.0 and SD 0.0"),
        ("\"means\": [1.0, 2.0], \"sds\": [1.0, 2.0], \"kind\": \"patch-cnn\", \"settings\": {\"kernel\": 7}",
         "kernel 7 leaves nothing of the 17 × 17 patch"),
    ])
    func unscorableModelFilesAreRefused(fields: String, message: String) throws {
        let dir = try TemporaryDirectory()
        var json = "{\"factors\": [\"slope_saga_deg\", \"elevation\"], \"patch\": 17, \"batch_norm\": [], " + fields
        if !fields.contains("kind") { json += ", \"kind\": \"glm\", \"settings\": {}" }
        if !fields.contains("parameters") { json += ", \"parameters\": [[0.1, 0.2, 0.3]]" }
        let path = try dir.write(json + "}", to: "model.json")
        let r = try landslide(["map", "Experiments/studies/loja.yaml", "--model", path, "--out", dir.path("m.tif")])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error: model file: \(path): \(message)"), "stderr: \(r.stderr)")
        #expect(try dir.contents() == ["model.json"])
    }

    /// More folds than one class has samples cannot give every test fold both classes: refused with the
    /// counts and the largest usable number, instead of "AUC 0 ± 0 over 0 evaluations".
    @Test func moreFoldsThanSamplesAreRefused() throws {
        let dir = try TemporaryDirectory()
        let r = try landslide(["train", "Experiments/studies/loja.yaml", "--protocol", "cv", "--folds", "10000", "--quiet",
                               "--out", dir.path("cv.json")])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: --folds 10000: ") && r.stderr.contains("has 175 landslides and 1360 non-landslides")
                && r.stderr.contains("use at most 175 folds"), "stderr: \(r.stderr)")
        #expect(try dir.contents().isEmpty)
    }

    /// Training settings that would crash, exhaust memory or train nothing are refused before anything
    /// runs, each on one line `error: …` naming the option (negative values reach the check instead of
    /// being read as options), exit status 64 (EX_USAGE), nothing written.
    @Test(arguments: [
        (["--batch-size", "0"], "--batch-size must be in 1…65,536, got 0"),
        (["--batch-size", "-3"], "--batch-size must be in 1…65,536, got -3"),
        (["--model", "patch-cnn", "--channels", "0"], "--channels must be in 1…1024, got 0"),
        (["--model", "patch-cnn", "--kernel", "100"], "--kernel 100 leaves nothing of the 17 × 17 patch"),
        (["--model", "patch-cnn", "--kernel", "6"], "--kernel 6 leaves nothing of the 17 × 17 patch"),
        (["--epochs", "0"], "--epochs must be ≥ 1, got 0"),
        (["--epochs", "-1"], "--epochs must be ≥ 1, got -1"),
        (["--learning-rate", "-1"], "--learning-rate must be a finite number > 0"),
        (["--learning-rate", "nan"], "--learning-rate must be a finite number > 0"),
        (["--learning-rate", "inf"], "--learning-rate must be a finite number > 0"),
        (["--l2", "-5"], "--l2 must be a finite number ≥ 0"),
        (["--bogus"], "Unknown option '--bogus'"),
    ])
    func impossibleSettingsAreRefusedOnOneLine(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        let r = try landslide(["train", "Experiments/studies/loja.yaml"] + arguments + ["--out", dir.path("m.json")])
        #expect(r.status == 64, "status \(r.status); stderr: \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(message), "stderr: \(r.stderr)")
        #expect(try dir.contents().isEmpty)
    }
}

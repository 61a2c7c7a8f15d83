import Foundation
import GeoRaster
import StudyCore
import Stages
import Twin
import ExperimentKit
import Susceptibility
import Testing
import TestSupport

/// The synthetic twin (issue F8): a complete study with a known truth, generated from a seed. These
/// tests use a smaller twin than the default (the debug build would take minutes over 344,320 cells);
/// `landslide twin` prints the full-size statistics.
@Suite struct TwinTests {
    static func smallOptions(seed: UInt64 = 5) -> Twin.Options {
        var o = Twin.Options()
        o.seed = seed; o.rows = 160; o.columns = 200; o.landslides = 60; o.randomPoints = 300
        return o
    }

    /// The PPM with the twin's own config (uncertainty = the planted heterogeneity: c′, φ′ normal with
    /// COV 0.2) ranks the truly unstable cells high: AUC of POF against truth_unstable.tif ≥ 0.9.
    /// (Full size, seed 20240805: AUC 0.917; the POF is the probability that a cell's own strength makes
    /// it fail, of which the truth is one draw, so no score can rank much better.)
    @Test func ppmRecoversTheTrueInstability() throws {
        let dir = try TemporaryDirectory()
        let s = try Twin.generate(Self.smallOptions(), directory: dir.path("twin"))
        #expect(s.landslides == 60 && s.unstableCells >= 60)
        let config = try StudyConfig.load(dir.path("twin/twin.yaml"))
        _ = try PPMRun.run(try StudyContext(config), options: PPMRun.Options(), outputPath: dir.path("ppm")) { _ in }
        let pof = try RasterIO.read(dir.path("ppm/pof.tif"), as: Float.self)
        let truth = try RasterIO.read(dir.path("twin/truth_unstable.tif"), as: UInt8.self)
        let cells = (0..<pof.count).filter { pof.isValid(at: $0) && truth.isValid(at: $0) }
        let roc = ROC(labels: cells.map { truth.values[$0] }, scores: cells.map { Double(pof.values[$0]) })
        #expect(roc.auc >= 0.9, "AUC of POF against the true instability: \(roc.auc)")
    }

    /// Same seed ⇒ the same files, byte for byte (apart from the GeoTIFFs' creation time); another seed
    /// ⇒ another basin. Every landslide lies within 1.5 cells of a truly unstable cell.
    @Test func twinIsDeterministicAndItsLandslidesAreTrue() throws {
        let dir = try TemporaryDirectory()
        let a = try Twin.generate(Self.smallOptions(), directory: dir.path("a"))
        _ = try Twin.generate(Self.smallOptions(), directory: dir.path("b"))
        _ = try Twin.generate(Self.smallOptions(seed: 6), directory: dir.path("c"))
        for f in ["landslides.csv", "evaluation_points.csv", "twin.yaml", "storm.csv"] {
            #expect(FileManager.default.contents(atPath: dir.path("a/\(f)")) == FileManager.default.contents(atPath: dir.path("b/\(f)")))
        }
        let demA = try RasterIO.read(dir.path("a/dem.tif"), as: Float.self), demB = try RasterIO.read(dir.path("b/dem.tif"), as: Float.self)
        let demC = try RasterIO.read(dir.path("c/dem.tif"), as: Float.self)
        #expect(demA.values == demB.values && demA.values != demC.values)
        // Elevations on Study A's range with its mean.
        #expect(abs(a.elevationMinM - 1416) < 0.01 && abs(a.elevationMaxM - 2138) < 0.01 && abs(a.elevationMeanM - 1777) < 1)
        let truth = try RasterIO.read(dir.path("a/truth_unstable.tif"), as: UInt8.self)
        let points = try VectorIO.readPoints(dir.path("a/landslides.csv"), options: PointReadOptions(assumedCRS: demA.crs))
        #expect(points.points.count == 60)
        for p in points.points {
            let cell = try #require(demA.cell(containingX: p.x, y: p.y))
            var near = false
            for dr in -2...2 { for dc in -2...2 {
                let r = cell.row + dr, c = cell.col + dc
                if r >= 0, r < demA.rows, c >= 0, c < demA.cols, truth.values[r * demA.cols + c] == 1 { near = true }
            } }
            #expect(near, "landslide at \(p.x), \(p.y) is not within 2 cells of an unstable cell")
        }
    }

    @Test func embeddedStormIsTheShippedReconstruction() throws {
        let file = try String(contentsOfFile: TestPaths.repositoryRoot.appendingPathComponent(
            "Experiments/studies/storm_2013-07-21_reconstructed.csv").path, encoding: .utf8)
        let data = file.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let embedded = Twin.stormCSV.split(separator: "\n").filter { !$0.isEmpty }
        #expect(data == embedded)
    }
}

/// Issue F8: the model comparison runs end to end on the twin in quick mode.
@Suite struct TwinModelComparisonTests {
    @Test func modelComparisonRunsOnTheTwin() throws {
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions(seed: 8)
        o.landslides = 80
        _ = try Twin.generate(o, directory: dir.path("twin"))
        let config = try StudyConfig.load(dir.path("twin/twin.yaml"))
        var options = ModelComparison.Options()
        options.quick = true
        options.seed = 3
        let r = try ModelComparison.run(try StudyContext(config), options: options, outputDirectory: dir.path("mc"))
        #expect(r.models.map(\.model) == ["CNN", "PPM", "PPM-CNN(N)", "PPM-CNN(Y1)", "PPM-CNN(Y2)", "GLM"])
        #expect(r.landslides >= 70 && r.heldOutLandslides == Int((Double(r.landslides) * 0.3).rounded()))
        // Known truth: the landslides sit on cells whose own strength fails, so the PPM (whose
        // uncertainty is the planted heterogeneity) ranks the held-out ones above random points. Its
        // common-test AUC on the full twin is 0.87; a small twin's 24 held-out landslides leave it an
        // SE of ≈ 0.04, so 0.7 is a 4-SE floor.
        let ppm = try #require(r.models.first { $0.model == "PPM" })
        #expect(ppm.aucCommonTest >= 0.7, "PPM common-test AUC \(ppm.aucCommonTest)")
        for f in ["results.json", "roc-study-protocol.png", "roc-common-test.pdf", "auc-bars.png", "susceptibility-maps.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("mc/\(f)")), "missing \(f)")
        }
    }
}

import Foundation
import GeoRaster
import Testing
import TestSupport

/// With `SOURCE_DATE_EPOCH` set, a run is repeatable byte for byte, and the number of threads does not
/// change a single byte: `ppm` and a quick experiment, each run on one thread and on two, write
/// identical files (GeoTIFFs, JSON, PNG and PDF figures).
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct ReproducibleRunTests {
    static func release(_ name: String) -> String {
        TestPaths.repositoryRoot.appendingPathComponent(".build/release/\(name)").path
    }

    /// Runs `program arguments… --threads n --out run` in a fresh folder per thread count and returns the
    /// two folders (the same relative output path, so that logs naming it agree too).
    static func runTwice(_ program: String, _ arguments: [String]) throws -> (TemporaryDirectory, TemporaryDirectory) {
        try #require(FileManager.default.isExecutableFile(atPath: program), "\(program) missing: `make test` builds it")
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "1700000000"
        environment["LANDSLIDE_DATA_ROOT"] = TestPaths.dataRoot.path
        let one = try TemporaryDirectory(), two = try TemporaryDirectory()
        for (dir, threads) in [(one, "1"), (two, "2")] {
            let r = try runProcess(program, arguments + ["--threads", threads, "--out", "run"], environment: environment,
                                   currentDirectory: dir.url)
            try #require(r.status == 0, "\(program) --threads \(threads): \(r.stderr.suffix(800))")
        }
        return (one, two)
    }

    /// Every file under `run` in both folders, compared byte for byte.
    static func expectIdentical(_ one: TemporaryDirectory, _ two: TemporaryDirectory, atLeast: Int) throws {
        let root1 = one.url.appendingPathComponent("run").path, root2 = two.url.appendingPathComponent("run").path
        let files1 = try FileManager.default.subpathsOfDirectory(atPath: root1).filter { !isFolder("\(root1)/\($0)") }.sorted()
        let files2 = try FileManager.default.subpathsOfDirectory(atPath: root2).filter { !isFolder("\(root2)/\($0)") }.sorted()
        #expect(files1 == files2)
        #expect(files1.count >= atLeast, "\(files1)")
        for file in files1 {
            let a = FileManager.default.contents(atPath: "\(root1)/\(file)"), b = FileManager.default.contents(atPath: "\(root2)/\(file)")
            #expect(a != nil && a == b, "\(file) differs between 1 and 2 threads")
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    @Test func ppmIsByteIdenticalOnOneAndTwoThreads() throws {
        let (one, two) = try Self.runTwice(Self.release("landslide"),
                                           ["ppm", TestPaths.lojaConfig, "--check-cells", "20"])
        try Self.expectIdentical(one, two, atLeast: 17)
    }

    @Test func quickExperimentIsByteIdenticalOnOneAndTwoThreads() throws {
        let (one, two) = try Self.runTwice(Self.release("network-comparison"),
                                           ["--study", TestPaths.lojaConfig, "--quick", "--seed", "3"])
        try Self.expectIdentical(one, two, atLeast: 30)
    }
}

/// `landslide ppm --reliability importance-sampling` (issue G9): pof is the sampled estimate to the COV
/// target, pof_form.tif is FORM's map as a FORM run writes it (bit for bit), pof_se.tif the standard
/// errors, and ppm.json compares the two methods. On one band of Loja (a tile), with the release build.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct ImportanceSamplingMapTests {
    @Test func sampledMapBesideFORMs() throws {
        let bin = ReproducibleRunTests.release("landslide")
        try #require(FileManager.default.isExecutableFile(atPath: bin), "\(bin) missing: `make test` builds it")
        let dir = try TemporaryDirectory()
        for (name, extra) in [("form", [String]()), ("is", ["--reliability", "importance-sampling", "--max-samples", "20000"])] {
            let r = try runProcess(bin, ["ppm", TestPaths.lojaConfig, "--tile", "20/40", "--check-cells", "0",
                                         "--out", dir.path(name)] + extra)
            try #require(r.status == 0, "\(r.stderr.suffix(600))")
        }
        let form = try RasterIO.read(dir.path("form/pof.tif"), as: Float.self)
        let kept = try RasterIO.read(dir.path("is/pof_form.tif"), as: Float.self)
        #expect(form.values == kept.values, "pof_form.tif is FORM's map")
        let pof = try RasterIO.read(dir.path("is/pof.tif"), as: Float.self)
        let se = try RasterIO.read(dir.path("is/pof_se.tif"), as: Float.self)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("is/ppm.json")))) as? [String: Any]
        let m = try #require((json?["results"] as? [String: Any])?["reliability"] as? [String: Any])
        let cells = try #require(m["cells"] as? Int)
        #expect(cells > 1000)
        #expect(m["method"] as? String == "importance-sampling")
        // Every sampled cell met the COV target unless it hit the cap.
        var met = 0, sampled = 0
        for i in 0..<pof.count where se.isValid(at: i) && pof.values[i] > 0 {
            sampled += 1
            if se.values[i] / pof.values[i] <= 0.05 + 1e-4 { met += 1 }
        }
        let capped = try #require(m["capped_cells"] as? Int)
        #expect(sampled - met <= capped, "\(sampled - met) cells above the COV target, \(capped) capped")
        #expect(m["relative_difference_median"] as? Double != nil)
    }
}

import Foundation
import GeoRaster
import Terrain
import Testing
import TestSupport

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct TerrainCommandTests {
    static let layers = ["accumulation", "aspect", "d8", "elevation_cov", "filled", "incision", "log10_catchment_area",
                         "plan_curvature", "profile_curvature", "relief", "roughness", "slope", "soil_depth",
                         "specific_catchment_area", "spi", "stream_distance", "streams", "tpi", "twi"]

    @Test func writesEveryLayerWithProvenanceFromAStudy() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("terrain")
        let result = try landslide(["terrain", "Experiments/studies/loja.yaml", "--out", out])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == (Self.layers.map { "\($0).tif" } + ["terrain.json"]).sorted())
        #expect(try dir.contents() == ["terrain"], "no staging folder left behind")
        let slope = try RasterIO.info("\(out)/slope.tif")
        #expect(slope.cols == 383 && slope.rows == 415 && slope.crs?.epsg == 32717)
        #expect(slope.metadata["LANDSLIDE_CONFIG_SHA256"]?.count == 64)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/terrain.json")))
        let results = try #require((json as? [String: Any])?["results"] as? [String: Any])
        #expect(results["sinks"] as? Int == 0)
        #expect(results["accumulation_at_outlets"] as? Int == 158_326)
        // Study A's Z-model range (0.1–3.0 m) from the config.
        let soil = try RasterIO.read("\(out)/soil_depth.tif", as: Float.self)
        #expect(abs(Double(soil.validRange!.lowerBound) - 0.1) < 1e-6 && abs(Double(soil.validRange!.upperBound) - 3.0) < 1e-6)
        #expect(result.stderr.contains("terrain: fill"), "progress per stage on stderr")
    }

    @Test func badDEMLeavesNoOutput() throws {
        let dir = try TemporaryDirectory()
        let fake = try dir.write("not a raster", to: "dem.tif")
        let out = dir.path("terrain")
        let result = try landslide(["terrain", "--dem", fake, "--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(fake))
        #expect(try dir.contents() == ["dem.tif"])
    }

    /// A south-up copy of Loja's DEM (rows stored south to north, positive pixel height) is the same
    /// terrain: every layer equals the north-up run's cell for cell, aspect included (read the wrong
    /// way up, every aspect would be mirrored north–south).
    @Test func southUpDEMGivesTheSameTerrain() throws {
        let dir = try TemporaryDirectory()
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        var mirrored = [Float]()
        mirrored.reserveCapacity(dem.values.count)
        for r in stride(from: dem.rows - 1, through: 0, by: -1) {
            mirrored.append(contentsOf: dem.values[(r * dem.cols)..<((r + 1) * dem.cols)])
        }
        var t = dem.geoTransform
        t.originY += Double(dem.rows) * t.pixelHeight
        t.pixelHeight = -t.pixelHeight
        try RasterIO.writeGeoTIFF(Grid(rows: dem.rows, cols: dem.cols, geoTransform: t, crs: dem.crs,
                                       nodata: dem.nodata, values: mirrored), to: dir.path("south-up.tif"))
        for (name, input) in [("north", TestPaths.loja("dem.tif")), ("south", dir.path("south-up.tif"))] {
            let result = try landslide(["terrain", "--dem", input, "--out", dir.path(name)])
            try #require(result.status == 0, "stderr: \(result.stderr)")
        }
        for layer in ["slope", "aspect", "d8", "accumulation", "twi"] {
            let north = try RasterIO.read(dir.path("north/\(layer).tif"), as: Float.self)
            let south = try RasterIO.read(dir.path("south/\(layer).tif"), as: Float.self)
            #expect(north.geoTransform == south.geoTransform, "\(layer)")
            #expect(north.values.elementsEqual(south.values) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(layer)")
        }
    }

    @Test func studyAndDEMTogetherIsAUsageError() throws {
        let result = try landslide(["terrain", "Experiments/studies/loja.yaml", "--dem", "x.tif", "--out", "/tmp/x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("either a study configuration or --dem"))
    }
}

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct FormAndPPMCommandTests {
    /// `landslide form` on the shared reference file prints one result per case, matching OpenTURNS.
    @Test func formReproducesTheReferenceFile() throws {
        let result = try landslide(["form", TestPaths.referenceValues.path])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(printed.count == 4)
        let p2 = try #require(printed.first { $0["name"] as? String == "p2-profile-b-correlated-normal" })
        #expect(abs((p2["beta"] as! Double) - 2.502) < 1e-3)
        #expect(p2["converged"] as? Bool == true)
    }

    @Test func ppmRejectsAnUnknownScenario() throws {
        let result = try landslide(["ppm", "Experiments/studies/loja.yaml", "--scenario", "XY", "--out", "/tmp/never"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("expected one of config, cov-0.01"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
    }

    /// Every COV 0 ("0 = fixed"): no random variable is left, so each cell's POF is its factor of safety's
    /// verdict at the means, 1 where FS < 1 and 0 elsewhere (every cell was "not converged" with POF 0).
    @Test func allCOVsZeroGiveTheFactorOfSafetysVerdict() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: TestPaths.repositoryRoot.appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path,
                                         toPath: dir.path("storm_2013-07-21_reconstructed.csv"))
        let text = try TestPaths.lojaConfigText().replacing(#/cov: 0\.[0-9]+/#, with: "cov: 0")
        let config = try dir.write(text, to: "fixed.yaml")
        let r = try landslide(["ppm", config, "--data-root", TestPaths.dataRoot.path, "--check-cells", "0", "--out", dir.path("ppm")])
        try #require(r.status == 0, "stderr: \(r.stderr)")
        let pof = try RasterIO.read(dir.path("ppm/pof.tif"), as: Float.self), fos = try RasterIO.read(dir.path("ppm/fos.tif"), as: Float.self)
        let status = try RasterIO.read(dir.path("ppm/status.tif"), as: UInt8.self)
        let solved = (0..<pof.count).filter { status.values[$0] == 1 }
        #expect(solved.count > 90_000, "\(solved.count) cells solved")
        #expect(!(0..<pof.count).contains { status.values[$0] == 0 }, "cells left not converged")
        #expect(solved.allSatisfy { pof.values[$0] == (fos.values[$0] < 1 ? 1 : 0) })
        #expect(solved.contains { pof.values[$0] == 1 } && solved.contains { pof.values[$0] == 0 })
    }
}

@Suite struct BreaksAndEvaluateCommandTests {
    /// `landslide breaks` on the jenks reference data written as text prints jenkspy's bounds.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func breaksOfTheReferenceData() throws {
        let dir = try TemporaryDirectory()
        let values: [String] = (0..<300).map { (i: Int) -> String in
            let v: Double = Double((i * 7919) % 1009) / 10 + Double(i % 7) * 3.3
            return "\(v)"
        }
        let path = try dir.write(values.joined(separator: "\n") + "\n", to: "values.txt")
        let result = try landslide(["breaks", path, "--classes", "5"])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let bounds = try #require(json["bounds"] as? [Double])
        let expected = try #require((try TestPaths.referenceJSON()["jenks"] as? [String: Any])?["breaks"] as? [Double])
        #expect(zip(bounds, expected).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect((json["inner_breaks"] as? [Double])?.count == 4)
    }

    @Test func breaksRejectsANonNumber() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("1\n2\nthree\n", to: "bad.txt")
        let result = try landslide(["breaks", path])
        #expect(result.status != 0 && result.stderr.contains("line 3") && result.stderr.contains("not a number"))
    }

    /// `landslide evaluate` on a 2 × 2 raster with four labelled points: positives score 0.9 and 0.4,
    /// negatives 0.4 and 0.1, so AUC = (1 + 1 + 0.5 + 1)/4 = 0.875; at 0.5, TP 1, FN 1, TN 2.
    @Test func evaluateOnAHandMadeRaster() throws {
        let dir = try TemporaryDirectory()
        let grid = Grid<Float>(rows: 2, cols: 2, geoTransform: GeoTransform(originX: 0, pixelWidth: 10, originY: 20, pixelHeight: -10),
                               crs: try CRS(epsg: 32717), nodata: -9999, values: [0.9, 0.4, 0.4, 0.1])
        let raster = dir.path("scores.tif")
        try RasterIO.writeGeoTIFF(grid, to: raster)
        let points = try dir.write("x,y,lslpts\n5,15,1\n15,15,1\n5,5,0\n15,5,0\n99,99,0\n", to: "points.csv")
        let result = try landslide(["evaluate", "--scores", raster, "--points", points])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(abs((json["auc"] as! Double) - 0.875) < 1e-12)
        #expect(json["dropped"] as? Int == 1)
        let confusion = try #require(json["confusion"] as? [String: Any])
        #expect(confusion["true_positives"] as? Int == 1 && confusion["true_negatives"] as? Int == 2)
    }
}

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct SampleCommandTests {
    /// The buffer sampler on Loja: every negative farther than the buffer from every landslide point.
    @Test func bufferSamplerKeepsItsDistance() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("samples.csv")
        let result = try landslide(["sample", "Experiments/studies/loja.yaml", "--sampler", "buffer", "--buffer-m", "500",
                                    "--spacing-m", "20", "--out", out])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        let positives = rows.filter { $0[2] == 1 }, negatives = rows.filter { $0[2] == 0 }
        #expect(positives.count == 175 && negatives.count == 175)
        for n in negatives {
            let nearest = positives.map { (($0[0] - n[0]) * ($0[0] - n[0]) + ($0[1] - n[1]) * ($0[1] - n[1])).squareRoot() }.min()!
            // Distances between cell centres; a landslide point may sit up to half a diagonal from its centre.
            #expect(nearest > 500 - 7.1)
        }
        #expect(FileManager.default.fileExists(atPath: out + ".json"))
    }

    /// The slope sampler with a 10° limit: every negative's Horn slope (as the sampler computes it) ≤ 10°.
    @Test func slopeSamplerStaysBelowItsLimit() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("samples.csv")
        let result = try landslide(["sample", "Experiments/studies/loja.yaml", "--sampler", "slope", "--max-slope-deg", "10",
                                    "--out", out])
        try #require(result.status == 0, "stderr: \(result.stderr)")
        let dem = try RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        let negatives = rows.filter { $0[2] == 0 }
        #expect(negatives.count == 175)
        for n in negatives {
            let cell = try #require(slope.cell(containingX: n[0], y: n[1]))
            #expect(slope[cell.row, cell.col] <= 10)
        }
    }

    @Test func slopeSamplerFailsClearlyWhenLojaIsTooSteep() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("samples.csv")
        let result = try landslide(["sample", "Experiments/studies/loja.yaml", "--sampler", "slope", "--spacing-m", "20", "--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.contains("slope: only") && result.stderr.contains("candidate cells"))
        #expect(try dir.contents().isEmpty)
    }

    /// A morphology kernel the config would refuse is refused on the command line too (a side of 10,001
    /// cells used to run for hours on Loja's 415 × 383 grid), on one line, exit 64, nothing written.
    @Test(arguments: [
        (["--kernel-open", "10001"], "--kernel-open must be an odd side from 1 to 15 cells, got 10001"),
        (["--kernel-open", "4"], "--kernel-open must be an odd side from 1 to 15 cells, got 4"),
        (["--kernel-close", "0"], "--kernel-close must be an odd side from 1 to 15 cells, got 0"),
        (["--kernel-close", "-3"], "--kernel-close must be an odd side from 1 to 15 cells, got -3"),
    ])
    func kernelsOutsideTheConfigsRangeAreRefused(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        let r = try landslide(["sample", "Experiments/studies/loja.yaml", "--sampler", "pof"] + arguments
                              + ["--out", dir.path("samples.csv")])
        #expect(r.status == 64, "status \(r.status); stderr: \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0] == "error: \(message) (see `landslide sample --help`)", "stderr: \(r.stderr)")
        #expect(try dir.contents().isEmpty)
    }

}

@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct InformationValueSamplerTests {
    /// The IV sampler on Loja: 175 negatives, all in the IV model's very-low class (below its upper bound,
    /// recomputed from the summary), none on a landslide cell, and the same file for the same seed.
    @Test func ivSamplerIsDeterministicAndStaysInTheVeryLowClass() throws {
        let dir = try TemporaryDirectory()
        let first = dir.path("a.csv"), second = dir.path("b.csv")
        for out in [first, second] {
            let result = try landslide(["sample", "Experiments/studies/loja.yaml", "--sampler", "information-value",
                                        "--seed", "17", "--out", out])
            try #require(result.status == 0, "stderr: \(result.stderr)")
        }
        #expect(try String(contentsOfFile: first, encoding: .utf8) == String(contentsOfFile: second, encoding: .utf8))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first + ".json"))) as? [String: Any]
        let results = try #require(json?["results"] as? [String: Any])
        #expect(results["negatives"] as? Int == 175 && results["landslides"] as? Int == 175)
        let factors = try #require(results["factors"] as? [[String: Any]])
        #expect(factors.count == 13)
        #expect(factors.allSatisfy { ($0["pca_weight"] as! Double) > 0 })
        let weights = factors.map { $0["pca_weight"] as! Double }
        #expect(abs(weights.reduce(0, +) - 1) < 1e-9)
        let rows = try String(contentsOfFile: first, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        let positives = Set(rows.filter { $0[2] == 1 }.map { "\(Int($0[0] / 10)),\(Int($0[1] / 10))" })
        for n in rows where n[2] == 0 {
            #expect(!positives.contains("\(Int(n[0] / 10)),\(Int(n[1] / 10))"))
        }
        // Every negative lies in the very-low class of the total-information map written beside the samples.
        let settings = try #require(results["settings"] as? [String: String])
        let bound = try #require(Double(settings["very_low_upper_bound"] ?? ""))
        let iv = try RasterIO.read(first + ".iv.tif", as: Float.self)
        for n in rows where n[2] == 0 {
            let cell = try #require(iv.cell(containingX: n[0], y: n[1]))
            #expect(Double(iv[cell.row, cell.col]) <= bound + 1e-4)
        }
    }
}

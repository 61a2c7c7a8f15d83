import Foundation
import GeoRaster
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
}

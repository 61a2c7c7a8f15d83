import Foundation
import Testing
import TestSupport
import Twin

/// Issue G6's acceptance: the model, sampler and network comparisons run on a study with scarp
/// polygons, soil zones and a categorical layer (a small twin made with `polygons` and `zones`), and
/// their susceptibility maps are GeoTIFFs GDAL reads with the study's CRS (release builds, --quick,
/// one replicate).
@Suite(.serialized) struct RegionExperimentTests {
    static func gdalinfo(_ path: String) throws -> [String: Any] {
        let r = try runProcess("gdalinfo", ["-json", path])
        try #require(r.status == 0, "gdalinfo \(path): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func comparisonsRunOnAZonedPolygonStudy() throws {
        let dir = try TemporaryDirectory()
        var o = Twin.Options()
        o.seed = 5; o.rows = 160; o.columns = 200; o.landslides = 60; o.randomPoints = 300
        o.polygons = true; o.zones = 3
        _ = try Twin.generate(o, directory: dir.path("region"))
        let dem = try Self.gdalinfo(dir.path("region/dem.tif"))
        for (experiment, maps) in [("model-comparison", 6), ("sampler-comparison", 5), ("network-comparison", 3)] {
            let bin = TestPaths.repositoryRoot.appendingPathComponent(".build/release/\(experiment)").path
            try #require(FileManager.default.isExecutableFile(atPath: bin), "\(bin) missing: `make test` builds it")
            let out = dir.path(experiment)
            let r = try runProcess(bin, ["--study", dir.path("region/twin.yaml"), "--quick", "--seed", "3", "--out", out],
                                   currentDirectory: TestPaths.repositoryRoot)
            try #require(r.status == 0, "\(experiment): \(r.stderr.suffix(600))")
            let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as! [String: Any]
            let results = doc["results"] as! [String: Any]
            // Issue G7: the run ends by saying where its time went, and results.json keeps it.
            #expect(r.stdout.contains("stages: study "), "\(experiment) printed no stages line")
            let stages = (results["stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(stages.contains("training") && stages.contains("maps") && stages.contains("figures"), "\(experiment) stages: \(stages)")
            // The categorical geology enters as indicators of its classes but the first.
            let factors = (results["glm_factors"] ?? results["factors"] ?? results["channels"]) as? [String] ?? []
            #expect(factors.contains("geology=2") && factors.contains("geology=3") && !factors.contains("geology=1"),
                    "\(experiment) factors: \(factors)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out + "/maps").filter { $0.hasSuffix(".tif") }
            #expect(files.count == maps, "\(experiment) wrote \(files.sorted())")
            for file in files {
                let info = try Self.gdalinfo(out + "/maps/" + file)
                #expect(info["size"] as? [Int] == dem["size"] as? [Int] && info["geoTransform"] as? [Double] == dem["geoTransform"] as? [Double])
                let wkt = ((info["coordinateSystem"] as? [String: Any])?["wkt"] as? String) ?? ""
                #expect(wkt.contains("ID[\"EPSG\",32649]"), "\(file): CRS \(wkt.prefix(80))")
            }
        }
    }
}

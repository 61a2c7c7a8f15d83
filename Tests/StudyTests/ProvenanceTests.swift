import Foundation
import GeoRaster
import Testing
import TestSupport
@testable import StudyCore
@testable import Stages

@Suite struct ProvenanceTests {
    let provenance = Provenance(gitCommit: "0123abcd", gitDirty: false, configDigest: "feedface", seed: 42,
                                toolVersion: harnessVersion, gdalVersion: gdalVersion,
                                createdUTC: "2026-11-21T12:00:00Z")

    /// Provenance survives a GeoTIFF round trip as metadata items.
    @Test func geoTIFFCarriesProvenance() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("p.tif")
        try RasterIO.writeGeoTIFF(Grid<Float>(rows: 2, cols: 2, repeating: 1), to: path,
                                  metadata: provenance.geoTIFFMetadata)
        let metadata = try RasterIO.info(path).metadata
        #expect(metadata["LANDSLIDE_GIT_COMMIT"] == "0123abcd")
        #expect(metadata["LANDSLIDE_CONFIG_SHA256"] == "feedface")
        #expect(metadata["LANDSLIDE_SEED"] == "42")
        #expect(metadata["LANDSLIDE_TOOL_VERSION"] == harnessVersion)
        #expect(metadata["LANDSLIDE_CREATED_UTC"] == "2026-11-21T12:00:00Z")
    }

    @Test func resultsJSONHasProvenanceBesideResults() throws {
        struct Payload: Encodable { let aucValue: Double }
        let dir = try TemporaryDirectory()
        let path = dir.path("results.json")
        try ResultsDocument(provenance: provenance, results: Payload(aucValue: 0.85)).write(to: path)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let p = try #require(json?["provenance"] as? [String: Any])
        #expect(p["git_commit"] as? String == "0123abcd")
        #expect(p["config_digest"] as? String == "feedface")
        #expect(p["seed"] as? Int == 42)
        #expect((json?["results"] as? [String: Any])?["auc_value"] as? Double == 0.85)
        #expect(try dir.contents() == ["results.json"])
    }

    @Test func currentProvenanceNamesACommitAndAUTCTime() {
        let now = Provenance.current(configDigest: "d", seed: 1, date: Date(timeIntervalSince1970: 0))
        #expect(now.createdUTC == "1970-01-01T00:00:00Z")
        #expect(now.gitCommit == "unknown" || now.gitCommit.count == 40)
        #expect(now.toolVersion == harnessVersion)
    }
}

/// Issue G7's stage line: a stage run k times shows "k × its mean", stages keep the order they first ran,
/// and replicates' stages add up stage by stage.
@Suite struct StageClockTests {
    @Test func stagesAddUpAndPrintAsTheIssueShows() {
        let clock = StageClock()
        clock.add("ppm", seconds: 0.3)
        for _ in 0..<4 { clock.add("training", seconds: 9.8) }
        clock.add("figures", seconds: 1.2)
        #expect(StageClock.line(clock.recorded) == "stages: ppm 0.3 s, training 4 × 9.8 s, figures 1.2 s")
        let other = [StageClock.Stage(name: "training", count: 4, seconds: 40), StageClock.Stage(name: "maps", count: 1, seconds: 2)]
        let total = StageClock.total([clock.recorded, other])
        #expect(total.map(\.name) == ["ppm", "training", "figures", "maps"])
        #expect(total[1].count == 8 && abs(total[1].seconds - 79.2) < 1e-9)
        let timed = clock.time("ppm") { 42 }
        #expect(timed == 42 && clock.recorded[0].count == 2)
    }
}

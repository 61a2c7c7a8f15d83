import ArgumentParser
import Foundation
import Stages
import StudyCore
import PublishedNumbers
import Twin

struct TwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "Generate a synthetic twin of Study A's basin with a known truth, as a complete study.",
        discussion: """
            Writes into --out: twin.yaml (a study config every command accepts), dem.tif, landslides.csv, \
            evaluation_points.csv (the landslides and 1,360 random non-landslide points), storm.csv (the \
            reconstructed storm), and the truth: truth_fos.tif, truth_unstable.tif (FOS < 1 at 9 h with each \
            cell's own strength), truth_cohesion.tif, truth_friction.tif; with --polygons also landslides.geojson (a scarp \
            polygon around each landslide, the config's inventory); with --zones K also geology.tif (K classes with \
            their own true c′, φ′ and k_s, declared categorical, the config's zones and a factor of every model). Deterministic for a seed; prints the \
            statistics to compare with Study A's basin (area, elevation range and mean, landslides: Experiments/published/published.yaml).
            """)

    @Option(help: "Directory to write the study into.") var out: String
    @Option(help: "Seed.") var seed: UInt64 = 20240805
    @Option(help: "Landslides to place.") var landslides = 365
    @Option(name: .customLong("heterogeneity-cov"), help: "COV of the planted cohesion and friction fields.")
    var heterogeneityCOV = 0.2
    @Option(help: ArgumentHelp("""
        Make the config wrong on purpose, so that the twin no longer favours the PPM by construction: storm (the \
        config's storm is 40 % of the true one), parameters (cohesion mean × 1.5, friction-angle mean × 0.75), \
        inventory-bias (landslides favour valleys; one in three where the truth is stable). The truth is unchanged.
        """, valueName: "kind"), transform: { value in
            guard let m = Twin.Misspecification(rawValue: value) else {
                throw ValidationError("--misspecify: unknown kind '\(value)'; one of \(Twin.Misspecification.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return m
        })
    var misspecify: Twin.Misspecification?
    @Flag(help: "Landslides as scarp polygons (landslides.geojson; the config's inventory) instead of points.") var polygons = false
    @Option(help: "Soil zones: a categorical geology raster (geology.tif) of this many classes, 2 to 9, each with its own true cohesion, friction angle and k_s, written into twin.yaml under zones (default 0: one soil).")
    var zones = 0
    @Option(help: "Summary JSON to write.") var json: String?

    func validate() throws {
        guard landslides >= 1 else { throw ValidationError("--landslides must be ≥ 1") }
        guard (0..<1).contains(heterogeneityCOV) else { throw ValidationError("--heterogeneity-cov must be in [0, 1)") }
        guard zones == 0 || (2...9).contains(zones) else { throw ValidationError("--zones \(zones): expected 0 (one soil) or 2 to 9") }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            var o = Twin.Options()
            o.seed = seed
            o.landslides = landslides
            o.heterogeneityCOV = heterogeneityCOV
            o.misspecification = misspecify
            o.polygons = polygons
            o.zones = zones
            let s = try Twin.generate(o, directory: out) { FileHandle.standardError.write(Data("twin: \($0)\n".utf8)) }
            let basin = PublishedNumbers.shipped.studyA.basin
            print(String(format: "twin: %d × %d cells at %.1f m = %.2f km² (Study A: %.2f km²)", s.columns, s.rows, s.cellSizeM,
                         s.areaKm2, basin.areaKm2))
            print(String(format: "twin: elevation %.1f – %.1f m, mean %.1f m (Study A: %.0f – %.0f m, mean ≈ %.0f m)",
                         s.elevationMinM, s.elevationMaxM, s.elevationMeanM, basin.elevationMinM, basin.elevationMaxM,
                         basin.elevationMeanM))
            print(String(format: "twin: slope mean %.1f°, p10 %.1f°, median %.1f°, p90 %.1f°, max %.1f°", s.slopeMeanDeg,
                         s.slopePercentilesDeg["p10"]!, s.slopePercentilesDeg["p50"]!, s.slopePercentilesDeg["p90"]!,
                         s.slopePercentilesDeg["max"]!))
            print("twin: slope classes 0–10°, 10–20°, …, ≥ 60° (% of cells): "
                  + s.slopeHistogramPercent.map { String(format: "%.1f", $0) }.joined(separator: ", "))
            print(String(format: "twin: cohesion mean %.2f kPa (COV %.3f), friction mean %.2f° (COV %.3f)", s.cohesionMeanKPa,
                         s.cohesionCOV, s.frictionMeanDeg, s.frictionCOV))
            print(String(format: "twin: %.1f mm of rain by 9 h; %d unstable cells (%.2f %%); %d landslides (Study A: %d, inferred), %d random points",
                         s.rainMm, s.unstableCells, s.unstablePercent, s.landslides, basin.landslidesInferred, s.randomPoints))
            if let m = s.misspecification {
                print("twin: mis-specified (\(m.rawValue)): \(s.landslidesOnStableCells) landslides on truly stable cells; see the header of twin.yaml")
            }
            print(String(format: "twin: written to %@ in %.1f s: %@", out, s.seconds, s.files.joined(separator: ", ")))
            if let json {
                try ResultsDocument(provenance: Provenance.current(configDigest: "twin", seed: seed), results: s).write(to: json)
            }
        }
    }
}

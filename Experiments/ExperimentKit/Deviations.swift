import Foundation
import PublishedNumbers
import Stages
import StudyCore

/// One place where a run differs from the paper it reproduces: what, the paper's value, ours, why.
/// Built at run time from the settings actually used and the published numbers, never typed: each
/// experiment's `results.json` carries its list and the paper's Deviations table collects them.
public struct Deviation: Codable, Sendable, Equatable {
    public var experiment: String
    public var item: String
    public var paper: String
    public var ours: String
    public var why: String
}

/// The checks that produce ``Deviation``s; each returns nothing where the run matches the paper.
enum Deviations {
    static var studyA: PublishedNumbers.StudyA { PublishedNumbers.shipped.studyA }
    static var studyB: PublishedNumbers.StudyB { PublishedNumbers.shipped.studyB }

    /// 1000.0 → "1000", 2.5e-5 → "2.5e-05".
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(format: "%g", x)
    }

    /// The study area and inventory: Study A's basin against the study run.
    static func studyAData(_ experiment: String, context: StudyContext, analysedCells: Int, landslides: Int) -> [Deviation] {
        let basin = studyA.basin
        let dem = context.dem
        let cell = abs(dem.geoTransform.pixelWidth)
        let km2 = Double(analysedCells) * cell * abs(dem.geoTransform.pixelHeight) / 1e6
        let ours = String(format: "%@: %.2f km², %d landslides, %g m cells", context.config.name, km2, landslides, cell)
        let isTwin = context.config.name == "twin"
        return [Deviation(experiment: experiment, item: "study area and inventory",
                          paper: String(format: "basin of %.2f km², %d landslides (inferred from Tables 3–4), %g m cells",
                                        basin.areaKm2, basin.landslidesInferred, basin.cellSizeM),
                          ours: ours,
                          why: isTwin ? "Study A's data are not public: the synthetic twin copies its basin statistics"
                                      : "Study A's data are not public: a public study stands in")]
    }

    /// The storm the PPM is run for: its whole rain and the hour the maps are for.
    static func storm(_ experiment: String, context: StudyContext) -> [Deviation] {
        guard let (hyetograph, hours) = try? PPMRun.storm(context.config) else { return [] }
        let total = hyetograph.totalMillimeters(until: nil), at = hours ?? hyetograph.endHours.last ?? 0
        let paperRain = studyA.storm["rain_mm"] ?? .nan, paperHours = studyA.storm["map_hours"] ?? .nan
        guard abs(total - paperRain) > 0.05 || abs(at - paperHours) > 0.01 else { return [] }
        return [Deviation(experiment: experiment, item: "storm",
                          paper: "\(number(paperRain)) mm in all; maps after \(number(paperHours)) h of rain",
                          ours: String(format: "%.1f mm in all; maps after %.1f h (%.1f mm)", total, at,
                                       hyetograph.totalMillimeters(until: at)),
                          why: "the study's own storm (its config's rainfall)")]
    }

    /// The CNN's channels against Study A's six factors.
    static func channels(_ experiment: String, _ ours: [String], settings: StudyASettings) -> [Deviation] {
        let paper = studyA.cnnFactors
        let mapped = ours.map { $0 == "d8" ? "flow_direction" : $0 == settings.soilTypeLayer ? "soil_type" : $0 }
        guard mapped != paper else { return [] }
        var why: [String] = []
        if !mapped.contains("soil_type") { why.append("the study has no soil-type layer (`\(settings.soilTypeLayer)`)") }
        if mapped.contains("pof") { why.append("--pof-channel: the POF map as a 7th channel (Study A is ambiguous)") }
        return [Deviation(experiment: experiment, item: "CNN input channels", paper: paper.joined(separator: ", "),
                          ours: ours.joined(separator: ", "), why: why.joined(separator: "; "))]
    }

    /// The patch CNN's settings against Table 1's best.
    static func network(_ experiment: String, _ s: ModelSettings, quick: Bool, what: String = "CNN") -> [Deviation] {
        let best = studyA.table1Best
        let pairs: [(String, Double?, Double?)] = [
            ("channels", best["channels"], s.channels.map(Double.init)), ("kernel size", best["kernel_size"], s.kernel.map(Double.init)),
            ("learning rate", best["initial_learning_rate"], s.learningRate), ("L2 factor", best["l2_factor"], s.l2),
            ("dropout", best["dropout"], s.dropout),
        ]
        var out: [Deviation] = []
        for (name, paper, ours) in pairs {
            guard let paper, let ours, abs(paper - ours) > 1e-12 * max(1, abs(paper)) else { continue }
            let range = studyA.table1Hyperparameters.first { $0.name == "l2_factor" }?.range ?? []
            let outside = name == "L2 factor" && range.count == 2 && paper > range[1] && ours == range[1]
            let why = outside
                ? "Table 1's best (\(number(paper))) lies outside its own search range [\(number(range[0])), \(number(range[1]))]; the range's top is used"
                : quick ? "--quick: a reduced network for tests" : "reduced for the number of trainings this experiment runs"
            out.append(Deviation(experiment: experiment, item: "\(what) \(name) (Table 1 best)", paper: number(paper), ours: number(ours), why: why))
        }
        return out
    }

    /// Study B's 13 kept factors against the factors used.
    static func studyBFactors(_ experiment: String, _ ours: [String]) -> [Deviation] {
        let paper = studyB.factorsKept
        guard Set(paper) != Set(ours) else { return [] }
        let missing = paper.filter { !ours.contains($0) }, added = ours.filter { !paper.contains($0) }
        return [Deviation(experiment: experiment, item: "conditioning factors",
                          paper: "\(paper.count) of \(studyB.factorsCandidate) by PCA weight ≥ \(number(studyB.pcaThreshold)): \(paper.joined(separator: ", "))",
                          ours: "\(ours.count) from the DEM: \(ours.joined(separator: ", "))",
                          why: "not in a DEM-only study: \(missing.joined(separator: ", ")); added in their place: \(added.joined(separator: ", "))")]
    }

    /// A Study B network's epochs when reduced.
    static func studyBEpochs(_ experiment: String, model: String, paper: Int, ours: Int?) -> [Deviation] {
        guard let ours, ours != paper else { return [] }
        return [Deviation(experiment: experiment, item: "\(model) epochs", paper: String(paper), ours: String(ours),
                          why: "--quick: fewer epochs for tests")]
    }
}

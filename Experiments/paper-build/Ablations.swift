import Foundation
import SummaryStatistics

/// The paper's ablation section (issue G5), from `make ablations`' results under figures/ablations/:
/// per study, a row per key and level with CNN's, PPM-CNN(Y1)'s and the PPM's AUC (b), the paired
/// difference PPM-CNN(Y1) − CNN with its interval and verdict, and sentences computed from those rows.
enum AblationSection {
    /// The issue's groups of the default set, by key.
    static func group(_ key: String) -> String {
        if key.hasPrefix("ppm.") || key.hasPrefix("rainfall.") || key.hasPrefix("parameters.") || key.hasPrefix("soil_depth.") {
            return "physics"
        }
        if key.hasPrefix("sampler.") || key.hasPrefix("morphology.") { return "sampler" }
        if key.hasPrefix("cnn.") { return "CNN" }
        if key.hasPrefix("negatives.") { return "negatives" }
        return "other"
    }

    /// "mean [lo, hi]" with minus signs, or the mean alone for one replicate.
    static func interval(_ r: Replicated) -> String {
        let text = r.n > 1 ? "\(fmt(r.mean)) [\(fmt(r.ci95[0])), \(fmt(r.ci95[1]))]" : fmt(r.mean)
        return text.replacingOccurrences(of: "-", with: "−")
    }

    /// The template's `ablations` list: one entry per study with results, the twin first.
    static func context(_ r: FigureResults) -> [[String: Any]] {
        func rank(_ s: String) -> Int { s == "twin" ? 0 : s.hasPrefix("twin") ? 1 : 2 }
        return r.ablations.keys.sorted { (rank($0), $0) < (rank($1), $1) }.map { study in
            entry(study, runs: r.ablations[study]!)
        }
    }

    static func entry(_ name: String, runs: [String: [String: Any]]) -> [String: Any] {
        let order = ["physics", "settings"]
        let runNames = runs.keys.sorted { (order.firstIndex(of: $0) ?? 9, $0) < (order.firstIndex(of: $1) ?? 9, $1) }
        var rows: [[String: Any]] = []
        var verdictsByKey: [(key: String, levels: [(String, String)])] = []
        var spreads: [String: [(key: String, lo: (String, Double), hi: (String, Double))]] = [:]
        var runEntries: [[String: Any]] = []
        for run in runNames {
            let doc = runs[run]!
            let baseline = doc["baseline"] as? [String: String] ?? [:]
            let factorial = baseline.isEmpty && (doc["keys"] as? [Any])?.count ?? 0 > 1
            for effect in doc["effects"] as? [[String: Any]] ?? [] {
                guard let key = effect["key"] as? String, let levels = effect["levels"] as? [String] else { continue }
                let models = effect["models"] as? [[String: Any]] ?? []
                func byLevel(_ model: String) -> [Replicated] {
                    (models.first { $0["model"] as? String == model }?["by_level"] as? [Any] ?? []).compactMap { Replicated(jsonObject: $0) }
                }
                let cnn = byLevel("CNN"), y1 = byLevel("PPM-CNN(Y1)"), ppm = byLevel("PPM")
                let claim = (effect["claim"] as? [String: Any])?["by_level"] as? [[String: Any]] ?? []
                var verdicts: [(String, String)] = []
                for (i, level) in levels.enumerated() {
                    let c = claim.first { $0["level"] as? String == level }
                    let verdict = c?["verdict"] as? String ?? "–"
                    verdicts.append((level, verdict))
                    rows.append([
                        "group": group(key), "key": key, "run": run,
                        "level": level + (baseline[key] == level ? " (baseline)" : factorial ? " (mean over the other key)" : ""),
                        "cnn": i < cnn.count ? fmt(cnn[i].mean) : "–", "y1": i < y1.count ? fmt(y1[i].mean) : "–",
                        "ppm": i < ppm.count ? fmt(ppm[i].mean) : "–",
                        "difference": (c.flatMap { Replicated(jsonObject: $0["difference"]) }).map(interval) ?? "–",
                        "verdict": verdict,
                        "excluded": (c.flatMap { Replicated(jsonObject: $0["sampler_excludes_percent"]) }).map { fmt($0.mean, 2) } ?? "–",
                        "pof": (c.flatMap { Replicated(jsonObject: $0["pof_above_half_percent"]) }).map { fmt($0.mean, 2) } ?? "–",
                    ])
                }
                verdictsByKey.append((key, verdicts))
                for (model, values) in [("CNN", cnn), ("PPM-CNN(Y1)", y1)] where values.count == levels.count && !values.isEmpty {
                    let lo = values.indices.min { values[$0].mean < values[$1].mean }!, hi = values.indices.max { values[$0].mean < values[$1].mean }!
                    spreads[model, default: []].append((key, (levels[lo], values[lo].mean), (levels[hi], values[hi].mean)))
                }
            }
            let pngs = (doc["figures"] as? [String] ?? []).filter { $0.hasSuffix(".png") }
            let path = "../../figures/ablations/\(name)/\(run)"   // as the template's other figures: from paper/build/
            runEntries.append([
                "run": run, "points": (doc["points"] as? [Any])?.count ?? 0, "design": md(doc["design"]),
                "claim_figure": pngs.contains("claim-by-level.png") ? "\(path)/claim-by-level.png" : "",
                "interactions": pngs.filter { $0.hasPrefix("interaction-") }.map { ["figure": "\(path)/\($0)"] },
            ])
        }
        let first = runs[runNames[0]]!
        var summaryText = summary(verdictsByKey, spreads: spreads)
        // Many intervals at the 95 % level: some exclude 0 by chance alone (1 in 20 where nothing differs).
        let decided = rows.filter { ["holds", "contradicted"].contains($0["verdict"] as? String ?? "") }.count
        if !rows.isEmpty {
            summaryText += " Of the \(rows.count) rows, \(decided) \(decided == 1 ? "decides" : "decide") the claim (holds or contradicted); with no true "
                + "difference anywhere, about \(fmt(Double(rows.count) / 20, 1)) would by chance at the 95 % level "
                + "(baseline rows repeat one point)."
        }
        let excluded = rows.compactMap { Double($0["excluded"] as? String ?? "") }
        if !excluded.isEmpty {
            let few = excluded.filter { $0 < 1 }.count
            summaryText += " PPM-CNN(Y1)'s sampler leaves out less than 1 % of the random sampler's candidates in \(few) of "
                + "\(excluded.count) rows" + (few > 0 ? " (there PPM-CNN(Y1) and CNN differ only in their random draws)." : ".")
        }
        return ["name": name, "rows": rows, "runs": runEntries,
                "replicates": "\(first["replicates"] ?? "")",
                "networks": (first["quick"] as? Bool) == true ? "the experiment's quick networks (`--quick`)" : "Table 1's networks",
                "summary": summaryText]
    }

    /// Sentences from the rows: which keys change the verdict on "PPM-CNN(Y1) beats CNN", and which key
    /// moves each network's AUC (b) the most.
    static func summary(_ verdicts: [(key: String, levels: [(String, String)])],
                        spreads: [String: [(key: String, lo: (String, Double), hi: (String, Double))]]) -> String {
        var out: [String] = []
        let changing = verdicts.filter { Set($0.levels.map(\.1)).count > 1 }
        let steady = verdicts.filter { Set($0.levels.map(\.1)).count == 1 }
        if !changing.isEmpty {
            out.append("The verdict on \"PPM-CNN(Y1) beats CNN\" changes with " + changing.map { k in
                let byVerdict = Dictionary(grouping: k.levels, by: \.1)
                let parts = Verdict.allCases.map(\.rawValue).compactMap { v in
                    byVerdict[v].map { "\(v) at \($0.map(\.0).joined(separator: ", "))" }
                }
                return "`\(k.key)` (" + parts.joined(separator: "; ") + ")"
            }.joined(separator: ", ") + ".")
        }
        if !steady.isEmpty {
            let byVerdict = Dictionary(grouping: steady, by: { $0.levels[0].1 })
            out.append("It does not change with " + byVerdict.keys.sorted().map { v in
                byVerdict[v]!.map { "`\($0.key)`" }.joined(separator: ", ") + " (\(v) at every level)"
            }.joined(separator: "; ") + ".")
        }
        for model in ["CNN", "PPM-CNN(Y1)"] {
            guard let s = spreads[model]?.max(by: { $0.hi.1 - $0.lo.1 < $1.hi.1 - $1.lo.1 }) else { continue }
            out.append("\(model)'s AUC (b) moves most with `\(s.key)`: from \(fmt(s.lo.1)) at \(s.lo.0) to \(fmt(s.hi.1)) at \(s.hi.0).")
        }
        return out.joined(separator: " ")
    }
}

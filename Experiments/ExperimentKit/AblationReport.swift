import Charts
import Foundation
import StudyCore
import SummaryStatistics

/// The report of an ablation (issue G5): each metric per grid point and model (mean and 95 %
/// interval over the replicates), each varied key's main effect with intervals, and what moves the
/// result — the paired difference between a key's levels, and whether the models' order changes.
///
/// Replicate k of every point draws from the same seed (the run's seed and k), so a difference between
/// two points is paired by replicate: its interval is the t interval of the per-replicate differences.
public enum AblationReport {
    /// The metrics of a model-comparison row, as results.json names them, and as the report labels them.
    public static let metrics: [(key: String, label: String)] = [
        ("auc_study_protocol", "AUC (a) study protocol"), ("auc_common_test", "AUC (b) common test"),
        ("auc_spatial_test", "AUC (c) spatial blocks"), ("auc_truth", "AUC vs truth"),
    ]
    /// The metric the effects and the ranking are read from: (b), the same test for every model.
    public static let primary = "auc_common_test"
    /// The row of study-level values (not a model) in a point's table.
    static let studyRow = "(study)"

    /// One model's metric at one point: the replicates' values (NaN where a replicate has none).
    public struct Cell: Sendable {
        public let values: [Double]
        public var estimate: Replicated { Replicated(values) }
    }

    /// model → metric → values, for one point's results.json.
    static func read(_ run: AblationRun.PointRun) throws -> [String: [String: Cell]] {
        let path = (run.results as NSString).appendingPathComponent("results.json")
        guard let data = FileManager.default.contents(atPath: path),
              let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = doc["results"] as? [String: Any], let models = results["models"] as? [[String: Any]] else {
            throw AblationError("\(path): no model results to report")
        }
        func cell(_ entry: Any?) -> Cell? {
            if let d = entry as? [String: Any], let values = d["values"] as? [Any] {
                return Cell(values: values.map { Replicated.jsonNumber($0) ?? .nan })
            }
            guard let entry, let x = Replicated.jsonNumber(entry) else { return nil }
            return Cell(values: [x])
        }
        var out: [String: [String: Cell]] = [:]
        for m in models {
            guard let name = m["model"] as? String else { continue }
            for key in metrics.map(\.key) + ["candidate_cells"] {
                if let c = cell(m[key]) { out[name, default: [:]][key] = c }
            }
        }
        if let c = cell(results["share_pof_above_half"]) { out[studyRow, default: [:]]["share_pof_above_half"] = c }
        return out
    }

    /// Per-replicate mean of `metric` for `model` over the points whose values include `fixed`.
    static func marginal(_ table: [[String: [String: Cell]]], points: [AblationPoint], where fixed: [String: String],
                         model: String, metric: String) -> [Double] {
        let cells = points.indices.filter { i in fixed.allSatisfy { points[i].values[$0.key] == $0.value } }
            .compactMap { table[$0][model]?[metric]?.values }
        guard let n = cells.map(\.count).max(), !cells.isEmpty else { return [] }
        return (0..<n).map { k in
            let xs = cells.compactMap { k < $0.count ? $0[k] : nil }.filter(\.isFinite)
            return xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
        }
    }

    /// The distinct values in their first order.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
    static func fmt3(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "–" }
    static func est(_ r: Replicated) -> String {
        guard r.n > 0 else { return "–" }
        return r.n > 1 ? "\(fmt3(r.mean)) [\(fmt3(r.ci95[0])), \(fmt3(r.ci95[1]))]" : fmt3(r.mean)
    }

    /// Writes DIR/results.json, DIR/report.md and the figures; returns the report's Markdown.
    @discardableResult
    ///
    /// With a `baseline` (the one-at-a-time design) a key's level is read at the point where every other key
    /// is at its baseline; otherwise (factorial, Latin hypercube) it is the mean over the points at that level.
    public static func write(_ runs: [AblationRun.PointRun], factors: [AblationFactor], options: AblationRun.Options,
                             design: String, baseline: [String: String]? = nil) throws -> String {
        let table = try runs.map(read)
        let points = runs.map(\.point)
        /// The points that stand for `key` at `level`.
        func at(_ key: String, _ level: String) -> [String: String] {
            baseline.map { $0.merging([key: level]) { $1 } } ?? [key: level]
        }
        let (claimA, claimB) = ("PPM-CNN(Y1)", "CNN")
        let models = Array(Set(table.flatMap(\.keys)).subtracting([studyRow])).sorted { a, b in
            let order = ["CNN", "PPM", "PPM-CNN(N)", "PPM-CNN(Y1)", "PPM-CNN(Y2)", "GLM"]
            return (order.firstIndex(of: a) ?? 99, a) < (order.firstIndex(of: b) ?? 99, b)
        }
        let present = metrics.filter { m in table.contains { $0.values.contains { $0[m.key] != nil } } }
        var md = "# Ablation: \(options.experiment) on \(URL(fileURLWithPath: options.study).lastPathComponent)\n\n"
        md += "\(points.count) grid points (\(design)), \(options.replicates) replicate\(options.replicates == 1 ? "" : "s") each\(options.quick ? ", quick networks" : ""). "
        md += "Varied: " + factors.map { "`\($0.key.name)` (\($0.key.summary))" }.joined(separator: "; ") + ". "
        md += "Each cell is the mean over the replicates with its 95 % t interval; replicate k of every point draws from "
        md += "the same seed, so differences between points are paired by replicate."
        md += baseline == nil ? "\n\n" : " A key's effect is read with every other key at its baseline.\n\n"

        // The table: a row per point and model.
        md += "## Every point\n\n| " + factors.map { "`\($0.key.name)`" }.joined(separator: " | ") + " | model | "
        md += present.map(\.label).joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: factors.count + 1 + present.count) + "\n"
        var pointRows: [[String: Any]] = []
        for (i, p) in points.enumerated() {
            var modelRows: [[String: Any]] = []
            for model in models {
                guard let row = table[i][model] else { continue }
                md += "| " + factors.map { p.values[$0.key.name]! }.joined(separator: " | ") + " | \(model) | "
                md += present.map { row[$0.key].map { est($0.estimate) } ?? "–" }.joined(separator: " | ") + " |\n"
                var entry: [String: Any] = ["model": model]
                for (key, _) in present { if let c = row[key] { entry[key] = ReplicateAggregation.encode(Replicated(c.values)) } }
                modelRows.append(entry)
            }
            pointRows.append(["point": String(format: "p%03d", i + 1), "values": p.values, "models": modelRows])
        }

        // Main effects and what moves the result, on (b).
        md += "\n## What moves the result (AUC (b), common test)\n\n"
        var effects: [[String: Any]] = []
        var figures: [String] = []
        for f in factors {
            let levels = unique(points.compactMap { $0.values[f.key.name] })
            guard levels.count >= 2 else { continue }
            md += "**`\(f.key.name)`** (\(levels.joined(separator: " → "))): "
            var parts: [String] = []
            var perModel: [[String: Any]] = []
            var series: [BarChart.Series] = []
            for model in models {
                let marginals = levels.map { marginal(table, points: points, where: at(f.key.name, $0), model: model, metric: primary) }
                guard marginals.allSatisfy({ !$0.isEmpty }) else { continue }
                let means = marginals.map { Replicated($0) }
                series.append(.init(label: model, values: means.map(\.mean), intervals: options.replicates > 1 ? means.map(\.ci95) : nil))
                let first = marginals[0], last = marginals[levels.count - 1]
                let d = Replicated(zip(last, first).map { $0 - $1 })
                perModel.append(["model": model, "difference_last_minus_first": ReplicateAggregation.encode(d),
                                 "by_level": means.map { ReplicateAggregation.encode($0) }])
                parts.append("\(model) \(d.mean >= 0 ? "+" : "")\(fmt3(d.mean))" + (d.n > 1 ? " [\(fmt3(d.ci95[0])), \(fmt3(d.ci95[1]))]" : ""))
            }
            md += parts.joined(separator: "; ") + " (last level minus first).\n"
            // Whether the order of each pair of models changes across the key's levels.
            var changes: [String] = []
            let key = f.key.name
            for (ai, a) in models.enumerated() { for b in models[(ai + 1)...] {
                let verdicts = levels.map { level -> String in
                    let x = marginal(table, points: points, where: at(key, level), model: a, metric: primary)
                    let y = marginal(table, points: points, where: at(key, level), model: b, metric: primary)
                    guard !x.isEmpty, x.count == y.count else { return "?" }
                    let d = Replicated(zip(x, y).map { $0 - $1 })
                    guard d.n > 1 else { return "?" }
                    return d.ci95[0] > 0 ? ">" : d.ci95[1] < 0 ? "<" : "≈"
                }
                if Set(verdicts).count > 1 && !verdicts.contains("?") {
                    changes.append("\(a) vs \(b): " + zip(levels, verdicts).map { "\($1) at \($0)" }.joined(separator: ", "))
                }
            } }
            md += options.replicates < 2 ? "Whether the models change order needs at least 2 replicates.\n\n"
                : changes.isEmpty ? "No pair of models changes order across its levels (by the 95 % intervals).\n\n"
                : "The order changes — " + changes.joined(separator: "; ") + ".\n\n"
            // Study A's central claim at each level: PPM-CNN(Y1) − CNN, paired by replicate, and its verdict.
            var claim: [[String: Any]] = []
            if models.contains(claimA) && models.contains(claimB) {
                for level in levels {
                    let x = marginal(table, points: points, where: at(key, level), model: claimA, metric: primary)
                    let y = marginal(table, points: points, where: at(key, level), model: claimB, metric: primary)
                    guard !x.isEmpty, x.count == y.count else { continue }
                    let d = Replicated(zip(x, y).map { $0 - $1 })
                    let verdict = Verdict.paired(d, meanA: Replicated(x).mean, meanB: Replicated(y).mean)
                    var entry: [String: Any] = ["level": level, "difference": ReplicateAggregation.encode(d), "verdict": verdict.rawValue]
                    // What the POF sampler had to work with: the share of the random sampler's candidates that
                    // PPM-CNN(Y1)'s sampler excludes, and the share of cells with POF > 0.5.
                    let kept = marginal(table, points: points, where: at(key, level), model: claimA, metric: "candidate_cells")
                    let all = marginal(table, points: points, where: at(key, level), model: claimB, metric: "candidate_cells")
                    if !kept.isEmpty, !all.isEmpty {
                        var excluded: [Double] = []
                        for k in 0..<max(kept.count, all.count) {
                            let share: Double = kept[min(k, kept.count - 1)] / all[min(k, all.count - 1)]
                            excluded.append(100 * (1 - share))
                        }
                        entry["sampler_excludes_percent"] = ReplicateAggregation.encode(Replicated(excluded))
                    }
                    let pof = marginal(table, points: points, where: at(key, level), model: studyRow, metric: "share_pof_above_half")
                    if !pof.isEmpty { entry["pof_above_half_percent"] = ReplicateAggregation.encode(Replicated(pof.map { 100 * $0 })) }
                    claim.append(entry)
                }
                if !claim.isEmpty {
                    md += "\(claimA) − \(claimB) by level: " + claim.map { c in
                        let d = Replicated(jsonObject: c["difference"]) ?? Replicated([])
                        return "\(c["level"]!): \(est(d)) \(c["verdict"]!)"
                    }.joined(separator: "; ") + ".\n\n"
                }
            }
            effects.append(["key": f.key.name, "levels": levels, "models": perModel, "order_changes": changes,
                            "claim": ["models": [claimA, claimB], "by_level": claim] as [String: Any]])
            // Main-effect figure: AUC (b) per level, a bar per model with its interval.
            if !series.isEmpty {
                let name = "effect-" + f.key.name.replacingOccurrences(of: ".", with: "-")
                let chart = BarChart(categories: levels, series: series, valueLabel: "AUC (b), common test",
                                     categoryLabel: f.key.name,
                                     title: "Main effect of \(f.key.name)" + (options.replicates > 1 ? " (mean and 95 % interval)" : " (one replicate)"),
                                     showValues: false, baseline: 0.5, valueCeiling: 1, reference: (0.5, "chance"))
                let base = (options.out as NSString).appendingPathComponent(name)
                try chart.render(to: base + ".png", size: Size(width: 520, height: 300))
                try chart.render(to: base + ".pdf", size: Size(width: 520, height: 300))
                figures += [name + ".png", name + ".pdf"]
                md += "![Main effect of \(f.key.name)](\(name).png)\n\n"
            }
        }
        // Study A's claim at every level of every key, in one chart: what moves it.
        let claimBars = effects.flatMap { e -> [(String, Replicated)] in
            let key = e["key"] as! String
            let byLevel = (e["claim"] as? [String: Any])?["by_level"] as? [[String: Any]] ?? []
            return byLevel.compactMap { c in
                Replicated(jsonObject: c["difference"]).map { ("\(key)=\(c["level"]!)", $0) }
            }
        }
        if !claimBars.isEmpty {
            let name = "claim-by-level"
            var chart = BarChart(categories: claimBars.map(\.0),
                                 series: [.init(label: "", values: claimBars.map { $0.1.mean },
                                                intervals: options.replicates > 1 ? claimBars.map { $0.1.ci95 } : nil)],
                                 valueLabel: "AUC (b): \(claimA) − \(claimB)", categoryLabel: "",
                                 title: "\(claimA) − \(claimB) at each level" + (options.replicates > 1 ? " (mean and 95 % interval)" : " (one replicate)"),
                                 showValues: false, baseline: 0, reference: (0, "no difference"))
            chart.wholeIntervals = true
            let width = max(520.0, 34.0 * Double(claimBars.count) + 120)
            let base = (options.out as NSString).appendingPathComponent(name)
            try chart.render(to: base + ".png", size: Size(width: width, height: 340))
            try chart.render(to: base + ".pdf", size: Size(width: width, height: 340))
            figures += [name + ".png", name + ".pdf"]
            md += "![\(claimA) − \(claimB) at each level](\(name).png)\n\n"
        }
        // Two-key interactions: Study A's central claim, PPM-CNN(Y1) − CNN on (b), over each pair of keys' levels.
        var interactions: [[String: Any]] = []
        if models.contains(claimA) && models.contains(claimB) && baseline == nil {
            let varied = factors.map(\.key.name).filter { k in Set(points.compactMap { $0.values[k] }).count >= 2 }
            for (ai, a) in varied.enumerated() { for b in varied[(ai + 1)...] {
                let rows = unique(points.compactMap { $0.values[a] })
                let cols = unique(points.compactMap { $0.values[b] })
                let matrix = rows.map { r in cols.map { c -> Double in
                    let x = marginal(table, points: points, where: [a: r, b: c], model: claimA, metric: primary)
                    let y = marginal(table, points: points, where: [a: r, b: c], model: claimB, metric: primary)
                    return x.count == y.count && !x.isEmpty ? Replicated(zip(x, y).map { $0 - $1 }).mean : .nan
                } }
                let largest = max(0.05, matrix.flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0)
                let name = "interaction-" + [a, b].map { $0.replacingOccurrences(of: ".", with: "-") }.joined(separator: "-x-")
                let chart = HeatmapChart(labels: rows.map { "\(a)=\($0)" }, matrix: matrix, range: -largest...largest,
                                         valueLabel: "AUC (b): \(claimA) − \(claimB)", decimals: 3,
                                         title: "\(claimA) − \(claimB) by \(a) × \(b)", columnLabels: cols.map { "\(b)=\($0)" })
                let base = (options.out as NSString).appendingPathComponent(name)
                try chart.render(to: base + ".png", size: Size(width: 460, height: 320))
                try chart.render(to: base + ".pdf", size: Size(width: 460, height: 320))
                figures += [name + ".png", name + ".pdf"]
                md += "![\(claimA) − \(claimB) by \(a) × \(b)](\(name).png)\n\n"
                interactions.append(["keys": [a, b], "rows": rows, "columns": cols, "difference": matrix.map { $0.map { $0.isFinite ? $0 as Any : "nan" } },
                                     "models": [claimA, claimB]])
            } }
        }
        let doc: [String: Any] = [
            "experiment": options.experiment, "study": options.study, "replicates": options.replicates, "quick": options.quick,
            "design": design, "baseline": baseline ?? [:], "keys": factors.map { ["key": $0.key.name, "levels": $0.levels] as [String: Any] },
            "points": pointRows, "effects": effects, "interactions": interactions, "figures": figures, "metric_for_effects": primary,
        ]
        try Replication.write(doc, to: (options.out as NSString).appendingPathComponent("results.json"))
        try AtomicFile.write(Data(md.utf8), to: (options.out as NSString).appendingPathComponent("report.md"))
        return md
    }
}

// paper-build: fills paper/paper.md.mustache with the numbers of figures/*/results.json and writes
// paper/build/paper.md and paper/build/paper.html (self-contained: figures embedded). No number in
// the write-up is typed by hand: each comes from a results file through a placeholder.
// `--summary` prints the table `make figures` ends with.
import ArgumentParser
import Foundation
import SummaryStatistics
import Ink
import Mustache
import PublishedNumbers

@main
struct PaperBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper-build",
        abstract: "Build the literate write-up from the results of `make figures` (make paper).")

    @Option(help: "Where `make figures` wrote its results.") var figures = "figures"
    @Option(help: "The write-up's template.") var template = "paper/paper.md.mustache"
    @Option(help: "Output directory.") var out = "paper/build"
    @Flag(help: "Only print the summary table of the results.") var summary = false

    func run() throws {
        let r = FigureResults(root: figures)
        if summary { print(summaryTable(r)); return }
        guard !r.studies.isEmpty || !r.ablations.isEmpty else {
            FileHandle.standardError.write(Data("error: no results under \(figures)/; run `make figures` first\n".utf8))
            throw ExitCode.failure
        }
        let text = try String(contentsOfFile: template, encoding: .utf8)
        let markdown = try MustacheTemplate(string: text).render(context(r))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try write(markdown, to: "\(out)/paper.md")
        let body = MarkdownParser().html(from: markdown)
        // Every Markdown table must come out as an HTML table: a stray "<" in a cell makes Ink read the rest
        // of the document as raw HTML, which would otherwise go unnoticed until someone opened the page.
        let tables = markdown.split(separator: "\n").filter { $0.hasPrefix("|---") }.count
        let rendered = body.components(separatedBy: "<table").count - 1
        guard rendered == tables else {
            FileHandle.standardError.write(Data(("error: \(out)/paper.md has \(tables) tables but its HTML \(rendered): a cell's "
                + "text broke the Markdown (look for \"<\" in \(out)/paper.md); paper.html not written\n").utf8))
            throw ExitCode.failure
        }
        try write(html(body, relativeTo: out), to: "\(out)/paper.html")
        print("paper: \(out)/paper.md and \(out)/paper.html (" + (r.studies.isEmpty ? "no experiment results" : r.studies.joined(separator: ", "))
              + "; \(claims.count) claims" + (r.ablations.isEmpty ? "" : "; ablations on " + r.ablations.keys.sorted().joined(separator: ", ")) + ")")
    }

    func write(_ s: String, to path: String) throws {
        let tmp = path + ".partial"
        try s.write(toFile: tmp, atomically: false, encoding: .utf8)
        guard rename(tmp, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Everything the template can name.
    func context(_ r: FigureResults) -> [String: Any] {
        var studies: [[String: Any]] = []
        for s in r.studies {
            var st: [String: Any] = ["name": s, "is_twin": s == "twin"]
            let mc = (r.results("model-comparison", s)?["models"] as? [[String: Any]] ?? []).map { m -> [String: Any] in
                ["model": m["model"] ?? "", "a": est(m["auc_study_protocol"]), "b": est(m["auc_common_test"]),
                 "c": est(m["auc_spatial_test"]), "truth": m["auc_truth"] == nil ? "–" : est(m["auc_truth"]),
                 "truth_classes": (m["truth_unstable_percent_by_class"] as? [Any] ?? []).map { est($0, 1) }.joined(separator: " | "),
                 "reported": est(m["auc_reported_by_study"], 2), "sampler": m["sampler"] ?? "",
                 "high": est(m["high_and_very_high_percent"], 1)]
            }
            st["model_comparison"] = mc
            if let m = r.results("model-comparison", s) {
                st["held_out"] = m["held_out_landslides"] ?? ""; st["common_negatives"] = m["common_test_non_landslides"] ?? ""
                st["landslides"] = m["landslides"] ?? ""
                st["replicates"] = r.replicateCount("model-comparison", s)
                st["has_truth"] = (m["models"] as? [[String: Any]])?.first?["auc_truth"] != nil
            }
            for e in ["cov-sweep", "correlation-grid"] {
                let rows = (r.results(e, s)?["tables"] as? [[String: Any]] ?? []).map { t -> [String: Any] in
                    func row(_ k: String) -> String { (t[k] as? [Any] ?? []).map { est($0, 2) }.joined(separator: " | ") }
                    return ["model": t["model"] ?? "", "scenario": t["scenario"] ?? "", "landslides": row("percent_landslides"),
                            "area": row("percent_area"), "study_landslides": row("study_percent_landslides"),
                            "study_area": row("study_percent_area"), "has_study": t["study_percent_area"] != nil,
                            "auc": est(t["auc_common_test"]), "nsv_mean": fmt(number(t["nsv_mean"])),
                            "nsv_sd": fmt(number(t["nsv_sd"]))]
                }
                st[e.replacingOccurrences(of: "-", with: "_")] = rows
            }
            st["samplers"] = (r.results("sampler-comparison", s)?["samplers"] as? [[String: Any]] ?? []).map {
                let overlap = $0["overlap_with_random"] as? [String: Any] ?? [:]
                return ["sampler": $0["sampler"] ?? "", "a": est($0["auc_study_protocol"]), "b": est($0["auc_common_test"]),
                        "candidates": count($0["candidate_cells"]), "reported": est($0["auc_reported_by_study"]),
                        "excluded": count(overlap["random_cells_excluded"])]
            }
            if let sc = r.results("sampler-comparison", s) {
                st["sampler_model"] = sc["model"] as? String == "cnn-1d" ? "Study B's CNN (1-D, over its factors)" : "Study A's patch CNN"
                st["sampler_settings"] = (sc["sampler_settings"] as? [[String: Any]] ?? []).map {
                    ["name": $0["name"] ?? "", "paper": est($0["study_value"], 0), "ours": est($0["used_value"], 0),
                     "candidates": count($0["candidates_at_study_value"])]
                }
            }
            // What each experiment found out about itself (degeneracies, infeasible settings, how things were fitted).
            st["statements"] = FigureResults.experiments.flatMap { e in
                (r.results(e, s)?["statements"] as? [String] ?? []).map { ["experiment": e, "text": md($0)] }
            }
            // The deviations of every experiment, one row per distinct deviation, naming the experiments.
            var deviationRows: [(key: String, row: [String: Any], experiments: [String])] = []
            for e in FigureResults.experiments {
                for d in r.results(e, s)?["deviations"] as? [[String: Any]] ?? [] {
                    let key = ["item", "paper", "ours", "why"].map { "\(d[$0] ?? "")" }.joined(separator: "|")
                    if let k = deviationRows.firstIndex(where: { $0.key == key }) { deviationRows[k].experiments.append(e) }
                    else { deviationRows.append((key, d, [e])) }
                }
            }
            st["deviations"] = deviationRows.map { d in
                ["item": md(d.row["item"]), "paper": md(d.row["paper"]), "ours": md(d.row["ours"]), "why": md(d.row["why"]),
                 "experiments": d.experiments.joined(separator: ", ")]
            }
            if let mc = r.results("model-comparison", s), let reg = mc["infiltration"] as? [String: Any] {
                let cells = number(reg["cells"]) ?? 0
                st["infiltration"] = ["supply_limited": fmt(100 * (number(reg["supply_limited_cells"]) ?? 0) / max(cells, 1), 1),
                                      "peak": est(reg["peak_rain_millimeters_per_hour"], 1),
                                      "ks": est(reg["saturated_conductivity_millimeters_per_hour"], 0),
                                      "runoff": est(reg["routed_runoff_cubic_meters"], 0),
                                      "pof_above_half": fmt(100 * (number(mc["share_pof_above_half"]) ?? 0), 1)]
            }
            for e in ["cov-sweep", "correlation-grid"] {
                st[e.replacingOccurrences(of: "-", with: "_") + "_candidates"] = (r.results(e, s)?["sampler_candidates"] as? [[String: Any]] ?? []).map { c in
                    let below = c["cells_below_threshold"] as? [String: Any] ?? [:]
                    return ["scenario": c["scenario"] ?? "", "candidates": count(c["candidate_cells"]),
                            "t01": count(below["0.1"]), "t03": count(below["0.3"]), "t05": count(below["0.5"]), "t07": count(below["0.7"]),
                            "t09": count(below["0.9"])] as [String: Any]
                }
            }
            st["networks"] = (r.results("network-comparison", s)?["networks"] as? [[String: Any]] ?? []).map { n -> [String: Any] in
                let a = n["study_protocol"] as? [String: Any] ?? [:], b = n["common_test"] as? [String: Any] ?? [:]
                let rep = n["reported_by_study"] as? [String: Any] ?? [:]
                func shares(_ key: String) -> String {
                    let v = (n[key] as? [Any] ?? []).compactMap(number), total = max(v.reduce(0, +), 1e-12)
                    return v.map { fmt(100 * $0 / total, 1) }.joined(separator: " | ")
                }
                return ["area": shares("class_area_km2"), "slides": shares("class_landslides"),
                        "rep_area": (n["reported_class_area_percent"] as? [Any] ?? []).compactMap(number).map { fmt($0, 1) }.joined(separator: " | "),
                        "rep_slides": (n["reported_class_landslide_percent"] as? [Any] ?? []).compactMap(number).map { fmt($0, 1) }.joined(separator: " | "),
                        "model": n["model"] ?? "", "accuracy": est(a["accuracy"]), "precision": est(a["precision"]),
                        "recall": est(a["recall"]), "f1": est(a["f1"]), "auc": est(a["auc"]),
                        "auc_b": est(b["auc"]), "rep_accuracy": est(rep["accuracy"]), "rep_f1": est(rep["f1"]),
                        "rep_auc": est(rep["auc"])]
            }
            if let ss = r.results("structure-sensitivity", s) {
                let p = ss["pearson"] as? [String: Any] ?? [:]
                let reported = ss["pearson_reported_by_study"] as? [String: Any] ?? [:]
                let studyR = ["threshold", "kernel_open", "kernel_close"].map {
                    est(reported[$0], 4).replacingOccurrences(of: "-", with: "−")
                }.joined(separator: ", ")
                let final = ss["final_model"] as? [String: Any] ?? [:]
                st["structure"] = ["runs": (ss["runs"] as? [Any])?.count ?? 0, "study_r": studyR,
                                   "final_a": est(final["auc_study_protocol"]), "final_b": est(final["auc_common_test"]),
                                   "final_n": final["training_samples"] ?? "",
                                   "r_threshold": est(p["threshold"], 4),
                                   "r_open": est(p["kernel_open"], 4), "r_close": est(p["kernel_close"], 4),
                                   "best": (ss["best_hyperparameters"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }
                                       .map { "\(md($0.key)) = \(String(format: "%g", number($0.value) ?? .nan))" }.joined(separator: ", ")]
            }
            studies.append(st)
        }
        var claimRows: [[String: Any]] = []
        let experimentOf: [String: String] = ["A (Figs. 9–10)": "model-comparison", "A (Fig. 8)": "structure-sensitivity",
                                              "A (Table 3)": "cov-sweep", "B (Table 3)": "network-comparison",
                                              "B (Fig. 8)": "sampler-comparison"]
        for c in claims {
            for s in r.studies {
                guard let evidence = c.evaluate(r, s), !evidence.isEmpty else { continue }
                let n = r.replicateCount(experimentOf[c.source] ?? "model-comparison", s)
                claimRows.append(["source": c.source, "claim": c.text, "published": c.published, "study": s, "replicates": n,
                                  "a": evidence["a"]?.cell ?? "–", "b": evidence["b"]?.cell ?? "–",
                                  "c": evidence["c"]?.cell ?? "–"])
            }
        }
        let auditRows = (r.audit?["checks"] as? [[String: Any]] ?? []).filter { ($0["consistent"] as? Bool) == false }.map {
            ["study": $0["study"] ?? "", "subject": md($0["subject"]), "check": $0["check"] ?? "",
             "computed": md($0["computed"]), "printed": md($0["printed"])]
        }
        let byCheck = (r.audit?["by_check"] as? [[String: Any]] ?? []).map {
            ["check": $0["check"] ?? "", "checked": $0["checked"] ?? "", "findings": $0["findings"] ?? ""]
        }
        var coverage: [[String: Any]] = []
        if let c = try? Coverage.load() {
            for (paper, entries) in [("A", c.studyA), ("B", c.studyB)] {
                for e in entries {
                    coverage.append(["study": paper, "item": e.item, "subject": e.subject,
                                     "where": e.experiment.map { x in "`\(x)`: " + (e.outputs ?? []).joined(separator: ", ") } ?? "not reproduced",
                                     "reason": e.reason ?? ""])
                }
            }
        }
        var twin: [String: Any] = [:]
        if let data = FileManager.default.contents(atPath: "\(figures)/twin/twin.json"),
           let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let t = doc["results"] as? [String: Any] {
            twin = ["area": est(t["area_km2"], 2), "min": est(t["elevation_min_m"], 1),
                    "max": est(t["elevation_max_m"], 1), "mean": est(t["elevation_mean_m"], 1),
                    "landslides": t["landslides"] ?? "", "unstable": est(t["unstable_percent"], 2),
                    "slope_mean": est(t["slope_mean_deg"], 1)]
        }
        return ["studies": studies, "claims": claimRows, "verdict_rule": Verdict.rule, "audit": auditRows, "audit_count": auditRows.count, "twin": twin,
                "audit_by_check": byCheck, "coverage": coverage, "ablations": AblationSection.context(r),
                "figures": figures]
    }

    /// A self-contained page: the Markdown's HTML with every PNG it references (paths relative to the
    /// output directory, as in paper.md) embedded.
    func html(_ body: String, relativeTo directory: String) -> String {
        var out = body
        let regex = try! NSRegularExpression(pattern: "src=\"([^\"]+\\.png)\"")
        for m in regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).reversed() {
            let path = (body as NSString).substring(with: m.range(at: 1))
            let file = path.hasPrefix("/") ? path : "\(directory)/\(path)"
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let r = Range(m.range, in: out)!
            out.replaceSubrange(r, with: "src=\"data:image/png;base64,\(data.base64EncodedString())\"")
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Landslide-susceptibility studies: a reproduction</title>
        <style>body{font-family:"DejaVu Sans",sans-serif;max-width:60em;margin:2em auto;line-height:1.45;color:#111}
        table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #bbb;padding:.25em .5em}
        th{background:#eee}img{max-width:100%}code{background:#f4f4f4}</style></head><body>
        \(out)
        </body></html>
        """
    }

    func summaryTable(_ r: FigureResults) -> String {
        var lines = ["", "Summary of figures/ (AUC: (a) study protocol / (b) common test)"]
        for s in r.studies {
            lines.append("  \(s):")
            for m in r.results("model-comparison", s)?["models"] as? [[String: Any]] ?? [] {
                lines.append("    model-comparison  \(String(describing: m["model"] ?? "").padding(toLength: 13, withPad: " ", startingAt: 0)) \(est(m["auc_study_protocol"])) / \(est(m["auc_common_test"]))")
            }
            for m in r.results("sampler-comparison", s)?["samplers"] as? [[String: Any]] ?? [] {
                lines.append("    sampler           \(String(describing: m["sampler"] ?? "").padding(toLength: 30, withPad: " ", startingAt: 0)) \(est(m["auc_study_protocol"])) / \(est(m["auc_common_test"]))")
            }
            for n in r.results("network-comparison", s)?["networks"] as? [[String: Any]] ?? [] {
                let a = n["study_protocol"] as? [String: Any] ?? [:], b = n["common_test"] as? [String: Any] ?? [:]
                lines.append("    network           \(String(describing: n["model"] ?? "").padding(toLength: 13, withPad: " ", startingAt: 0)) \(est(a["auc"])) / \(est(b["auc"]))")
            }
            var total = 0.0
            for e in FigureResults.experiments {
                if let x = r.results(e, s), let sec = number(x["seconds"]) {
                    total += sec
                    lines.append("    \(e.padding(toLength: 22, withPad: " ", startingAt: 0)) \(fmt(sec, 1)) s, \((x["figures"] as? [Any])?.count ?? 0) figure files")
                    // Where a replicate's time goes (issue G7), as the experiment printed it.
                    let stages = (x["stages"] as? [[String: Any]] ?? []).compactMap { st -> String? in
                        guard let name = st["name"] as? String, let seconds = number(st["seconds"]) else { return nil }
                        let count = (st["count"] as? Int) ?? 1
                        return count > 1 ? "\(name) \(count) × \(fmt(seconds / Double(count), 1)) s" : "\(name) \(fmt(seconds, 1)) s"
                    }
                    if !stages.isEmpty { lines.append("      per replicate: " + stages.joined(separator: ", ")) }
                }
            }
            lines.append("    \("total".padding(toLength: 22, withPad: " ", startingAt: 0)) \(fmt(total, 1)) s (experiments' wall times on \(s), summed)")
        }
        if let a = r.audit { lines.append("  paper audit: \((a["checks"] as? [[String: Any]] ?? []).filter { ($0["consistent"] as? Bool) == false }.count) inconsistencies") }
        return lines.joined(separator: "\n")
    }
}

import Foundation
import SummaryStatistics

/// The results of `make figures`, read back from `figures/<experiment>/<study>/results.json`.
struct FigureResults {
    let root: String
    /// experiment → study → results object.
    var byExperiment: [String: [String: [String: Any]]] = [:]
    var audit: [String: Any]?
    /// `make ablations`: study → run (physics, settings) → the ablation's results.json.
    var ablations: [String: [String: [String: Any]]] = [:]

    static let experiments = ["model-comparison", "cov-sweep", "correlation-grid", "sampler-comparison", "network-comparison",
                              "structure-sensitivity"]

    init(root: String) {
        self.root = root
        let fm = FileManager.default
        for e in Self.experiments {
            let dir = (root as NSString).appendingPathComponent(e)
            for study in (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? [] {
                let path = "\(dir)/\(study)/results.json"
                guard let data = fm.contents(atPath: path),
                      let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let results = doc["results"] as? [String: Any] else { continue }
                byExperiment[e, default: [:]][study] = results
            }
        }
        let ablationRoot = (root as NSString).appendingPathComponent("ablations")
        for study in (try? fm.contentsOfDirectory(atPath: ablationRoot)) ?? [] {
            for run in (try? fm.contentsOfDirectory(atPath: "\(ablationRoot)/\(study)")) ?? [] {
                guard let data = fm.contents(atPath: "\(ablationRoot)/\(study)/\(run)/results.json"),
                      let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], doc["effects"] != nil else { continue }
                ablations[study, default: [:]][run] = doc
            }
        }
        if let data = fm.contents(atPath: "\(root)/paper-audit/results.json"),
           let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            audit = doc["results"] as? [String: Any]
        }
    }

    /// Studies with results: the twin first, then its mis-specified variants, then the real studies.
    var studies: [String] {
        let all = Set(byExperiment.values.flatMap(\.keys))
        func rank(_ s: String) -> Int { s == "twin" ? 0 : s.hasPrefix("twin") ? 1 : 2 }
        return all.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    func results(_ experiment: String, _ study: String) -> [String: Any]? { byExperiment[experiment]?[study] }
}

/// A number from a results file: a plain number, or the mean of a replicated entry.
func number(_ v: Any?) -> Double? { Replicated(jsonObject: v)?.mean }
/// A results value as "mean ± SD" over replicates; a single value (or one that did not vary) as itself.
func est(_ v: Any?, _ d: Int = 3) -> String {
    guard let r = Replicated(jsonObject: v) else { return "–" }
    guard r.n > 1, r.sd.isFinite, r.sd > 0 else { return fmt(r.mean, d) }
    // An SD that rounds to zero is said to be at most half the last digit, not printed as ± 0.000
    // (and without "<", which Markdown would take for the start of an HTML tag).
    let sd = fmt(r.sd, d) == fmt(0, d) ? "≤" + fmt(0.5 * pow(10, -Double(d)), d + 1) : fmt(r.sd, d)
    return "\(fmt(r.mean, d)) ± \(sd)"
}

/// A count as the results give it: the number itself, or, where it differs between replicates (a
/// sampler's candidates depend on the training landslides), its mean ± SD.
func count(_ v: Any?) -> String {
    guard let v else { return "" }
    if let r = Replicated(jsonObject: v), r.n > 1 { return est(v, 0) }
    return "\(v)"
}

func fmt(_ v: Double?, _ d: Int = 3) -> String {
    guard let v, v.isFinite else { return "–" }
    return String(format: "%.\(d)f", v)
}

/// Text from a results file as Markdown: `_`, `*` and `|` escaped, so that factor names such as
/// `soil_depth` do not turn into italics and a table cell stays one cell.
func md(_ v: Any?) -> String {
    var out = ""
    var inCode = false  // escapes are literal inside `code`, where they are not needed
    for ch in "\(v ?? "")" {
        if ch == "`" { inCode.toggle() }
        if !inCode && (ch == "_" || ch == "*") || ch == "|" { out.append("\\") }
        out.append(ch)
    }
    return out
}

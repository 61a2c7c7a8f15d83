import Foundation
import PublishedNumbers
import SummaryStatistics

/// A claim of one of the studies and how it fares in ours, on each study we ran, under each protocol:
/// (a) the study's own 70/30 split, (b) the common test, (c) the spatially separated test.
struct Claim: Sendable {
    let source: String
    let text: String
    let published: String
    /// The evidence on a study by protocol ("a", "b", "c"); nil when the experiment is missing.
    let evaluate: @Sendable (FigureResults, String) -> [String: Evidence]?
}

/// What one protocol of one study says about a claim, over the replicates (issue G3).
struct Evidence {
    enum Kind {
        /// The per-replicate difference in the claim's direction (positive: the claim holds by that much),
        /// e.g. the winner's AUC minus the loser's.
        case difference(Replicated, sides: (Double, Double)?)
        /// A correlation over `n` pairs, with the sign the claim expects.
        case correlation(r: Double, n: Int, sign: Double)
    }
    var kind: Kind
    /// DeLong's test on each replicate's shared test points: replicates with p < 0.05 in the claim's
    /// direction, and replicates tested.
    var delong: (significant: Int, tested: Int)?
    /// Where the value does not depend on the random draw (the PPM's classes), said in the cell.
    var deterministic = false

    var verdict: Verdict {
        switch kind {
        case let .difference(d, sides):
            Verdict.paired(d, meanA: sides?.0 ?? 0, meanB: sides?.1 ?? 0)
        case let .correlation(r, n, sign):
            Verdict.correlation(r: r, n: n, sign: sign)
        }
    }

    /// The table cell: the estimate with its interval, the verdict word, what would decide it, DeLong.
    var cell: String {
        let v = verdict
        var parts: [String] = []
        switch kind {
        case let .difference(d, _):
            let interval = d.n > 1 ? " [\(signed(d.ci95[0])), \(signed(d.ci95[1]))]" : ""
            parts.append("Δ \(signed(d.mean))\(interval)")
            parts.append("**\(v.rawValue)**")
            if v == .inconclusive, d.n > 1 {
                if let needed = Summary.replicatesNeeded(mean: d.mean, sd: d.sd) {
                    parts.append("needs ≈ \(needed) replicates")
                } else {
                    parts.append("no difference to detect")
                }
            }
        case let .correlation(r, n, _):
            let ci = Summary.fisherInterval(r: r, n: n)
            parts.append("r = \(signed(r)) [\(signed(ci[0])), \(signed(ci[1]))], n = \(n)")
            parts.append("**\(v.rawValue)**")
        }
        if deterministic { parts.append("no random draw") }
        if let delong { parts.append("DeLong p < 0.05: \(delong.significant) of \(delong.tested)") }
        return parts.joined(separator: " · ")
    }

    /// A signed number to three decimals; one that rounds to zero is "0.000", without a sign.
    func signed(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let text = String(format: "%.3f", abs(x))
        if text == "0.000" { return text }
        return (x >= 0 ? "+" : "−") + text
    }
}

extension FigureResults {
    func models(_ study: String) -> [String: [String: Any]] {
        rows(results("model-comparison", study)?["models"], key: "model")
    }

    /// An experiment's list of objects by the text of `key`.
    func rows(_ list: Any?, key: String) -> [String: [String: Any]] {
        Dictionary((list as? [[String: Any]] ?? []).compactMap { m in (m[key] as? String).map { ($0, m) } },
                   uniquingKeysWith: { a, _ in a })
    }

    /// The replicates of a study's model-comparison run (1 for a single run).
    func replicateCount(_ experiment: String, _ study: String) -> Int {
        ((results(experiment, study)?["replicates"] as? [String: Any])?["n"] as? Int) ?? 1
    }
}

/// The per-replicate values of an entry (a replicated entry or a number).
func values(_ v: Any?) -> [Double]? { Replicated(jsonObject: v)?.values }

/// "winner beats loser" from two lists of per-replicate AUCs, and DeLong's tests from the experiment's
/// pair records for protocols with shared test points.
func beats(_ winner: [Double]?, _ loser: [Double]?, pairs: Any? = nil, winnerName: String = "", loserName: String = "") -> Evidence? {
    guard let wAll = winner, let lAll = loser, wAll.count == lAll.count else { return nil }
    // A replicate without a value on either side (no (c) score) is left out of the pair.
    let kept = wAll.indices.filter { wAll[$0].isFinite && lAll[$0].isFinite }
    let w = kept.map { wAll[$0] }, l = kept.map { lAll[$0] }
    guard !kept.isEmpty else { return nil }
    let d = Replicated(zip(w, l).map { $0 - $1 })
    var e = Evidence(kind: .difference(d, sides: (Summary.mean(w), Summary.mean(l))))
    if let list = pairs as? [[String: Any]],
       let pair = list.first(where: { ($0["a"] as? String, $0["b"] as? String) == (winnerName, loserName)
                                      || ($0["a"] as? String, $0["b"] as? String) == (loserName, winnerName) }),
       let p = values(pair["delong_p_value"]), let diff = values(pair["difference"]) {
        let sign: Double = pair["a"] as? String == winnerName ? 1 : -1
        e.delong = (zip(p, diff).filter { $0.0 < 0.05 && $0.1 * sign > 0 }.count, p.filter(\.isFinite).count)
    }
    return e
}

/// A model-comparison claim "winner beats loser" under (a), (b) and (c).
func comparison(_ r: FigureResults, _ study: String, _ winner: String, _ loser: String) -> [String: Evidence]? {
    let m = r.models(study)
    guard let w = m[winner], let l = m[loser] else { return nil }
    return protocols(w, l, experiment: r.results("model-comparison", study), winnerName: winner, loserName: loser)
}

/// "winner beats loser" under (a), (b) and (c) from two rows that carry `auc_study_protocol`,
/// `auc_common_test` and `auc_spatial_test`, with DeLong's tests from the experiment's pair records.
func protocols(_ w: [String: Any], _ l: [String: Any], experiment: [String: Any]?, winnerName: String,
               loserName: String) -> [String: Evidence] {
    var out: [String: Evidence] = [:]
    out["a"] = beats(values(w["auc_study_protocol"]), values(l["auc_study_protocol"]))
    out["b"] = beats(values(w["auc_common_test"]), values(l["auc_common_test"]), pairs: experiment?["paired_common_test"],
                     winnerName: winnerName, loserName: loserName)
    out["c"] = beats(values(w["auc_spatial_test"]), values(l["auc_spatial_test"]), pairs: experiment?["paired_spatial_test"],
                     winnerName: winnerName, loserName: loserName)
    return out
}

/// The studies' numbers the claims quote, from the one published-numbers file.
let published = PublishedNumbers.shipped
/// "X vs Y" of two of Study A's AUCs (Figs. 9–10).
func aucVersus(_ winner: String, _ loser: String) -> String {
    "\(fmt(published.studyA.auc[winner], 2)) vs \(fmt(published.studyA.auc[loser], 2))"
}
/// Study A's Fig. 8 Pearson r, with a typographic minus.
func pearsonText(_ key: String) -> String {
    "r = " + fmt(published.studyA.structureSensitivityPearson[key], 4).replacingOccurrences(of: "-", with: "−")
}
/// Study A's Table 3: the PPM's very-high share of area at the first and last COV.
func ppmVeryHighText() -> String {
    let columns = Scenarios.covColumns.compactMap { published.studyA.classShares(table: 3, model: "PPM", scenario: $0)?.area.last }
    guard let first = columns.first, let last = columns.last else { return "–" }
    return "\(fmt(first, 2)) % → \(fmt(last, 2)) %"
}
/// Study B's AUC of a network (Table 3).
func studyBAUC(_ model: String) -> Double? { published.studyB.metrics[model]?["auc"] }
/// Study B's Fig. 8: two samplers' AUCs.
func samplerText(_ other: String) -> String {
    let auc = published.studyB.samplerAuc
    return "IV \(fmt(auc["information_value"])) vs \(fmt(auc[other]))"
}
enum Scenarios { static let covColumns = ["0.01", "0.10", "0.20", "0.30"] }

/// A network-comparison claim "winner beats loser" under (a) and (b).
func networkComparison(_ r: FigureResults, _ study: String, _ winner: String, _ loser: String) -> [String: Evidence]? {
    let nc = r.results("network-comparison", study)
    let nets = r.rows(nc?["networks"], key: "model")
    guard let w = nets[winner], let l = nets[loser] else { return nil }
    func auc(_ n: [String: Any], _ k: String) -> [Double]? { values((n[k] as? [String: Any])?["auc"]) }
    var out: [String: Evidence] = [:]
    out["a"] = beats(auc(w, "study_protocol"), auc(l, "study_protocol"))
    out["b"] = beats(auc(w, "common_test"), auc(l, "common_test"), pairs: nc?["paired_common_test"], winnerName: winner, loserName: loser)
    out["c"] = beats(values(w["auc_spatial_test"]), values(l["auc_spatial_test"]), pairs: nc?["paired_spatial_test"],
                     winnerName: winner, loserName: loser)
    return out
}

/// A sampler-comparison claim "the information-value sampler beats `other`" under (a), (b) and (c).
func samplerComparison(_ r: FigureResults, _ study: String, _ other: String) -> [String: Evidence]? {
    let sc = r.results("sampler-comparison", study)
    let list = sc?["samplers"] as? [[String: Any]] ?? []
    func find(_ key: String) -> [String: Any]? { list.first { $0["study_key"] as? String == key } }
    guard let iv = find("information_value"), let o = find(other),
          let ivName = iv["sampler"] as? String, let oName = o["sampler"] as? String else { return nil }
    return protocols(iv, o, experiment: sc, winnerName: ivName, loserName: oName)
}

let claims: [Claim] = [
    Claim(source: "A (Figs. 9–10)", text: "PPM-CNN(Y1) beats the CNN with random negatives", published: aucVersus("PPM-CNN(Y1)", "CNN")) {
        comparison($0, $1, "PPM-CNN(Y1)", "CNN") },
    Claim(source: "A (Figs. 9–10)", text: "PPM-CNN(Y1) beats the PPM alone", published: aucVersus("PPM-CNN(Y1)", "PPM")) {
        comparison($0, $1, "PPM-CNN(Y1)", "PPM") },
    Claim(source: "A (Figs. 9–10)", text: "Cleaning the POF map helps: Y1 beats N", published: aucVersus("PPM-CNN(Y1)", "PPM-CNN(N)")) {
        comparison($0, $1, "PPM-CNN(Y1)", "PPM-CNN(N)") },
    Claim(source: "A (Figs. 9–10)", text: "A 0.9 threshold hurts: Y1 beats Y2", published: aucVersus("PPM-CNN(Y1)", "PPM-CNN(Y2)")) {
        comparison($0, $1, "PPM-CNN(Y1)", "PPM-CNN(Y2)") },
    Claim(source: "A (Fig. 8)", text: "AUC falls as the POF threshold rises", published: pearsonText("threshold")) { r, s in
        sensitivity(r, s, "threshold") },
    Claim(source: "A (Fig. 8)", text: "AUC falls as the closing kernel grows", published: pearsonText("kernel_close")) { r, s in
        sensitivity(r, s, "kernel_close") },
    Claim(source: "A (Table 3)", text: "A larger COV shrinks the PPM's very-high area", published: ppmVeryHighText()) { r, s in
        guard let tables = r.results("cov-sweep", s)?["tables"] as? [[String: Any]] else { return nil }
        let ppm = tables.filter { $0["model"] as? String == "PPM" }
        func veryHigh(_ row: [String: Any]?) -> [Double]? { values((row?["percent_area"] as? [Any])?.last) }
        // The claim's direction: first minus last (positive when the area shrinks).
        guard let first = veryHigh(ppm.first), let last = veryHigh(ppm.last), var e = beats(first, last) else { return nil }
        e.kind = .difference(Replicated(zip(first, last).map { $0 - $1 }), sides: nil)
        e.deterministic = Set(first).count == 1 && Set(last).count == 1
        return ["a": e, "b": e]
    },
    Claim(source: "B (Table 3)", text: "The CNN beats BP", published: "AUC \(fmt(studyBAUC("CNN"))) vs \(fmt(studyBAUC("BP")))") {
        networkComparison($0, $1, "CNN", "BP") },
    Claim(source: "B (Table 3)", text: "The CNN beats the LSTM", published: "AUC \(fmt(studyBAUC("CNN"))) vs \(fmt(studyBAUC("LSTM")))") {
        networkComparison($0, $1, "CNN", "LSTM") },
    Claim(source: "B (Table 3)", text: "Networks on IV-sampled data reach AUC ≥ 0.98 (the best network, AUC − 0.98)",
          published: "\(fmt(published.studyB.metrics.values.compactMap { $0["auc"] }.min())) – \(fmt(published.studyB.metrics.values.compactMap { $0["auc"] }.max()))") { r, s in
        guard let nets = r.results("network-comparison", s)?["networks"] as? [[String: Any]] else { return nil }
        func best(_ k: String) -> Evidence? {
            let all = nets.compactMap { k == "c" ? values($0["auc_spatial_test"])?.filter(\.isFinite) : values(($0[k] as? [String: Any])?["auc"]) }
                .filter { !$0.isEmpty }
            guard let top = all.max(by: { Summary.mean($0) < Summary.mean($1) }) else { return nil }
            return Evidence(kind: .difference(Replicated(top.map { $0 - 0.98 }), sides: nil))
        }
        var out: [String: Evidence] = [:]
        out["a"] = best("study_protocol")
        out["b"] = best("common_test")
        out["c"] = best("c")
        return out
    },
    Claim(source: "B (Fig. 8)", text: "The information-value sampler beats random", published: samplerText("random")) {
        samplerComparison($0, $1, "random") },
    Claim(source: "B (Fig. 8)", text: "The information-value sampler beats the buffer", published: samplerText("buffer")) {
        samplerComparison($0, $1, "buffer") },
    Claim(source: "B (Fig. 8)", text: "The information-value sampler beats the slope limit", published: samplerText("slope")) {
        samplerComparison($0, $1, "slope") },
]

/// "AUC falls as `key` rises": Pearson's r of the parameter with AUC over every design run of every
/// replicate (the design is the same in each), with Fisher's interval.
func sensitivity(_ r: FigureResults, _ s: String, _ key: String) -> [String: Evidence]? {
    guard let runs = r.results("structure-sensitivity", s)?["runs"] as? [[String: Any]], runs.count > 2 else { return nil }
    func pooled(_ metric: String) -> Evidence? {
        var x: [Double] = [], y: [Double] = []
        for run in runs {
            guard let p = number(run[key]), let aucs = values(run[metric]) else { continue }
            for v in aucs where v.isFinite { x.append(p); y.append(v) }
        }
        guard x.count > 3 else { return nil }
        return Evidence(kind: .correlation(r: Summary.pearson(x, y), n: x.count, sign: -1))
    }
    var out: [String: Evidence] = [:]
    out["a"] = pooled("auc_study_protocol")
    out["b"] = pooled("auc_common_test")
    return out
}

import Foundation
import PublishedNumbers
import SummaryStatistics

/// A claim of one of the studies and how it fares in ours: under (a) the study's protocol and (b) the
/// common test, on each study we ran.
struct Claim: Sendable {
    let source: String
    let text: String
    let published: String
    /// For a study's results: (value a, value b, holds a, holds b), nil when the experiment is missing.
    let evaluate: @Sendable (FigureResults, String) -> (String, String, Bool?, Bool?)?
}

extension FigureResults {
    func models(_ study: String) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (results("model-comparison", study)?["models"] as? [[String: Any]] ?? []).compactMap { m in
            (m["model"] as? String).map { ($0, m) }
        })
    }
    func auc(_ study: String, _ model: String, _ key: String) -> Double? { number(models(study)[model]?[key]) }
}

func comparison(_ r: FigureResults, _ study: String, _ winner: String, _ loser: String) -> (String, String, Bool?, Bool?)? {
    guard let wa = r.auc(study, winner, "auc_study_protocol"), let la = r.auc(study, loser, "auc_study_protocol"),
          let wb = r.auc(study, winner, "auc_common_test"), let lb = r.auc(study, loser, "auc_common_test") else { return nil }
    return ("\(fmt(wa)) vs \(fmt(la))", "\(fmt(wb)) vs \(fmt(lb))", wa > la, wb > lb)
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
/// Study B's Fig. 8: the information-value sampler's AUC against the others'.
func samplerText() -> String {
    let auc = published.studyB.samplerAuc
    let others = ["random", "buffer", "slope"].map { fmt(auc[$0]) }.joined(separator: ", ")
    return "IV \(fmt(auc["information_value"])) vs \(others)"
}
enum Scenarios { static let covColumns = ["0.01", "0.10", "0.20", "0.30"] }

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
        guard let first = (ppm.first?["percent_area"] as? [Any]).flatMap({ number($0.last) }),
              let last = (ppm.last?["percent_area"] as? [Any]).flatMap({ number($0.last) }) else { return nil }
        let text = "\(fmt(first, 2)) % → \(fmt(last, 2)) %"
        return (text, text, last < first, last < first)
    },
    Claim(source: "B (Table 3)", text: "The CNN beats BP and LSTM", published: "AUC \(fmt(studyBAUC("CNN"))) vs \(fmt(studyBAUC("BP"))), \(fmt(studyBAUC("LSTM")))") { r, s in
        guard let nets = r.results("network-comparison", s)?["networks"] as? [[String: Any]] else { return nil }
        func auc(_ m: String, _ k: String) -> Double? {
            nets.first { $0["model"] as? String == m }.flatMap { number(($0[k] as? [String: Any])?["auc"]) }
        }
        guard let ca = auc("CNN", "study_protocol"), let ba = auc("BP", "study_protocol"), let la = auc("LSTM", "study_protocol"),
              let cb = auc("CNN", "common_test"), let bb = auc("BP", "common_test"), let lb = auc("LSTM", "common_test") else { return nil }
        return ("\(fmt(ca)) vs \(fmt(ba)), \(fmt(la))", "\(fmt(cb)) vs \(fmt(bb)), \(fmt(lb))", ca > max(ba, la), cb > max(bb, lb))
    },
    Claim(source: "B (Table 3)", text: "Networks on IV-sampled data reach AUC ≥ 0.98", published: "\(fmt(published.studyB.metrics.values.compactMap { $0["auc"] }.min())) – \(fmt(published.studyB.metrics.values.compactMap { $0["auc"] }.max()))") { r, s in
        guard let nets = r.results("network-comparison", s)?["networks"] as? [[String: Any]] else { return nil }
        let a = nets.compactMap { number(($0["study_protocol"] as? [String: Any])?["auc"]) }.max() ?? .nan
        let b = nets.compactMap { number(($0["common_test"] as? [String: Any])?["auc"]) }.max() ?? .nan
        return ("best \(fmt(a))", "best \(fmt(b))", a >= 0.98, b >= 0.98)
    },
    Claim(source: "B (Fig. 8)", text: "The information-value sampler beats random, buffer and slope", published: samplerText()) { r, s in
        guard let samplers = r.results("sampler-comparison", s)?["samplers"] as? [[String: Any]] else { return nil }
        func best(_ k: String) -> (String, Bool) {
            let pairs = samplers.compactMap { m -> (String, Double)? in
                guard let n = m["sampler"] as? String, let v = number(m[k]), !n.hasPrefix("POF") else { return nil }
                return (n, v)
            }
            let top = pairs.max { $0.1 < $1.1 }
            return ("\(top?.0 ?? "–") \(fmt(top?.1))", top?.0.hasPrefix("information") ?? false)
        }
        let (ta, ha) = best("auc_study_protocol"), (tb, hb) = best("auc_common_test")
        return ("best: \(ta)", "best: \(tb)", ha, hb)
    },
]

func sensitivity(_ r: FigureResults, _ s: String, _ key: String) -> (String, String, Bool?, Bool?)? {
    guard let runs = r.results("structure-sensitivity", s)?["runs"] as? [[String: Any]], runs.count > 2 else { return nil }
    let x = runs.compactMap { number($0[key == "threshold" ? "threshold" : key]) }
    let a = Summary.pearson(x, runs.compactMap { number($0["auc_study_protocol"]) })
    let b = Summary.pearson(x, runs.compactMap { number($0["auc_common_test"]) })
    return ("r = \(fmt(a, 3))", "r = \(fmt(b, 3))", a < 0, b < 0)
}

import Foundation
import SummaryStatistics

/// Merges the `results` objects of an experiment's replicates into one (issue G3): every metric that a
/// replicate reports as a number becomes `{"mean", "sd", "ci95": [lo, hi], "n", "values"}`
/// (``Replicated``), in the same place of the same tree.
///
/// The rule, applied leaf by leaf over trees of the same shape:
/// - a number whose key names a metric (``isMetric(_:)``) becomes a replicated entry, also where every
///   replicate gave the same value, so that a metric always has one form;
/// - any other number that differs between replicates (a count of negatives, say) becomes one too;
///   one that does not (a setting, a count fixed by the study) stays a number;
/// - numbers the studies published (keys with `reported`, `study_percent…`, `study_a_…`, `study_value`) stay
///   as they are;
/// - arrays of equal length merge element by element; arrays of text that differ become the union, in
///   order of first appearance (the statements of all replicates); anything else takes replicate 0's.
///
/// Non-finite values (written as "nan", "inf", "-inf" in results files) count as numbers.
public enum ReplicateAggregation {
    /// Whether a results key names a metric (an AUC, a share, a class table column, a correlation, a
    /// test statistic), as opposed to a setting or a count.
    public static func isMetric(_ key: String) -> Bool {
        if isPublished(key) { return false }
        let words = Set(key.split(separator: "_").map(String.init))
        let metricWords: Set = ["auc", "percent", "share", "accuracy", "precision", "recall", "f1", "nsv", "pearson",
                                "shapley", "difference", "delong", "tpr"]
        return !words.isDisjoint(with: metricWords) || key.contains("frequency_ratio") || key.hasSuffix("slope_deg")
    }

    /// Whether a key holds a number the studies published (never replicated).
    public static func isPublished(_ key: String) -> Bool {
        key.contains("reported") || key.hasPrefix("study_percent") || key.hasPrefix("study_a_") || key == "study_value"
    }

    /// The merged tree of `trees` (JSON objects as read by `JSONSerialization`), one per replicate.
    public static func merge(_ trees: [Any]) -> Any { merge(trees, key: "", published: false) }

    /// Whether a value read by `JSONSerialization` is `true` or `false` (which bridge to 1 and 0).
    static func number(_ v: Any) -> Double? { Replicated.jsonNumber(v) }

    private static func merge(_ trees: [Any], key: String, published: Bool) -> Any {
        guard let first = trees.first else { return NSNull() }
        if let dicts = trees as? [[String: Any]], dicts.count == trees.count {
            var keys: [String] = []
            for d in dicts { for k in d.keys.sorted() where !keys.contains(k) { keys.append(k) } }
            var out: [String: Any] = [:]
            for k in keys {
                let present = dicts.compactMap { $0[k] }
                out[k] = present.count == dicts.count ? merge(present, key: k, published: published || isPublished(k)) : present[0]
            }
            return out
        }
        if let arrays = trees as? [[Any]], arrays.count == trees.count {
            if Set(arrays.map(\.count)).count == 1 {
                return (0..<arrays[0].count).map { i in merge(arrays.map { $0[i] }, key: key, published: published) }
            }
            if let texts = arrays as? [[String]] {
                var union: [String] = []
                for t in texts { for s in t where !union.contains(s) { union.append(s) } }
                return union
            }
            return first
        }
        let numbers = trees.compactMap(number)
        if numbers.count == trees.count {
            if published { return first }
            let differ = Set(numbers.map { $0.bitPattern }).count > 1
            if isMetric(key) || differ { return encode(Replicated(numbers)) }
            return first
        }
        return first
    }

    /// A replicated entry as a JSON object (non-finite numbers as text, as in every results file).
    public static func encode(_ r: Replicated) -> [String: Any] {
        func j(_ x: Double) -> Any {
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "inf" : "-inf" }
            return x
        }
        return ["mean": j(r.mean), "sd": j(r.sd), "ci95": r.ci95.map(j), "n": r.n, "values": r.values.map(j)]
    }

    /// A replicated entry read back (nil when `v` is neither one nor a number; a number is n = 1).
    public static func decode(_ v: Any?) -> Replicated? { Replicated(jsonObject: v) }
}

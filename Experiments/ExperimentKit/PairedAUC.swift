import Susceptibility

/// Two models' AUCs on the same test points, compared by DeLong's test for correlated ROC curves
/// (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837–845): one record per pair of models, in a
/// replicate's results. Over replicates, `difference` becomes the paired difference's mean and interval.
public struct PairedAUC: Codable, Sendable {
    /// The two models (difference = a − b).
    public var a: String
    public var b: String
    public var difference: Double
    public var delongStandardError: Double
    public var delongZ: Double
    /// Two-sided p-value of DeLong's z.
    public var delongPValue: Double

    /// Every pair (i < j) of `names`, scored on the same `labels`. A model without scores (nil), or a pair
    /// DeLong's test cannot compare, gives NaN, so that every replicate lists the same pairs in the same
    /// order.
    static func all(names: [String], labels: [Int], scores: [[Double]?]) -> [PairedAUC] {
        let y = labels.map(UInt8.init)
        var out: [PairedAUC] = []
        for i in names.indices {
            for j in names.indices where j > i {
                guard let a = scores[i], let b = scores[j], let c = try? DeLong.compare(labels: y, scoresA: a, scoresB: b) else {
                    out.append(PairedAUC(a: names[i], b: names[j], difference: .nan, delongStandardError: .nan, delongZ: .nan,
                                         delongPValue: .nan))
                    continue
                }
                out.append(PairedAUC(a: names[i], b: names[j], difference: c.difference, delongStandardError: c.standardError,
                                     delongZ: c.z, delongPValue: c.pValue))
            }
        }
        return out
    }
}

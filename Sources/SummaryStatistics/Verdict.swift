/// The four words a claim can earn from replicated results (issue G3), with the rule printed under
/// every claims table (``rule``).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case holds, contradicted, inconclusive, untestable

    public static let rule = "holds: the 95 % interval of the paired difference lies above 0; contradicted: it lies below 0; "
        + "inconclusive: it contains 0; untestable: both sides at the ceiling (AUC ≥ 0.999), where no difference can show. "
        + "Correlation claims: the same words for Fisher's 95 % interval of r against the claimed sign."

    /// "A beats B" from the per-replicate paired differences A − B and the two sides' means.
    public static func paired(_ difference: Replicated, meanA: Double, meanB: Double, ceiling: Double = 0.999) -> Verdict {
        if meanA >= ceiling && meanB >= ceiling { return .untestable }
        guard difference.n > 1, difference.ci95.allSatisfy(\.isFinite) else { return .inconclusive }
        if difference.ci95[0] > 0 { return .holds }
        if difference.ci95[1] < 0 { return .contradicted }
        return .inconclusive
    }

    /// "r has the sign `sign`" (−1 or +1) from r over n pairs, by Fisher's interval.
    public static func correlation(r: Double, n: Int, sign: Double) -> Verdict {
        let ci = Summary.fisherInterval(r: r, n: n)
        guard ci.allSatisfy(\.isFinite) else { return .inconclusive }
        if ci[0] * sign > 0 && ci[1] * sign > 0 { return .holds }
        if ci[0] * sign < 0 && ci[1] * sign < 0 { return .contradicted }
        return .inconclusive
    }
}

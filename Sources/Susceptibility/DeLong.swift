import Foundation

/// DeLong, DeLong & Clarke-Pearson (1988): the AUCs of two scores on the same cases, their
/// covariance, and the test of their difference, from the placement values ("structural components")
/// of each positive and each negative, computed with midranks (Sun & Xu 2014) in O(N log N).
///
/// For a score with m positives X and n negatives Y, ψ(x, y) = 1 if x > y, ½ if x = y, else 0:
///
///     V10(Xᵢ) = (1/n) Σⱼ ψ(Xᵢ, Yⱼ),   V01(Yⱼ) = (1/m) Σᵢ ψ(Xᵢ, Yⱼ),   AUC = mean V10 = mean V01
///     S = S10/m + S01/n     (S10, S01: sample covariance matrices of V10 over i and of V01 over j)
///     Var(AUC_A − AUC_B) = S_AA + S_BB − 2 S_AB,   z = (AUC_A − AUC_B)/√Var,   p = 2 Φ(−|z|)
public enum DeLong {
    /// One score's AUC and its placement values: V10 per positive, V01 per negative (in label order).
    public struct Components: Sendable, Equatable {
        public var auc: Double
        public var positives: [Double]
        public var negatives: [Double]
    }

    /// Two correlated AUCs and the test of their difference.
    public struct Comparison: Sendable, Equatable, Codable {
        public var aucA: Double
        public var aucB: Double
        public var varianceA: Double
        public var varianceB: Double
        public var covariance: Double
        /// AUC_A − AUC_B, its standard error, z and the two-sided p-value.
        public var difference: Double
        public var standardError: Double
        public var z: Double
        public var pValue: Double
        /// difference ± 1.959964 · standard error.
        public var ci95: [Double]
    }

    public enum DeLongError: Error, CustomStringConvertible, Equatable {
        case needsBothClasses(positives: Int, negatives: Int)
        case lengthMismatch
        public var description: String {
            switch self {
            case let .needsBothClasses(p, n):
                "DeLong's test needs at least two positives and two negatives; got \(p) positives and \(n) negatives"
            case .lengthMismatch: "labels and scores differ in length"
            }
        }
    }

    /// Midranks (1-based; ties share the mean of their ranks) of `values`.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// The AUC and placement values of one score (labels 1 = positive, 0 = negative).
    public static func components(labels: [UInt8], scores: [Double]) throws -> Components {
        guard labels.count == scores.count else { throw DeLongError.lengthMismatch }
        let x = zip(labels, scores).filter { $0.0 == 1 }.map(\.1), y = zip(labels, scores).filter { $0.0 != 1 }.map(\.1)
        let (m, n) = (Double(x.count), Double(y.count))
        guard x.count >= 2, y.count >= 2 else { throw DeLongError.needsBothClasses(positives: x.count, negatives: y.count) }
        let all = midranks(x + y), rx = midranks(x), ry = midranks(y)
        // A positive's rank among all, less its rank among positives, counts the negatives below it (ties ½).
        let v10 = x.indices.map { (all[$0] - rx[$0]) / n }
        let v01 = y.indices.map { 1 - (all[x.count + $0] - ry[$0]) / m }
        return Components(auc: v10.reduce(0, +) / m, positives: v10, negatives: v01)
    }

    static func covariance(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        return zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) } / (n - 1)
    }

    /// DeLong's variance of one AUC.
    public static func variance(labels: [UInt8], scores: [Double]) throws -> Double {
        let c = try components(labels: labels, scores: scores)
        return covariance(c.positives, c.positives) / Double(c.positives.count)
            + covariance(c.negatives, c.negatives) / Double(c.negatives.count)
    }

    /// The test of AUC_A = AUC_B for two scores of the same cases.
    public static func compare(labels: [UInt8], scoresA: [Double], scoresB: [Double]) throws -> Comparison {
        let a = try components(labels: labels, scores: scoresA), b = try components(labels: labels, scores: scoresB)
        let (m, n) = (Double(a.positives.count), Double(a.negatives.count))
        func s(_ p: Components, _ q: Components) -> Double {
            covariance(p.positives, q.positives) / m + covariance(p.negatives, q.negatives) / n
        }
        let (vA, vB, cAB) = (s(a, a), s(b, b), s(a, b))
        let difference = a.auc - b.auc
        let se = max(0, vA + vB - 2 * cAB).squareRoot()
        let z = se > 0 ? difference / se : (difference == 0 ? 0 : difference.sign == .minus ? -.infinity : .infinity)
        let p = se > 0 ? erfc(abs(z) / 2.0.squareRoot()) : (difference == 0 ? 1 : 0)
        return Comparison(aucA: a.auc, aucB: b.auc, varianceA: vA, varianceB: vB, covariance: cAB, difference: difference,
                          standardError: se, z: z, pValue: p, ci95: [difference - 1.959964 * se, difference + 1.959964 * se])
    }
}

import Foundation
import Randomness

/// Shapley values of a model's output (Shapley 1953; Lundberg & Lee 2017), interventional: a
/// feature outside a coalition takes its values from a background set, and the coalition's value is
/// the model's mean output over the background, v(S) = mean_b f(x_S, b_S̄). Then
///   φ_j = Σ_{S ⊆ F∖{j}} |S|! (M − |S| − 1)! / M! · (v(S ∪ {j}) − v(S)),   Σ_j φ_j = f(x) − v(∅).
public enum Shapley {
    /// A model evaluated on a batch of rows.
    public typealias Model = ([[Double]]) -> [Double]

    /// v(S) for every coalition S (bit j of the index set ⇔ feature j is taken from x).
    static func coalitionValues(_ x: [Double], background: [[Double]], masks: [Int], model: Model) -> [Double] {
        var rows: [[Double]] = []
        rows.reserveCapacity(masks.count * background.count)
        for mask in masks {
            for b in background {
                var z = b
                for j in 0..<x.count where mask & (1 << j) != 0 { z[j] = x[j] }
                rows.append(z)
            }
        }
        let out = model(rows)
        let m = background.count
        return masks.indices.map { k in out[(k * m)..<((k + 1) * m)].reduce(0, +) / Double(m) }
    }

    /// Exact Shapley values of one row, all 2^M coalitions (M ≤ 16; practical up to ~12).
    /// Returns (base value v(∅), φ).
    public static func exact(_ x: [Double], background: [[Double]], model: Model) -> (base: Double, values: [Double]) {
        let m = x.count
        precondition(m <= 16, "exact Shapley values enumerate 2^M coalitions; use kernel(_:) for M > 16")
        let v = coalitionValues(x, background: background, masks: Array(0..<(1 << m)), model: model)
        var factorial = [1.0]
        for k in 1...max(1, m) { factorial.append(factorial[k - 1] * Double(k)) }
        var phi = [Double](repeating: 0, count: m)
        for s in 0..<(1 << m) {
            let size = s.nonzeroBitCount
            for j in 0..<m where s & (1 << j) == 0 {
                let w = factorial[size] * factorial[m - size - 1] / factorial[m]
                phi[j] += w * (v[s | (1 << j)] - v[s])
            }
        }
        return (v[0], phi)
    }

    /// Kernel SHAP (Lundberg & Lee 2017): weighted least squares of v(S) on coalition indicators with
    /// the Shapley kernel π(S) = (M − 1) / (C(M, |S|) |S| (M − |S|)), the efficiency constraint
    /// Σφ = v(F) − v(∅) imposed exactly. Uses every coalition when 2^M − 2 ≤ `samples`, else
    /// `samples` coalitions drawn by size from the kernel's distribution (with their complements).
    public static func kernel(_ x: [Double], background: [[Double]], model: Model, samples: Int = 2048,
                              generator: inout SeededGenerator) -> (base: Double, values: [Double]) {
        let m = x.count
        let full = (1 << min(m, 62)) - 1
        var masks: [Int] = []
        var weights: [Double] = []
        func binomial(_ n: Int, _ k: Int) -> Double {
            var r = 1.0
            for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
            return r
        }
        if m <= 20 && (1 << m) - 2 <= samples {
            for s in 1..<full {
                let k = s.nonzeroBitCount
                masks.append(s)
                weights.append(Double(m - 1) / (binomial(m, k) * Double(k) * Double(m - k)))
            }
        } else {
            // Sizes 1…M−1 with probability ∝ (M − 1) / (k (M − k)); within a size, uniform coalitions.
            let sizeWeights = (1..<m).map { Double(m - 1) / (Double($0) * Double(m - $0)) }
            let total = sizeWeights.reduce(0, +)
            var seen: [Int: Int] = [:]
            while masks.count < samples {
                var u = generator.nextUnit() * total, k = 1
                while k < m - 1 && u > sizeWeights[k - 1] { u -= sizeWeights[k - 1]; k += 1 }
                var chosen = Set<Int>()
                while chosen.count < k { chosen.insert(Int(generator.nextUnit() * Double(m))) }
                let s = chosen.reduce(0) { $0 | (1 << $1) }
                for c in [s, full ^ s] {
                    if let i = seen[c] { weights[i] += 1 } else { seen[c] = masks.count; masks.append(c); weights.append(1) }
                }
            }
        }
        let v = coalitionValues(x, background: background, masks: [0, full] + masks, model: model)
        let base = v[0], total = v[1] - v[0]
        // Eliminate φ_{M−1} = total − Σ_{j<M−1} φ_j: regress (v(S) − base − z_{M−1}·total) on (z_j − z_{M−1}).
        let q = m - 1
        var ata = [Double](repeating: 0, count: q * q), atb = [Double](repeating: 0, count: q)
        for (k, s) in masks.enumerated() {
            let zl = Double((s >> (m - 1)) & 1)
            let row = (0..<q).map { Double((s >> $0) & 1) - zl }
            let target = v[k + 2] - base - zl * total
            let w = weights[k]
            for a in 0..<q {
                atb[a] += w * row[a] * target
                for b in 0..<q { ata[a * q + b] += w * row[a] * row[b] }
            }
        }
        for a in 0..<q { ata[a * q + a] += 1e-12 }
        var phi = q > 0 ? (LinearAlgebra.solveSPD(ata, atb, n: q) ?? [Double](repeating: 0, count: q)) : []
        phi.append(total - phi.reduce(0, +))
        return (base, phi)
    }
}

import Foundation

/// Logistic regression (binomial GLM with logit link), fitted by iteratively reweighted least
/// squares — Newton's method on the log-likelihood: β ← β + (XᵀWX)⁻¹ Xᵀ(y − p), W = diag(p(1 − p)),
/// X with a leading column of ones. The field's standard baseline (e.g. Brenning 2005).
public struct LogisticRegression: Sendable {
    /// Intercept first, then one coefficient per feature.
    public private(set) var coefficients: [Double]
    public private(set) var iterations: Int
    public private(set) var converged: Bool

    public enum FitError: Error, CustomStringConvertible, Equatable {
        case singular(iteration: Int)
        case empty
        public var description: String {
            switch self {
            case let .singular(it): "logistic regression: XᵀWX is singular at iteration \(it) (collinear features or perfect separation)"
            case .empty: "logistic regression: no samples"
            }
        }
    }

    /// Fits to rows of `features` (n × p) and labels 0/1; stops when the deviance changes by less
    /// than 1e-10 relative (R's glm uses 1e-8).
    public init(features: [[Double]], labels: [Int], maxIterations: Int = 100) throws {
        guard let p = features.first?.count, !features.isEmpty else { throw FitError.empty }
        let n = features.count, q = p + 1
        var beta = [Double](repeating: 0, count: q)
        var deviance = Double.infinity
        iterations = 0
        converged = false
        for it in 1...maxIterations {
            iterations = it
            var xtwx = [Double](repeating: 0, count: q * q), score = [Double](repeating: 0, count: q)
            var dev = 0.0
            for i in 0..<n {
                var eta = beta[0]
                for k in 0..<p { eta += beta[k + 1] * features[i][k] }
                let mu = 1 / (1 + exp(-eta))
                let y = Double(labels[i])
                dev -= 2 * (y > 0 ? log(max(mu, 1e-300)) : log(max(1 - mu, 1e-300)))
                let w = max(mu * (1 - mu), 1e-12)
                let row = [1.0] + features[i]
                for a in 0..<q {
                    score[a] += row[a] * (y - mu)
                    for b in 0...a { xtwx[a * q + b] += w * row[a] * row[b] }
                }
            }
            for a in 0..<q { for b in 0..<a { xtwx[b * q + a] = xtwx[a * q + b] } }
            if abs(deviance - dev) < 1e-10 * (abs(dev) + 0.1) { converged = true; break }
            deviance = dev
            guard let step = LinearAlgebra.solveSPD(xtwx, score, n: q) else { throw FitError.singular(iteration: it) }
            for a in 0..<q { beta[a] += step[a] }
        }
        coefficients = beta
    }

    /// P(y = 1 | x).
    public func probability(_ x: [Double]) -> Double {
        var eta = coefficients[0]
        for k in 0..<x.count { eta += coefficients[k + 1] * x[k] }
        return 1 / (1 + exp(-eta))
    }
}

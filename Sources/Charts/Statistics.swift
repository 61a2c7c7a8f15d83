import Foundation
import SummaryStatistics

/// Tukey's box-plot statistics: quartiles (type 7), whiskers at the most extreme data within
/// 1.5 × IQR of the box, and the points beyond them.
public struct BoxStatistics: Sendable, Equatable {
    public let q1: Double, median: Double, q3: Double
    public let lowerWhisker: Double, upperWhisker: Double
    public let mean: Double
    public let outliers: [Double]
    public let count: Int

    public init(_ values: [Double]) {
        let s = values.filter(\.isFinite).sorted()
        count = s.count
        q1 = Summary.quantile(sorted: s, 0.25)
        median = Summary.quantile(sorted: s, 0.5)
        q3 = Summary.quantile(sorted: s, 0.75)
        mean = Summary.mean(s)
        let iqr = q3 - q1
        let lo = q1 - 1.5 * iqr, hi = q3 + 1.5 * iqr
        lowerWhisker = s.first(where: { $0 >= lo }) ?? q1
        upperWhisker = s.last(where: { $0 <= hi }) ?? q3
        outliers = s.filter { $0 < lo || $0 > hi }
    }
}

/// A value with a confidence interval.
public struct Estimate: Sendable, Equatable {
    public var value: Double
    public var lower: Double
    public var upper: Double
    public init(value: Double, lower: Double, upper: Double) { self.value = value; self.lower = lower; self.upper = upper }

    /// The mean with its 95 % confidence interval, mean ± 1.96 s/√n (normal approximation: the
    /// groups charted here have hundreds of cells; for n < 30 the t interval is up to 8 % wider).
    public static func meanWithCI95(_ values: [Double]) -> Estimate {
        let v = values.filter(\.isFinite)
        let m = Summary.mean(v)
        let half = v.count > 1 ? 1.959963984540054 * Summary.standardDeviation(v) / Double(v.count).squareRoot() : 0
        return Estimate(value: m, lower: m - half, upper: m + half)
    }
}

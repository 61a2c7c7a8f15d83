import Foundation

/// The few summary statistics charts annotate with. Charts take plain numbers and depend on nothing
/// else of the harness, so these live here.
public enum Summary {
    public static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }

    /// Sample standard deviation (n − 1 in the denominator).
    public static func standardDeviation(_ v: [Double]) -> Double {
        guard v.count > 1 else { return .nan }
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }

    /// The q-quantile of sorted data by linear interpolation between order statistics — Hyndman &
    /// Fan's (1996) type 7, the default of R and NumPy.
    public static func quantile(sorted s: [Double], _ q: Double) -> Double {
        guard !s.isEmpty else { return .nan }
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(s.count - 1, lo + 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// The normal density.
    public static func normalPDF(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot())
    }
}

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

import Foundation

/// The descriptive statistics the harness uses, one definition of each: charts annotate with them,
/// stages and experiments report them, the paper quotes them. Plain numbers in, no other dependency.
public enum Summary {
    /// Arithmetic mean; NaN for no values.
    public static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }

    /// Sample standard deviation (n − 1 in the denominator); NaN for fewer than two values.
    public static func standardDeviation(_ v: [Double]) -> Double {
        guard v.count > 1 else { return .nan }
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }

    /// Population standard deviation (n in the denominator); NaN for no values.
    public static func populationStandardDeviation(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return .nan }
        let m = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
    }

    /// The q-quantile of sorted data by linear interpolation between order statistics — Hyndman &
    /// Fan's (1996) type 7, the default of R and NumPy.
    public static func quantile(sorted s: [Double], _ q: Double) -> Double {
        guard !s.isEmpty else { return .nan }
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(s.count - 1, lo + 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// The q-quantile as an order statistic, the value at ⌊q (n − 1)⌋ (NumPy's `method="lower"`): always
    /// one of the data, for reports of values that were actually observed. NaN for no values.
    public static func lowerQuantile(sorted s: [Double], _ q: Double) -> Double {
        guard !s.isEmpty else { return .nan }
        return s[min(s.count - 1, max(0, Int(q * Double(s.count - 1))))]
    }

    /// Pearson's product-moment correlation of paired values; NaN when either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }

    /// The normal density.
    public static func normalPDF(_ x: Double, mean: Double, sd: Double) -> Double {
        let z = (x - mean) / sd
        return exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot())
    }
}
